package cassette

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/mfaconform/mfaconform/internal/inert"
	"github.com/mfaconform/mfaconform/internal/reportfile"
)

// maxConsoleDiffs bounds the interactions the console lists; the JSON
// report has them all.
const maxConsoleDiffs = 20

// WriteConsole prints the differing interactions and a summary.
func (r *DiffReport) WriteConsole(w io.Writer) {
	name := r.Recorded.Name
	if name == "" {
		name = r.Recorded.Kind
	}
	fmt.Fprintf(w, "mfaconform %s diff: %s (recorded from %s at %s) against %s %s\n\n",
		r.Version, r.Cassette, name, r.RecordedAt, r.Target.Kind, r.Target.Endpoint)
	for i, in := range r.Interactions {
		if i == maxConsoleDiffs {
			fmt.Fprintf(w, "… and %d more interactions that differ (see --report json=FILE)\n\n", len(r.Interactions)-i)
			break
		}
		fmt.Fprintf(w, "#%d %s %s\n", in.Index, in.Operation, compactJSON(in.Request))
		tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "  WHAT\tRECORDED\tTARGET\tCONTRACT\tAGREES")
		for _, d := range in.Differences {
			what := d.Kind
			if d.Path != "" {
				what += " " + d.Path
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", what, clip(d.Recorded), clip(d.Target), clip(d.Contract), d.Agrees)
		}
		tw.Flush()
		fmt.Fprintln(w)
	}
	s := r.Summary
	verdict := "no differences"
	if s.Differ > 0 {
		var kinds []string
		for _, k := range []string{DiffStatus, DiffError, DiffMember, DiffTransport} {
			if n := s.ByKind[k]; n > 0 {
				kinds = append(kinds, fmt.Sprintf("%d %s", n, k))
			}
		}
		verdict = "DIFFERENCES: " + strings.Join(kinds, ", ")
	}
	fmt.Fprintf(w, "%d interactions sent, %d same, %d differ in %.2fs: %s\n", s.Sent, s.Same, s.Differ, s.ElapsedS, verdict)
}

// clip is a value as one console cell: 70 bytes at most, with bidi
// overrides and control characters escaped.
func clip(s string) string {
	const max = 70
	s = inert.Escape(s)
	if len(s) > max {
		return s[:max] + "…"
	}
	return s
}

func compactJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return clip(string(b))
}

// WriteJSON writes the structured differences.
func (r *DiffReport) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteMarkdown writes one table per differing interaction.
func (r *DiffReport) WriteMarkdown(w io.Writer) error {
	fmt.Fprintf(w, "# mfaconform diff: `%s` against %s %s\n\n", r.Cassette, r.Target.Kind, r.Target.Endpoint)
	fmt.Fprintf(w, "Recorded from %s (%s) at %s. Contract `%s`. %d interactions sent, %d differ.\n",
		r.Recorded.Name, r.Recorded.Kind, r.RecordedAt, r.Contract, r.Summary.Sent, r.Summary.Differ)
	for _, in := range r.Interactions {
		fmt.Fprintf(w, "\n## #%d %s\n\nRequest: %s\n\n| what | recorded | target | contract | agrees |\n|---|---|---|---|---|\n",
			in.Index, in.Operation, inert.CodeSpan(compactJSON(in.Request)))
		for _, d := range in.Differences {
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", inert.Cell(d.Kind+" "+d.Path), inert.CodeCell(d.Recorded), inert.CodeCell(d.Target),
				inert.CodeCell(d.Contract), inert.Cell(d.Agrees))
		}
	}
	return nil
}

// WriteJUnit writes one test case per differing interaction.
func (r *DiffReport) WriteJUnit(w io.Writer) error {
	s := reportfile.Suite{Name: "mfaconform diff " + r.Cassette, Tests: r.Summary.Sent, Failures: r.Summary.Differ}
	for _, in := range r.Interactions {
		var b bytes.Buffer
		for _, d := range in.Differences {
			fmt.Fprintf(&b, "%s %s: recorded %s, target %s, contract %s\n", d.Kind, d.Path, d.Recorded, d.Target, d.Contract)
		}
		s.Cases = append(s.Cases, reportfile.Case{Name: fmt.Sprintf("#%d %s", in.Index, in.Operation), Class: "mfaconform.diff",
			Failure: &reportfile.Message{Message: fmt.Sprintf("%d differences", len(in.Differences)), Text: b.String()}})
	}
	return reportfile.WriteJUnit(w, s)
}

// WriteFile writes the report of a kind (json, junit, markdown, html) to
// path, atomically.
func (r *DiffReport) WriteFile(kind, path string) error {
	return reportfile.WriteFile(kind, path, reportfile.Writers{JSON: r.WriteJSON, JUnit: r.WriteJUnit,
		Markdown: r.WriteMarkdown, HTML: r.WriteHTML})
}
