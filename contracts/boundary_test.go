package contracts_test

import (
	"strings"
	"testing"

	"github.com/mfaconform/mfaconform/contracts"
)

// A valid value exactly at a length bound is decided by that member's
// length rule, so a target that rejects it is blamed on the rule it breaks
// (seen on an emulator refusing a 131072-character ExternalId).
func TestBoundaryValueDecidesAcceptedCall(t *testing.T) {
	w := contracts.DefaultWorld()
	pool := &contracts.Pool{ID: "us-east-1_Abc123XYZ", Tier: contracts.TierEssentials,
		EmailSendingAccount: contracts.SendingDeveloper, FirstAuthFactors: []string{contracts.FactorPassword}}
	sms := func(externalID string) *contracts.SetRequest {
		return &contracts.SetRequest{UserPoolId: &pool.ID, MfaConfiguration: contracts.String(contracts.MfaOptional),
			SmsMfaConfiguration: &contracts.SmsMfaConfig{SmsConfiguration: &contracts.SmsConfiguration{
				SnsCallerArn: contracts.String(contracts.RoleTrusted), ExternalId: contracts.String(externalID)}}}
	}
	for _, tc := range []struct {
		name string
		req  *contracts.SetRequest
		want contracts.RuleID
	}{
		{"ExternalId at max (§1.3 StringType max 131072)", sms(strings.Repeat("e", 131072)), contracts.RuleSetExternalIDLength},
		{"ExternalId inside the bounds", sms("mfaconform"), contracts.RuleSmsRoleAccess},
	} {
		e := contracts.ExpectSet(w, pool, tc.req)
		if e.Rule != tc.want || !e.AllowsSuccess() {
			t.Errorf("%s: rule %s (success allowed %v), want %s and success", tc.name, e.Rule, e.AllowsSuccess(), tc.want)
		}
	}
}
