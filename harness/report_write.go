package harness

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/mfaconform/mfaconform/internal/inert"
	"github.com/mfaconform/mfaconform/internal/reportfile"
)

// WriteConsole prints the summary: a table of rules with status and
// counts, then, for each failing rule, each deviation with its minimal
// counterexample and the command that reproduces it.
func (r *Report) WriteConsole(w io.Writer) {
	fmt.Fprintf(w, "mfaconform %s against %s %s (contract %s), seed %d, %d cases",
		r.Version, r.Target.Kind, r.Target.Endpoint, r.Contract, r.Seed, r.Cases)
	if r.Shard != nil {
		fmt.Fprintf(w, " (%s)", r.Shard)
	}
	fmt.Fprint(w, "\n\n")
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tSTATUS\tCHECKED\tFAILED\tNOTE")
	for _, rr := range r.Rules {
		note := inert.Escape(shorten(rr.SkipReason))
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\n", rr.ID, rr.Status, rr.Checked, rr.FailedCases, note)
	}
	tw.Flush()
	for _, rr := range r.Rules {
		if (rr.Status != StatusFail && rr.Status != StatusWarn) || len(rr.Failures) == 0 {
			continue
		}
		for i, f := range rr.Failures {
			fmt.Fprintf(w, "\n%s %s", strings.ToUpper(rr.Status), rr.ID)
			if len(rr.Failures) > 1 {
				fmt.Fprintf(w, " (deviation %d of %d)", i+1, len(rr.Failures))
			}
			fmt.Fprintf(w, ": %s\n", inert.Escape(shorten(f.Detail)))
			writeConsoleFinding(w, f)
		}
		if rr.Unlisted > 0 {
			fmt.Fprintf(w, "  and %d more failing calls of deviations not listed\n", rr.Unlisted)
		}
	}
	s := r.Summary
	verdict := "conforms"
	switch {
	case s.Fail > 0 && r.Interrupted:
		verdict = "DEVIATIONS FOUND (interrupted: partial results)"
	case s.Fail > 0:
		verdict = "DEVIATIONS FOUND"
	case r.Interrupted:
		// A run cut short has not shown that the target conforms.
		verdict = "INTERRUPTED: partial results, no verdict"
	}
	if r.EndedBy == EndedByBudget {
		verdict += " (the call budget ended the run: rules no case reached are skip)"
	}
	for _, p := range r.RefusedPools {
		fmt.Fprintf(w, "\nnot sent: %s\n", p)
	}
	if l := r.Live; l != nil {
		fmt.Fprintf(w, "\nlive run %s: IAM let Cognito use the SMS roles after %.1fs\n", l.RunID, l.IAMWaitS)
	}
	fmt.Fprintf(w, "\n%d pass, %d fail, %d warn, %d skip; %d calls in %.2fs: %s\n",
		s.Pass, s.Fail, s.Warn, s.Skip, s.Calls, s.ElapsedS, verdict)
}

func writeConsoleFinding(w io.Writer, f Finding) {
	if f.Signature != "" {
		fmt.Fprintf(w, "  deviation: %s, %d calls\n", inert.Escape(f.Signature), f.Count)
	}
	if k := f.Known; k != nil {
		fmt.Fprintf(w, "  known:    %s\n", inert.Escape(knownNote(k)))
	}
	fmt.Fprintf(w, "  case:     %s on pool %s\n", f.Case, f.Pool)
	if f.PriorState != nil {
		fmt.Fprintf(w, "  state:    %s\n", compact(f.PriorState))
	}
	fmt.Fprintf(w, "  request:  %s %s\n", f.Operation, compact(f.Request))
	fmt.Fprintf(w, "  want:     %s\n", compact(f.Want))
	fmt.Fprintf(w, "  got:      %s\n", compact(f.Got))
	if !f.Certain {
		fmt.Fprintf(w, "  note:     the contract allows several answers here (unconfirmed order or behaviour)\n")
	}
	if f.Basis == BasisObserved {
		fmt.Fprintf(w, "  basis:    observed (recordings of %s)\n", f.Observed)
	}
	fmt.Fprintf(w, "  reproduce: %s\n", f.Reproduce)
}

// knownNote says how a ledger accepts a deviation.
func knownNote(k *Known) string {
	note := k.Reason
	if k.Link != "" {
		note += " (" + k.Link + ")"
	}
	switch {
	case k.Expired:
		note = "EXPIRED on " + k.Expires + ": " + note
	case k.Expires != "":
		note += ", until " + k.Expires
	}
	return note
}

// allKnown reports whether a ledger accepts every deviation of a rule.
func allKnown(rr RuleReport) bool {
	if len(rr.Failures) == 0 || rr.Unlisted > 0 {
		return false
	}
	for _, f := range rr.Failures {
		if f.Known == nil || f.Known.Expired {
			return false
		}
	}
	return true
}

// compact is v as one line of JSON, cut at 600 bytes, with bidi
// overrides escaped (JSON escapes control characters, not those).
func compact(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return inert.Escape(shorten(fmt.Sprint(v)))
	}
	const max = 600
	if len(b) > max {
		return inert.Escape(string(b[:max])) + "…"
	}
	return inert.Escape(string(b))
}

// WriteJSON writes the JSON report.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteJUnit writes one test case per rule.
func (r *Report) WriteJUnit(w io.Writer) error {
	skipped, elapsed := 0, r.Summary.ElapsedS
	s := reportfile.Suite{Name: "mfaconform " + r.Target.Kind, Tests: len(r.Rules), Skipped: &skipped, Time: &elapsed}
	for _, rr := range r.Rules {
		c := reportfile.Case{Name: string(rr.ID), Class: "mfaconform." + strings.SplitN(string(rr.ID), ".", 2)[0]}
		switch rr.Status {
		case StatusFail:
			if allKnown(rr) {
				// The gate accepts it: CI shows it, not as a failure.
				skipped++
				c.Skipped = &reportfile.Message{Message: "known deviation: " + knownNote(rr.Failures[0].Known)}
				break
			}
			s.Failures++
			c.Failure = junitFailure(rr)
		case StatusSkip:
			skipped++
			c.Skipped = &reportfile.Message{Message: rr.SkipReason}
		case StatusWarn:
			if len(rr.Failures) > 0 {
				w := junitFailure(rr)
				c.SystemOut = "warning: " + w.Message + "\n" + w.Text
			}
		}
		s.Cases = append(s.Cases, c)
	}
	return reportfile.WriteJUnit(w, s)
}

// junitFailure is a failing rule as JUnit shows it: the first deviation's
// detail as the message, every deviation in the text.
func junitFailure(rr RuleReport) *reportfile.Message {
	m := &reportfile.Message{}
	var text []string
	for i, f := range rr.Failures {
		if i == 0 {
			m.Message = f.Detail
			if len(rr.Failures) > 1 {
				m.Message = fmt.Sprintf("%d deviations; the first: %s", len(rr.Failures), f.Detail)
			}
		}
		text = append(text, fmt.Sprintf("%s (%d calls): %s", f.Signature, f.Count, compact(f)))
	}
	m.Message, m.Text = inert.Escape(m.Message), strings.Join(text, "\n")
	return m
}

// WriteFile writes the report of a kind (json, junit, markdown, html) to path,
// atomically: a reader sees the old report or the new one, never half.
func (r *Report) WriteFile(kind, path string) error {
	return reportfile.WriteFile(kind, path, reportfile.Writers{JSON: r.WriteJSON, JUnit: r.WriteJUnit,
		Markdown: r.WriteMarkdown, HTML: r.WriteHTML})
}
