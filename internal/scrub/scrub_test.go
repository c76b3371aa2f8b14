package scrub_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/internal/scrub"
)

func TestGivenSecretsAreRedacted(t *testing.T) {
	t.Setenv("AWS_SECRET_ACCESS_KEY", "env-secret-value")
	s := scrub.New(nil, "signing-secret-value", "short", "")
	got := s.String("a signing-secret-value, an env-secret-value and a short one")
	if want := "a REDACTED, an REDACTED and a short one"; got != want {
		t.Errorf("String = %q, want %q (values under 8 characters are not secrets)", got, want)
	}
}

func TestWorldAccountsComeFirstInSortedOrder(t *testing.T) {
	w := &contracts.World{Roles: []contracts.Role{{ARN: "arn:aws:iam::999988887777:role/b"}, {ARN: "arn:aws:iam::111122223333:role/a"}}}
	s := scrub.New(w)
	got := s.String("arn:aws:sns:us-east-1:444455556666:t 999988887777 111122223333")
	if want := "arn:aws:sns:us-east-1:000000000003:t 000000000002 000000000001"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
}

func TestValue(t *testing.T) {
	s := scrub.New(nil)
	in := map[string]any{
		"arn:aws:iam::111122223333:role/k": []any{"call +14155550123", 3.0, true, nil},
		"Mail":                             map[string]any{"To": "jane@corp.example.org"},
	}
	want := map[string]any{
		"arn:aws:iam::000000000001:role/k": []any{"call +00000000000", 3.0, true, nil},
		"Mail":                             map[string]any{"To": scrub.MaskedEmail},
	}
	if diff := cmp.Diff(want, s.Value(in)); diff != "" {
		t.Errorf("Value (-want +got):\n%s", diff)
	}
	if in["Mail"].(map[string]any)["To"] != "jane@corp.example.org" {
		t.Errorf("Value changed the value it was given")
	}
}

func TestInto(t *testing.T) {
	s := scrub.New(nil)
	c := &contracts.MfaConfig{SmsMfaConfiguration: &contracts.SmsMfaConfig{SmsAuthenticationMessage: contracts.String("{####} from AKIAIOSFODNN7EXAMPLE"),
		SmsConfiguration: &contracts.SmsConfiguration{SnsCallerArn: contracts.String("arn:aws:iam::111122223333:role/r"), ExternalId: contracts.String("x")}}}
	got := scrub.Into(s, c)
	b, _ := json.Marshal(got)
	want := `{"SmsMfaConfiguration":{"SmsAuthenticationMessage":"{####} from REDACTED","SmsConfiguration":{"SnsCallerArn":"arn:aws:iam::000000000001:role/r","ExternalId":"x"}}}`
	if string(b) != want {
		t.Errorf("Into = %s, want %s", b, want)
	}
	if *c.SmsMfaConfiguration.SmsAuthenticationMessage != "{####} from AKIAIOSFODNN7EXAMPLE" {
		t.Errorf("Into changed the value it was given")
	}
	if scrub.Into[contracts.MfaConfig](s, nil) != nil {
		t.Errorf("Into(nil) is not nil")
	}
}

func TestBlankAccounts(t *testing.T) {
	if got := scrub.BlankAccounts("arn:aws:iam::111122223333:role/r", "<$1>"); got != "arn:aws:iam::<$1>:role/r" {
		t.Errorf("BlankAccounts = %q", got)
	}
}

// TestLiveAccountIsScrubbed: what a live run meets of its account (the STS
// answer of the account guard, the run's role ARNs under /mfaconform/,
// its pools' ARNs) leaves no trace of the account, and the role ARNs
// still match the ARN pattern afterwards.
func TestLiveAccountIsScrubbed(t *testing.T) {
	const acct = "210987654321"
	role := "arn:aws:iam::" + acct + ":role/mfaconform/mfaconform-1a2b3c4d-sms"
	w := &contracts.World{Region: "us-east-1", Roles: []contracts.Role{{ARN: role, TrustsCognito: true, CanPublish: true}}}
	s := scrub.New(w)
	sts := `<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:sts::` + acct +
		`:assumed-role/nightly/session</Arn><UserId>AROAABCDEFGHIJKLMNOP1:session</UserId><Account>` + acct +
		`</Account></GetCallerIdentityResult></GetCallerIdentityResponse>`
	pool := `{"UserPool":{"Arn":"arn:aws:cognito-idp:us-east-1:` + acct + `:userpool/us-east-1_Abc","Id":"us-east-1_Abc"}}`
	bare := "account " + acct + " alone"
	for _, in := range []string{sts, pool, role, bare} {
		got := s.String(in)
		if strings.Contains(got, acct) || strings.Contains(got, "AROAABCDEFGHIJKLMNOP1") {
			t.Errorf("String(%.60q...) = %q: the account or the role's ID is still there", in, got)
		}
	}
	if got := s.String(role); contracts.CompilePattern(contracts.ArnType().Pattern).Match(got) != contracts.Match {
		t.Errorf("scrubbed role ARN %q no longer matches ArnType", got)
	}
}

func TestEndpoint(t *testing.T) {
	for raw, want := range map[string]string{
		"http://127.0.0.1:9229":                     "http://127.0.0.1:9229",
		"http://user:s3cret@127.0.0.1:9229/":        "http://REDACTED@127.0.0.1:9229/",
		"https://token@emulator.example.com/prefix": "https://REDACTED@emulator.example.com/prefix",
		"http://us er:pa%zz@127.0.0.1:1":            "http://REDACTED@127.0.0.1:1",
		"not a url":                                 "not a url",
		"ftp://x@y:%zz":                             "ftp://REDACTED@y:%zz",
	} {
		if got := scrub.Endpoint(raw); got != want {
			t.Errorf("Endpoint(%q) = %q, want %q", raw, got, want)
		}
	}
}
