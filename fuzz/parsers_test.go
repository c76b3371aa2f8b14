package fuzz_test

import (
	"net/http"
	"reflect"
	"testing"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/internal/judge"
)

// FuzzJudgeResponse: whatever a target sends back, the judging session
// answers with findings and never panics; a 2xx body it accepts as
// matching really is a 2xx.
func FuzzJudgeResponse(f *testing.F) {
	f.Add(200, contracts.ContentType, "", []byte(`{"MfaConfiguration":"OFF"}`))
	f.Add(400, contracts.ContentType, "InvalidParameterException:", []byte(`{"__type":"InvalidParameterException","message":"x"}`))
	f.Add(200, "text/html", "", []byte(`<html>oops</html>`))
	f.Add(500, contracts.ContentType, "", []byte(`{"__type":"com.amazon#InternalErrorException","Message":"boom"}`))
	f.Add(200, contracts.ContentType, "", []byte(`{"MfaConfiguration":null,"SmsMfaConfiguration":{}}`))
	f.Add(400, "", "", []byte(`{"code":7}`))
	pool := contracts.Pool{ID: "us-east-1_Abc123XYZ", Tier: contracts.TierEssentials,
		EmailSendingAccount: contracts.SendingDeveloper, FirstAuthFactors: []string{contracts.FactorPassword}}
	w := contracts.DefaultWorld()
	w.Pools = []contracts.Pool{pool}
	set, get := contracts.Target(contracts.OpSetUserPoolMfaConfig), contracts.Target(contracts.OpGetUserPoolMfaConfig)
	calls := []struct{ target, body string }{
		{set, `{"UserPoolId":"us-east-1_Abc123XYZ"}`},
		{set, `{"UserPoolId":"us-east-1_Abc123XYZ","MfaConfiguration":"ON"}`},
		{get, `{"UserPoolId":"us-east-1_Abc123XYZ"}`},
		{get, `{"UserPoolId":"bad id"}`},
		{contracts.Target(contracts.OpDescribeUserPool), `{"UserPoolId":"us-east-1_Abc123XYZ"}`},
		{contracts.TargetPrefix + ".NoSuchOperation", `{}`},
	}
	f.Fuzz(func(t *testing.T, status int, ctype, errType string, body []byte) {
		h := http.Header{}
		h.Set("Content-Type", ctype)
		if errType != "" {
			h.Set("X-Amzn-ErrorType", errType)
		}
		s := judge.New(w, false)
		for _, c := range calls {
			x := &judge.Exchange{Target: c.target, ContentType: contracts.ContentType, RequestBody: []byte(c.body),
				Status: status, Header: h, Body: body}
			j := s.Judge(x)
			if j.BodyMatches && (status < 200 || status > 299) {
				t.Fatalf("a %d answer judged as a matching success body", status)
			}
		}
	})
}

// FuzzDecodeSet: any body either decodes or is a SerializationError; what
// decodes validates without panicking and survives a round trip.
func FuzzDecodeSet(f *testing.F) {
	f.Add([]byte(`{"UserPoolId":"us-east-1_Abc","MfaConfiguration":"ON","SoftwareTokenMfaConfiguration":{"Enabled":true}}`))
	f.Add([]byte(`{"SmsMfaConfiguration":{"SmsConfiguration":{"SnsCallerArn":5}}}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(``))
	f.Add([]byte(`{"EmailMfaConfiguration":{"Message":"\u2028{####}"}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, v, err := contracts.DecodeSet(body)
		if err != nil {
			if _, ok := err.(*contracts.SerializationError); !ok {
				t.Fatalf("error of type %T, want *SerializationError", err)
			}
			return
		}
		_ = contracts.Validate(contracts.SetUserPoolMfaConfigRequest(), v)
		again, _, err := contracts.DecodeSet(harnessJSON(t, req))
		if err != nil || !reflect.DeepEqual(req, again) {
			t.Fatalf("round trip: %v\n%+v\n%+v", err, req, again)
		}
		exp := contracts.ExpectSet(contracts.DefaultWorld(), &contracts.Pool{ID: "us-east-1_Abc", Tier: contracts.TierLite,
			EmailSendingAccount: contracts.SendingCognitoDefault, FirstAuthFactors: []string{contracts.FactorWebAuthn}}, req)
		if len(exp.Outcomes) == 0 {
			t.Fatal("an expectation with no allowed outcome")
		}
	})
}
