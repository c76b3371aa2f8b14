package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/harness/cassette"
)

// checkpointEvery is how often --record saves what it has while a run goes
// on, so that a run killed outright still leaves a valid cassette.
const checkpointEvery = 2 * time.Second

// reportFlag collects --report KIND=PATH, repeatable.
type reportFlag []string

func (r *reportFlag) String() string { return strings.Join(*r, ",") }
func (r *reportFlag) Set(v string) error {
	kind, path, ok := strings.Cut(v, "=")
	if !ok || path == "" {
		return fmt.Errorf("--report wants KIND=PATH, got %q", v)
	}
	switch kind {
	case "json", "junit", "markdown", "md":
	default:
		return fmt.Errorf("--report: unknown kind %q (json, junit, markdown)", kind)
	}
	*r = append(*r, v)
	return nil
}

func envInt(key string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(key)); err == nil {
		return v
	}
	return def
}

// ruleGlobs splits a --rules value into globs and checks them: a malformed
// glob and globs that match no rule are usage errors (one line on stderr;
// ok false), told apart so the user knows which to fix.
func ruleGlobs(cmd, rules string, stderr io.Writer) (globs []string, ok bool) {
	globs = strings.Split(rules, ",")
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
		return globs, true
	}
	return nil, false
}

var cmdRun = withSignals(runCmd)

func runCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mfaconform run", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	endpoint := fs.String("endpoint", os.Getenv("MFACONFORM_ENDPOINT"), "awsJson1_1 endpoint `URL`; none runs the in-process reference emulator (env MFACONFORM_ENDPOINT)")
	region := fs.String("region", envOr("MFACONFORM_REGION", "us-east-1"), "region the SDK signs for (env MFACONFORM_REGION)")
	checks := fs.Int("checks", envInt("MFACONFORM_CHECKS", 500), "cases to send, at least the deterministic sweep (env MFACONFORM_CHECKS)")
	seed := fs.Int64("seed", int64(envInt("MFACONFORM_SEED", 1)), "seed; the same seed sends the same cases (env MFACONFORM_SEED)")
	parallel := fs.Int("parallel", envInt("MFACONFORM_PARALLEL", 4), "workers sending cases at once (env MFACONFORM_PARALLEL)")
	rules := fs.String("rules", envOr("MFACONFORM_RULES", "*"), "comma-separated rule `GLOB`s to report (env MFACONFORM_RULES)")
	strict := fs.Bool("strict-messages", os.Getenv("MFACONFORM_STRICT_MESSAGES") == "true", "message differences fail instead of warn (env MFACONFORM_STRICT_MESSAGES)")
	fixtures := fs.String("fixtures", os.Getenv("MFACONFORM_FIXTURES"), "JSON `FILE` with the fixture world (env MFACONFORM_FIXTURES)")
	timeout := fs.Duration("timeout", 10*time.Second, "per-call timeout")
	record := fs.String("record", os.Getenv("MFACONFORM_RECORD"), "record every call into a go-vcr v2 cassette `FILE`, scrubbed (env MFACONFORM_RECORD)")
	targetName := fs.String("target-name", os.Getenv("MFACONFORM_TARGET_NAME"), "a `NAME` for the target in cassettes and parity tables, e.g. moto-5.2.1 (env MFACONFORM_TARGET_NAME)")
	var reports reportFlag
	fs.Var(&reports, "report", "write a report, `KIND=PATH` (json, junit, markdown); repeatable")
	if status, done := parseFlags(fs, args, "usage: mfaconform run [--endpoint URL] [flags]", stdout, stderr); done {
		return status
	}
	if *checks < 1 || *parallel < 1 {
		fmt.Fprintln(stderr, "mfaconform run: --checks and --parallel must be at least 1")
		return exitSetup
	}
	globs, ok := ruleGlobs("mfaconform run", *rules, stderr)
	if !ok {
		return exitSetup
	}
	world := contracts.DefaultWorld()
	if *fixtures != "" {
		w, err := readFixtures(*fixtures)
		if err != nil {
			fmt.Fprintf(stderr, "mfaconform run: %v\n", oneLine(err))
			return exitSetup
		}
		world = w
	}
	var target harness.Target
	repro := fmt.Sprintf("mfaconform run --seed %d --checks %d --parallel %d", *seed, *checks, *parallel)
	if *endpoint == "" {
		target = harness.Reference(world)
	} else {
		t, err := harness.Endpoint(*endpoint)
		if err != nil {
			fmt.Fprintf(stderr, "mfaconform run: %v\n", err)
			return exitSetup
		}
		target = t
		repro += " --endpoint " + *endpoint
	}
	defer target.Close()
	if *fixtures != "" {
		repro += " --fixtures " + *fixtures
	}
	var rec *cassette.Recorder
	stopCheckpoints := func() {}
	if *record != "" {
		h := cassette.NewHeader(target.Info(), *seed, cassette.Flags{Region: *region, Checks: *checks, Parallel: *parallel,
			Rules: globs, StrictMessages: *strict, Fixtures: *fixtures, Timeout: timeout.String()}, nil)
		h.Target.Name = *targetName
		rec = cassette.NewRecorder(*record, h, world)
		target = harness.WrapTarget(target, rec.Transport)
		stopCheckpoints = rec.Checkpoint(checkpointEvery)
	}
	rep, err := harness.Run(ctx, target,
		harness.WithRegion(*region), harness.WithChecks(*checks), harness.WithSeed(*seed),
		harness.WithParallel(*parallel), harness.WithRules(globs...), harness.WithStrictMessages(*strict),
		harness.WithWorld(world), harness.WithCallTimeout(*timeout), harness.WithReproduce(repro),
		harness.WithTargetName(*targetName))
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
	rep.WriteConsole(stdout)
	if rec != nil {
		fmt.Fprintf(stdout, "recorded %d interactions into %s\n", rec.Len(), rec.Path())
	}
	for _, r := range reports {
		kind, path, _ := strings.Cut(r, "=")
		if err := rep.WriteFile(kind, path); err != nil {
			fmt.Fprintf(stderr, "mfaconform run: writing %s report: %v\n", kind, oneLine(err))
			return exitSetup
		}
	}
	if !rep.Conforms() {
		return exitDeviation
	}
	if rep.Interrupted {
		// A run cut short has not shown that the target conforms.
		fmt.Fprintln(stderr, "mfaconform run: interrupted before every case was judged; the results above are partial")
		return exitSetup
	}
	return exitOK
}
