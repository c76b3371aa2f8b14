package harness_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/internal/golden"
)

// hostile is a target's answer that would run if it became markup.
const hostile = `</code><script>document.title="pwned"</script><img src=x onerror="document.title='pwned'">`

// TestHTMLEscapesAnswers: a target's answer (message, body member, error
// type), a request member and the ledger's reason show as text: none
// becomes an element, and a javascript: link is neutralised.
func TestHTMLEscapesAnswers(t *testing.T) {
	t.Parallel()
	rep := goldenReport()
	echo := rep.Rule(contracts.RuleEcho)
	echo.Failures[0].Got.Body = map[string]any{"MfaConfiguration": hostile}
	echo.Failures[0].Got.Error = hostile
	echo.Failures[0].Request = map[string]any{"UserPoolId": hostile}
	echo.Failures[0].Known = &harness.Known{Reason: hostile, Link: "javascript:alert(1)"}
	rep.Rule(contracts.RuleMessageValidation).Failures[0].Got.Message = hostile
	var b bytes.Buffer
	if err := rep.WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, bad := range []string{`<script>document`, `<img src=x`, `href="javascript:`} {
		if strings.Contains(page, bad) {
			t.Errorf("the page holds %q: an answer became markup", bad)
		}
	}
	if n := strings.Count(page, "<script"); n != 1 {
		t.Errorf("the page has %d script elements, want its own only", n)
	}
	if !strings.Contains(page, "&lt;script&gt;document.title=") {
		t.Errorf("the hostile answer is not shown as text")
	}
}

// TestHTMLNamedReadsTheSame: a report of a named target (the published
// conformance pages) leaves out the endpoint, pool IDs, the date and the
// timing, so that two runs against the same target write the same page.
func TestHTMLNamedReadsTheSame(t *testing.T) {
	t.Parallel()
	page := func(endpoint, pool, started string, elapsed float64) string {
		rep := goldenReport()
		rep.Target.Name = "golden 1.0"
		rep.Target.Endpoint = endpoint
		rep.StartedAt = started
		rep.Summary.ElapsedS = elapsed
		for i := range rep.Rules {
			for j := range rep.Rules[i].Failures {
				f := &rep.Rules[i].Failures[j]
				f.Reproduce = strings.ReplaceAll(f.Reproduce, "http://127.0.0.1:9229", endpoint)
				f.PoolID = pool
				if req, ok := f.Request.(map[string]any); ok {
					req["UserPoolId"] = pool
				}
			}
		}
		var b bytes.Buffer
		if err := rep.WriteHTML(&b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	one := page("http://127.0.0.1:40001", "us-east-1_AAAAAAAA1", "2026-03-01T02:00:00Z", 1.5)
	two := page("http://127.0.0.1:40002", "us-east-1_BBBBBBBB2", "2026-03-02T02:00:07Z", 2.25)
	if one != two {
		t.Errorf("two runs against the same named target write different pages")
	}
	for _, varying := range []string{"40001", "AAAAAAAA1", "2026-03-01", "1.50"} {
		if strings.Contains(one, varying) {
			t.Errorf("the named page holds %q, which changes from run to run", varying)
		}
	}
}

// TestHTMLGolden keeps the pages as they are (regenerate with -update and
// review the diff): the run page of the golden report, named, and a parity
// page of two of its nights and the reference.
func TestHTMLGolden(t *testing.T) {
	named := goldenReport()
	named.Target.Name = "golden 1.0"
	for _, r := range []struct {
		name, reason, file string
		write              func(*bytes.Buffer) error
	}{
		{"run", "the run page: summary, rule table with status words, deviations side by side", "report.html",
			func(b *bytes.Buffer) error { return goldenReport().WriteHTML(b) }},
		{"run named", "a published page: no endpoint, pool IDs, date or timing", "report-named.html",
			func(b *bytes.Buffer) error { return named.WriteHTML(b) }},
		{"parity", "rules down, targets across, cells linking to deviations, totals", "parity.html",
			func(b *bytes.Buffer) error { return harness.WriteParityHTML(b, goldenParity()) }},
	} {
		t.Run(r.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := r.write(&b); err != nil {
				t.Fatalf("write %s: %v (%s)", r.file, err, r.reason)
			}
			golden.Text(t, r.file, b.Bytes())
		})
	}
}

// goldenParity is two nights of the golden target and a column that could
// not be made.
func goldenParity() []harness.ParityColumn {
	first, second := goldenReport(), goldenReport()
	first.StartedAt, second.StartedAt = "2026-03-01T02:00:00Z", "2026-03-02T02:00:00Z"
	second.Rule(contracts.RuleEcho).Failures = second.Rule(contracts.RuleEcho).Failures[:1]
	return []harness.ParityColumn{
		{Name: "golden", Source: "first.json", Report: first},
		{Name: "golden", Source: "second.json", Report: second},
		{Name: "broken", Source: "broken.yaml", Err: "cannot replay: a call had no recorded answer"},
	}
}
