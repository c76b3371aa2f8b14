package contracts_test

import (
	"slices"
	"testing"

	c "github.com/mfaconform/mfaconform/contracts"
)

// TestRoleExternalID: a role whose trust policy requires an sts:ExternalId
// (a live run's roles) cannot be assumed with another one or none
// (§1.4, InvalidSmsRoleTrustRelationshipException's documentation);
// with its own, the role's other facts decide.
func TestRoleExternalID(t *testing.T) {
	const trusted = "arn:aws:iam::111122223333:role/mfaconform/mfaconform-run-sms"
	const nopublish = "arn:aws:iam::111122223333:role/mfaconform/mfaconform-run-sms-nopublish"
	w := &c.World{Region: "us-east-1", Roles: []c.Role{
		{ARN: trusted, TrustsCognito: true, CanPublish: true, ExternalID: "mfaconform-run"},
		{ARN: nopublish, TrustsCognito: true, CanPublish: false, ExternalID: "mfaconform-run"},
	}}
	pool := &c.Pool{ID: "us-east-1_Abc123XYZ", Tier: c.TierEssentials, EmailSendingAccount: c.SendingDeveloper,
		FirstAuthFactors: []string{c.FactorPassword}}
	set := func(role string, ext *string) *c.SetRequest {
		return &c.SetRequest{UserPoolId: c.String(pool.ID), MfaConfiguration: c.String(c.MfaOptional),
			SmsMfaConfiguration: &c.SmsMfaConfig{SmsAuthenticationMessage: c.String("Code {####}"),
				SmsConfiguration: &c.SmsConfiguration{SnsCallerArn: c.String(role), ExternalId: ext}}}
	}
	for _, tc := range []struct {
		name, why, role string
		ext             *string
		rule            c.RuleID
		codes           []string
		success         bool
	}{
		{"its own", "the trust policy's condition holds", trusted, c.String("mfaconform-run"), "", nil, true},
		{"another", "the condition fails: the role cannot be assumed", trusted, c.String("mfaconform"), c.RuleSmsRoleTrust,
			[]string{"InvalidSmsRoleTrustRelationshipException"}, false},
		{"no publish, its own", "assumed, then refused for SNS", nopublish, c.String("mfaconform-run"), c.RuleSmsRoleAccess,
			[]string{"InvalidSmsRoleAccessPolicyException"}, false},
		{"no publish, another", "not assumed: trust is checked first", nopublish, c.String("x"), c.RuleSmsRoleTrust,
			[]string{"InvalidSmsRoleTrustRelationshipException"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := c.ExpectSet(w, pool, set(tc.role, tc.ext))
			if tc.rule != "" && e.Rule != tc.rule {
				t.Errorf("decided by %s, want %s (%s)", e.Rule, tc.rule, tc.why)
			}
			if e.AllowsSuccess() != tc.success {
				t.Errorf("success allowed: %v, want %v (%s)", e.AllowsSuccess(), tc.success, tc.why)
			}
			for _, code := range tc.codes {
				if !slices.Contains(e.ErrorCodes(), code) {
					t.Errorf("allowed errors %v lack %s (%s)", e.ErrorCodes(), code, tc.why)
				}
			}
		})
	}
}
