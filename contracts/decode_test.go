package contracts_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	c "github.com/mfaconform/mfaconform/contracts"
)

func TestDecodeSet(t *testing.T) {
	for _, r := range []struct {
		name, fact string
		body       string
		want       *c.SetRequest // nil: a SerializationError is expected
		path       string        // the error's Path
	}{
		{"empty body is {}", "§0.1 servers MUST accept empty bodies", "", &c.SetRequest{}, ""},
		{"whitespace body is {}", "§0.1", " \n\t", &c.SetRequest{}, ""},
		{"empty object", "§0.1", "{}", &c.SetRequest{}, ""},
		{"full request", "§1.3", `{"UserPoolId":"us-east-1_a","MfaConfiguration":"ON","SoftwareTokenMfaConfiguration":{"Enabled":true},
			"SmsMfaConfiguration":{"SmsAuthenticationMessage":"{####}","SmsConfiguration":{"SnsCallerArn":"arn:x","ExternalId":"e","SnsRegion":"us-east-1"}},
			"EmailMfaConfiguration":{"Message":"m","Subject":"s"},"WebAuthnConfiguration":{"RelyingPartyId":"r","UserVerification":"required","FactorConfiguration":"SINGLE_FACTOR"}}`,
			&c.SetRequest{UserPoolId: s("us-east-1_a"), MfaConfiguration: s("ON"), SoftwareTokenMfaConfiguration: &c.SoftwareTokenMfaConfig{Enabled: yes},
				SmsMfaConfiguration:   &c.SmsMfaConfig{SmsAuthenticationMessage: s("{####}"), SmsConfiguration: &c.SmsConfiguration{SnsCallerArn: s("arn:x"), ExternalId: s("e"), SnsRegion: s("us-east-1")}},
				EmailMfaConfiguration: &c.EmailMfaConfig{Message: s("m"), Subject: s("s")},
				WebAuthnConfiguration: &c.WebAuthnConfig{RelyingPartyId: s("r"), UserVerification: s("required"), FactorConfiguration: s("SINGLE_FACTOR")}}, ""},
		{"Enabled false kept apart from absent", "§1.6 {} vs {\"Enabled\":false}", `{"SoftwareTokenMfaConfiguration":{"Enabled":false}}`,
			&c.SetRequest{SoftwareTokenMfaConfiguration: &c.SoftwareTokenMfaConfig{Enabled: no}}, ""},
		{"empty TOTP block", "§1.6 Go SDK sends {}", `{"SoftwareTokenMfaConfiguration":{}}`,
			&c.SetRequest{SoftwareTokenMfaConfiguration: &c.SoftwareTokenMfaConfig{}}, ""},
		{"nulls are absent", "protocol.malformed-request; null = absent", `{"UserPoolId":null,"SmsMfaConfiguration":null,"WebAuthnConfiguration":{"RelyingPartyId":null}}`,
			&c.SetRequest{WebAuthnConfiguration: &c.WebAuthnConfig{}}, ""},
		{"unknown members ignored", "awsJson: unknown members ignored", `{"UserPoolId":"p_1","Nope":[1,2],"WebAuthnConfiguration":{"Extra":{"x":1}}}`,
			&c.SetRequest{UserPoolId: s("p_1"), WebAuthnConfiguration: &c.WebAuthnConfig{}}, ""},
		{"malformed JSON", "protocol.malformed-request", `{"UserPoolId":`, nil, ""},
		{"not JSON", "protocol.malformed-request", `UserPoolId=x`, nil, ""},
		{"array body", "protocol.malformed-request: not an object", `[]`, nil, ""},
		{"string body", "protocol.malformed-request: not an object", `"x"`, nil, ""},
		{"null body", "protocol.malformed-request: not an object", `null`, nil, ""},
		{"trailing data", "protocol.malformed-request", `{} {}`, nil, ""},
		{"trailing garbage", "protocol.malformed-request", `{"UserPoolId":"p_1"}x`, nil, ""},
		{"number for string", "protocol.malformed-request", `{"UserPoolId":5}`, nil, "userPoolId"},
		{"string for boolean", "protocol.malformed-request", `{"SoftwareTokenMfaConfiguration":{"Enabled":"true"}}`, nil, "softwareTokenMfaConfiguration.enabled"},
		{"string for structure", "protocol.malformed-request", `{"SmsMfaConfiguration":"x"}`, nil, "smsMfaConfiguration"},
		{"array for structure", "protocol.malformed-request", `{"EmailMfaConfiguration":[]}`, nil, "emailMfaConfiguration"},
		{"bool for enum", "protocol.malformed-request", `{"MfaConfiguration":false}`, nil, "mfaConfiguration"},
		{"depth 3 number", "protocol.malformed-request", `{"SmsMfaConfiguration":{"SmsConfiguration":{"SnsRegion":1}}}`, nil, "smsMfaConfiguration.smsConfiguration.snsRegion"},
		{"depth 2 object for string", "protocol.malformed-request", `{"WebAuthnConfiguration":{"UserVerification":{}}}`, nil, "webAuthnConfiguration.userVerification"},
		{"depth 2 structure wrong", "protocol.malformed-request", `{"SmsMfaConfiguration":{"SmsConfiguration":true}}`, nil, "smsMfaConfiguration.smsConfiguration"},
	} {
		t.Run(r.name, func(t *testing.T) {
			got, v, err := c.DecodeSet([]byte(r.body))
			if r.want == nil {
				var se *c.SerializationError
				if !errors.As(err, &se) {
					t.Fatalf("err = %v, want a SerializationError", err)
				}
				if se.Path != r.path {
					t.Errorf("Path = %q, want %q (%v)", se.Path, r.path, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			if diff := cmp.Diff(r.want, got); diff != "" {
				t.Errorf("request (-want +got):\n%s", diff)
			}
			if v == nil {
				t.Errorf("value is nil")
			}
		})
	}
}

func TestDecodeGet(t *testing.T) {
	got, _, err := c.DecodeGet([]byte(`{"UserPoolId":"us-east-1_a","MfaConfiguration":"ON"}`))
	if err != nil || deref2(got.UserPoolId) != "us-east-1_a" {
		t.Errorf("DecodeGet = %+v, %v", got, err)
	}
	if _, _, err := c.DecodeGet([]byte(`{"UserPoolId":["x"]}`)); err == nil {
		t.Errorf("array UserPoolId accepted")
	}
	got, _, err = c.DecodeGet(nil)
	if err != nil || got.UserPoolId != nil {
		t.Errorf("empty body: %+v, %v", got, err)
	}
}

func TestDecodeValueKeepsUnknown(t *testing.T) {
	v, err := c.DecodeValue(c.SetUserPoolMfaConfigRequest(), []byte(`{"X":1,"UserPoolId":"p_1"}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := v["X"]; !ok {
		t.Errorf("unknown member dropped: %v", v)
	}
	if vs := c.Validate(c.SetUserPoolMfaConfigRequest(), v); len(vs) != 0 {
		t.Errorf("unknown member validated: %v", vs)
	}
}

func deref2(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}
