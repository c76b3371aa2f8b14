package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/mfaconform/mfaconform/harness/live"
	"github.com/mfaconform/mfaconform/internal/config"
	"github.com/mfaconform/mfaconform/internal/rate"
)

var cmdSweep = withSignals(sweepCmd)

// sweepCmd deletes what live runs left in an allowed account (a run that
// was killed cannot clean up): pools and roles with a run's marks only.
// Exit 0 when everything found was deleted (or, with --dry-run, listed),
// 2 when something could not be.
func sweepCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	const cmd = "mfaconform sweep"
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	s := config.DefaultSettings()
	s.Rate = config.LiveRate
	s.Define(fs, "region", "allow-account", "older-than", "dry-run", "rate")
	if status, done := parseFlags(fs, args, "usage: "+cmd+" "+liveUsage+" [--older-than D] [--dry-run] [--rate R]", stdout, stderr); done {
		return status
	}
	if err := checkLive(fs, &s); err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", cmd, oneLine(err))
		return exitSetup
	}
	if s.OlderThan < 0 {
		fmt.Fprintf(stderr, "%s: --older-than must not be below 0\n", cmd)
		return exitSetup
	}
	cfg, id, err := awsAccount(ctx, &s)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", cmd, oneLine(err))
		return exitSetup
	}
	what := "deletes"
	if s.DryRun {
		what = "lists (dry run)"
	}
	fmt.Fprintf(stderr, "%s: account %s, region %s: %s the user pools named %s* tagged %s and the IAM roles under %s named %s* tagged %s",
		cmd, id.Account, s.Region, what, live.Prefix, live.TagRun, live.Path, live.Prefix, live.TagRun)
	if s.OlderThan > 0 {
		fmt.Fprintf(stderr, ", made at least %s ago", s.OlderThan)
	}
	fmt.Fprintln(stderr)
	bucket := rate.New(s.Rate)
	failed := 0
	found, err := live.Sweep(ctx, cfg, live.SweepOptions{OlderThan: s.OlderThan, DryRun: s.DryRun, Gate: bucket.Wait,
		Each: func(f live.Found) {
			switch {
			case f.Err != nil:
				failed++
				fmt.Fprintf(stderr, "%s: could not delete %s: %v\n", cmd, f, oneLine(f.Err))
			case f.Deleted:
				fmt.Fprintf(stdout, "deleted %s\n", f)
			default:
				fmt.Fprintf(stdout, "would delete %s\n", f)
			}
		}})
	pools, roles := 0, 0
	for _, f := range found {
		if f.Err != nil {
			continue
		}
		if f.Kind == live.KindPool {
			pools++
		} else {
			roles++
		}
	}
	verb := "deleted"
	if s.DryRun {
		verb = "would delete"
	}
	fmt.Fprintf(stdout, "%s %d user pool(s) and %d IAM role(s)\n", verb, pools, roles)
	switch {
	case err != nil:
		fmt.Fprintf(stderr, "%s: %v\n", cmd, oneLine(err))
		return exitSetup
	case failed > 0:
		fmt.Fprintf(stderr, "%s: %d could not be deleted\n", cmd, failed)
		return exitSetup
	}
	return exitOK
}
