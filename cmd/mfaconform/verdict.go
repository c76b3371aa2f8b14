package main

import (
	"fmt"
	"io"

	"github.com/mfaconform/mfaconform/harness"
)

// verdictStatus is the exit status of a report, for run and replay alike:
// 1 when a rule failed; 2 when the report judged nothing or is partial (an
// interrupted run has not shown that the target conforms), with one line
// on stderr saying so; 0 when the target conforms. gated: a ledger's gate
// passed, and deviations it accepts do not fail the run.
func verdictStatus(stderr io.Writer, cmd, what string, rep *harness.Report, gated bool) int {
	s := rep.Summary
	switch {
	case !rep.Conforms() && !gated:
		return exitDeviation
	case s.Pass+s.Warn+s.Fail == 0 && rep.Interrupted:
		fmt.Fprintf(stderr, "%s: %s was interrupted and judged nothing: no rule was checked, so nothing shows that the target conforms\n", cmd, what)
		return exitSetup
	case s.Pass+s.Warn+s.Fail == 0:
		fmt.Fprintf(stderr, "%s: %s judged nothing: no rule was checked, so nothing shows that the target conforms\n", cmd, what)
		return exitSetup
	case rep.Interrupted:
		fmt.Fprintf(stderr, "%s: %s was interrupted before every case was judged; the results above are partial\n", cmd, what)
		return exitSetup
	}
	return exitOK
}
