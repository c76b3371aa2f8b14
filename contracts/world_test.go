package contracts_test

import (
	"strings"
	"testing"

	c "github.com/mfaconform/mfaconform/contracts"
)

func TestReadWorld(t *testing.T) {
	good := `{"region":"eu-west-1","roles":[{"arn":"arn:aws:iam::123456789012:role/sms","trustsCognito":true,"canPublish":true}],
		"pools":[{"id":"eu-west-1_abc","tier":"ESSENTIALS","emailSendingAccount":"DEVELOPER","firstAuthFactors":["PASSWORD"]}]}`
	for _, r := range []struct {
		name, fact, body string
		wantErr          string // empty: valid
	}{
		{"good file", "design.md fixture world", good, ""},
		{"default world round trip", "design.md", `{"region":"us-east-1","roles":[{"arn":"` + c.RoleTrusted + `","trustsCognito":true,"canPublish":true}]}`, ""},
		{"unknown field", "design.md --fixtures", `{"region":"us-east-1","roles":[],"colour":"blue"}`, "unknown field"},
		{"unknown nested field", "design.md --fixtures", `{"region":"us-east-1","roles":[{"arn":"` + c.RoleTrusted + `","trusts":true}]}`, "unknown field"},
		{"bad ARN", "§1.3 ArnType pattern", `{"region":"us-east-1","roles":[{"arn":"role/sms"}]}`, `role "role/sms" is not an ARN`},
		{"bad pool id", "§1.3 UserPoolIdType pattern", `{"region":"us-east-1","roles":[],"pools":[{"id":"pool 1"}]}`, `pool id "pool 1" does not match`},
		{"duplicate role", "design.md", `{"region":"us-east-1","roles":[{"arn":"` + c.RoleTrusted + `"},{"arn":"` + c.RoleTrusted + `"}]}`, "listed twice"},
		{"empty region", "design.md", `{"roles":[]}`, "region is empty"},
		{"unknown tier", "§3.4 tiers", `{"region":"us-east-1","roles":[],"pools":[{"id":"a_b","tier":"GOLD"}]}`, `unknown tier "GOLD"`},
		{"unknown sending account", "M5", `{"region":"us-east-1","roles":[],"pools":[{"id":"a_b","emailSendingAccount":"SES"}]}`, "unknown emailSendingAccount"},
		{"several problems joined", "style.md: every violation", `{"roles":[{"arn":"x"}]}`, "region is empty; fixtures: role \"x\" is not an ARN"},
		{"not JSON", "", `{`, "fixtures:"},
	} {
		t.Run(r.name, func(t *testing.T) {
			w, err := c.ReadWorld(strings.NewReader(r.body))
			if r.wantErr == "" {
				if err != nil {
					t.Fatalf("ReadWorld: %v", err)
				}
				if w.Region == "" {
					t.Errorf("region lost: %+v", w)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), r.wantErr) {
				t.Errorf("err = %v, want it to contain %q", err, r.wantErr)
			}
		})
	}
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
