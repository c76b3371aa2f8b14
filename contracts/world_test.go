package contracts_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	c "github.com/mfaconform/mfaconform/contracts"
)

func TestReadWorld(t *testing.T) {
	const roles = `"roles":[{"arn":"arn:aws:iam::123456789012:role/sms","trusts_cognito":true,"can_publish":true}]`
	good := `{"region":"eu-west-1",` + roles + `,
		"pools":[{"id":"eu-west-1_abc","tier":"ESSENTIALS","email_sending_account":"DEVELOPER","first_auth_factors":["PASSWORD"]}]}`
	region := func(r string) string { return `{"region":"` + r + `","roles":[]}` }
	pools := func(ps string) string { return `{"region":"us-east-1","roles":[],"pools":[` + ps + `]}` }
	for _, r := range []struct {
		name, reason, body string
		// fields are the FixtureError fields at fault, in order; want is
		// a part of the message. Both empty: the file is valid.
		fields []string
		want   string
	}{
		{"good file", "design.md fixture world", good, nil, ""},
		{"default world round trip", "design.md", `{"region":"us-east-1","roles":[{"arn":"` + c.RoleTrusted + `","trusts_cognito":true,"can_publish":true}]}`, nil, ""},
		{"trailing newlines", "a file ends with a newline", good + "\n\n", nil, ""},
		{"trailing object", "one file is one world; a second would be ignored", good + `{"region":"us-east-1"}`, []string{""}, "trailing data after the world object at byte"},
		{"trailing garbage", "one file is one world", good + ` x`, []string{""}, "trailing data"},
		{"unknown field", "docs/fixtures.md: unknown fields are an error", `{"region":"us-east-1","roles":[],"colour":"blue"}`, nil, `unknown field "colour"`},
		{"unknown nested field", "docs/fixtures.md", `{"region":"us-east-1","roles":[{"arn":"` + c.RoleTrusted + `","trusts":true}]}`, nil, `unknown field "trusts"`},
		{"unknown field in the MFA state", "docs/fixtures.md: mfa is the body Get returns", pools(`{"id":"a_b","mfa":{"Mode":"ON"}}`), nil, `unknown field "Mode"`},
		{"not JSON", "", `{`, nil, "fixtures:"},
		{"old camelCase names", "earlier fixture files (and cassette headers) still read",
			`{"region":"eu-west-1","roles":[{"arn":"` + c.RoleTrusted + `","trustsCognito":true,"canPublish":true}],
			"pools":[{"id":"a_b","emailSendingAccount":"DEVELOPER","firstAuthFactors":["PASSWORD"],"smsConfiguration":{"SnsCallerArn":"` + c.RoleTrusted + `"}}]}`, nil, ""},
		{"old name with an unknown member", "old names do not switch off the unknown-member check",
			`{"region":"us-east-1","roles":[{"arn":"` + c.RoleTrusted + `","trustsCognito":true,"trusts":true}]}`, nil, `unknown field "trusts"`},
		{"old and new name together", "which one meant it is a guess; refuse",
			`{"region":"us-east-1","roles":[{"arn":"` + c.RoleTrusted + `","trustsCognito":true,"trusts_cognito":false}]}`, nil, `both "trusts_cognito" and its old name "trustsCognito"`},
		{"old name's error at the new path", "Check names fields as the tool writes them now", pools(`{"id":"a_b","emailSendingAccount":"SES"}`),
			[]string{"pools[0].email_sending_account"}, `unknown email_sending_account "SES"`},

		{"empty region", "docs/fixtures.md: region is required", `{"roles":[]}`, []string{"region"}, "missing"},
		{"region us-gov-west-1", "GovCloud: partition qualifier", region("us-gov-west-1"), nil, ""},
		{"region cn-north-1", "China partition", region("cn-north-1"), nil, ""},
		{"region eu-central-2", "two-digit families are numbered", region("eu-central-2"), nil, ""},
		{"region us-isob-east-1", "ISO partition qualifier", region("us-isob-east-1"), nil, ""},
		{"region without number", "a region ends in its number", region("us-east"), []string{"region"}, `"us-east" is not an AWS region`},
		{"region without dashes", "region names are dashed", region("useast1"), []string{"region"}, "is not an AWS region"},
		{"region in capitals", "region names are lower case", region("US-EAST-1"), []string{"region"}, "is not an AWS region"},
		{"availability zone", "a zone is not a region", region("us-east-1a"), []string{"region"}, "is not an AWS region"},
		{"region with space", "pool IDs start with the region", region(" us-east-1"), []string{"region"}, "is not an AWS region"},

		{"bad ARN", "§1.3 ArnType pattern", `{"region":"us-east-1","roles":[{"arn":"role/sms"}]}`, []string{"roles[0].arn"}, `"role/sms" is not an ARN`},
		{"duplicate role", "design.md: one entry per role", `{"region":"us-east-1","roles":[{"arn":"` + c.RoleTrusted + `"},{"arn":"` + c.RoleTrusted + `"}]}`, []string{"roles[1].arn"}, "listed twice (first as roles[0])"},
		{"bad pool id", "§1.3 UserPoolIdType pattern", pools(`{"id":"pool 1"}`), []string{"pools[0].id"}, `"pool 1" does not match`},
		{"duplicate pool id", "one pool, one state: a second entry would be ignored", pools(`{"id":"a_b"},{"id":"a_c"},{"id":"a_b","tier":"LITE"}`), []string{"pools[2].id"}, `"a_b" listed twice (first as pools[0])`},
		{"unknown tier", "§3.4 tiers", pools(`{"id":"a_b","tier":"GOLD"}`), []string{"pools[0].tier"}, `unknown tier "GOLD"`},
		{"unknown sending account", "M5", pools(`{"id":"a_b","email_sending_account":"SES"}`), []string{"pools[0].email_sending_account"}, `unknown email_sending_account "SES"`},
		{"unknown first factor", "docs/fixtures.md first_auth_factors", pools(`{"id":"a_b","first_auth_factors":["PASSWORD","OTP"]}`), []string{"pools[0].first_auth_factors[1]"}, `unknown factor "OTP"`},
		{"SMS configuration without role", "§1.3 SmsConfigurationType: SnsCallerArn required", pools(`{"id":"a_b","sms_configuration":{"ExternalId":"x"}}`), []string{"pools[0].sms_configuration.SnsCallerArn"}, "missing"},

		{"MFA state", "§3.3 a Get body", pools(`{"id":"a_b","mfa":{"MfaConfiguration":"ON","SoftwareTokenMfaConfiguration":{"Enabled":true}}}`), nil, ""},
		{"invalid MFA mode", "§1.3 UserPoolMfaType", pools(`{"id":"a_b","mfa":{"MfaConfiguration":"MAYBE"}}`), []string{"pools[0].mfa.MfaConfiguration"}, `"MAYBE" fails: Member must satisfy enum value set`},
		{"MFA mode in lower case", "M9: the enum is case-sensitive", pools(`{"id":"a_b","mfa":{"MfaConfiguration":"off"}}`), []string{"pools[0].mfa.MfaConfiguration"}, `"off" fails`},
		{"MFA state without mode", "§3.3: Get always shows the mode", pools(`{"id":"a_b"},{"id":"a_c","mfa":{}}`), []string{"pools[1].mfa.MfaConfiguration"}, "missing"},
		{"invalid SMS message in MFA state", "§1.3 SmsVerificationMessageType", pools(`{"id":"a_b","mfa":{"MfaConfiguration":"ON","SmsMfaConfiguration":{"SmsAuthenticationMessage":"no code here"}}}`),
			[]string{"pools[0].mfa.SmsMfaConfiguration.SmsAuthenticationMessage"}, "regular expression pattern"},

		{"several problems joined", "style.md: every violation, on one line for serve",
			`{"roles":[{"arn":"x"}],"pools":[{"id":"a_b","mfa":{"MfaConfiguration":"NO"}},{"id":"a_b"}]}`,
			[]string{"region", "roles[0].arn", "pools[0].mfa.MfaConfiguration", "pools[1].id"}, "fixtures: region: missing; fixtures: roles[0].arn: "},
	} {
		t.Run(r.name, func(t *testing.T) {
			w, err := c.ReadWorld(strings.NewReader(r.body))
			if r.want == "" {
				if err != nil {
					t.Fatalf("ReadWorld: %v (%s)", err, r.reason)
				}
				if w.Region == "" {
					t.Errorf("region lost: %+v", w)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), r.want) {
				t.Fatalf("err = %v, want it to contain %q (%s)", err, r.want, r.reason)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("err = %q spans lines; serve prints a one-line reason", err)
			}
			if got := faultFields(err); !slices.Equal(got, r.fields) {
				t.Errorf("fields at fault = %q, want %q (%s); err = %v", got, r.fields, r.reason, err)
			}
		})
	}
}

// faultFields lists the fields of the FixtureErrors in err, in order.
func faultFields(err error) []string {
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		var out []string
		for _, e := range joined.Unwrap() {
			out = append(out, faultFields(e)...)
		}
		return out
	}
	var fe *c.FixtureError
	if errors.As(err, &fe) {
		return []string{fe.Field}
	}
	return nil
}

func TestDefaultWorld(t *testing.T) {
	w := c.DefaultWorld()
	if err := w.Check(); err != nil {
		t.Fatal(err)
	}
	for _, r := range []struct {
		arn            string
		trust, publish bool
	}{{c.RoleTrusted, true, true}, {c.RoleUntrusted, false, true}, {c.RoleNoPublish, true, false}} {
		role := w.Role(r.arn)
		if role == nil || role.TrustsCognito != r.trust || role.CanPublish != r.publish {
			t.Errorf("role %s = %+v, want trust %t publish %t (design.md fixture world)", r.arn, role, r.trust, r.publish)
		}
	}
	if w.Role("arn:aws:iam::123456789012:role/unknown") != nil {
		t.Errorf("unknown role found")
	}
}

// TestWorldOldNames reads a world written with the camelCase names of
// fixture files and cassette headers used before and checks it is the
// world the snake_case form gives, and that writing it uses the new names.
func TestWorldOldNames(t *testing.T) {
	const old = `{"region":"eu-west-1",
		"roles":[{"arn":"arn:aws:iam::123456789012:role/sms","trustsCognito":true,"canPublish":false}],
		"pools":[{"id":"eu-west-1_abc","tier":"ESSENTIALS","emailSendingAccount":"DEVELOPER","firstAuthFactors":["PASSWORD","EMAIL_OTP"],
			"smsConfiguration":{"SnsCallerArn":"arn:aws:iam::123456789012:role/sms","ExternalId":"x"}}]}`
	const now = `{"region":"eu-west-1",
		"roles":[{"arn":"arn:aws:iam::123456789012:role/sms","trusts_cognito":true,"can_publish":false}],
		"pools":[{"id":"eu-west-1_abc","tier":"ESSENTIALS","email_sending_account":"DEVELOPER","first_auth_factors":["PASSWORD","EMAIL_OTP"],
			"sms_configuration":{"SnsCallerArn":"arn:aws:iam::123456789012:role/sms","ExternalId":"x"}}]}`
	fromOld, err := c.ReadWorld(strings.NewReader(old))
	if err != nil {
		t.Fatalf("old form: %v", err)
	}
	fromNew, err := c.ReadWorld(strings.NewReader(now))
	if err != nil {
		t.Fatalf("new form: %v", err)
	}
	if d := cmp.Diff(fromNew, fromOld); d != "" {
		t.Errorf("old form reads differently (-new +old):\n%s", d)
	}
	b, err := json.Marshal(fromOld)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"trustsCognito", "canPublish", "emailSendingAccount", "firstAuthFactors", "smsConfiguration"} {
		if bytes.Contains(b, []byte(`"`+name+`"`)) {
			t.Errorf("written world %s still has the old name %q", b, name)
		}
	}
}

// TestWorldExternalIDLength: a role's external ID is bounded as the model
// bounds ExternalId (StringType max 131072), counted in UTF-16 code
// units, as Validate counts: not in bytes, which refused an ID of
// 131072 two-byte characters that AWS takes.
func TestWorldExternalIDLength(t *testing.T) {
	for _, r := range []struct {
		name, reason, id string
		ok               bool
	}{
		{"max ascii", "131072 units", strings.Repeat("a", 131072), true},
		{"max two-byte", "131072 units in 262144 bytes", strings.Repeat("é", 131072), true},
		{"one over", "131073 units", strings.Repeat("é", 131073), false},
		{"astral", "65537 points above U+FFFF are 131074 units", strings.Repeat("𝄞", 65537), false},
	} {
		t.Run(r.name, func(t *testing.T) {
			w := c.DefaultWorld()
			w.Roles[0].ExternalID = r.id
			err := w.Check()
			if (err == nil) != r.ok {
				t.Errorf("Check() = %v, want ok %t (%s)", err, r.ok, r.reason)
			}
			if !r.ok && !slices.Equal(faultFields(err), []string{"roles[0].external_id"}) {
				t.Errorf("fields at fault %q, want roles[0].external_id", faultFields(err))
			}
		})
	}
}
