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

const usage = `usage:
  mfaconform run     [--endpoint URL | --live --region R --allow-account ID[,ID]]
                     [--region R] [--checks N | --duration D] [--seed S] [--parallel P]
                     [--rules GLOB] [--strict-messages] [--fixtures FILE] [--timeout D]
                     [--rate R] [--max-calls N]
                     [--known LEDGER [--strict-known]] [--record CASSETTE] [--target-name NAME]
                     [--report KIND=PATH]... [--quiet]
  mfaconform serve   [--addr HOST:PORT] [--fixtures FILE]
  mfaconform replay  CASSETTE... [--rejudge] [--known LEDGER [--strict-known]] [--report KIND=PATH]...
  mfaconform diff    --cassette CASSETTE --endpoint URL [--timeout D] [--report KIND=PATH]...
  mfaconform parity  [CASSETTE|REPORT.json ...] [--html PATH]   (no argument: the cassettes bundled in the binary)
  mfaconform known   --from REPORT.json [--expires DATE]   (a ledger on stdout)
  mfaconform compare OLD.json NEW.json
  mfaconform sweep   --region R --allow-account ID[,ID] [--older-than D] [--dry-run] [--rate R]
  mfaconform version
Every flag has an environment twin: MFACONFORM_ and the flag's name, e.g. MFACONFORM_CHECKS.
`

func main() { os.Exit(dispatch(os.Args[1:], os.Stdout, os.Stderr)) }

func dispatch(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitSetup
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return cmdServe(rest, stdout, stderr)
	case "run":
		return cmdRun(rest, stdout, stderr)
	case "replay":
		return cmdReplay(rest, stdout, stderr)
	case "diff":
		return cmdDiff(rest, stdout, stderr)
	case "parity":
		return cmdParity(rest, stdout, stderr)
	case "known":
		return knownCmd(rest, stdout, stderr)
	case "compare":
		return compareCmd(rest, stdout, stderr)
	case "sweep":
		return cmdSweep(rest, stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, "mfaconform", config.Version)
		return exitOK
	case "help", "-h", "--help":
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

// parseFlags parses a command's flags. done is true when the command must
// return status at once: after --help (0), or on a usage error (2, with
// one line on stderr).
func parseFlags(fs *flag.FlagSet, args []string, usage string, stdout, stderr io.Writer) (status int, done bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			if usage != "" {
				fmt.Fprintln(stdout, usage)
			}
			fs.SetOutput(stdout)
			fs.PrintDefaults()
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
