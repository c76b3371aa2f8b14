package harness_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/internal/browsertest"
)

// scriptMessage is the message a broken target puts in its errors: if the
// page ever made it markup, it would change the title or set a flag.
const scriptMessage = `<script>window.pwned = true; document.title = "pwned"</script>` +
	`<img src="x" onerror="window.pwned = true">`

// brokenWithScript accepts MfaConfiguration OFF with a factor (set.off-
// with-factor fails) and answers its InvalidParameterException errors with
// scriptMessage (the message rules warn, showing it).
func brokenWithScript(next http.RoundTripper) http.RoundTripper {
	return rewriter{before: acceptOffWithFactor, after: func(c *call, a *answer) {
		if a.Code == "InvalidParameterException" && a.Body != nil {
			a.Body["message"] = scriptMessage
		}
	}}.wrap(next)
}

// writeReports writes a run's JSON and HTML reports into a temporary
// folder and returns the JSON as read back, and the page's path.
func writeReports(t *testing.T, rep *harness.Report) (*harness.Report, string) {
	t.Helper()
	dir := t.TempDir()
	jsonPath, htmlPath := filepath.Join(dir, "report.json"), filepath.Join(dir, "report.html")
	for kind, path := range map[string]string{"json": jsonPath, "html": htmlPath} {
		if err := rep.WriteFile(kind, path); err != nil {
			t.Fatalf("WriteFile %s: %v", kind, err)
		}
	}
	b, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	var back harness.Report
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	return &back, htmlPath
}

// shownRule is a row of the page's rule table, as the page shows it.
type shownRule struct {
	ID, Status            string
	Checked, Failed, Devs int
	Visible               bool
}

const readTable = `Array.from(document.querySelectorAll("table.rules tbody tr")).map(tr => {
  const td = tr.querySelectorAll("td");
  return {ID: td[0].innerText.trim(), Status: td[1].innerText.trim(), Checked: +td[3].innerText,
    Failed: +td[4].innerText, Devs: +td[5].innerText, Visible: tr.checkVisibility()};
})`

const readCounts = `Object.fromEntries(Array.from(document.querySelectorAll("button[data-filter]")).map(b =>
  [b.dataset.filter, +b.querySelector(".count").innerText]))`

// checkTable compares the rule table and the filter's counts with the
// JSON report.
func checkTable(t *testing.T, p *browsertest.Page, rep *harness.Report) []shownRule {
	t.Helper()
	rows := browsertest.Eval[[]shownRule](p, readTable)
	if len(rows) != len(rep.Rules) {
		t.Fatalf("the page shows %d rules, the JSON report has %d", len(rows), len(rep.Rules))
	}
	for i, rr := range rep.Rules {
		got := rows[i]
		want := shownRule{ID: string(rr.ID), Status: htmlStatus(rr), Checked: rr.Checked, Failed: rr.FailedCases,
			Devs: len(rr.Failures), Visible: true}
		if rr.Status != harness.StatusFail && rr.Status != harness.StatusWarn {
			want.Devs = 0
		}
		if got != want {
			t.Errorf("row %d: the page shows %+v, the JSON report says %+v", i, got, want)
		}
	}
	counts := browsertest.Eval[map[string]int](p, readCounts)
	s := rep.Summary
	want := map[string]int{"all": len(rep.Rules), "pass": s.Pass, "fail": s.Fail, "warn": s.Warn, "skip": s.Skip}
	if fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Errorf("the filter's counts are %v, the JSON report's summary %v", counts, want)
	}
	return rows
}

// htmlStatus is a status as the page says it: a mark and the word.
func htmlStatus(rr harness.RuleReport) string {
	mark := map[string]string{"pass": "✓", "fail": "✗", "warn": "!", "skip": "–"}[rr.Status]
	return mark + " " + rr.Status
}

// TestHTMLReportInBrowser opens the page of a run against a broken target
// in headless Chromium and checks what a person sees: the rule table and
// counts are the JSON report's; the filter shows one status; a rule's link
// opens its section with the contract's source and confidence; expanding a
// deviation shows the request and both answers side by side, the
// differences marked; the copy button copies the reproduce command; the
// target's <script> shows as text and runs nothing; no console errors.
func TestHTMLReportInBrowser(t *testing.T) {
	rep, page := writeReports(t, brokenRun(t, brokenWithScript, harness.WithChecks(300)))
	if rep.Rule(contracts.RuleOffWithFactor).Status != harness.StatusFail {
		t.Fatalf("the broken target does not fail %s:\n%s", contracts.RuleOffWithFactor, ruleTable(rep))
	}
	p := browsertest.Open(t, page)
	checkTable(t, p, rep)
	if v := browsertest.Eval[string](p, `document.querySelector(".verdict").innerText`); v != "deviations found" {
		t.Errorf("verdict %q, want %q", v, "deviations found")
	}

	// filter
	{
		p.Click(`button[data-filter="fail"]`)
		var want []string
		for _, rr := range rep.Rules {
			if rr.Status == harness.StatusFail {
				want = append(want, string(rr.ID))
			}
		}
		var shown []string
		for _, r := range browsertest.Eval[[]shownRule](p, readTable) {
			if r.Visible {
				shown = append(shown, r.ID)
			}
		}
		if !slices.Equal(shown, want) {
			t.Errorf("filtered by fail, the page shows %v, want %v", shown, want)
		}
		p.Click(`button[data-filter="all"]`)
	}

	off := rep.Rule(contracts.RuleOffWithFactor)
	f := off.Failures[0]
	anchor := "rule-" + string(off.ID)
	// rule opens
	{
		p.Click(`a[href="#` + anchor + `"]`)
		p.Wait("following the table's link to "+string(off.ID)+" opens its section", `document.getElementById("`+anchor+`").open`)
		rule := contracts.RuleByID(off.ID)
		text := browsertest.Eval[string](p, `document.getElementById("`+anchor+`").querySelector(".contract").innerText`)
		for _, want := range []string{rule.Source, "confidence " + string(rule.Confidence), "Provenance " + string(rule.Provenance)} {
			if !strings.Contains(text, want) {
				t.Errorf("the rule's section says %q; it should say %q", text, want)
			}
		}
	}

	dev := anchor + "-1"
	// deviation opens
	{
		visible := `document.querySelector('` + byID(dev) + ` .sides').checkVisibility()`
		if browsertest.Eval[bool](p, visible) {
			t.Fatalf("the deviation's answers show before it is expanded")
		}
		p.Click(byID(dev) + ` > summary`)
		if !browsertest.Eval[bool](p, visible) {
			t.Fatalf("expanding the deviation does not show its request and answers")
		}
		side := func(cls string) string {
			return browsertest.Eval[string](p, `document.querySelector('`+byID(dev)+` .`+cls+`').innerText`)
		}
		request, want, got := side("side-request"), side("side-want"), side("side-got")
		if !strings.Contains(request, `"MfaConfiguration": "OFF"`) || !strings.Contains(request, f.Operation) {
			t.Errorf("the request pane says:\n%s\nwant the request sent, %s with MfaConfiguration OFF", request, f.Operation)
		}
		for _, e := range f.Want.Errors {
			if !strings.Contains(want, e) {
				t.Errorf("the contract pane says:\n%s\nwant the allowed error %s", want, e)
			}
		}
		if !strings.Contains(want, fmt.Sprintf("status: %d", f.Want.Status)) || !strings.Contains(got, fmt.Sprintf("status: %d", f.Got.Status)) {
			t.Errorf("the panes do not show both statuses (%d allowed, %d got):\n%s\n--\n%s", f.Want.Status, f.Got.Status, want, got)
		}
		marked := browsertest.Eval[[]string](p, `Array.from(document.querySelectorAll('`+byID(dev)+` .differs')).map(e => e.innerText.trim())`)
		if !slices.ContainsFunc(marked, func(s string) bool { return strings.HasPrefix(s, "≠") && strings.Contains(s, "status") }) {
			t.Errorf("the differing status is not marked with ≠; marked: %q", marked)
		}
		p.Screenshot("deviation")
		p.ScreenshotOf(byID(dev), "deviation-only")
	}

	// copy
	{
		p.Click(`button[data-copy="` + dev + `-cmd"]`)
		// Give the clipboard's promise its turn.
		said := browsertest.Eval[string](p, `new Promise(r => setTimeout(() => r(document.getElementById("announce").innerText), 200))`)
		clip, err := browsertest.TryEval[string](p, `navigator.clipboard.readText()`)
		switch {
		case err == nil:
			if clip != f.Reproduce {
				t.Errorf("the clipboard holds %q, want the reproduce command %q", clip, f.Reproduce)
			}
		case strings.Contains(said, f.Reproduce):
			t.Logf("the clipboard cannot be read here (%v); the page says %q", err, said)
		default:
			t.Errorf("the copy button put nothing on the clipboard (%v) and says %q", err, said)
		}
		if button := browsertest.Eval[string](p, `document.querySelector('button[data-copy="`+dev+`-cmd"]').innerText`); button != "Copied" {
			t.Errorf("the copy button says %q after a click, want Copied", button)
		}
	}

	// script is text
	{
		msg := rep.Rule(contracts.RuleMessageMfaRules)
		if msg == nil || len(msg.Failures) == 0 {
			t.Fatalf("no message.mfa-rules deviation shows the target's message:\n%s", ruleTable(rep))
		}
		warn := "rule-" + string(msg.ID) + "-1"
		p.Click(`a[href="#rule-` + string(msg.ID) + `"]`)
		p.Wait("the link opens "+string(msg.ID), `document.getElementById("rule-`+string(msg.ID)+`").open`)
		p.Click(byID(warn) + ` > summary`)
		got := browsertest.Eval[string](p, `document.querySelector('`+byID(warn)+` .side-got').innerText`)
		if !strings.Contains(got, scriptMessage) {
			t.Errorf("the target's message does not show as text; the pane says:\n%s", got)
		}
		ran := browsertest.Eval[bool](p, `window.pwned === true || document.title === "pwned"`)
		scripts := browsertest.Eval[int](p, `document.scripts.length`)
		images := browsertest.Eval[int](p, `document.images.length`)
		if ran || scripts != 1 || images != 0 {
			t.Errorf("the target's answer became markup: ran %v, %d scripts (want the page's 1), %d images", ran, scripts, images)
		}
		p.ScreenshotOf(byID(warn), "script-as-text")
	}
}

// TestHTMLReferenceInBrowser: the page of a run against the reference
// says it conforms, its table and counts are the JSON report's, and the
// fail filter leaves no rule.
func TestHTMLReferenceInBrowser(t *testing.T) {
	rep, page := writeReports(t, brokenRun(t, func(rt http.RoundTripper) http.RoundTripper { return rt }, harness.WithChecks(300)))
	p := browsertest.Open(t, page)
	checkTable(t, p, rep)
	if v := browsertest.Eval[string](p, `document.querySelector(".verdict").innerText`); v != "conforms" {
		t.Errorf("verdict %q, want conforms", v)
	}
	if n := browsertest.Eval[int](p, `document.querySelectorAll("details.deviation").length`); n != 0 {
		t.Errorf("the reference's page lists %d deviations", n)
	}
	p.Click(`button[data-filter="fail"]`)
	for _, r := range browsertest.Eval[[]shownRule](p, readTable) {
		if r.Visible {
			t.Errorf("filtered by fail, the reference's page shows %s (%s)", r.ID, r.Status)
		}
	}
	p.Click(`button[data-filter="all"]`)
	p.Screenshot("reference")
}

// byID selects an element by an ID with dots (a rule's) in CSS.
func byID(id string) string { return `[id="` + id + `"]` }
