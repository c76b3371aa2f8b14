package harness_test

import (
	"bytes"
	"testing"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/fuzz"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/internal/golden"
)

func ptr[T any](v T) *T { return &v }

// goldenReport is a fixed report, built by hand so that no timing, port
// or pool ID of a real run reaches the golden files: one rule of each
// status, the failing one with two deviations (structured differences,
// a prior state), the warning one uncertain (several answers allowed).
func goldenReport() *harness.Report {
	const pool = "us-east-1_G0ldenP00"
	return &harness.Report{
		Tool: "mfaconform", Version: "0.1.0", Contract: "cognito-idp/2016-04-18 golden",
		Target: harness.TargetInfo{Kind: harness.KindEndpoint, Endpoint: "http://127.0.0.1:9229"},
		Seed:   7, Cases: 42,
		Rules: []harness.RuleReport{
			{ID: contracts.RuleSetMfaConfigurationEnum, Provenance: "model", Status: harness.StatusPass, Checked: 12,
				Failures: []harness.Finding{}},
			{ID: contracts.RuleEcho, Provenance: "measured", Status: harness.StatusFail, Checked: 9, FailedCases: 3,
				Failures: []harness.Finding{{
					Operation: contracts.OpSetUserPoolMfaConfig,
					Request: map[string]any{"UserPoolId": pool, "MfaConfiguration": "ON",
						"SoftwareTokenMfaConfiguration": map[string]any{"Enabled": true}},
					Want: harness.Want{Status: 200, Body: map[string]any{"MfaConfiguration": "ON",
						"SoftwareTokenMfaConfiguration": map[string]any{"Enabled": true}}},
					Got: harness.Got{Status: 200, Body: map[string]any{"MfaConfiguration": "ON"}},
					Differences: []harness.Difference{
						{Path: "SoftwareTokenMfaConfiguration", Want: map[string]any{"Enabled": true}, Got: nil},
					},
					Detail:  "the Set response leaves out SoftwareTokenMfaConfiguration, which the call enabled",
					Case:    "sweep #12 (mode ON x TOTP block)",
					Pool:    string(fuzz.PoolDefault),
					PoolID:  pool,
					Certain: true,
					PriorState: &contracts.MfaConfig{MfaConfiguration: ptr("OPTIONAL"),
						SmsMfaConfiguration: &contracts.SmsMfaConfig{SmsAuthenticationMessage: ptr("Your code is {####}"),
							SmsConfiguration: &contracts.SmsConfiguration{SnsCallerArn: ptr(contracts.RoleTrusted), ExternalId: ptr("golden")}}},
					Reproduce: "mfaconform run --seed 7 --checks 42 --parallel 4 --endpoint http://127.0.0.1:9229 --rules set.echo",
					Signature: "set.echo/SetUserPoolMfaConfig/accepted/-/SoftwareTokenMfaConfiguration",
					Count:     2,
				}, {
					// A second deviation under the same rule: another member.
					Operation: contracts.OpSetUserPoolMfaConfig,
					Request: map[string]any{"UserPoolId": pool, "MfaConfiguration": "OPTIONAL",
						"EmailMfaConfiguration": map[string]any{"Subject": "Your code"}},
					Want: harness.Want{Status: 200, Body: map[string]any{"MfaConfiguration": "OPTIONAL",
						"EmailMfaConfiguration": map[string]any{"Subject": "Your code"}}},
					Got: harness.Got{Status: 200, Body: map[string]any{"MfaConfiguration": "OPTIONAL", "EmailMfaConfiguration": map[string]any{}}},
					Differences: []harness.Difference{
						{Path: "EmailMfaConfiguration.Subject", Want: "Your code", Got: nil},
					},
					Detail:    "EmailMfaConfiguration.Subject: want \"Your code\", got (absent)",
					Case:      "#77 random set (step 1) (shrunk)",
					Pool:      string(fuzz.PoolDefault),
					PoolID:    pool,
					Certain:   true,
					Reproduce: "mfaconform run --seed 7 --checks 42 --parallel 4 --endpoint http://127.0.0.1:9229 --rules set.echo",
					Signature: "set.echo/SetUserPoolMfaConfig/accepted/-/EmailMfaConfiguration.Subject",
					Count:     1,
				}}},
			{ID: contracts.RuleMessageValidation, Provenance: "measured", Status: harness.StatusWarn, Checked: 5, FailedCases: 1,
				Failures: []harness.Finding{{
					Operation: contracts.OpSetUserPoolMfaConfig,
					Request:   map[string]any{"UserPoolId": pool, "MfaConfiguration": "on"},
					Want: harness.Want{Status: 400, Errors: []string{"InvalidParameterException"},
						Messages: []string{"1 validation error detected: Value 'on' at 'mfaConfiguration' failed to satisfy constraint: Member must satisfy enum value set: [OFF, ON, OPTIONAL]"}},
					Got:    harness.Got{Status: 400, Error: "InvalidParameterException", Message: "bad MfaConfiguration | expected OFF, ON or OPTIONAL"},
					Detail: "the error message differs from AWS's",
					Case:   "sweep #3 (enum near miss)",
					Pool:   string(fuzz.PoolDefault),
					PoolID: pool,
					Warn:   true,
					// Certain false: the console and Markdown add their note.
					Reproduce: "mfaconform run --seed 7 --checks 42 --parallel 4 --endpoint http://127.0.0.1:9229 --rules message.validation",
					Signature: "message.validation/SetUserPoolMfaConfig/rejected/InvalidParameterException/-",
					Count:     1,
				}}},
			{ID: contracts.RuleFeatureTier, Provenance: "documented", Status: harness.StatusSkip,
				SkipReason: "the target does not report a pool's tier", Failures: []harness.Finding{}},
		},
		Summary: harness.Summary{Pass: 1, Fail: 1, Warn: 1, Skip: 1, Calls: 57, ElapsedS: 1.25},
	}
}

// TestGolden keeps the report formats as they are: JSON (design.md's stable
// interface) by structure, the rest byte for byte. Regenerate with
// go test ./harness/ -run Golden -update, and review the diff.
func TestGolden(t *testing.T) {
	named := goldenReport()
	named.Target.Name = "golden 1.0"
	// With a ledger that accepts both deviations of set.echo, one of them
	// past its date.
	known := func() *harness.Report {
		r := goldenReport()
		echo := r.Rule(contracts.RuleEcho)
		echo.Failures[0].Known = &harness.Known{Reason: "drops a disabled TOTP block", Link: "https://example.com/issue/1", Expires: "2027-03-01"}
		echo.Failures[1].Known = &harness.Known{Reason: "drops the email subject", Expires: "2026-11-30", Expired: true}
		r.StaleKnown = []harness.StaleKnown{{Rule: contracts.RuleOffWithFactor, Reason: "accepted OFF with a factor", Line: 12}}
		return r
	}
	allKnown := func() *harness.Report {
		r := known()
		r.Rule(contracts.RuleEcho).Failures[1].Known = &harness.Known{Reason: "drops the email subject", Expires: "2027-03-01"}
		return r
	}
	for _, r := range []struct {
		name, reason string
		file         string
		json         bool
		write        func(*bytes.Buffer) error
	}{
		{"json", "design.md's JSON report: a stable interface, snake_case member names", "report.json", true,
			func(b *bytes.Buffer) error { return goldenReport().WriteJSON(b) }},
		{"junit", "CI systems read it: one test case per rule, failures and skips marked", "report.junit.xml", false,
			func(b *bytes.Buffer) error { return goldenReport().WriteJUnit(b) }},
		{"markdown", "the human report: rule table, then each failing or warning rule's counterexample", "report.md", false,
			func(b *bytes.Buffer) error { return goldenReport().WriteMarkdown(b) }},
		{"markdown named target", "a named report (published conformance pages) leaves out the endpoint and pool IDs, so it can be regenerated and diffed", "report-named.md", false,
			func(b *bytes.Buffer) error { return named.WriteMarkdown(b) }},
		{"console", "what every run prints: the summary table, first counterexamples and the verdict line", "report.console.txt", false,
			func(b *bytes.Buffer) error { goldenReport().WriteConsole(b); return nil }},
		{"json known", "a ledger's marks: known (and expired) deviations, stale entries", "report-known.json", true,
			func(b *bytes.Buffer) error { return known().WriteJSON(b) }},
		{"console known", "known deviations say so, with their reason and date", "report-known.console.txt", false,
			func(b *bytes.Buffer) error { known().WriteConsole(b); return nil }},
		{"junit all known", "a rule whose every deviation the ledger accepts is skipped in CI, not failed", "report-known.junit.xml", false,
			func(b *bytes.Buffer) error { return allKnown().WriteJUnit(b) }},
	} {
		t.Run(r.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := r.write(&b); err != nil {
				t.Fatalf("write %s: %v (%s)", r.file, err, r.reason)
			}
			if r.json {
				golden.JSON(t, r.file, b.Bytes())
			} else {
				golden.Text(t, r.file, b.Bytes())
			}
		})
	}
}
