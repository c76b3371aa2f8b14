package harness_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness"
)

// TestTwoDeviationsUnderOneRule: a target that breaks two different
// things under one rule (Set's answer drops the TOTP block; with an email
// block, it drops the email subject instead) shows two deviations of
// set.echo, each with its own count and shrunk to its own minimal case.
func TestTwoDeviationsUnderOneRule(t *testing.T) {
	t.Parallel()
	rep := brokenRun(t, rewriter{after: onlyOp(contracts.OpSetUserPoolMfaConfig, func(c *call, a *answer) {
		if a.Status != 200 || a.Body == nil {
			return
		}
		if e, ok := a.Body["EmailMfaConfiguration"].(map[string]any); ok {
			delete(e, "Subject")
		} else {
			delete(a.Body, "SoftwareTokenMfaConfiguration")
		}
		a.Raw = mustJSON(a.Body)
	})}.wrap)
	rr := rep.Rule(contracts.RuleEcho)
	if rr == nil || rr.Status != harness.StatusFail {
		t.Fatalf("set.echo: %+v, want fail", rr)
	}
	bySig := map[string]harness.Finding{}
	total := 0
	for _, f := range rr.Failures {
		bySig[f.Signature] = f
		total += f.Count
	}
	var sigs []string
	for s := range bySig {
		sigs = append(sigs, s)
	}
	sort.Strings(sigs)
	want := []string{
		"set.echo/SetUserPoolMfaConfig/accepted/-/EmailMfaConfiguration.Subject",
		"set.echo/SetUserPoolMfaConfig/accepted/-/SoftwareTokenMfaConfiguration",
	}
	if strings.Join(sigs, "\n") != strings.Join(want, "\n") {
		t.Fatalf("deviations of set.echo:\n%s\nwant exactly:\n%s\n%s", strings.Join(sigs, "\n"), strings.Join(want, "\n"), ruleTable(rep))
	}
	if total != rr.FailedCases {
		t.Errorf("the deviations count %d calls, the rule %d", total, rr.FailedCases)
	}
	// Each example is shrunk to its own minimal case: the email one sends
	// no TOTP block, the TOTP one no email block.
	email, totp := bySig[want[0]].Request.(map[string]any), bySig[want[1]].Request.(map[string]any)
	if _, ok := email["SoftwareTokenMfaConfiguration"]; ok || len(email) > 3 {
		t.Errorf("the email deviation's example is not minimal: %v", email)
	}
	if _, ok := totp["EmailMfaConfiguration"]; ok || len(totp) > 3 {
		t.Errorf("the TOTP deviation's example is not minimal: %v", totp)
	}
	for _, f := range []harness.Finding{bySig[want[0]], bySig[want[1]]} {
		if !strings.HasSuffix(f.Case, "(shrunk)") {
			t.Errorf("%s: example %q was not shrunk", f.Signature, f.Case)
		}
	}
}
