// Command mfaconform checks a Cognito user-pool MFA configuration API
// (SetUserPoolMfaConfig, GetUserPoolMfaConfig) against the documented
// contract. It is a thin layer of flags over package harness.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/mfaconform/mfaconform/internal/config"
)

// lookupEnv reads the flags' environment twins.
var lookupEnv = os.LookupEnv

// Exit statuses (design.md): 0 conforms, 1 deviations found, 2 usage error,
// unreachable target or failed setup.
const (
	exitOK        = 0
	exitDeviation = 1
	exitSetup     = 2
)

// usage is the top-level usage, made from the command and flag tables
// (internal/config) as each command's --help and docs/cli.md are.
var usage = config.Usage()

func main() { os.Exit(dispatch(os.Args[1:], os.Stdout, os.Stderr)) }

func dispatch(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitSetup
	}
	cmd, rest := args[0], args[1:]
	if _, ok := config.LookupCommand(cmd); ok && len(rest) == 1 && isHelp(rest[0]) {
		fmt.Fprint(stdout, config.Help(cmd))
		return exitOK
	}
	switch cmd {
	case "serve":
		return cmdServe(rest, stdout, stderr)
	case "run":
		return cmdRun(rest, stdout, stderr)
	case "replay":
		return cmdReplay(rest, stdout, stderr)
	case "diff":
		return cmdDiff(rest, stdout, stderr)
	case "calibrate":
		return calibrateCmd(rest, stdout, stderr)
	case "parity":
		return cmdParity(rest, stdout, stderr)
	case "known":
		return knownCmd(rest, stdout, stderr)
	case "compare":
		return compareCmd(rest, stdout, stderr)
	case "merge":
		return mergeCmd(rest, stdout, stderr)
	case "sweep":
		return cmdSweep(rest, stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, "mfaconform", config.Version)
		return exitOK
	case "help", "-h", "--help":
		if len(rest) == 1 {
			if _, ok := config.LookupCommand(rest[0]); ok {
				fmt.Fprint(stdout, config.Help(rest[0]))
				return exitOK
			}
		}
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "mfaconform: unknown command %q\n%s", cmd, usage)
	return exitSetup
}

// withSignals runs a command with a context that SIGINT and SIGTERM cancel,
// so that every command stops cleanly (and cleans up) when interrupted. A
// second signal ends hardStop(ctx): it stops the cleanup the first one
// started, and the command says what is left.
func withSignals(cmd func(ctx context.Context, args []string, stdout, stderr io.Writer) int) func([]string, io.Writer, io.Writer) int {
	return func(args []string, stdout, stderr io.Writer) int {
		sigs := make(chan os.Signal, 2)
		signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
		defer signal.Stop(sigs)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		hard, cancelHard := context.WithCancel(context.Background())
		defer cancelHard()
		go func() {
			for _, stop := range []context.CancelFunc{cancel, cancelHard} {
				select {
				case <-sigs:
					stop()
				case <-hard.Done():
					return
				}
			}
		}()
		return cmd(context.WithValue(ctx, hardStopKey{}, hard), args, stdout, stderr)
	}
}

type hardStopKey struct{}

// hardStop is the context a second signal ends (withSignals); never ended
// for a command run otherwise.
func hardStop(ctx context.Context) context.Context {
	if h, ok := ctx.Value(hardStopKey{}).(context.Context); ok {
		return h
	}
	return context.Background()
}

// isHelp is an argument that asks for help.
func isHelp(arg string) bool {
	return arg == "-h" || arg == "-help" || arg == "--help"
}

// parseFiles is parseCommand for a command that takes files (what its
// table calls what), with flags before, between or after them: it refuses
// a command line that names none.
func parseFiles(fs *flag.FlagSet, args []string, what string, stdout, stderr io.Writer) (paths []string, status int, done bool) {
	paths, err := parseInterleaved(fs, args)
	if err == nil {
		err = config.ApplyEnv(fs, lookupEnv)
	}
	switch {
	case errors.Is(err, flag.ErrHelp):
		config.WriteHelp(stdout, fs)
		return nil, exitOK, true
	case err != nil:
		fmt.Fprintf(stderr, "%s: %v\n", fs.Name(), err)
		return nil, exitSetup, true
	case len(paths) == 0:
		fmt.Fprintf(stderr, "%s: no %s given (usage: %s)\n", fs.Name(), what, config.Synopsis(strings.TrimPrefix(fs.Name(), "mfaconform ")))
		return nil, exitSetup, true
	}
	return paths, exitOK, false
}

// parseCommand parses the flags of a command (fs is named "mfaconform
// NAME", as in config's command table). done is true when the command
// must return status at once: after --help (0, the command's help on
// stdout), or on a usage error (2, with one line on stderr).
func parseCommand(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (status int, done bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			config.WriteHelp(stdout, fs)
			return exitOK, true
		}
		fmt.Fprintf(stderr, "%s: %v\n", fs.Name(), err)
		return exitSetup, true
	}
	if err := config.ApplyEnv(fs, lookupEnv); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", fs.Name(), err)
		return exitSetup, true
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return exitSetup, true
	}
	return exitOK, false
}
