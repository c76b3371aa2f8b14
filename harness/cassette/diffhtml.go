package cassette

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/mfaconform/mfaconform/internal/htmlpage"
	"github.com/mfaconform/mfaconform/internal/inert"
)

// WriteHTML writes the diff as one self-contained page: the summary, then
// each interaction whose answers differ, opening to its request and a
// table of the differences (recorded, target, contract, which one the
// contract agrees with). Every value is escaped.
func (r *DiffReport) WriteHTML(w io.Writer) error {
	return htmlpage.Write(w, diffPage, r.htmlView())
}

type diffView struct {
	*DiffReport
	Recorded     string
	Verdict      string
	Time         string
	Interactions []interactionView
}

type interactionView struct {
	Anchor      string
	Index       int
	Operation   string
	Kinds       string
	Request     []htmlpage.Line
	Differences []Mismatch
}

func (r *DiffReport) htmlView() diffView {
	v := diffView{DiffReport: r, Recorded: r.Recorded.Name, Time: fmt.Sprintf("%.2f s", r.Summary.ElapsedS)}
	if v.Recorded == "" {
		v.Recorded = r.Recorded.Kind
	}
	v.Verdict = "no differences"
	if r.Summary.Differ > 0 {
		var kinds []string
		for _, k := range []string{DiffStatus, DiffError, DiffMember, DiffTransport} {
			if n := r.Summary.ByKind[k]; n > 0 {
				kinds = append(kinds, fmt.Sprintf("%d %s", n, k))
			}
		}
		v.Verdict = "differences: " + strings.Join(kinds, ", ")
	}
	for _, in := range r.Interactions {
		iv := interactionView{Anchor: fmt.Sprintf("interaction-%d", in.Index), Index: in.Index, Operation: in.Operation}
		for _, d := range in.Differences {
			// html/template escapes markup; bidi overrides and control
			// characters are shown escaped too.
			d.Path, d.Recorded, d.Target, d.Contract = inert.Escape(d.Path), inert.Escape(d.Recorded), inert.Escape(d.Target), inert.Escape(d.Contract)
			iv.Differences = append(iv.Differences, d)
		}
		var kinds []string
		for _, d := range in.Differences {
			if !slices.Contains(kinds, d.Kind) {
				kinds = append(kinds, d.Kind)
			}
		}
		iv.Kinds = strings.Join(kinds, ", ")
		if raw, ok := in.Request.(string); ok {
			iv.Request = []htmlpage.Line{{Text: raw}}
		} else {
			iv.Request = htmlpage.JSONLines(in.Request, nil)
		}
		v.Interactions = append(v.Interactions, iv)
	}
	return v
}

const diffTemplate = `
{{define "title"}}mfaconform diff: {{.Cassette}}{{end}}
{{define "main"}}<header>
<h1>mfaconform diff: <code>{{.Cassette}}</code> against {{.Target.Kind}} {{.Target.Endpoint}}</h1>
<dl class="summary">
<dt>Recorded from</dt><dd>{{.Recorded}}, at {{.RecordedAt}}</dd>
<dt>Sent to</dt><dd>{{.Target.Kind}} {{.Target.Endpoint}}</dd>
<dt>Contract</dt><dd><code>{{.Contract}}</code></dd>
<dt>Interactions</dt><dd>{{.Summary.Sent}} sent, {{.Summary.Same}} same, {{.Summary.Differ}} differ, in {{.Time}}</dd>
<dt>Verdict</dt><dd class="verdict {{if .Summary.Differ}}verdict-fail{{else}}verdict-pass{{end}}">{{.Verdict}}</dd>
</dl>
</header>
{{if .Interactions}}<div class="toolbar needs-js"><span class="label">Sections:</span>
<button type="button" data-expand="open">open all</button>
<button type="button" data-expand="close">close all</button>
</div>
{{end}}{{range .Interactions}}<details class="rule" id="{{.Anchor}}">
<summary><code>#{{.Index}} {{.Operation}}</code> {{status "differ"}} {{len .Differences}} {{if eq (len .Differences) 1}}difference{{else}}differences{{end}}: {{.Kinds}}</summary>
<h3>Request</h3>
<pre class="json">{{template "lines" .Request}}</pre>
<table class="diffs">
<thead><tr><th>what</th><th>recorded</th><th>target</th><th>contract</th><th>the contract agrees with</th></tr></thead>
<tbody>{{range .Differences}}
<tr><td>{{.Kind}}{{if .Path}} {{.Path}}{{end}}</td><td>{{.Recorded}}</td><td{{if or (eq .Agrees "recorded") (eq .Agrees "neither")}} class="differs"{{end}}>{{if or (eq .Agrees "recorded") (eq .Agrees "neither")}}<span class="gutter" title="differs from the contract">≠</span> {{end}}{{.Target}}</td><td>{{.Contract}}</td><td>{{.Agrees}}</td></tr>{{end}}
</tbody></table>
</details>
{{end}}<footer><p><span class="gutter">≠</span> marks a target answer the contract does not agree with.</p></footer>
{{end}}
{{define "lines"}}{{range .}}<span>  {{.Text}}
</span>{{end}}{{end}}
`

var diffPage = htmlpage.New("diff", diffTemplate, nil)
