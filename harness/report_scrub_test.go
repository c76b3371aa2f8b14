package harness_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/fuzz"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/internal/config"
)

// What a leaky target echoes. The signing secret is harness/client.go's:
// it never goes on the wire, but an emulator set up with the same fake
// credentials knows it.
const (
	leakKeyID     = "AKIAMFACONFORMLEAK01"
	leakSecret    = "leakySecretKey/mfaconform+DoNotUse0123456789"
	leakToken     = "FwoGZXIvYXdzLEAKYSESSIONTOKENmfaconform0123456789abcdef"
	leakAccount   = "210987654321"
	leakRole      = "arn:aws:iam::" + leakAccount + ":role/leak"
	leakEmail     = "jane.doe@corp.example.org"
	leakPhone     = "+14155550123"
	signingSecret = "mfaconform-fake-secret-key"
	signingKeyID  = "AKIDMFACONFORMFAKE00"
)

// leaks are the strings no report may hold, by name.
var leaks = map[string]string{"access key ID": leakKeyID, "secret key": leakSecret, "session token": leakToken,
	"account ID": leakAccount, "email": leakEmail, "phone number": leakPhone,
	"signing secret": signingSecret, "signing key ID": signingKeyID}

// credential is the access key ID of a SigV4 Authorization header.
var credential = regexp.MustCompile(`Credential=([^/]+)/`)

// echoing is a target that echoes the credentials of its environment, the
// key the call was signed with, another account's role, an email and a
// phone number into its error messages and its GetUserPoolMfaConfig
// bodies; echoes counts the answers it changed.
func echoing(echoes *atomic.Int64) func(http.RoundTripper) http.RoundTripper {
	return func(next http.RoundTripper) http.RoundTripper {
		return rewriter{}.wrapWith(next, func(r *http.Request, c *call) func(a *answer) {
			signedWith := ""
			if m := credential.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
				signedWith = m[1]
			}
			echo := strings.Join([]string{"key", leakKeyID, "secret", leakSecret, "token", leakToken, "signed with", signedWith,
				signingSecret, "by", leakRole, "for", leakEmail, "at", leakPhone}, " ")
			return func(a *answer) {
				if a.Body == nil || (c.Op != contracts.OpSetUserPoolMfaConfig && c.Op != contracts.OpGetUserPoolMfaConfig) {
					return
				}
				switch {
				case a.Status >= 400:
					msg, _ := a.Body["message"].(string)
					a.Body["message"] = msg + " (" + echo + ")"
				case c.Op == contracts.OpGetUserPoolMfaConfig:
					a.Body["SmsMfaConfiguration"] = map[string]any{"SmsAuthenticationMessage": "{####} " + echo,
						"SmsConfiguration": map[string]any{"SnsCallerArn": leakRole, "ExternalId": leakEmail}}
				default:
					return
				}
				echoes.Add(1)
			}
		})
	}
}

// leakyCase sends the email and phone number in an accepted Set (the next
// call's prior state), another account's role in a rejected one, and
// reads the configuration back.
func leakyCase() fuzz.Case {
	set := func(msg, role string) fuzz.Step {
		return fuzz.Step{Op: fuzz.OpSet, Pool: fuzz.PoolCurrent, Set: &contracts.SetRequest{
			MfaConfiguration: contracts.String(contracts.MfaOn),
			SmsMfaConfiguration: &contracts.SmsMfaConfig{SmsAuthenticationMessage: contracts.String(msg),
				SmsConfiguration: &contracts.SmsConfiguration{SnsCallerArn: contracts.String(role), ExternalId: contracts.String(leakEmail)}}}}
	}
	return fuzz.Case{Kind: "leak", Pool: fuzz.PoolDefault, Steps: []fuzz.Step{
		set("Code {####}, call "+leakPhone, contracts.RoleTrusted),
		set("Code {####} for "+leakEmail, leakRole),
		{Op: fuzz.OpGet, Pool: fuzz.PoolCurrent, Get: &contracts.GetRequest{}},
	}}
}

// TestReportsHoldNoSecrets: a target that echoes secrets into its answers
// still fails its rules, and no report, nor the console, holds them:
// neither the failures as sent (whose prior state has the email and phone
// number) nor the shrunk ones (made of requests sent after the report's
// failures were kept).
func TestReportsHoldNoSecrets(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", leakKeyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", leakSecret)
	t.Setenv("AWS_SESSION_TOKEN", leakToken)
	for _, shrink := range []bool{false, true} {
		t.Run(fmt.Sprintf("shrink=%v", shrink), func(t *testing.T) {
			var echoes atomic.Int64
			target := harness.WrapTarget(harness.Reference(nil), echoing(&echoes))
			t.Cleanup(func() { target.Close() })
			rep, err := harness.Run(context.Background(), target, harness.WithStrictMessages(true), harness.WithShrink(shrink),
				config.OptionOf[harness.Option](func(c *config.Config) { c.Cases = []fuzz.Case{leakyCase()} }))
			if err != nil {
				t.Fatal(err)
			}
			if echoes.Load() < 2 {
				t.Fatalf("the target echoed into %d answers: the test tests nothing", echoes.Load())
			}
			if rep.Conforms() {
				t.Fatalf("a target that changes its answers conforms:\n%s", ruleTable(rep))
			}
			outputs := reportOutputs(t, rep)
			for kind, text := range outputs {
				for name, leak := range leaks {
					if i := strings.Index(text, leak); i >= 0 {
						t.Errorf("the %s output holds the %s %q: …%s…", kind, name, leak, text[max(i-80, 0):min(i+80, len(text))])
					}
				}
			}
			// The findings are still there, with the secrets replaced, and
			// the other account has one placeholder throughout.
			js := outputs["json"]
			for _, want := range []string{"REDACTED", "masked@example.invalid", "+00000000000", "arn:aws:iam::000000000001:role/leak",
				`"prior_state"`, `"differences"`} {
				if !strings.Contains(js, want) {
					t.Errorf("the JSON report has no %s: the findings lost what the target said\n%.3000s", want, js)
				}
			}
			if n, m := strings.Count(js, ":role/leak"), strings.Count(js, "000000000001:role/leak"); n != m {
				t.Errorf("the other account has more than one placeholder: %d of %d of its ARNs have 000000000001", m, n)
			}
		})
	}
}

// reportOutputs renders a report every way it is shown, by name.
func reportOutputs(t *testing.T, rep *harness.Report) map[string]string {
	t.Helper()
	named := *rep
	named.Target.Name = "leaky"
	out := map[string]string{}
	for kind, write := range map[string]func(io.Writer) error{
		"console":                    func(w io.Writer) error { rep.WriteConsole(w); return nil },
		"json":                       rep.WriteJSON,
		"junit":                      rep.WriteJUnit,
		"markdown":                   rep.WriteMarkdown,
		"markdown of a named target": named.WriteMarkdown,
	} {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		out[kind] = b.String()
	}
	return out
}
