package harness

import (
	"fmt"
	"io"
	"slices"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/internal/htmlpage"
)

// ParityColumn is one target's report on a parity page.
type ParityColumn struct {
	// Name heads the column: the target's name, or its file's.
	Name string
	// Source says where the report comes from (a replayed cassette, a JSON
	// report), shown under the column's section.
	Source string
	// Report is nil when Err says why there is none.
	Report *Report
	Err    string
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
