package calibrate

import (
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness/observed"
	"github.com/mfaconform/mfaconform/internal/htmlpage"
	"github.com/mfaconform/mfaconform/internal/inert"
	"github.com/mfaconform/mfaconform/internal/reportfile"
)

// seenText is a point's answers as one line: "success ×4, InvalidParameterException ×1".
func (p Point) seenText() string {
	var parts []string
	for _, c := range p.Seen {
		parts = append(parts, fmt.Sprintf("%s ×%d", clip(c.Answer), c.Count))
	}
	if p.Deviations > 0 {
		parts = append(parts, fmt.Sprintf("deviates ×%d", p.Deviations))
	}
	return strings.Join(parts, ", ")
}

// where names the recordings that reached a point, or counts them.
func (p Point) where() string {
	if len(p.Recordings) > 3 {
		return fmt.Sprintf("%d recordings", len(p.Recordings))
	}
	var names []string
	for _, r := range p.Recordings {
		names = append(names, clip(filepath.Base(r)))
	}
	return strings.Join(names, ", ")
}

func clip(s string) string { return inert.Excerpt(inert.Escape(s)) }

// WriteConsole writes the table of points, then each contradiction with
// the calls that show it, then the summary.
func (r *Report) WriteConsole(w io.Writer) {
	fmt.Fprintf(w, "mfaconform calibrate %s: %d recording(s), contract %s\n", r.Version, len(r.Recordings), r.Contract)
	for _, rec := range r.Recordings {
		fmt.Fprintf(w, "  %s: %s at %s in %s, %d interactions\n", rec.File, rec.Target, rec.Date, orDash(rec.Region), rec.Interactions)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VERDICT\tPOINT\tSEEN\tIN")
	for _, p := range r.Points {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", p.Verdict, clip(p.ID), p.seenText(), p.where())
	}
	tw.Flush()
	for _, p := range r.Points {
		if p.Verdict != observed.Contradicts {
			continue
		}
		fmt.Fprintf(w, "\nCONTRADICTS %s: %d call(s) do what the contract does not allow; the contract or the recording is wrong\n", p.ID, p.Deviations)
		for _, x := range p.Contradictions {
			fmt.Fprintf(w, "  %s: %s %s\n", x.Recording, x.Operation, clip(compact(x.Request)))
			fmt.Fprintf(w, "    want: %s\n    got:  %s\n    %s\n", clip(compact(x.Want)), clip(compact(x.Got)), clip(x.Detail))
		}
	}
	fmt.Fprintf(w, "\n%s\n", r.summaryLine())
}

func (r *Report) summaryLine() string {
	var kinds []string
	for _, k := range contracts.PointKinds() {
		kinds = append(kinds, fmt.Sprintf("%d %s", r.Summary.Known[k], k))
	}
	return fmt.Sprintf("%d settled, %d mixed, %d contradicts, %d unobserved (points known: %s)",
		r.Summary.Settled, r.Summary.Mixed, r.Summary.Contradicts, r.Summary.Unobserved, strings.Join(kinds, ", "))
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func compact(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteMarkdown writes the table of points and the contradictions.
func (r *Report) WriteMarkdown(w io.Writer) error {
	fmt.Fprintf(w, "# Calibration of contract `%s`\n\n", r.Contract)
	for _, rec := range r.Recordings {
		fmt.Fprintf(w, "- %s: %s at %s in %s, %d interactions\n", inert.Cell(rec.File), inert.Cell(rec.Target), inert.Cell(rec.Date), inert.Cell(orDash(rec.Region)), rec.Interactions)
	}
	fmt.Fprintf(w, "\n%s\n\n| verdict | point | seen |\n|---|---|---|\n", r.summaryLine())
	for _, p := range r.Points {
		fmt.Fprintf(w, "| %s | %s | %s |\n", p.Verdict, inert.CodeCell(p.ID), inert.Cell(p.seenText()))
	}
	for _, p := range r.Points {
		for _, x := range p.Contradictions {
			fmt.Fprintf(w, "\n**%s** contradicted in %s: %s `%s`, got `%s` (%s)\n", inert.Cell(p.ID), inert.Cell(x.Recording), x.Operation,
				inert.Cell(clip(compact(x.Request))), inert.Cell(clip(compact(x.Got))), inert.Cell(x.Detail))
		}
	}
	return nil
}

// WriteJUnit writes one test case a point: a contradiction fails, an
// unobserved point is skipped.
func (r *Report) WriteJUnit(w io.Writer) error {
	skipped := r.Summary.Unobserved
	s := reportfile.Suite{Name: "mfaconform calibrate", Tests: len(r.Points), Failures: r.Summary.Contradicts, Skipped: &skipped}
	for _, p := range r.Points {
		c := reportfile.Case{Name: p.ID, Class: string(p.Kind)}
		switch p.Verdict {
		case observed.Contradicts:
			var b strings.Builder
			for _, x := range p.Contradictions {
				fmt.Fprintf(&b, "%s: %s %s: %s\n", x.Recording, x.Operation, compact(x.Request), x.Detail)
			}
			c.Failure = &reportfile.Message{Message: p.seenText(), Text: b.String()}
		case observed.Unobserved:
			c.Skipped = &reportfile.Message{Message: "no recording reached this point"}
		}
		s.Cases = append(s.Cases, c)
	}
	return reportfile.WriteJUnit(w, s)
}

var page = htmlpage.New("calibrate", `{{define "title"}}mfaconform calibrate{{end}}{{define "main"}}<h1>Calibration of contract <code>{{.Contract}}</code></h1>
<ul>{{range .Recordings}}<li>{{.File}}: {{.Target}} at {{.Date}} in {{.Region}}, {{.Interactions}} interactions</li>{{end}}</ul>
<p>{{.Line}}</p>
<table><tr><th>verdict</th><th>point</th><th>seen</th></tr>
{{range .Points}}<tr><td>{{.Verdict}}</td><td><code>{{.ID}}</code></td><td>{{.Seen}}</td></tr>
{{end}}</table>{{end}}`, template.FuncMap{})

// WriteHTML writes the table as one self-contained page.
func (r *Report) WriteHTML(w io.Writer) error {
	type row struct{ Verdict, ID, Seen string }
	v := struct {
		*Report
		Line   string
		Points []row
	}{Report: r, Line: r.summaryLine()}
	for _, p := range r.Points {
		v.Points = append(v.Points, row{p.Verdict, p.ID, p.seenText()})
	}
	return htmlpage.Write(w, page, v)
}

// WriteFile writes the report of a kind (json, junit, markdown, html) to
// path, atomically.
func (r *Report) WriteFile(kind, path string) error {
	return reportfile.WriteFile(kind, path, reportfile.Writers{JSON: r.WriteJSON, JUnit: r.WriteJUnit, Markdown: r.WriteMarkdown, HTML: r.WriteHTML})
}
