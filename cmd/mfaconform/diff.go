package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/harness/cassette"
	"github.com/mfaconform/mfaconform/internal/config"
	"github.com/mfaconform/mfaconform/internal/scrub"
)

var cmdDiff = withSignals(diffCmd)

// diffCmd sends a cassette's requests to another endpoint and reports
// where its answers differ from the recorded ones, next to the contract's
// (the reference emulator with the recorded world).
func diffCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mfaconform diff", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	s := config.DefaultSettings()
	s.DefineCommand(fs, "diff")
	path, endpoint := &s.Cassette, &s.Endpoint
	maxSize := &s.MaxCassetteBytes
	if status, done := parseCommand(fs, args, stdout, stderr); done {
		return status
	}
	if *path == "" || *endpoint == "" {
		fmt.Fprintln(stderr, "mfaconform diff: --cassette and --endpoint are required")
		return exitSetup
	}
	if err := checkOutputs("", s.Reports); err != nil {
		fmt.Fprintf(stderr, "mfaconform diff: %v\n", oneLine(err))
		return exitSetup
	}
	if s.CallTimeout <= 0 {
		fmt.Fprintln(stderr, "mfaconform diff: --timeout must be above 0")
		return exitSetup
	}
	c, err := loadCassette(*path, *maxSize)
	if err != nil {
		fmt.Fprintf(stderr, "mfaconform diff: %v\n", oneLine(err))
		return exitSetup
	}
	target, err := harness.Endpoint(*endpoint)
	if err != nil {
		fmt.Fprintf(stderr, "mfaconform diff: %v\n", err)
		return exitSetup
	}
	defer target.Close()
	world, err := c.World()
	if err != nil {
		fmt.Fprintf(stderr, "mfaconform diff: %v\n", oneLine(err))
		return exitSetup
	}
	contract := harness.Reference(world)
	defer contract.Close()
	rep, err := cassette.Diff(ctx, c, target, contract, harness.WithCallTimeout(s.CallTimeout))
	if rep == nil {
		fmt.Fprintf(stderr, "mfaconform diff: %v\n", oneLine(err))
		return exitSetup
	}
	if errors.Is(err, harness.ErrSilent) {
		fmt.Fprintf(stderr, "mfaconform diff: %s: %v; stopped after %d of %d requests\n", scrub.Endpoint(*endpoint), oneLine(err), rep.Summary.Sent, len(c.Interactions))
		return exitSetup
	}
	if rep.Summary.Sent > 0 && rep.Summary.ByKind[cassette.DiffTransport] == rep.Summary.Sent {
		fmt.Fprintf(stderr, "mfaconform diff: %s answered none of %d requests\n", scrub.Endpoint(*endpoint), rep.Summary.Sent)
		return exitSetup
	}
	rep.WriteConsole(stdout)
	for _, r := range s.Reports {
		if err := rep.WriteFile(r.Kind, r.Path); err != nil {
			fmt.Fprintf(stderr, "mfaconform diff: writing %s report: %v\n", r.Kind, oneLine(err))
			return exitSetup
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "mfaconform diff: interrupted: %v\n", oneLine(err))
		return exitSetup
	}
	if !rep.Same() {
		return exitDeviation
	}
	return exitOK
}
