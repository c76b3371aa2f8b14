package ledger_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/harness/ledger"
)

func TestReadErrors(t *testing.T) {
	for _, tc := range []struct {
		name, reason, yaml string
		line               int
		want               string
	}{
		{"bad yaml", "a tab where YAML wants spaces", "known:\n\t- rule: set.echo\n", 0, "not YAML"},
		{"unknown rule", "a rule ID the catalogue does not have", "known:\n  - rule: set.echoes\n    reason: x\n", 2, `unknown rule ID "set.echoes"`},
		{"bad date", "expires must be YYYY-MM-DD", "known:\n  - rule: set.echo\n    reason: x\n    expires: 1/3/2027\n", 4, "is not a date"},
		{"no reason", "an entry says why", "known:\n  - rule: set.echo\n    expires: 2027-01-01\n", 2, "needs a reason"},
		{"other rule's signature", "a signature belongs to its rule", "known:\n  - rule: set.echo\n    signature: set.full-replace/SetUserPoolMfaConfig/accepted/-/-\n    reason: x\n", 3, "is not one of rule set.echo"},
		{"unknown field", "a misspelt field is not ignored", "known:\n  - rule: set.echo\n    reason: x\n    expire: 2027-01-01\n", 4, `unknown field "expire"`},
		{"not a list", "known: holds a list", "known: set.echo\n", 1, "is a list"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ledger.Read(strings.NewReader(tc.yaml))
			var le *ledger.Error
			if !errors.As(err, &le) || !strings.Contains(err.Error(), tc.want) || le.Line != tc.line {
				t.Errorf("Read: %v (line %v), want line %d and %q (%s)", err, le, tc.line, tc.want, tc.reason)
			}
		})
	}
}

func report() *harness.Report {
	f := func(sig string, n int) harness.Finding {
		return harness.Finding{Operation: contracts.OpSetUserPoolMfaConfig, Detail: "d", Signature: sig, Count: n}
	}
	return &harness.Report{Rules: []harness.RuleReport{
		{ID: contracts.RuleEcho, Status: harness.StatusFail, FailedCases: 3, Failures: []harness.Finding{
			f("set.echo/SetUserPoolMfaConfig/accepted/-/SoftwareTokenMfaConfiguration", 2),
			f("set.echo/SetUserPoolMfaConfig/accepted/-/EmailMfaConfiguration.Subject", 1)}},
		{ID: contracts.RuleFullReplace, Status: harness.StatusFail, FailedCases: 1, Failures: []harness.Finding{
			f("set.full-replace/SetUserPoolMfaConfig/accepted/-/SmsMfaConfiguration", 1)}},
		{ID: contracts.RuleMessageValidation, Status: harness.StatusWarn, FailedCases: 1, Failures: []harness.Finding{
			f("message.validation/SetUserPoolMfaConfig/rejected/InvalidParameterException/-", 1)}},
		{ID: contracts.RuleOffWithFactor, Status: harness.StatusPass, Checked: 12},
		{ID: contracts.RuleOnWithoutFactor, Status: harness.StatusSkip, SkipReason: "no case reached this rule"},
	}}
}

func TestApply(t *testing.T) {
	now := time.Date(2026, 12, 1, 15, 0, 0, 0, time.UTC)
	l, err := ledger.Read(strings.NewReader(`known:
  - rule: set.echo
    member: SoftwareTokenMfaConfiguration
    reason: drops disabled TOTP
    expires: 2027-01-01
  - rule: set.echo
    signature: set.echo/SetUserPoolMfaConfig/accepted/-/EmailMfaConfiguration.Subject
    reason: drops the subject
    expires: 2026-11-30
  - rule: set.off-with-factor
    reason: fixed upstream long ago
  - rule: set.on-without-factor
    reason: the run skipped the rule, so the entry is not shown wrong
  - rule: set.webauthn-not-a-factor
    reason: the run left the rule out (--rules), so the entry is not shown wrong
`))
	if err != nil {
		t.Fatal(err)
	}
	rep := report()
	res := l.Apply(rep, now)
	if res.Known != 1 || len(res.Expired) != 1 || len(res.New) != 1 || len(res.Stale) != 1 {
		t.Fatalf("known %d, expired %d, new %d, stale %d; want 1 each", res.Known, len(res.Expired), len(res.New), len(res.Stale))
	}
	if res.Stale[0].Rule != contracts.RuleOffWithFactor {
		t.Errorf("stale: %s, want the entry of the rule that passed", res.Stale[0].Rule)
	}
	if res.New[0].Signature != "set.full-replace/SetUserPoolMfaConfig/accepted/-/SmsMfaConfiguration" {
		t.Errorf("new: %s", res.New[0].Signature)
	}
	if k := rep.Rules[0].Failures[0].Known; k == nil || k.Expired || k.Reason != "drops disabled TOTP" {
		t.Errorf("the known deviation is marked %+v", k)
	}
	if k := rep.Rules[0].Failures[1].Known; k == nil || !k.Expired {
		t.Errorf("the expired deviation is marked %+v", k)
	}
	if len(rep.StaleKnown) != 1 || rep.StaleKnown[0].Rule != contracts.RuleOffWithFactor || rep.StaleKnown[0].Line != 10 {
		t.Errorf("stale entries in the report: %+v", rep.StaleKnown)
	}
	if !res.Failed(false) {
		t.Error("a new deviation and an expired entry pass the gate")
	}
	// The last day an entry holds is its expiry date.
	onTheDay := time.Date(2026, 11, 30, 23, 0, 0, 0, time.UTC)
	if r := l.Apply(report(), onTheDay); len(r.Expired) != 0 {
		t.Errorf("expired on its own date: %+v", r.Expired)
	}
}

func TestGate(t *testing.T) {
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	all := ledger.FromReport(report(), "2027-06-01")
	var buf bytes.Buffer
	if err := all.Write(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := ledger.Read(&buf)
	if err != nil {
		t.Fatalf("a written ledger does not read back: %v\n%s", err, buf.String())
	}
	if res := back.Apply(report(), now); res.Failed(true) || res.Known != 3 {
		t.Errorf("a ledger of every deviation: %+v, want all 3 known and the gate passed (warn rules are not gated)", res)
	}
	// One more deviation than the ledger knows flips the gate.
	rep := report()
	rep.Rules[1].Failures = append(rep.Rules[1].Failures, harness.Finding{Signature: "set.full-replace/SetUserPoolMfaConfig/rejected/InvalidParameterException/-", Count: 1})
	if res := back.Apply(rep, now); !res.Failed(false) || len(res.New) != 1 {
		t.Errorf("a new deviation: %+v, want the gate failed by it", res)
	}
	// An entry that matched nothing fails only a strict gate.
	rep = report()
	rep.Rules[1].Status, rep.Rules[1].Failures = harness.StatusPass, nil
	if res := back.Apply(rep, now); res.Failed(false) || !res.Failed(true) || len(res.Stale) != 1 {
		t.Errorf("a fixed deviation: %+v, want it stale, failing only --strict-known", res)
	}
}
