package fuzz_test

import (
	"net/http"
	"reflect"
	"testing"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness"
)

// FuzzJudgeResponse: whatever a target sends back, the judge answers with
// findings and never panics; a 2xx body it accepts as matching really is a
// JSON object.
func FuzzJudgeResponse(f *testing.F) {
	f.Add(200, contracts.ContentType, "", []byte(`{"MfaConfiguration":"OFF"}`))
	f.Add(400, contracts.ContentType, "InvalidParameterException:", []byte(`{"__type":"InvalidParameterException","message":"x"}`))
	f.Add(200, "text/html", "", []byte(`<html>oops</html>`))
	f.Add(500, contracts.ContentType, "", []byte(`{"__type":"com.amazon#InternalErrorException","Message":"boom"}`))
	f.Add(200, contracts.ContentType, "", []byte(`{"MfaConfiguration":null,"SmsMfaConfiguration":{}}`))
	f.Add(400, "", "", []byte(`{"code":7}`))
	pool := &contracts.Pool{ID: "us-east-1_Abc123XYZ", Tier: contracts.TierEssentials,
		EmailSendingAccount: contracts.SendingDeveloper, FirstAuthFactors: []string{contracts.FactorPassword}}
	w := contracts.DefaultWorld()
	exps := []contracts.Expectation{
		contracts.ExpectSet(w, pool, &contracts.SetRequest{UserPoolId: &pool.ID}),
		contracts.ExpectSet(w, pool, &contracts.SetRequest{UserPoolId: &pool.ID, MfaConfiguration: contracts.String("ON")}),
		contracts.ExpectGet(w, pool, &contracts.GetRequest{UserPoolId: &pool.ID}),
		contracts.ExpectGet(w, nil, &contracts.GetRequest{UserPoolId: contracts.String("bad id")}),
		contracts.ExpectUnknownOperation(),
	}
	f.Fuzz(func(t *testing.T, status int, ctype, errType string, body []byte) {
		h := http.Header{}
		h.Set("Content-Type", ctype)
		if errType != "" {
			h.Set("X-Amzn-ErrorType", errType)
		}
		for _, exp := range exps {
			x := &harness.Exchange{Status: status, Header: h, Body: body, RequestBody: []byte(`{}`)}
			j := harness.Judge(exp, x, false)
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
