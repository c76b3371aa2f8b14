package contracts_test

import (
	"testing"

	c "github.com/mfaconform/mfaconform/contracts"
)

func TestPointIDs(t *testing.T) {
	for _, tc := range []struct {
		id     string
		parses bool
		exists bool
	}{
		{"set.off-with-factor/outcome/InvalidParameterException | success", true, true},
		{"set.echo/optional/SoftwareTokenMfaConfiguration", true, true},
		{"set.feature-tier/message/FeatureUnavailableInTierException", true, true},
		{"set.sms-role-trust/rule", true, true},
		{"set.off-with-factor/rule", true, false},                                // high confidence: no question
		{"set.retired/outcome/InvalidParameterException | success", true, false}, // no such rule
		{"set.off-with-factor/outcome/NoSuchException | success", true, false},
		{"set.off-with-factor/outcome/success", true, false}, // one outcome is no question
		{"set.echo/guess/x", false, false},
		{"set.echo/rule/x", false, false},
		{"set.echo", false, false},
	} {
		p, ok := c.ParsePoint(tc.id)
		if ok != tc.parses || p.Exists() != tc.exists {
			t.Errorf("%q: parses %v exists %v, want %v %v", tc.id, ok, p.Exists(), tc.parses, tc.exists)
		}
		if ok && p.ID() != tc.id {
			t.Errorf("%q reads back as %q", tc.id, p.ID())
		}
	}
}

// TestNarrowMessage: a settled message point checks the observed text
// under message.mfa-rules.
func TestNarrowMessage(t *testing.T) {
	pool := &c.Pool{ID: "us-east-1_Abc123XYZ", Tier: c.TierLite}
	req := &c.SetRequest{UserPoolId: c.String(pool.ID), MfaConfiguration: c.String(c.MfaOptional),
		SoftwareTokenMfaConfiguration: &c.SoftwareTokenMfaConfig{Enabled: c.Bool(true)},
		EmailMfaConfiguration:         &c.EmailMfaConfig{}}
	e := c.ExpectSet(c.DefaultWorld(), pool, req)
	ps := e.MessagePoints()
	if len(ps) != 1 || ps[0].ID() != "set.feature-tier/message/FeatureUnavailableInTierException" {
		t.Fatalf("message points %v of %+v", ps, e)
	}
	if !e.Narrow(ps[0], "seen on AWS") {
		t.Fatal("not narrowed")
	}
	o := e.ErrorOutcomes("FeatureUnavailableInTierException")[0]
	if len(o.Messages) != 1 || o.Messages[0] != "seen on AWS" || o.MessageRule != c.RuleMessageMfaRules {
		t.Errorf("outcome %+v", o)
	}
	if e.Narrow(c.Point{Rule: c.RuleEcho, Kind: c.PointOptional, Question: "SoftwareTokenMfaConfiguration"}, c.AnswerAbsent) {
		t.Error("narrowed at a point the call does not ask")
	}
}
