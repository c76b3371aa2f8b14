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
	"github.com/mfaconform/mfaconform/harness/ledger"
	"github.com/mfaconform/mfaconform/harness/observed"
	"github.com/mfaconform/mfaconform/internal/config"
	"github.com/mfaconform/mfaconform/internal/scrub"
)

// checkpointEvery is how often --record saves what it has while a run goes
// on, so that a run killed outright still leaves a valid cassette.
const checkpointEvery = 2 * time.Second

var cmdRun = withSignals(runCmd)

func runCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mfaconform run", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	s := config.DefaultSettings()
	s.DefineCommand(fs, "run")
	if status, done := parseCommand(fs, args, stdout, stderr); done {
		return status
	}
	known, err := checkRunSettings(&s, stderr)
	var obs *observed.File
	if err == nil {
		obs, err = readObserved(s.Observed, stderr, "mfaconform run")
	}
	if err != nil {
		fmt.Fprintf(stderr, "mfaconform run: %v\n", oneLine(err))
		return exitSetup
	}
	s.HardStop = hardStop(ctx)
	target, status, ok := openTarget(ctx, fs, &s, stderr)
	if !ok {
		return status
	}
	defer target.Close()
	rec, stopCheckpoints := startRecording(ctx, &s, &target)
	opts := append(runOptions(&s), observedOption(obs)...)
	var line *progressLine
	if !s.Quiet {
		if line = newProgressLine(stderr); line != nil {
			opts = append(opts, harness.WithProgress(line.show))
		}
	}
	rep, err := harness.Run(ctx, target, opts...)
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
	return runOutputs(&s, known, rep, rec, stdout, stderr)
}

// runOptions are the library's options that the settings of run make:
// the command line does what a Go user can do with the same options.
func runOptions(s *config.Settings) []harness.Option {
	opts := []harness.Option{harness.WithRegion(s.Region), harness.WithChecks(s.Checks),
		harness.WithDuration(s.Duration), harness.WithSeed(s.Seed), harness.WithParallel(s.Parallel),
		harness.WithRules(s.Rules...), harness.WithStrictMessages(s.StrictMessages), harness.WithWorld(s.World),
		harness.WithCallTimeout(s.CallTimeout), harness.WithReproduce(s.Reproduce),
		harness.WithTargetName(s.TargetName), harness.WithRate(s.Rate), harness.WithMaxCalls(s.MaxCalls),
		harness.WithCleanupContext(s.HardStop)}
	// A live target carries its marks, roles, rate and budget: WithRate
	// and WithMaxCalls can only make them stricter.
	if s.Shard.Sharded() {
		opts = append(opts, harness.WithShard(s.Shard.Index, s.Shard.Total))
	}
	return opts
}

// checkRunSettings refuses, before anything is sent, settings that cannot
// make a run: bounds, rule globs, output paths, the ledger, the fixtures
// (read into s.World).
func checkRunSettings(s *config.Settings, stderr io.Writer) (*ledger.Ledger, error) {
	if s.Checks < 1 || s.Parallel < 1 || s.CallTimeout <= 0 || s.Rate < 0 || s.MaxCalls < 0 {
		return nil, errors.New("--checks and --parallel must be at least 1, --timeout above 0, --rate and --max-calls not below 0")
	}
	if err := rulesError(s.Rules); err != nil {
		return nil, err
	}
	if err := checkOutputs(s.Record, s.Reports); err != nil {
		return nil, err
	}
	known, err := readLedger(s.Known)
	if err != nil {
		return nil, err
	}
	s.World = contracts.DefaultWorld()
	if s.Fixtures != "" {
		if s.World, err = readFixtures(s.Fixtures); err != nil {
			return nil, err
		}
	}
	return known, nil
}

// openTarget makes the run's target (live AWS, an endpoint, or the
// reference emulator) and the command line that reproduces a finding.
func openTarget(ctx context.Context, fs *flag.FlagSet, s *config.Settings, stderr io.Writer) (harness.Target, int, bool) {
	var target harness.Target
	repro := fmt.Sprintf("mfaconform run --seed %d --checks %d --parallel %d", s.Seed, s.Checks, s.Parallel)
	if s.Duration > 0 {
		repro = fmt.Sprintf("mfaconform run --seed %d --duration %s --parallel %d", s.Seed, s.Duration, s.Parallel)
	}
	switch {
	case s.Live:
		t, status, ok := liveTarget(ctx, fs, s, stderr)
		if !ok {
			return nil, status, false
		}
		target = t
		// The allowlist is left out: reports are shared, accounts are not
		// (MFACONFORM_ALLOW_ACCOUNTS supplies it).
		repro += " --live --region " + s.Region
	case s.Endpoint == "":
		target = harness.Reference(s.World)
	default:
		t, err := harness.Endpoint(s.Endpoint)
		if err != nil {
			fmt.Fprintf(stderr, "mfaconform run: %v\n", err)
			return nil, exitSetup, false
		}
		target = t
		repro += " --endpoint " + scrub.Endpoint(s.Endpoint)
	}
	if s.Fixtures != "" {
		repro += " --fixtures " + s.Fixtures
	}
	s.Reproduce = repro
	return target, exitOK, true
}

// startRecording wraps the target in a recorder when --record asks for
// one, checkpointed while the run goes on.
func startRecording(ctx context.Context, s *config.Settings, target *harness.Target) (*cassette.Recorder, func()) {
	if s.Record == "" {
		return nil, func() {}
	}
	h := cassette.NewHeader((*target).Info(), s.Seed, s.Config.Record(s.Fixtures), nil)
	h.Target.Name = s.TargetName
	rec := cassette.NewRecorder(s.Record, h, s.World)
	rec.Until(ctx)
	*target = harness.WrapTarget(*target, rec.Transport)
	return rec, rec.Checkpoint(checkpointEvery)
}

// runOutputs prints the summary, writes the reports, applies the ledger
// and returns the run's exit status.
func runOutputs(s *config.Settings, known *ledger.Ledger, rep *harness.Report, rec *cassette.Recorder, stdout, stderr io.Writer) int {
	return reportOutputs("mfaconform run", "the run", s, known, rep, rec, stdout, stderr)
}

// reportOutputs is runOutputs for any command that ends with a run's
// report (run, merge): cmd and what name it in its messages.
func reportOutputs(cmd, what string, s *config.Settings, known *ledger.Ledger, rep *harness.Report, rec *cassette.Recorder, stdout, stderr io.Writer) int {
	status := exitOK
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
		thing := "pool " + l.Pool
		if l.Role != "" {
			thing = "IAM role " + l.Role
		}
		fmt.Fprintf(stderr, "%s: could not delete %s it created: %s\n", cmd, thing, oneLine(errors.New(l.Error)))
	}
	for _, r := range s.Reports {
		if err := rep.WriteFile(r.Kind, r.Path); err != nil {
			fmt.Fprintf(stderr, "%s: writing %s report: %v\n", cmd, r.Kind, oneLine(err))
			return exitSetup
		}
	}
	if known == nil || status == exitOK {
		status = verdictStatus(stderr, cmd, what, rep, known != nil)
	}
	if len(rep.Leftovers) > 0 && status == exitOK {
		// A job that stays green while it leaks would leak every night.
		fmt.Fprintf(stderr, "%s: %s left %d resources it created (named above); exit 2 until they are gone\n", cmd, what, len(rep.Leftovers))
		return exitSetup
	}
	return status
}

// checkRules refuses rule globs that are malformed or match no rule (one
// line on stderr), told apart so the user knows which to fix.
func checkRules(stderr io.Writer, cmd string, globs []string) (int, bool) {
	if err := rulesError(globs); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", cmd, err)
		return exitSetup, false
	}
	return exitOK, true
}

// rulesError says what is wrong with rule globs: a malformed one, or none
// matching a rule.
func rulesError(globs []string) error {
	rules := strings.Join(globs, ",")
	ids, err := contracts.MatchRules(globs...)
	var bad *contracts.GlobError
	switch {
	case errors.As(err, &bad) && bad.Glob == rules:
		return fmt.Errorf("--rules %q: malformed glob", rules)
	case errors.As(err, &bad):
		return fmt.Errorf("--rules %q: malformed glob %q", rules, bad.Glob)
	case err != nil:
		return fmt.Errorf("--rules %q: %v", rules, err)
	case len(ids) == 0:
		return fmt.Errorf("--rules %q matches no rule", rules)
	}
	return nil
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
