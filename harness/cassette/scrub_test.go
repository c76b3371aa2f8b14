package cassette_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/fuzz"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/harness/cassette"
	"github.com/mfaconform/mfaconform/internal/config"
)

const (
	fakeKeyID   = "AKIAFAKEMFACONFORM42"
	fakeSecret  = "fakeSecretKey/mfaconform+DoNotUse0123456789"
	fakeToken   = "FwoGZXIvYXdzEFAKESESSIONTOKENmfaconform0123456789abcdef"
	fakeAccount = "210987654321"
	fakePhone   = "+14155550123"
	fakeEmail   = "jane.doe@corp.example.org"
)

// signer stands for a live SDK client: it signs with the environment's
// credentials, the material the recorder must drop.
type signer struct{ next http.RoundTripper }

func (s signer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+os.Getenv("AWS_ACCESS_KEY_ID")+
		"/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date, Signature=deadbeef"+os.Getenv("AWS_SECRET_ACCESS_KEY"))
	r.Header.Set("X-Amz-Security-Token", os.Getenv("AWS_SESSION_TOKEN"))
	r.Header.Set("X-Amz-Date", "20260101T000000Z")
	return s.next.RoundTrip(r)
}

// TestScrubbing records with fake credentials in the environment (and in
// every request's signature), a world whose roles are in a fake account,
// cases that send that account's role ARN, a phone number and an email,
// and asserts that none of them is anywhere in the file.
func TestScrubbing(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", fakeKeyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", fakeSecret)
	t.Setenv("AWS_SESSION_TOKEN", fakeToken)
	role := "arn:aws:iam::" + fakeAccount + ":role/nightly-sms"
	w := &contracts.World{Region: "us-east-1", Roles: []contracts.Role{
		{ARN: role, TrustsCognito: true, CanPublish: true},
		{ARN: "arn:aws:iam::" + fakeAccount + ":role/nightly-sms-untrusted", CanPublish: true},
	}}
	set := func(msg, arn string) fuzz.Step {
		return fuzz.Step{Op: fuzz.OpSet, Pool: fuzz.PoolCurrent, Set: &contracts.SetRequest{
			MfaConfiguration: contracts.String(contracts.MfaOn),
			SmsMfaConfiguration: &contracts.SmsMfaConfig{SmsAuthenticationMessage: contracts.String(msg),
				SmsConfiguration: &contracts.SmsConfiguration{SnsCallerArn: contracts.String(arn), ExternalId: contracts.String(fakeEmail)}}}}
	}
	cases := []fuzz.Case{{Kind: "scrub", Pool: fuzz.PoolDefault, Steps: []fuzz.Step{
		set("Code {####}, call "+fakePhone, role),
		set("Code {####} for "+fakeEmail, "arn:aws:iam::"+fakeAccount+":role/nightly-sms-untrusted"),
		{Op: fuzz.OpGet, Pool: fuzz.PoolCurrent, Get: &contracts.GetRequest{}},
	}}}
	path := filepath.Join(t.TempDir(), "scrubbed.yaml")
	ref := harness.Reference(w)
	t.Cleanup(func() { ref.Close() })
	rec := cassette.NewRecorder(path, cassette.NewHeader(ref.Info(), 1, cassette.Flags{Region: w.Region}, nil), w)
	target := harness.WrapTarget(harness.WrapTarget(ref, rec.Transport), func(next http.RoundTripper) http.RoundTripper { return signer{next} })
	rep, err := harness.Run(context.Background(), target, harness.WithWorld(w), harness.WithShrink(false), config.OptionOf[harness.Option](func(c *config.Config) { c.Cases = cases }))
	if err != nil {
		t.Fatal(err)
	}
	rec.Finish(rep, nil)
	if err := rec.Save(); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	// The traffic did carry them: the test would be empty otherwise.
	if !strings.Contains(text, "nightly-sms") || !strings.Contains(text, "SmsAuthenticationMessage") {
		t.Fatalf("the cassette does not hold the scrubbed cases:\n%.2000s", text)
	}
	for name, secret := range map[string]string{"access key ID": fakeKeyID, "secret key": fakeSecret, "session token": fakeToken,
		"account ID": fakeAccount, "phone number": fakePhone, "email": fakeEmail, "the harness's own fake key": "AKIDMFACONFORMFAKE00",
		"a signature": "Signature=", "Authorization": "Authorization", "security token header": "X-Amz-Security-Token",
		"X-Amz-Date": "X-Amz-Date", "invocation ID": "Amz-Sdk-Invocation-Id", "SDK request header": "Amz-Sdk-Request"} {
		if i := strings.Index(text, secret); i >= 0 {
			t.Errorf("%s %q is in the cassette: …%s…", name, secret, text[max(i-80, 0):min(i+80, len(text))])
		}
	}
	// The same account has one placeholder throughout, and the cassette
	// still loads and replays (the placeholders keep ARNs valid).
	if !strings.Contains(text, "arn:aws:iam::000000000001:role/nightly-sms") {
		t.Errorf("the fake account was not replaced by its placeholder 000000000001")
	}
	c, err := cassette.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	cw, err := c.World()
	if err != nil || cw.Role("arn:aws:iam::000000000001:role/nightly-sms") == nil {
		t.Errorf("the recorded world lost its scrubbed role: %v %+v", err, cw)
	}
}

func TestScrubberIsStableAndIdempotent(t *testing.T) {
	s := cassette.NewScrubber(nil)
	a := s.String("arn:aws:iam::111122223333:role/x and arn:aws:sns:us-east-1:444455556666:topic")
	b := s.String("arn:aws:iam::111122223333:role/y; account 444455556666")
	if a != "arn:aws:iam::000000000001:role/x and arn:aws:sns:us-east-1:000000000002:topic" {
		t.Errorf("first scrub: %s", a)
	}
	if b != "arn:aws:iam::000000000001:role/y; account 000000000002" {
		t.Errorf("the same accounts got other placeholders: %s", b)
	}
	if again := s.String(a); again != a {
		t.Errorf("scrubbing is not idempotent: %s -> %s", a, again)
	}
	if got := s.String("arn:aws:iam::123456789012:role/mfaconform-sms"); got != "arn:aws:iam::123456789012:role/mfaconform-sms" {
		t.Errorf("the documentation account was scrubbed: %s", got)
	}
	if got := s.String(`{"to":"+447700900123","mail":"a.b@c.io"}`); got != `{"to":"+000000000000","mail":"masked@example.invalid"}` {
		t.Errorf("phone/email masking: %s", got)
	}
}

// mentionsAccount rewrites every error message of a target to name an
// account outside any ARN, and says it in a header of its own too.
type mentionsAccount struct {
	next    http.RoundTripper
	account string
}

func (m mentionsAccount) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := m.next.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	b = bytes.ReplaceAll(b, []byte(`"message":"`), []byte(`"message":"account `+m.account+` says: `))
	resp.Body, resp.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
	resp.Header.Del("Content-Length")
	resp.Header.Set("X-Caller-Account", m.account)
	return resp, nil
}

// TestLooseAccountRecordedAndReplayed: a target that names an account
// outside any ARN, in its messages and headers, is recorded without it,
// reported without it, and its cassette replays to the run's verdict
// (the requests, which hold no such account, match as recorded).
func TestLooseAccountRecordedAndReplayed(t *testing.T) {
	w := contracts.DefaultWorld()
	path := filepath.Join(t.TempDir(), "loose.yaml")
	ref := harness.Reference(w)
	t.Cleanup(func() { ref.Close() })
	flags := cassette.Flags{Region: w.Region, Checks: 120, Parallel: 4, Rules: []string{"*"}, StrictMessages: true}
	rec := cassette.NewRecorder(path, cassette.NewHeader(ref.Info(), 1, flags, nil), w)
	wrapped := harness.WrapTarget(ref, func(next http.RoundTripper) http.RoundTripper { return mentionsAccount{next, fakeAccount} })
	rep, err := harness.Run(context.Background(), harness.WrapTarget(wrapped, rec.Transport), harness.WithChecks(120),
		harness.WithSeed(1), harness.WithParallel(4), harness.WithWorld(w), harness.WithRegion(w.Region),
		harness.WithStrictMessages(true))
	if err != nil {
		t.Fatal(err)
	}
	rec.Finish(rep, nil)
	if err := rec.Save(); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), "account 000000000001 says: ") {
		t.Fatalf("the cassette does not hold the rewritten messages with the account's placeholder")
	}
	var js bytes.Buffer
	if err := rep.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	for what, text := range map[string]string{"cassette": string(raw), "JSON report": js.String()} {
		if i := strings.Index(text, fakeAccount); i >= 0 {
			t.Errorf("the %s holds the account: …%s…", what, text[max(i-80, 0):min(i+80, len(text))])
		}
	}
	if rep.Conforms() {
		t.Fatalf("the messages differ from AWS's and strict messages are on, yet the run conforms")
	}
	c, err := cassette.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	replayed, stats, err := cassette.Replay(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Missed > 0 || stats.Unused > 0 {
		t.Errorf("replay used the cassette partly: %+v", stats)
	}
	if err := cassette.SameVerdict(c.Header.Verdict, replayed); err != nil {
		t.Errorf("replay judged otherwise than the recording:\n%v", err)
	}
}
