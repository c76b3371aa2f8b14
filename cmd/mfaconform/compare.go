package main

import (
	"fmt"
	"io"
	"slices"
	"text/tabwriter"

	"github.com/mfaconform/mfaconform/harness"
)

// deviations lists a report's deviations of failing rules, by signature
// (harness.Signature: made from the fields in a report that predates
// signatures), with their counts.
func deviations(rep *harness.Report) (keys []string, counts map[string]int) {
	counts = map[string]int{}
	for _, rr := range rep.Rules {
		if rr.Status != harness.StatusFail {
			continue
		}
		for _, f := range rr.Failures {
			k := harness.Signature(rr.ID, f)
			if _, seen := counts[k]; !seen {
				keys = append(keys, k)
			}
			counts[k] += max(f.Count, 1)
		}
	}
	slices.Sort(keys)
	return keys, counts
}

// compareCmd compares two JSON reports: new, fixed and still-failing
// deviations, rules whose status changed, calls and time side by side.
// It exits 1 when NEW has a deviation OLD did not.
func compareCmd(args []string, stdout, stderr io.Writer) int {
	if len(args) == 1 && (args[0] == "-h" || args[0] == "--help") {
		fmt.Fprintln(stdout, "usage: mfaconform compare OLD.json NEW.json")
		return exitOK
	}
	if len(args) != 2 {
		fmt.Fprintln(stderr, "mfaconform compare: want two JSON reports (usage: mfaconform compare OLD.json NEW.json)")
		return exitSetup
	}
	old, err := readReport(args[0])
	if err != nil {
		fmt.Fprintf(stderr, "mfaconform compare: %v\n", oneLine(err))
		return exitSetup
	}
	cur, err := readReport(args[1])
	if err != nil {
		fmt.Fprintf(stderr, "mfaconform compare: %v\n", oneLine(err))
		return exitSetup
	}
	oldKeys, oldCounts := deviations(old)
	newKeys, newCounts := deviations(cur)
	var added, fixed, still []string
	for _, k := range newKeys {
		if _, ok := oldCounts[k]; ok {
			still = append(still, k)
		} else {
			added = append(added, k)
		}
	}
	for _, k := range oldKeys {
		if _, ok := newCounts[k]; !ok {
			fixed = append(fixed, k)
		}
	}
	fmt.Fprintf(stdout, "mfaconform compare %s (%s) -> %s (%s)\n", args[0], describe(old), args[1], describe(cur))
	section := func(title string, keys []string, counts func(string) string) {
		fmt.Fprintf(stdout, "\n%s: %d\n", title, len(keys))
		for _, k := range keys {
			fmt.Fprintf(stdout, "  %s  %s\n", k, counts(k))
		}
	}
	section("new deviations", added, func(k string) string { return fmt.Sprintf("(%d calls)", newCounts[k]) })
	section("fixed deviations", fixed, func(k string) string { return fmt.Sprintf("(%d calls before)", oldCounts[k]) })
	section("still failing", still, func(k string) string { return fmt.Sprintf("(%d -> %d calls)", oldCounts[k], newCounts[k]) })

	fmt.Fprintf(stdout, "\nrules whose status changed:\n")
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	changed := 0
	for _, nr := range cur.Rules {
		was := "absent"
		if or := old.Rule(nr.ID); or != nil {
			was = or.Status
		}
		if was != nr.Status {
			fmt.Fprintf(tw, "  %s\t%s\t->\t%s\n", nr.ID, was, nr.Status)
			changed++
		}
	}
	for _, or := range old.Rules {
		if cur.Rule(or.ID) == nil {
			fmt.Fprintf(tw, "  %s\t%s\t->\tabsent\n", or.ID, or.Status)
			changed++
		}
	}
	tw.Flush()
	if changed == 0 {
		fmt.Fprintln(stdout, "  none")
	}
	fmt.Fprintf(stdout, "\n%-8s %12s %12s\n", "", "old", "new")
	fmt.Fprintf(stdout, "%-8s %12d %12d\n", "calls", old.Summary.Calls, cur.Summary.Calls)
	fmt.Fprintf(stdout, "%-8s %11.2fs %11.2fs\n", "time", old.Summary.ElapsedS, cur.Summary.ElapsedS)
	fmt.Fprintf(stdout, "%-8s %12s %12s\n", "verdict", summaryOf(old), summaryOf(cur))
	if len(added) > 0 {
		return exitDeviation
	}
	return exitOK
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
