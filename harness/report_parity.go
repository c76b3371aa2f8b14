package harness

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/internal/htmlpage"
	"github.com/mfaconform/mfaconform/internal/reportfile"
)

// ParityColumn is one target's report on a parity table: a cassette's
// replayed verdict (package cassette makes it), or a JSON report as it was
// written (ReportParityColumn).
type ParityColumn struct {
	// Name heads the column: the target's name, or its file's.
	Name string
	// Source says where the report comes from (a replayed cassette, a JSON
	// report), shown under the table.
	Source string
	// Date is when the column's calls were made (RFC 3339), or "".
	Date string
	// Report is nil when Err says why there is none.
	Report *Report
	Err    string
}

// ReportParityColumn is the column of a JSON report read from path, named
// by its target's name, else by the file's.
func ReportParityColumn(path string, rep *Report) ParityColumn {
	name := rep.Target.Name
	if name == "" {
		name = reportfile.Stem(path)
	}
	started := rep.StartedAt
	if started == "" {
		started = "(unknown)"
	}
	return ParityColumn{Name: name, Date: rep.StartedAt, Report: rep,
		Source: fmt.Sprintf("%s, a report of mfaconform %s against %s %s, seed %d, started %s",
			path, rep.Version, rep.Target.Kind, rep.Target.Endpoint, rep.Seed, started)}
}

// ParityByDate orders columns so that a table reads as a trend: the
// columns of one target (the same name) stand together, where the first
// of them stood, oldest first when every one of them is dated (else in the
// order given); targets keep the order in which they first appear.
func ParityByDate(cols []ParityColumn) []ParityColumn {
	var names []string
	groups := map[string][]ParityColumn{}
	for _, c := range cols {
		if _, ok := groups[c.Name]; !ok {
			names = append(names, c.Name)
		}
		groups[c.Name] = append(groups[c.Name], c)
	}
	out := make([]ParityColumn, 0, len(cols))
	for _, n := range names {
		g := groups[n]
		dated := true
		times := make([]time.Time, len(g))
		for i, c := range g {
			t, err := time.Parse(time.RFC3339, c.Date)
			dated = dated && err == nil
			times[i] = t
		}
		if dated {
			idx := make([]int, len(g))
			for i := range idx {
				idx[i] = i
			}
			slices.SortStableFunc(idx, func(a, b int) int { return times[a].Compare(times[b]) })
			for _, i := range idx {
				out = append(out, g[i])
			}
			continue
		}
		out = append(out, g...)
	}
	return out
}

// WriteParity prints the table as text: rules down, targets across, the
// status of each rule in each cell, then where each column comes from.
func WriteParity(w io.Writer, cols []ParityColumn) {
	fmt.Fprintf(w, "parity of %d recorded targets, replayed with no network and judged against contract %s\n\n", len(cols), contracts.Revision)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	head := []string{"RULE"}
	for _, c := range cols {
		head = append(head, c.Name)
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, rule := range contracts.Rules() {
		row := []string{string(rule.ID)}
		for _, c := range cols {
			cell := "-"
			switch {
			case c.Report == nil:
				cell = "error"
			case c.Report.Rule(rule.ID) != nil:
				cell = c.Report.Rule(rule.ID).Status
			}
			row = append(row, cell)
		}
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	row := []string{"(pass/fail/warn/skip)"}
	for _, c := range cols {
		if c.Report == nil {
			row = append(row, "error")
			continue
		}
		s := c.Report.Summary
		row = append(row, fmt.Sprintf("%d/%d/%d/%d", s.Pass, s.Fail, s.Warn, s.Skip))
	}
	fmt.Fprintln(tw, strings.Join(row, "\t"))
	tw.Flush()
	fmt.Fprintln(w)
	for _, c := range cols {
		fmt.Fprintf(w, "%s: %s\n", c.Name, c.Source)
	}
}

// WriteParityHTML writes several reports as one self-contained page: rules
// down, targets across, each cell a status word linking to that target's
// deviations of the rule (further down the same page), a totals row, and
// each target's deviations as the run page shows them. Columns are shown
// in the order given.
func WriteParityHTML(w io.Writer, cols []ParityColumn) error {
	return htmlpage.Write(w, parityPage, parityViewOf(cols))
}

type parityView struct {
	Contracts []string
	Columns   []parityColumnView
	Rows      []parityRow
}

type parityColumnView struct {
	Anchor, Name, Date, Source, Err string
	Report                          *reportView
	Summary                         Summary
}

type parityRow struct {
	ID    contracts.RuleID
	Cells []parityCell
}

type parityCell struct {
	Status, Href string
	Known        bool
}

// statusNotRun is a cell of a rule a report does not hold (left out by
// --rules, or unknown to the version that wrote it).
const statusNotRun = "not run"

func parityViewOf(cols []ParityColumn) parityView {
	var v parityView
	var ids []contracts.RuleID
	for _, rule := range contracts.Rules() {
		ids = append(ids, rule.ID)
	}
	for i, c := range cols {
		cv := parityColumnView{Anchor: fmt.Sprintf("c%d", i+1), Name: c.Name, Source: c.Source, Err: c.Err}
		if c.Report != nil {
			rv := c.Report.htmlView(cv.Anchor + "-")
			cv.Report, cv.Summary, cv.Date = &rv, c.Report.Summary, displayDate(c.Report.StartedAt)
			if !slices.Contains(v.Contracts, c.Report.Contract) {
				v.Contracts = append(v.Contracts, c.Report.Contract)
			}
			for _, rr := range c.Report.Rules {
				if !slices.Contains(ids, rr.ID) {
					ids = append(ids, rr.ID)
				}
			}
		}
		v.Columns = append(v.Columns, cv)
	}
	for _, id := range ids {
		row := parityRow{ID: id}
		for i, c := range cols {
			row.Cells = append(row.Cells, parityCellOf(c, v.Columns[i], id))
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}

func parityCellOf(c ParityColumn, cv parityColumnView, id contracts.RuleID) parityCell {
	if c.Report == nil {
		return parityCell{Status: "error"}
	}
	rr := c.Report.Rule(id)
	if rr == nil {
		return parityCell{Status: statusNotRun}
	}
	cell := parityCell{Status: rr.Status}
	for _, r := range cv.Report.Rules {
		if r.ID == id && len(r.Deviations) > 0 {
			cell.Href, cell.Known = r.Anchor, r.AllKnown
		}
	}
	return cell
}

const parityTemplate = `
{{define "title"}}mfaconform parity: {{len .Columns}} reports{{end}}
{{define "main"}}<header>
<h1>mfaconform parity: {{len .Columns}} reports</h1>
<p class="note">Rules down, targets across. A cell links to that target's deviations of the rule, below. Reports of the same target follow their dates, oldest first.
{{if eq (len .Contracts) 1}}Every report follows contract <code>{{index .Contracts 0}}</code>.{{else if .Contracts}}The reports follow different contracts: see each one's summary.{{end}}</p>
</header>
<table class="parity">
<thead><tr><th>rule</th>{{range .Columns}}<th scope="col"><a href="#{{.Anchor}}">{{.Name}}</a>{{if .Date}}<br><span class="note">{{.Date}}</span>{{end}}</th>{{end}}</tr></thead>
<tbody>
{{range .Rows}}<tr data-rule="{{.ID}}"><th scope="row"><code>{{.ID}}</code></th>{{range .Cells}}<td>{{if .Href}}<a href="#{{.Href}}">{{status .Status}}</a>{{else}}{{status .Status}}{{end}}{{if .Known}} <span class="badge">known</span>{{end}}</td>{{end}}</tr>
{{end}}</tbody>
<tfoot><tr><th scope="row">totals</th>{{range .Columns}}<td class="totals">{{if .Err}}{{status "error"}}{{else}}{{.Summary.Pass}} pass, {{.Summary.Fail}} fail, {{.Summary.Warn}} warn, {{.Summary.Skip}} skip{{end}}</td>{{end}}</tr></tfoot>
</table>
<div class="toolbar needs-js"><span class="label">Sections:</span>
<button type="button" data-expand="open">open all</button>
<button type="button" data-expand="close">close all</button>
</div>
{{range .Columns}}<section class="column" id="{{.Anchor}}">
<h2>{{.Name}}{{if .Date}} <span class="note">{{.Date}}</span>{{end}}</h2>
{{if .Source}}<p class="note">{{.Source}}</p>
{{end}}{{if .Err}}<p>{{status "error"}} {{.Err}}</p>
{{else}}{{template "summary" .Report}}{{range .Report.Rules}}{{if .Deviations}}{{template "rule" .}}{{end}}{{end}}{{end}}</section>
{{end}}{{template "legend" .}}{{end}}
`

var parityPage = htmlpage.New("parity", htmlParts+parityTemplate, nil)
