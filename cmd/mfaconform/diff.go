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
	if status, done := parseCommand(fs, args, stdout, stderr); done {
		return status
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "mfaconform diff: %v\n", oneLine(err))
		return exitSetup
	}
	if err := checkDiffSettings(&s); err != nil {
		return fail(err)
	}
	c, err := loadCassette(s.Cassette, s.MaxCassetteBytes)
	if err != nil {
		return fail(err)
	}
	rep, err := diffAgainst(ctx, c, &s)
	if rep == nil {
		return fail(err)
	}
	if status, ok := diffAnswered(rep, err, len(c.Interactions), s.Endpoint, stderr); !ok {
		return status
	}
	rep.WriteConsole(stdout)
	for _, r := range s.Reports {
		if err := rep.WriteFile(r.Kind, r.Path); err != nil {
			return fail(fmt.Errorf("writing %s report: %w", r.Kind, err))
		}
	}
	switch {
	case err != nil:
		return fail(fmt.Errorf("interrupted: %w", err))
	case !rep.Same():
		return exitDeviation
	}
	return exitOK
}

// checkDiffSettings refuses, before anything is sent, settings that
// cannot make a diff.
func checkDiffSettings(s *config.Settings) error {
	switch {
	case s.Cassette == "" || s.Endpoint == "":
		return errors.New("--cassette and --endpoint are required")
	case s.CallTimeout <= 0:
		return errors.New("--timeout must be above 0")
	}
	return checkOutputs("", s.Reports)
}

// diffAgainst sends the cassette's requests to the endpoint and to the
// contract (the reference emulator in the recorded world).
func diffAgainst(ctx context.Context, c *cassette.Cassette, s *config.Settings) (*cassette.DiffReport, error) {
	target, err := harness.Endpoint(s.Endpoint)
	if err != nil {
		return nil, err
	}
	defer target.Close()
	world, err := c.World()
	if err != nil {
		return nil, err
	}
	contract, err := contractTarget(world, s.Observed)
	if err != nil {
		return nil, err
	}
	defer contract.Close()
	return cassette.Diff(ctx, c, target, contract, harness.WithCallTimeout(s.CallTimeout))
}

// diffAnswered refuses a diff whose endpoint stopped answering, or never
// answered: what it would list is the endpoint's silence, not its answers.
func diffAnswered(rep *cassette.DiffReport, err error, recorded int, endpoint string, stderr io.Writer) (int, bool) {
	switch {
	case errors.Is(err, harness.ErrSilent):
		fmt.Fprintf(stderr, "mfaconform diff: %s: %v; stopped after %d of %d requests\n", scrub.Endpoint(endpoint), oneLine(err), rep.Summary.Sent, recorded)
		return exitSetup, false
	case rep.Summary.Sent > 0 && rep.Summary.ByKind[cassette.DiffTransport] == rep.Summary.Sent:
		fmt.Fprintf(stderr, "mfaconform diff: %s answered none of %d requests\n", scrub.Endpoint(endpoint), rep.Summary.Sent)
		return exitSetup, false
	}
	return exitOK, true
}
