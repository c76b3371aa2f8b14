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

// TestLooseAccountIsScrubbed: an account ID a target mentions outside an
// ARN, never seen in one, is scrubbed as one inside an ARN would be (the
// same placeholder for the same account); the documentation account,
// placeholders and twelve digits that are part of something else are
// kept.
func TestLooseAccountIsScrubbed(t *testing.T) {
	s := scrub.New(nil)
	tests := []struct {
		name, reason, in, want string
	}{
		{"in a message", "an account named in prose", "User 999988887777 is not authorized", "User 000000000001 is not authorized"},
		{"in JSON", "an STS answer's Account member", `{"Account":"444455556666"}`, `{"Account":"000000000002"}`},
		{"then in an ARN", "the same account has the same placeholder", "arn:aws:iam::999988887777:role/x", "arn:aws:iam::000000000001:role/x"},
		{"at the ends", "a text that is the account alone", "111122223333", "000000000003"},
		{"documentation account", "nobody's, kept", "account 123456789012", "account 123456789012"},
		{"placeholder", "scrubbing is idempotent", "account 000000000001", "account 000000000001"},
		{"pool ID", "a suffix of digits after the region", "us-east-1_555566667777", "us-east-1_555566667777"},
		{"longer number", "thirteen digits are not an account", "1764693000123 and 17646930001", "1764693000123 and 17646930001"},
		{"decimal", "a date in seconds with a fraction", `{"CreationDate":1764693000.123456789012}`, `{"CreationDate":1764693000.123456789012}`},
		{"decimal integer part", "a number, not an account", "555566667777.25", "555566667777.25"},
		{"request ID", "a UUID's last group", "x-amzn-requestid: 1b2c3d4e-1111-2222-3333-777788889999", "x-amzn-requestid: 1b2c3d4e-1111-2222-3333-777788889999"},
		{"phone number", "masked as a phone number, not an account", "call +441234567890", "call +000000000000"},
	}
	for _, tt := range tests {
		if got := s.String(tt.in); got != tt.want {
			t.Errorf("%s (%s): String(%q) = %q, want %q", tt.name, tt.reason, tt.in, got, tt.want)
		}
	}
}
