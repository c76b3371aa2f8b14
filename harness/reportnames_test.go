package harness_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mfaconform/mfaconform/harness"
)

// TestReportReadsOldNames reads a finding as reports before the switch to
// snake_case wrote it (priorState), and as they write it now.
func TestReportReadsOldNames(t *testing.T) {
	for _, r := range []struct {
		name, reason, member string
	}{
		{"old name", "reports written earlier keep reading (design.md: compare and known read REPORT.json)", "priorState"},
		{"new name", "design.md: snake_case everywhere", "prior_state"},
	} {
		t.Run(r.name, func(t *testing.T) {
			body := `{"rules":[{"id":"set.echo","status":"fail","failures":[{"operation":"SetUserPoolMfaConfig",
				"` + r.member + `":{"MfaConfiguration":"ON","SoftwareTokenMfaConfiguration":{"Enabled":true}}}]}]}`
			var rep harness.Report
			if err := json.Unmarshal([]byte(body), &rep); err != nil {
				t.Fatalf("%v (%s)", err, r.reason)
			}
			prior := rep.Rules[0].Failures[0].PriorState
			if prior == nil {
				t.Fatalf("%s not read (%s)", r.member, r.reason)
			}
			got, _ := json.Marshal(prior)
			want := `{"SoftwareTokenMfaConfiguration":{"Enabled":true},"MfaConfiguration":"ON"}`
			var g, w any
			json.Unmarshal(got, &g)
			json.Unmarshal([]byte(want), &w)
			if d := cmp.Diff(w, g); d != "" {
				t.Errorf("prior state (-want +got):\n%s", d)
			}
		})
	}
}
