package live

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/mfaconform/mfaconform/contracts"
)

var testRun = Run{ID: "1a2b3c4d", Account: "111122223333", Partition: "aws", Region: "eu-west-1",
	Created: time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)}

// TestWorldHasTheRunsRoles: without roles of its own in --fixtures, the
// run's world has its three roles under /mfaconform/, in the run's region,
// the two that trust Cognito requiring the run's ExternalId; a fixtures
// world's own roles are kept and none is planned.
func TestWorldHasTheRunsRoles(t *testing.T) {
	w := testRun.World(contracts.DefaultWorld())
	if w.Region != "eu-west-1" {
		t.Errorf("region %s, want the run's", w.Region)
	}
	want := []contracts.Role{
		{ARN: "arn:aws:iam::111122223333:role/mfaconform/mfaconform-1a2b3c4d-sms", TrustsCognito: true, CanPublish: true, ExternalID: "mfaconform-1a2b3c4d"},
		{ARN: "arn:aws:iam::111122223333:role/mfaconform/mfaconform-1a2b3c4d-sms-untrusted", TrustsCognito: false, CanPublish: true},
		{ARN: "arn:aws:iam::111122223333:role/mfaconform/mfaconform-1a2b3c4d-sms-nopublish", TrustsCognito: true, CanPublish: false, ExternalID: "mfaconform-1a2b3c4d"},
	}
	if len(w.Roles) != len(want) {
		t.Fatalf("roles %+v, want %+v", w.Roles, want)
	}
	for i := range want {
		if w.Roles[i] != want[i] {
			t.Errorf("role %d: %+v, want %+v", i, w.Roles[i], want[i])
		}
	}
	if err := w.Check(); err != nil {
		t.Errorf("the run's world is not a valid fixture world: %v", err)
	}
	if got := testRun.Roles(w).Planned(); len(got) != 3 || got[0] != "/mfaconform/mfaconform-1a2b3c4d-sms" {
		t.Errorf("planned %v, want the three roles by path and name", got)
	}
	own := &contracts.World{Region: "eu-west-1", Roles: []contracts.Role{{ARN: "arn:aws:iam::111122223333:role/cognito-sms", TrustsCognito: true, CanPublish: true}}}
	fw := testRun.World(own)
	if len(fw.Roles) != 1 || fw.Roles[0] != own.Roles[0] {
		t.Errorf("a fixtures world's roles became %+v", fw.Roles)
	}
	if got := testRun.Roles(fw).Planned(); len(got) != 0 {
		t.Errorf("planned %v for a world with roles of its own, want none", got)
	}
}

// TestTrustPolicies: the trusted roles let cognito-idp assume them with
// the run's ExternalId only; the untrusted one trusts another service.
func TestTrustPolicies(t *testing.T) {
	var doc struct {
		Version   string
		Statement []struct {
			Effect    string
			Principal struct{ Service string }
			Action    string
			Condition map[string]map[string]string
		}
	}
	if err := json.Unmarshal([]byte(trustPolicy("cognito-idp.amazonaws.com", "mfaconform-1a2b3c4d")), &doc); err != nil {
		t.Fatal(err)
	}
	s := doc.Statement[0]
	if doc.Version != "2012-10-17" || s.Effect != "Allow" || s.Principal.Service != "cognito-idp.amazonaws.com" ||
		s.Action != "sts:AssumeRole" || s.Condition["StringEquals"]["sts:ExternalId"] != "mfaconform-1a2b3c4d" {
		t.Errorf("trust policy %+v", doc)
	}
	if p := trustPolicy("ec2.amazonaws.com", ""); strings.Contains(p, "cognito") || strings.Contains(p, "Condition") {
		t.Errorf("untrusted trust policy %s", p)
	}
}

// TestSweepAge: --older-than keeps what is younger, and what has no
// readable creation time; without it, every marked resource is due.
func TestSweepAge(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	o := SweepOptions{OlderThan: 2 * time.Hour, Now: now}
	for _, tc := range []struct {
		created string
		due     bool
	}{
		{"2026-12-01T09:00:00Z", true},
		{"2026-12-01T10:00:00Z", true},
		{"2026-12-01T11:00:00Z", false},
		{"", false},
		{"yesterday", false},
	} {
		if _, _, due := o.due(map[string]string{TagRun: "r1", TagCreated: tc.created}); due != tc.due {
			t.Errorf("created %q, older than 2h: due %v, want %v", tc.created, due, tc.due)
		}
	}
	if _, _, due := (SweepOptions{Now: now}).due(map[string]string{TagRun: "r1"}); !due {
		t.Error("without --older-than, a marked resource with no creation time is not due")
	}
	if _, _, due := (SweepOptions{Now: now}).due(map[string]string{TagCreated: "2026-12-01T09:00:00Z"}); due {
		t.Error("a resource without the run tag is due")
	}
}
