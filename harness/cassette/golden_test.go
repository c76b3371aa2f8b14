package cassette_test

import (
	"bytes"
	"testing"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/harness/cassette"
	"github.com/mfaconform/mfaconform/internal/golden"
)

// goldenDiff is a fixed diff report, built by hand so that no timing,
// port or pool ID of a real diff reaches the golden files: every kind of
// difference, each answer agreed with (recorded, target, neither), a value
// longer than the console shows, and a Markdown table cell with a pipe.
func goldenDiff() *cassette.DiffReport {
	return &cassette.DiffReport{
		Tool: "mfaconform", Version: "0.1.0", Contract: "cognito-idp/2016-04-18 golden",
		Cassette:   "cassettes/moto-5.2.1.yaml.gz",
		Recorded:   cassette.Origin{Kind: harness.KindEndpoint, Endpoint: "http://127.0.0.1:5000", Name: "moto-5.2.1"},
		RecordedAt: "2026-01-02T03:04:05Z",
		Target:     harness.TargetInfo{Kind: harness.KindEndpoint, Endpoint: "http://127.0.0.1:9229"},
		Interactions: []cassette.InteractionDiff{
			{Index: 3, Operation: contracts.OpSetUserPoolMfaConfig,
				Request: map[string]any{"UserPoolId": "<pool-1>", "MfaConfiguration": "OFF",
					"SoftwareTokenMfaConfiguration": map[string]any{"Enabled": true}},
				Differences: []cassette.Mismatch{
					{Kind: cassette.DiffStatus, Recorded: "400", Target: "200", Contract: "400", Agrees: "recorded"},
					{Kind: cassette.DiffError, Recorded: "InvalidParameterException", Target: cassette.Absent,
						Contract: "InvalidParameterException", Agrees: "recorded"},
				}},
			{Index: 7, Operation: contracts.OpGetUserPoolMfaConfig,
				Request: map[string]any{"UserPoolId": "<pool-1>"},
				Differences: []cassette.Mismatch{
					{Kind: cassette.DiffMember, Path: "SoftwareTokenMfaConfiguration.Enabled", Recorded: "true", Target: "false",
						Contract: "false", Agrees: "target"},
					{Kind: cassette.DiffMember, Path: "EmailMfaConfiguration.Message", Recorded: cassette.Absent,
						Target:   `"Your one-time code for signing in to the golden application is {####} | valid 5 minutes"`,
						Contract: cassette.Absent, Agrees: "recorded"},
				}},
			{Index: 9, Operation: contracts.OpSetUserPoolMfaConfig,
				Request: map[string]any{"UserPoolId": "<pool-2>", "MfaConfiguration": "ON"},
				Differences: []cassette.Mismatch{
					{Kind: cassette.DiffTransport, Recorded: "400", Target: "connection reset by peer", Contract: "400", Agrees: "neither"},
				}},
		},
		Summary: cassette.DiffSummary{Sent: 12, Same: 9, Differ: 3, ElapsedS: 0.42,
			ByKind: map[string]int{cassette.DiffStatus: 1, cassette.DiffError: 1, cassette.DiffMember: 2, cassette.DiffTransport: 1}},
	}
}

// TestGolden keeps the diff report's formats as they are: JSON by
// structure, the rest byte for byte. Regenerate with
// go test ./harness/cassette/ -run Golden -update, and review the diff.
func TestGolden(t *testing.T) {
	many := goldenDiff()
	for i := range 21 {
		in := many.Interactions[0]
		in.Index = 100 + i
		many.Interactions = append(many.Interactions, in)
	}
	many.Summary.Sent, many.Summary.Same, many.Summary.Differ = 40, 40-len(many.Interactions), len(many.Interactions)
	for _, r := range []struct {
		name, reason string
		file         string
		json         bool
		write        func(*bytes.Buffer) error
	}{
		{"json", "diff --report json=FILE: every difference, structured; snake_case member names", "diff.json", true,
			func(b *bytes.Buffer) error { return goldenDiff().WriteJSON(b) }},
		{"junit", "CI systems read it: one failing test case per differing interaction", "diff.junit.xml", false,
			func(b *bytes.Buffer) error { return goldenDiff().WriteJUnit(b) }},
		{"markdown", "the human report: one table per differing interaction", "diff.md", false,
			func(b *bytes.Buffer) error { return goldenDiff().WriteMarkdown(b) }},
		{"html", "diff --report html=FILE: one page, each interaction opening to its request and differences", "diff.html", false,
			func(b *bytes.Buffer) error { return goldenDiff().WriteHTML(b) }},
		{"console", "what diff prints: a table per interaction, long values clipped, the verdict by kind", "diff.console.txt", false,
			func(b *bytes.Buffer) error { goldenDiff().WriteConsole(b); return nil }},
		{"console beyond its limit", "the console lists the first 20 differing interactions and points to the JSON report for the rest", "diff-many.console.txt", false,
			func(b *bytes.Buffer) error { many.WriteConsole(b); return nil }},
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
