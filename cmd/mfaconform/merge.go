package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/internal/config"
)

// mergeCmd joins the JSON reports of a run's shards (run --shard I/N)
// into the report of the whole run (harness.Merge), then ends as run
// does: console summary, reports, ledger, exit status.
func mergeCmd(args []string, stdout, stderr io.Writer) int {
	const cmd = "mfaconform merge"
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	s := config.DefaultSettings()
	s.DefineCommand(fs, "merge")
	paths, err := parseInterleaved(fs, args)
	if err == nil {
		err = config.ApplyEnv(fs, lookupEnv)
	}
	if errors.Is(err, flag.ErrHelp) {
		config.WriteHelp(stdout, fs)
		return exitOK
	}
	if err == nil && len(paths) == 0 {
		err = fmt.Errorf("want the JSON reports of a run's shards (%s)", config.Synopsis("merge"))
	}
	if err == nil {
		err = checkOutputs("", s.Reports)
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", cmd, oneLine(err))
		return exitSetup
	}
	known, err := readLedger(s.Known)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", cmd, oneLine(err))
		return exitSetup
	}
	shards := make([]*harness.Report, len(paths))
	for i, p := range paths {
		if shards[i], err = readReport(p); err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", cmd, oneLine(err))
			return exitSetup
		}
	}
	rep, err := harness.Merge(shards...)
	if err != nil {
		var me *harness.MergeError
		if errors.As(err, &me) && me.Report > 0 {
			err = fmt.Errorf("%s: %w: %s", paths[me.Report-1], harness.ErrMerge, me.Reason)
		}
		fmt.Fprintf(stderr, "%s: %v\n", cmd, oneLine(err))
		return exitSetup
	}
	fmt.Fprintf(stdout, "merged %d shards: %d cases, %d calls, %.2fs of calls, %.2fs wall (the slowest shard)\n",
		rep.Shard.Total, rep.Cases, rep.Summary.Calls, rep.Summary.ElapsedS, rep.Shard.WallS)
	return reportOutputs(cmd, "the merged run", &s, known, rep, nil, stdout, stderr)
}
