package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/harness/cassette"
)

var cmdDiff = withSignals(diffCmd)

// diffCmd sends a cassette's requests to another endpoint and reports
// where its answers differ from the recorded ones, next to the contract's
// (the reference emulator with the recorded world).
func diffCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mfaconform diff", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	path := fs.String("cassette", os.Getenv("MFACONFORM_CASSETTE"), "the recorded cassette `FILE` (env MFACONFORM_CASSETTE)")
	endpoint := fs.String("endpoint", os.Getenv("MFACONFORM_ENDPOINT"), "awsJson1_1 endpoint `URL` to send the recorded requests to (env MFACONFORM_ENDPOINT)")
	maxSize := maxCassetteFlag(fs)
	var reports reportFlag
	fs.Var(&reports, "report", "write a report, `KIND=PATH` (json, junit, markdown); repeatable")
	if status, done := parseFlags(fs, args, "usage: mfaconform diff --cassette CASSETTE --endpoint URL [--report KIND=PATH]...", stdout, stderr); done {
		return status
	}
	if *path == "" || *endpoint == "" {
		fmt.Fprintln(stderr, "mfaconform diff: --cassette and --endpoint are required")
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
	rep, err := cassette.Diff(ctx, c, target, contract)
	if rep == nil {
		fmt.Fprintf(stderr, "mfaconform diff: %v\n", oneLine(err))
		return exitSetup
	}
	if rep.Summary.Sent > 0 && rep.Summary.ByKind[cassette.DiffTransport] == rep.Summary.Sent {
		fmt.Fprintf(stderr, "mfaconform diff: %s answered none of %d requests\n", *endpoint, rep.Summary.Sent)
		return exitSetup
	}
	rep.WriteConsole(stdout)
	for _, r := range reports {
		kind, out, _ := strings.Cut(r, "=")
		if err := rep.WriteFile(kind, out); err != nil {
			fmt.Fprintf(stderr, "mfaconform diff: writing %s report: %v\n", kind, oneLine(err))
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
