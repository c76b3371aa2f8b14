package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/internal/config"
)

// compareCmd compares two JSON reports of one target (harness.Compare):
// new, fixed, still-failing and unchecked deviations, rules whose status
// changed, calls and time side by side. It exits 1 when NEW has a
// deviation OLD did not; 2 when the reports are of another target or
// contract, or when NEW is partial (interrupted, ended by its budget, or
// not checking rules OLD checked) and found nothing new: a partial run
// shows nothing fixed.
func compareCmd(args []string, stdout, stderr io.Writer) int {
	// dispatch answers compare --help from the command table.
	if len(args) != 2 {
		fmt.Fprintf(stderr, "mfaconform compare: want two JSON reports (usage: %s)\n", config.Synopsis("compare"))
		return exitSetup
	}
	var reps [2]*harness.Report
	for i, path := range args {
		rep, err := readReport(path)
		if err != nil {
			fmt.Fprintf(stderr, "mfaconform compare: %v\n", oneLine(err))
			return exitSetup
		}
		reps[i] = rep
	}
	c, err := harness.Compare(reps[0], reps[1])
	if err != nil {
		fmt.Fprintf(stderr, "mfaconform compare: %v\n", oneLine(err))
		return exitSetup
	}
	fmt.Fprintf(stdout, "mfaconform compare %s (%s) -> %s (%s)\n", args[0], describe(c.Old), args[1], describe(c.New))
	for _, u := range c.Unlike {
		fmt.Fprintf(stdout, "WARNING: the runs are unlike: %s\n", u)
		fmt.Fprintf(stderr, "mfaconform compare: the runs are unlike: %s; deviations are compared all the same\n", u)
	}
	for _, p := range c.Partial {
		fmt.Fprintf(stdout, "WARNING: NEW is partial: %s\n", p)
	}
	printDeviations(stdout, c)
	printChanges(stdout, c)
	fmt.Fprintf(stdout, "\n%-8s %12s %12s\n", "", "old", "new")
	fmt.Fprintf(stdout, "%-8s %12d %12d\n", "calls", c.Old.Summary.Calls, c.New.Summary.Calls)
	fmt.Fprintf(stdout, "%-8s %11.2fs %11.2fs\n", "time", c.Old.Summary.ElapsedS, c.New.Summary.ElapsedS)
	fmt.Fprintf(stdout, "%-8s %12s %12s\n", "verdict", summaryOf(c.Old), summaryOf(c.New))
	switch {
	case len(c.Added) > 0:
		return exitDeviation
	case len(c.Partial) > 0:
		fmt.Fprintf(stderr, "mfaconform compare: NEW is partial (%s): it does not show what OLD found is fixed\n", c.Partial[0])
		return exitSetup
	}
	return exitOK
}

func printDeviations(w io.Writer, c *harness.Comparison) {
	section := func(title string, ds []harness.Deviation, counts func(harness.Deviation) string) {
		fmt.Fprintf(w, "\n%s: %d\n", title, len(ds))
		for _, d := range ds {
			fmt.Fprintf(w, "  %s  %s\n", d.Signature, counts(d))
		}
	}
	section("new deviations", c.Added, func(d harness.Deviation) string { return fmt.Sprintf("(%d calls)", d.NewCount) })
	section("fixed deviations", c.Fixed, func(d harness.Deviation) string { return fmt.Sprintf("(%d calls before)", d.OldCount) })
	section("still failing", c.Still, func(d harness.Deviation) string { return fmt.Sprintf("(%d -> %d calls)", d.OldCount, d.NewCount) })
	if len(c.Unchecked) > 0 {
		section("not checked by NEW (neither fixed nor failing)", c.Unchecked,
			func(d harness.Deviation) string { return fmt.Sprintf("(%d calls before)", d.OldCount) })
	}
}

func printChanges(w io.Writer, c *harness.Comparison) {
	fmt.Fprintf(w, "\nrules whose status changed:\n")
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, ch := range c.Changes {
		fmt.Fprintf(tw, "  %s\t%s\t->\t%s\n", ch.Rule, ch.Old, ch.New)
	}
	tw.Flush()
	if len(c.Changes) == 0 {
		fmt.Fprintln(w, "  none")
	}
}

func describe(r *harness.Report) string {
	name := r.Target.Name
	if name == "" {
		name = r.Target.Kind
	}
	return fmt.Sprintf("%s, seed %d, %d cases", name, r.Seed, r.Cases)
}

func summaryOf(r *harness.Report) string {
	s := r.Summary
	return fmt.Sprintf("%d/%d/%d/%d", s.Pass, s.Fail, s.Warn, s.Skip)
}
