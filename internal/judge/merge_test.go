package judge_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/internal/judge"
)

// TestJudgeKeptMembers: a call accepted while the answer holds members the
// request did not send is one deviation, a merge (set.full-replace), only
// when the merge is what made it acceptable. Found against a merging
// emulator, where invalid values it accepted and an OPTIONAL it accepted
// with no factor were all blamed on full replace.
func TestJudgeKeptMembers(t *testing.T) {
	totpOn := &contracts.MfaConfig{MfaConfiguration: contracts.String(contracts.MfaOptional),
		SoftwareTokenMfaConfiguration: &contracts.SoftwareTokenMfaConfig{Enabled: contracts.Bool(true)}}
	rows := []struct {
		name, reason string
		prior        *contracts.MfaConfig
		request      string
		answer       string
		want         contracts.RuleID
	}{
		{"merge explains", "ON alone is accepted because the target kept the enabled TOTP factor",
			totpOn, `{"UserPoolId":"us-east-1_abc","MfaConfiguration":"ON"}`,
			`{"MfaConfiguration":"ON","SoftwareTokenMfaConfiguration":{"Enabled":true}}`, contracts.RuleFullReplace},
		{"invalid value", "an invalid mode stays invalid however it is merged",
			totpOn, `{"UserPoolId":"us-east-1_abc","MfaConfiguration":"off"}`,
			`{"MfaConfiguration":"off","SoftwareTokenMfaConfiguration":{"Enabled":true}}`, contracts.RuleSetMfaConfigurationEnum},
		{"empty defaults", "an empty SMS block and a disabled TOTP block enable nothing: no merge made OPTIONAL acceptable",
			nil, `{"UserPoolId":"us-east-1_abc","MfaConfiguration":"OPTIONAL"}`,
			`{"MfaConfiguration":"OPTIONAL","SmsMfaConfiguration":{},"SoftwareTokenMfaConfiguration":{"Enabled":false}}`, contracts.RuleOnWithoutFactor},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			pool := &contracts.Pool{ID: "us-east-1_abc", Tier: contracts.TierEssentials, EmailSendingAccount: contracts.SendingDeveloper,
				FirstAuthFactors: []string{contracts.FactorPassword}, Mfa: row.prior}
			w := contracts.DefaultWorld()
			w.Pools = []contracts.Pool{*pool}
			x := &judge.Exchange{Target: contracts.Target(contracts.OpSetUserPoolMfaConfig), RequestBody: []byte(row.request), Status: 200,
				Header: http.Header{"Content-Type": {contracts.ContentType}}, Body: []byte(row.answer)}
			j := judge.New(w, false).Judge(x)
			var got []contracts.RuleID
			for _, f := range j.Findings {
				got = append(got, f.Rule)
			}
			if !slices.Equal(got, []contracts.RuleID{row.want}) {
				t.Errorf("%s (%s): findings on %v, want exactly [%s]", row.name, row.reason, got, row.want)
			}
		})
	}
}
