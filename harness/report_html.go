package harness

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/fuzz"
	"github.com/mfaconform/mfaconform/internal/htmlpage"
	"github.com/mfaconform/mfaconform/internal/inert"
)

// WriteHTML writes the report as one self-contained page: the run's
// summary, the rules with their status in words, a filter by status, and
// each failing or warning rule opening to its deviations, with the request,
// what the contract allows and what came back side by side. Every value is
// escaped: a target's answer shows as text. With a target name the page
// reads the same on every run against the same target, as the Markdown
// report does (no endpoint, pool IDs, dates or timings).
func (r *Report) WriteHTML(w io.Writer) error {
	return htmlpage.Write(w, runPage, r.htmlView(""))
}

// reportView is a report as its page shows it.
type reportView struct {
	Name        string
	Named       bool
	Version     string
	Contract    string
	Target      string
	Seed        int64
	Cases       int
	Calls       int64
	Time        string
	Started     string
	Verdict     string
	Pass        bool
	Interrupted bool
	Counts      []statusCount
	Rules       []ruleView
	StaleKnown  []StaleKnown
	Leftovers   []Leftover
	Refused     []RefusedPool
}

type statusCount struct {
	Status string
	N      int
}

type ruleView struct {
	ID          contracts.RuleID
	Anchor      string
	Status      string
	Provenance  string
	Confidence  string
	Summary     string
	Source      string
	Checked     int
	FailedCases int
	SkipReason  string
	AllKnown    bool
	Deviations  []deviationView
	Unlisted    int
	Bound       int
}

type deviationView struct {
	Anchor      string
	Signature   string
	Count       int
	Known       *Known
	Certain     bool
	Observed    string
	Detail      string
	Operation   string
	Pool        string
	PoolSpec    string
	Request     []htmlpage.Line
	Prior       []htmlpage.Line
	Want        []field
	WantBody    []htmlpage.Line
	Got         []field
	GotBody     []htmlpage.Line
	GotBy       string
	Differences []differenceView
	Case        string
	Reproduce   string
}

// field is one line of an answer (status, error, message); Mark: it is
// where the answer differs from the contract.
type field struct {
	Label, Value string
	Mark         bool
}

type differenceView struct{ Path, Want, Got string }

// htmlView makes the view of the report; prefix starts every anchor, so
// that several reports can share a page.
func (r *Report) htmlView(prefix string) reportView {
	v := reportView{Name: r.displayName(), Named: r.Target.Name != "", Version: r.Version, Contract: r.Contract,
		Seed: r.Seed, Cases: r.Cases, Calls: r.Summary.Calls, Interrupted: r.Interrupted,
		StaleKnown: r.StaleKnown, Leftovers: r.Leftovers, Refused: r.RefusedPools}
	v.Target = r.Target.Kind
	if !v.Named {
		v.Target += " " + r.Target.Endpoint
		v.Time = fmt.Sprintf("%.2f s", r.Summary.ElapsedS)
		v.Started = displayDate(r.StartedAt)
	} else {
		v.Target = r.Target.Name + " (" + r.Target.Kind + ")"
	}
	s := r.Summary
	v.Counts = []statusCount{{"all", len(r.Rules)}, {StatusFail, s.Fail}, {StatusWarn, s.Warn}, {StatusPass, s.Pass}, {StatusSkip, s.Skip}}
	v.Verdict, v.Pass = r.verdict()
	gotBy := "the target"
	if v.Named {
		gotBy = v.Name
	}
	for _, rr := range r.Rules {
		v.Rules = append(v.Rules, r.ruleView(rr, prefix, gotBy))
	}
	return v
}

// displayName names the target as reports do.
func (r *Report) displayName() string {
	if r.Target.Name != "" {
		return r.Target.Name
	}
	return strings.TrimSpace(r.Target.Kind + " " + r.Target.Endpoint)
}

// verdict says the run's outcome in words, with what a ledger made of it.
func (r *Report) verdict() (string, bool) {
	var verdict string
	pass := r.Conforms()
	if pass {
		verdict = "conforms"
	} else {
		verdict = "deviations found"
		var known, expired, unknown int
		for _, rr := range r.Rules {
			if rr.Status != StatusFail {
				continue
			}
			for _, f := range rr.Failures {
				switch {
				case f.Known == nil:
					unknown++
				case f.Known.Expired:
					expired++
				default:
					known++
				}
			}
		}
		if known+expired > 0 {
			verdict += fmt.Sprintf(": %d new, %d known, %d known but expired", unknown, known, expired)
		}
	}
	if r.Interrupted {
		verdict += " (interrupted: partial results)"
	}
	return verdict, pass
}

func (r *Report) ruleView(rr RuleReport, prefix, gotBy string) ruleView {
	v := ruleView{ID: rr.ID, Anchor: prefix + "rule-" + string(rr.ID), Status: rr.Status, Provenance: rr.Provenance,
		Checked: rr.Checked, FailedCases: rr.FailedCases, SkipReason: inert.Escape(rr.SkipReason), Unlisted: rr.Unlisted,
		Bound: maxDeviationsPerRule}
	if rule := contracts.RuleByID(rr.ID); rule != nil {
		v.Summary, v.Source, v.Confidence = rule.Summary, rule.Source, string(rule.Confidence)
	}
	if rr.Status != StatusFail && rr.Status != StatusWarn {
		return v
	}
	v.AllKnown = allKnown(rr)
	for i, f := range rr.Failures {
		v.Deviations = append(v.Deviations, r.deviationView(f, fmt.Sprintf("%s-%d", v.Anchor, i+1), gotBy))
	}
	return v
}

func (r *Report) deviationView(f Finding, anchor, gotBy string) deviationView {
	scrub := r.scrubber(f)
	clean := func(x any) any { return scrubValue(abbreviate(unwrapAny(x)), scrub) }
	marked := map[string]bool{}
	for _, d := range f.Differences {
		marked[d.Path] = true
	}
	v := deviationView{Anchor: anchor, Signature: inert.Escape(f.Signature), Count: f.Count, Known: f.Known, Certain: f.Certain, Observed: f.Observed,
		Detail: inert.Escape(scrub(shorten(f.Detail))), Operation: operationName(f.Operation), Pool: f.Pool, GotBy: gotBy,
		Case: scrub(f.Case), Reproduce: scrub(f.Reproduce)}
	if f.Pool != "" {
		spec := fuzz.PoolKind(f.Pool).Spec()
		v.PoolSpec = fmt.Sprintf("created through the target's CreateUserPool with UserPoolTier %s, EmailSendingAccount %s, AllowedFirstAuthFactors %s",
			spec.Tier, spec.EmailSendingAccount, strings.Join(spec.FirstAuthFactors, ", "))
	}
	if raw, ok := f.Request.(string); ok {
		// A wire mutation: the bytes as sent, not a JSON value.
		v.Request = []htmlpage.Line{{Text: scrub(raw)}}
	} else {
		v.Request = htmlpage.JSONLines(clean(f.Request), nil)
	}
	if f.PriorState != nil {
		v.Prior = htmlpage.JSONLines(clean(f.PriorState), nil)
	}
	v.Want, v.Got = answerFields(f.Want, f.Got, scrub)
	if f.Want.Body != nil {
		v.WantBody = htmlpage.JSONLines(clean(f.Want.Body), marked)
	}
	if f.Got.Body != nil {
		v.GotBody = htmlpage.JSONLines(clean(f.Got.Body), marked)
	}
	for _, d := range f.Differences {
		v.Differences = append(v.Differences, differenceView{Path: d.Path, Want: shownMember(clean(d.Want)), Got: shownMember(clean(d.Got))})
	}
	return v
}

// answerFields are the status, error and message lines of what the
// contract allows and of what came back, each marked where they differ.
// The target's text shows with its bidi overrides and control characters
// escaped: html/template escapes markup, not those.
func answerFields(want Want, got Got, scrub func(string) string) (w, g []field) {
	statusDiffers := want.Status != got.Status
	errorDiffers := got.Error != "" && !slices.Contains(want.Errors, got.Error) || got.Error == "" && len(want.Errors) > 0
	wantErr := "none"
	if len(want.Errors) == 1 {
		wantErr = want.Errors[0]
	} else if len(want.Errors) > 1 {
		wantErr = "one of " + strings.Join(want.Errors, ", ")
	}
	gotErr := "none"
	if got.Error != "" {
		gotErr = inert.Escape(scrub(got.Error))
	}
	w = []field{{"status", fmt.Sprint(want.Status), statusDiffers}, {"error", wantErr, errorDiffers}}
	g = []field{{"status", fmt.Sprint(got.Status), statusDiffers}, {"error", gotErr, errorDiffers}}
	if len(want.Messages) > 0 {
		messageDiffers := !slices.Contains(want.Messages, got.Message)
		label := "message"
		if len(want.Messages) > 1 {
			label = "message, one of"
		}
		w = append(w, field{label, scrub(strings.Join(want.Messages, " | ")), messageDiffers})
		g = append(g, field{"message", orNone(inert.Escape(scrub(shorten(got.Message)))), messageDiffers})
	} else if got.Message != "" {
		g = append(g, field{"message", inert.Escape(scrub(shorten(got.Message))), false})
	}
	return w, g
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// shownMember is a member's value in a table of differences.
func shownMember(v any) string {
	if v == nil {
		return "(absent)"
	}
	return htmlpage.Compact(v)
}

// scrubValue applies a report's scrubber to every string of a decoded JSON
// value (keys are the contract's names and are kept).
func scrubValue(v any, scrub func(string) string) any {
	switch t := v.(type) {
	case string:
		return scrub(t)
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = scrubValue(x, scrub)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = scrubValue(x, scrub)
		}
		return out
	}
	return v
}

// displayDate shows an RFC 3339 date to the minute, in UTC.
func displayDate(s string) string {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return s
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// htmlParts are the templates the run page and the parity page share.
const htmlParts = `
{{define "summary"}}<dl class="summary">
<dt>Target</dt><dd>{{.Target}}</dd>
<dt>Contract</dt><dd><code>{{.Contract}}</code></dd>
<dt>Run</dt><dd>seed {{.Seed}}, {{.Cases}} cases, {{.Calls}} calls{{if .Time}} in {{.Time}}{{end}}</dd>
{{if .Started}}<dt>Started</dt><dd>{{.Started}}</dd>
{{end}}<dt>Verdict</dt><dd class="verdict {{if .Pass}}verdict-pass{{else}}verdict-fail{{end}}">{{.Verdict}}</dd>
</dl>
{{end}}
{{define "rule"}}<details class="rule" id="{{.Anchor}}" data-row-status="{{.Status}}">
<summary><code>{{.ID}}</code> {{status .Status}}{{if .AllKnown}} <span class="badge">all known</span>{{end}}
{{.FailedCases}} of {{.Checked}} checked calls failed{{if gt (len .Deviations) 1}}, in {{len .Deviations}} deviations{{end}}</summary>
{{if .Summary}}<p class="contract"><strong>What AWS does:</strong> {{.Summary}}.<br><strong>Source:</strong> {{.Source}}.
Provenance <strong>{{.Provenance}}</strong>, confidence <strong>{{.Confidence}}</strong>.</p>
{{end}}{{range .Deviations}}{{template "deviation" .}}{{end}}
{{if .Unlisted}}<p class="note">{{.Unlisted}} more failing calls belong to deviations past the report's bound of {{.Bound}} per rule.</p>
{{end}}</details>
{{end}}
{{define "deviation"}}<details class="deviation" id="{{.Anchor}}">
<summary><span class="sig">{{.Signature}}</span> <span class="badge">{{.Count}} {{if eq .Count 1}}call{{else}}calls{{end}}</span>
{{- with .Known}} {{if .Expired}}<span class="badge badge-expired">known, expired on {{.Expires}}</span>{{else}}<span class="badge">known</span>{{end}}{{end}}
{{- if not .Certain}} <span class="badge">several answers allowed</span>{{end}}
<span class="detail">{{.Detail}}</span></summary>
{{with .Known}}<p class="note">Known deviation: {{.Reason}}{{if .Link}} (<a href="{{.Link}}" rel="noreferrer">{{.Link}}</a>){{end}}{{if .Expires}}; {{if .Expired}}expired on{{else}}accepted until{{end}} {{.Expires}}{{end}}.</p>
{{end}}{{if not .Certain}}<p class="note">The contract allows more than one answer to this call (an unconfirmed order of checks or behaviour); {{.GotBy}}'s answer is none of them.</p>
{{end}}{{with .Observed}}<p class="note">Basis: observed. What recordings of {{.}} showed narrowed the contract here.</p>
{{end}}<div class="sides">
<section class="side side-request"><h3>Request</h3>
<p><code>{{.Operation}}</code>{{if .Pool}} on the <code>{{.Pool}}</code> pool{{end}}</p>
{{if .PoolSpec}}<p class="note">{{.PoolSpec}}</p>
{{end}}<pre class="json">{{template "lines" .Request}}</pre>
{{if .Prior}}<p class="note">The pool's MFA configuration before the call, as the target answered it:</p>
<pre class="json">{{template "lines" .Prior}}</pre>
{{end}}</section>
<section class="side side-want"><h3>The contract allows</h3>
{{template "fields" .Want}}{{if .WantBody}}<pre class="json">{{template "lines" .WantBody}}</pre>{{end}}
</section>
<section class="side side-got"><h3>{{.GotBy}} answered</h3>
{{template "fields" .Got}}{{if .GotBody}}<pre class="json">{{template "lines" .GotBody}}</pre>{{end}}
</section>
</div>
{{if .Differences}}<table class="diffs">
<thead><tr><th>member that differs</th><th>the contract allows</th><th>{{.GotBy}} answered</th></tr></thead>
<tbody>{{range .Differences}}
<tr><td>{{.Path}}</td><td>{{.Want}}</td><td>{{.Got}}</td></tr>{{end}}
</tbody></table>
{{end}}{{if .Case}}<p class="note">Case: {{.Case}}</p>
{{end}}<p class="repro"><span>Reproduce:</span> <code id="{{.Anchor}}-cmd">{{.Reproduce}}</code>
<button type="button" class="needs-js" data-copy="{{.Anchor}}-cmd">Copy</button></p>
</details>
{{end}}
{{define "fields"}}{{range .}}<p class="field{{if .Mark}} differs{{end}}">{{if .Mark}}<span class="gutter" title="differs">≠</span> {{end}}{{.Label}}: <code>{{.Value}}</code></p>
{{end}}{{end}}
{{define "lines"}}{{range .}}<span{{if .Mark}} class="differs" title="differs"{{end}}>{{if .Mark}}<span class="gutter">≠ </span>{{else}}  {{end}}{{.Text}}
</span>{{end}}{{end}}
{{define "legend"}}<footer>
<p>{{status "pass"}} every call that reached the rule was answered as AWS does. {{status "fail"}} at least one was not.
{{status "warn"}} only the error message differs. {{status "skip"}} no call could be judged against the rule, for the reason given.
<span class="gutter">≠</span> marks where an answer differs from what the contract allows.</p>
</footer>
{{end}}
`

const runTemplate = `
{{define "title"}}mfaconform: {{.Name}}{{end}}
{{define "main"}}<header>
<h1>mfaconform conformance report: {{.Name}}</h1>
{{if .Named}}<p class="note">Generated by mfaconform {{.Version}} (<code>make conformance-reports</code>); not edited by hand.</p>
{{end}}{{template "summary" .}}</header>
<div class="toolbar needs-js" role="group" aria-label="Show rules by status">
<span class="label">Show:</span>
{{range .Counts}}<button type="button" data-filter="{{.Status}}" aria-pressed="{{if eq .Status "all"}}true{{else}}false{{end}}">{{.Status}} <span class="count">{{.N}}</span></button>
{{end}}<span class="label">Sections:</span>
<button type="button" data-expand="open">open all</button>
<button type="button" data-expand="close">close all</button>
</div>
<table class="rules">
<thead><tr><th>rule</th><th>status</th><th>provenance</th><th class="num">checked</th><th class="num">failed calls</th><th class="num">deviations</th><th>note</th></tr></thead>
<tbody>
{{range .Rules}}<tr data-row-status="{{.Status}}" data-rule="{{.ID}}"><td>{{if .Deviations}}<a href="#{{.Anchor}}"><code>{{.ID}}</code></a>{{else}}<code>{{.ID}}</code>{{end}}</td><td class="rule-status">{{status .Status}}{{if .AllKnown}} <span class="badge">all known</span>{{end}}</td><td>{{.Provenance}}</td><td class="num">{{.Checked}}</td><td class="num">{{.FailedCases}}</td><td class="num">{{len .Deviations}}</td><td>{{.SkipReason}}</td></tr>
{{end}}</tbody>
</table>
{{range .Rules}}{{if .Deviations}}{{template "rule" .}}{{end}}{{end}}
{{if .StaleKnown}}<h2>Ledger entries that matched nothing</h2>
<p class="note">Fixed upstream? These known deviations did not occur in this run.</p>
<ul>{{range .StaleKnown}}<li>{{if .Line}}line {{.Line}}: {{end}}<code>{{if .Signature}}{{.Signature}}{{else}}{{.Rule}}{{end}}</code>{{if .Member}} member <code>{{.Member}}</code>{{end}}: {{.Reason}}</li>
{{end}}</ul>
{{end}}{{if .Refused}}<h2>Pools the target would not create</h2>
<p class="note">The cases on these pools were not sent: rules only they check are skip.</p>
<ul>{{range .Refused}}<li><code>{{.Kind}}</code>: {{.Answer}} ({{.Cases}} cases not sent)</li>
{{end}}</ul>
{{end}}{{if .Leftovers}}<h2>Pools the run could not delete</h2>
<ul>{{range .Leftovers}}<li><code>{{.Pool}}</code>: {{.Error}}</li>
{{end}}</ul>
{{end}}{{template "legend" .}}{{end}}
`

var runPage = htmlpage.New("run", htmlParts+runTemplate, nil)
