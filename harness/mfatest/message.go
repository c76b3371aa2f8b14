package mfatest

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/internal/inert"
)

// reportRule reports one rule's verdict on t: a failure per kept finding
// (logged instead when the rule is known), a skip with its reason, a
// warning as a log line. rerun is the command that runs t again, or "";
// lead starts every message (the rule's ID where t is not named by it).
func reportRule(t tb, rr harness.RuleReport, known bool, rerun, lead string) {
	t.Helper()
	rule := contracts.RuleByID(rr.ID)
	switch rr.Status {
	case harness.StatusPass:
		if known {
			t.Logf("%s is listed as a known deviation but passed: take it out of mfatest.Known", rr.ID)
		}
	case harness.StatusSkip:
		t.Skip(rr.SkipReason)
	case harness.StatusWarn:
		for _, f := range rr.Failures {
			t.Logf("%swarning (message rules fail only with harness.WithStrictMessages(true)): %s", lead, message(f, rule, rerun))
		}
	case harness.StatusFail:
		for _, f := range rr.Failures {
			if known {
				t.Logf("%sknown deviation (mfatest.Known): %s", lead, message(f, rule, rerun))
			} else {
				t.Errorf("%s%s", lead, message(f, rule, rerun))
			}
		}
		if rr.Unlisted > 0 {
			t.Logf("%d more calls failed %s in deviations past the report's bound", rr.Unlisted, rr.ID)
		}
	}
}

// message is one failure as a test prints it: the call, what the contract
// allows and what came back, the rule with its source, and the command
// that runs the test again.
func message(f harness.Finding, rule *contracts.Rule, rerun string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s", f.Operation)
	if f.Pool != "" {
		fmt.Fprintf(&b, " on the %s pool", f.Pool)
	}
	if f.Case != "" {
		fmt.Fprintf(&b, ", case %s", f.Case)
	}
	if f.Signature != "" {
		fmt.Fprintf(&b, "\ndeviation: %s (%d calls)", inert.Escape(f.Signature), f.Count)
	}
	fmt.Fprintf(&b, "\nrequest: %s", jsonText(f.Request))
	if f.PriorState != nil {
		fmt.Fprintf(&b, "\nprior:   %s", jsonText(f.PriorState))
	}
	fmt.Fprintf(&b, "\nwant:    %s", wantText(f.Want))
	if !f.Certain {
		b.WriteString(" (AWS's behaviour here is unconfirmed: every plausible answer is allowed)")
	}
	fmt.Fprintf(&b, "\ngot:     %s", gotText(f.Got))
	if f.Detail != "" {
		// The judge's detail names the members that differ.
		fmt.Fprintf(&b, "\nwhy:     %s", inert.Escape(cut(f.Detail, maxSentence)))
	} else {
		for _, d := range f.Differences {
			fmt.Fprintf(&b, "\ndiffers: %s: want %s, got %s", d.Path, memberText(d.Want), memberText(d.Got))
		}
	}
	if rule != nil {
		fmt.Fprintf(&b, "\nrule:    %s (%s, %s confidence): %s", rule.ID, rule.Provenance, rule.Confidence, rule.Summary)
		fmt.Fprintf(&b, "\nsource:  %s", rule.Source)
	}
	if rerun != "" {
		fmt.Fprintf(&b, "\nrerun:   %s", rerun)
	}
	return b.String()
}

// wantText renders what the contract allows: a success, errors, or
// either where AWS's behaviour is unconfirmed.
func wantText(w harness.Want) string {
	var alts []string
	if w.Status == 200 {
		alts = append(alts, strings.TrimSpace("200 "+jsonText(w.Body)))
	}
	if len(w.Errors) > 0 {
		status := "error"
		if w.Status != 200 && w.Status != 0 {
			status = fmt.Sprint(w.Status)
		}
		if len(w.Errors) == 1 {
			alts = append(alts, status+" "+w.Errors[0])
		} else {
			alts = append(alts, status+" one of "+strings.Join(w.Errors, ", "))
		}
	}
	if len(alts) == 0 {
		alts = append(alts, fmt.Sprint(w.Status))
	}
	s := strings.Join(alts, ", or ")
	if len(w.Messages) == 1 {
		s += fmt.Sprintf(", message %q", w.Messages[0])
	} else if len(w.Messages) > 1 {
		s += fmt.Sprintf(", message one of %q", w.Messages)
	}
	return s
}

func gotText(g harness.Got) string {
	s := fmt.Sprint(g.Status)
	if g.Error != "" {
		s += " " + inert.Escape(g.Error)
	}
	if g.Message != "" {
		s += fmt.Sprintf(" %q", cut(g.Message, maxSentence))
	}
	if g.Error == "" && g.Body != nil {
		s += " " + jsonText(g.Body)
	}
	return s
}

// jsonText renders a value as compact JSON (members in name order), a
// string that is not JSON (a raw wire body) quoted, with long strings cut
// (a boundary case's value can be 100,000 characters). Nil is "".
func jsonText(v any) string {
	if v == nil {
		return ""
	}
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", cut(s, maxValue))
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	var plain any
	if json.Unmarshal(b, &plain) != nil {
		return string(b)
	}
	b, _ = json.Marshal(shorten(plain))
	// JSON escapes control characters; bidi overrides are left to this.
	return inert.Escape(string(b))
}

func memberText(v any) string {
	if v == nil {
		return "(absent)"
	}
	return jsonText(v)
}

// How many characters of a long value, and of a long sentence (an error
// message, the judge's detail, which may quote values), a message shows.
const (
	maxValue    = 64
	maxSentence = 400
)

// cut shows at most n characters of s and how long it is: an excerpt
// of a long answer (internal/inert) counts the whole answer.
func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return fmt.Sprintf("%s…(%d characters)", string(r[:n]), inert.Characters(s))
}

// shorten cuts the long strings of a decoded JSON value.
func shorten(v any) any {
	switch x := v.(type) {
	case string:
		return cut(x, maxValue)
	case map[string]any:
		for k, e := range x {
			x[k] = shorten(e)
		}
	case []any:
		for i, e := range x {
			x[i] = shorten(e)
		}
	}
	return v
}

// rerun is the go test command that runs the test of that name, and no
// other: each level of the name matched whole.
func rerun(name string) string {
	parts := strings.Split(name, "/")
	for i, p := range parts {
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	return "go test -run '" + strings.Join(parts, "/") + "'"
}
