package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/mfaconform/mfaconform/harness/live"
	"github.com/mfaconform/mfaconform/internal/config"
)

var cmdSweep = withSignals(sweepCmd)

// sweepCmd deletes what live runs left in an allowed account (a run that
// was killed cannot clean up): pools and roles with a run's marks only,
// through live.Sweep (the guard, the rate). Exit 0 when everything found
// was deleted (or, with --dry-run, listed), 2 when something could not be.
func sweepCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	const cmd = "mfaconform sweep"
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	s := config.DefaultSettings()
	s.DefineCommand(fs, "sweep")
	if status, done := parseCommand(fs, args, stdout, stderr); done {
		return status
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "%s: %v\n", cmd, oneLine(err))
		return exitSetup
	}
	cfg, err := awsConfig(ctx, fs, &s)
	if err != nil {
		return fail(err)
	}
	verb := "deleted"
	if s.DryRun {
		verb = "would delete"
	}
	found, err := live.Sweep(ctx, cfg, s.AllowAccounts, live.SweepOptions{OlderThan: s.OlderThan, DryRun: s.DryRun, Rate: s.Rate,
		Guarded: func(id live.Identity) { fmt.Fprintf(stderr, "%s: %s\n", cmd, sweepPlan(id, &s)) },
		Each: func(f live.Found) {
			if f.Err != nil {
				fmt.Fprintf(stderr, "%s: could not delete %s: %v\n", cmd, f, oneLine(f.Err))
			} else {
				fmt.Fprintf(stdout, "%s %s\n", verb, f)
			}
		}})
	counts := map[string]int{}
	for _, f := range found {
		if f.Err != nil {
			counts["failed"]++
		} else {
			counts[f.Kind]++
		}
	}
	if found != nil || err == nil {
		fmt.Fprintf(stdout, "%s %d user pool(s) and %d IAM role(s)\n", verb, counts[live.KindPool], counts[live.KindRole])
	}
	switch {
	case err != nil:
		return fail(err)
	case counts["failed"] > 0:
		return fail(fmt.Errorf("%d could not be deleted", counts["failed"]))
	}
	return exitOK
}

// sweepPlan is the line a sweep prints once the guard has passed.
func sweepPlan(id live.Identity, s *config.Settings) string {
	what := "deletes"
	if s.DryRun {
		what = "lists (dry run)"
	}
	plan := fmt.Sprintf("account %s, region %s: %s the user pools named %s* tagged %s and the IAM roles under %s named %s* tagged %s",
		id.Account, s.Region, what, live.Prefix, live.TagRun, live.Path, live.Prefix, live.TagRun)
	if s.OlderThan > 0 {
		plan += fmt.Sprintf(", made at least %s ago", s.OlderThan)
	}
	return plan
}
