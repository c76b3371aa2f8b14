package emulator_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness/emulator"
)

// FuzzHandler sends any target and body through the handler. Oracles: no
// panic; the answer is a JSON object of the protocol's content type with
// a status the emulator may send; an error names its __type.
func FuzzHandler(f *testing.F) {
	const pool = "us-east-1_Fuzz00001"
	for _, seed := range []struct{ target, body string }{
		{contracts.Target(contracts.OpSetUserPoolMfaConfig), `{"UserPoolId":"us-east-1_Fuzz00001","MfaConfiguration":"OPTIONAL","SoftwareTokenMfaConfiguration":{"Enabled":true}}`},
		{contracts.Target(contracts.OpSetUserPoolMfaConfig), `{"UserPoolId":"us-east-1_Fuzz00001","SmsMfaConfiguration":{"SmsConfiguration":{"SnsCallerArn":"arn:aws:iam::123456789012:role/mfaconform-sms","ExternalId":"x"}}}`},
		{contracts.Target(contracts.OpGetUserPoolMfaConfig), `{"UserPoolId":"us-east-1_Fuzz00001"}`},
		{contracts.Target(contracts.OpCreateUserPool), `{"PoolName":"p","MfaConfiguration":"ON","SmsConfiguration":{"SnsCallerArn":"arn:aws:iam::123456789012:role/mfaconform-sms"}}`},
		{contracts.Target(contracts.OpDescribeUserPool), `{"UserPoolId":"us-east-1_Fuzz00001"}`},
		{contracts.Target(contracts.OpDeleteUserPool), `{"UserPoolId":"us-east-1_Fuzz00001"}`},
		{contracts.Target(contracts.OpSetUserPoolMfaConfig), `{"UserPoolId":1}`},
		{"Nope", `[`},
		{"", ``},
	} {
		f.Add(seed.target, []byte(seed.body))
	}
	f.Fuzz(func(t *testing.T, target string, body []byte) {
		w := contracts.DefaultWorld()
		w.Pools = []contracts.Pool{{ID: pool, Tier: contracts.TierEssentials,
			EmailSendingAccount: contracts.SendingDeveloper, FirstAuthFactors: []string{contracts.FactorPassword, contracts.FactorWebAuthn}}}
		h := emulator.New(emulator.WithWorld(w), emulator.WithMaxBody(4096))
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		req.Header.Set("X-Amz-Target", target)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)

		if ct := rec.Header().Get("Content-Type"); ct != contracts.ContentType {
			t.Errorf("Content-Type %q", ct)
		}
		switch rec.Code {
		case 200, 400, 413, 500:
		default:
			t.Errorf("status %d", rec.Code)
		}
		var out map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("body %q is not a JSON object: %v", rec.Body.Bytes(), err)
		}
		if rec.Code != 200 {
			typ, _ := out["__type"].(string)
			if typ == "" || rec.Header().Get("X-Amzn-ErrorType") != typ {
				t.Errorf("error %d without __type or header: %s", rec.Code, rec.Body.Bytes())
			}
		}
	})
}
