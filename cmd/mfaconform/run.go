package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/harness/cassette"
	"github.com/mfaconform/mfaconform/internal/config"
)

// checkpointEvery is how often --record saves what it has while a run goes
// on, so that a run killed outright still leaves a valid cassette.
const checkpointEvery = 2 * time.Second

var cmdRun = withSignals(runCmd)

func runCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mfaconform run", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	s := config.DefaultSettings()
	s.Define(fs, "endpoint", "region", "checks", "seed", "parallel", "rules", "strict-messages", "fixtures",
		"timeout", "record", "target-name", "report", "known", "strict-known", "duration", "quiet",
		"live", "allow-account", "rate", "max-calls")
	if status, done := parseFlags(fs, args, "usage: mfaconform run [--endpoint URL | --live "+liveUsage+"] [flags]", stdout, stderr); done {
		return status
	}
	if s.Checks < 1 || s.Parallel < 1 || s.CallTimeout <= 0 || s.Rate < 0 || s.MaxCalls < 0 {
		fmt.Fprintln(stderr, "mfaconform run: --checks and --parallel must be at least 1, --timeout above 0, --rate and --max-calls not below 0")
		return exitSetup
	}
	if status, ok := checkRules(stderr, "mfaconform run", s.Rules); !ok {
		return status
	}
	if err := checkOutputs(s.Record, s.Reports); err != nil {
		fmt.Fprintf(stderr, "mfaconform run: %v\n", oneLine(err))
		return exitSetup
	}
	known, err := readLedger(s.Known)
	if err != nil {
		fmt.Fprintf(stderr, "mfaconform run: %v\n", oneLine(err))
		return exitSetup
	}
	world := contracts.DefaultWorld()
	if s.Fixtures != "" {
		w, err := readFixtures(s.Fixtures)
		if err != nil {
			fmt.Fprintf(stderr, "mfaconform run: %v\n", oneLine(err))
			return exitSetup
		}
		world = w
	}
	s.World = world
	s.HardStop = hardStop(ctx)
	var target harness.Target
	repro := fmt.Sprintf("mfaconform run --seed %d --checks %d --parallel %d", s.Seed, s.Checks, s.Parallel)
	if s.Duration > 0 {
		repro = fmt.Sprintf("mfaconform run --seed %d --duration %s --parallel %d", s.Seed, s.Duration, s.Parallel)
	}
	switch {
	case s.Live:
		t, status, ok := liveTarget(ctx, fs, &s, stderr)
		if !ok {
			return status
		}
		target, world = t, s.World
		// The allowlist is left out: reports are shared, accounts are not
		// (MFACONFORM_ALLOW_ACCOUNTS supplies it).
		repro += " --live --region " + s.Region
	case s.Endpoint == "":
		target = harness.Reference(world)
	default:
		t, err := harness.Endpoint(s.Endpoint)
		if err != nil {
			fmt.Fprintf(stderr, "mfaconform run: %v\n", err)
			return exitSetup
		}
		target = t
		repro += " --endpoint " + s.Endpoint
	}
	defer target.Close()
	if s.Fixtures != "" {
		repro += " --fixtures " + s.Fixtures
	}
	s.Reproduce = repro
	var rec *cassette.Recorder
	stopCheckpoints := func() {}
	if s.Record != "" {
		h := cassette.NewHeader(target.Info(), s.Seed, s.Config.Record(s.Fixtures), nil)
		h.Target.Name = s.TargetName
		rec = cassette.NewRecorder(s.Record, h, world)
		rec.Until(ctx)
		target = harness.WrapTarget(target, rec.Transport)
		stopCheckpoints = rec.Checkpoint(checkpointEvery)
	}
	cfg := s.Config
	var line *progressLine
	if !s.Quiet {
		if line = newProgressLine(stderr); line != nil {
			cfg.Progress = line.show
		}
	}
	rep, err := harness.Run(ctx, target, func(c *config.Config) { *c = cfg })
	line.clear()
	if rec != nil {
		// Saved also when the run failed or was interrupted: what was
		// recorded is kept, and the header says the run did not finish.
		stopCheckpoints()
		rec.Finish(rep, err)
		if serr := rec.Save(); serr != nil {
			fmt.Fprintf(stderr, "mfaconform run: --record: %v\n", oneLine(serr))
			return exitSetup
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "mfaconform run: %v\n", oneLine(err))
		return exitSetup
	}
	status := exitOK
	if !rep.Conforms() {
		status = exitDeviation
	}
	if known != nil {
		var summary func(io.Writer)
		status, summary = gate(known, s.StrictKnown, rep)
		defer summary(stdout)
	}
	rep.WriteConsole(stdout)
	if rec != nil {
		fmt.Fprintf(stdout, "recorded %d interactions into %s\n", rec.Len(), rec.Path())
	}
	for _, l := range rep.Leftovers {
		what := "pool " + l.Pool
		if l.Role != "" {
			what = "IAM role " + l.Role
		}
		fmt.Fprintf(stderr, "mfaconform run: could not delete %s it created: %s\n", what, oneLine(errors.New(l.Error)))
	}
	for _, r := range s.Reports {
		if err := rep.WriteFile(r.Kind, r.Path); err != nil {
			fmt.Fprintf(stderr, "mfaconform run: writing %s report: %v\n", r.Kind, oneLine(err))
			return exitSetup
		}
	}
	if known != nil && status != exitOK {
		return status
	}
	return verdictStatus(stderr, "mfaconform run", "the run", rep, known != nil)
}

// checkRules refuses rule globs that are malformed or match no rule (one
// line on stderr), told apart so the user knows which to fix.
func checkRules(stderr io.Writer, cmd string, globs []string) (int, bool) {
	rules := strings.Join(globs, ",")
	ids, err := contracts.MatchRules(globs...)
	var bad *contracts.GlobError
	switch {
	case errors.As(err, &bad) && bad.Glob == rules:
		fmt.Fprintf(stderr, "%s: --rules %q: malformed glob\n", cmd, rules)
	case errors.As(err, &bad):
		fmt.Fprintf(stderr, "%s: --rules %q: malformed glob %q\n", cmd, rules, bad.Glob)
	case err != nil:
		fmt.Fprintf(stderr, "%s: --rules %q: %v\n", cmd, rules, err)
	case len(ids) == 0:
		fmt.Fprintf(stderr, "%s: --rules %q matches no rule\n", cmd, rules)
	default:
		return exitOK, true
	}
	return exitSetup, false
}

// checkOutputs refuses, before the first call, an output path that cannot
// be written: a report found unwritable after a long run would lose it
// (and its exit 2 would hide the run's verdict).
func checkOutputs(record string, reports config.Reports) error {
	paths := []string{}
	if record != "" {
		paths = append(paths, record)
	}
	for _, r := range reports {
		paths = append(paths, r.Path)
	}
	for _, p := range paths {
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			return fmt.Errorf("%s is a directory, not a file to write", p)
		}
		f, err := os.CreateTemp(filepath.Dir(p), ".mfaconform-check-*")
		if err != nil {
			return fmt.Errorf("cannot write %s: %w", p, err)
		}
		f.Close()
		os.Remove(f.Name())
	}
	return nil
}
