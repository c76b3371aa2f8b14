package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness/emulator"
)

const (
	leakKeyID   = "AKIAMFACONFORMLEAK01"
	leakSecret  = "leakySecretKey/mfaconform+DoNotUse0123456789"
	leakToken   = "FwoGZXIvYXdzLEAKYSESSIONTOKENmfaconform0123456789abcdef"
	leakAccount = "210987654321"
	leakEmail   = "jane.doe@corp.example.org"
	leakPhone   = "+14155550123"
)

var credential = regexp.MustCompile(`Credential=([^/]+)/`)

// leaky serves the reference emulator on loopback, echoing the
// environment's credentials, the key a call was signed with, another
// account's role, an email and a phone number into the error messages of
// the operations in echoErrors (CreateUserPool: every call fails) and into
// every GetUserPoolMfaConfig body.
func leaky(t *testing.T, echoErrors ...string) string {
	t.Helper()
	em := emulator.New()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		em.ServeHTTP(rec, r)
		target := r.Header.Get("X-Amz-Target")
		op := target[strings.LastIndexByte(target, '.')+1:]
		var body map[string]any
		_ = json.Unmarshal(rec.Body.Bytes(), &body)
		signedWith := ""
		if m := credential.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
			signedWith = m[1]
		}
		echo := strings.Join([]string{leakKeyID, leakSecret, leakToken, signedWith, "arn:aws:iam::" + leakAccount + ":role/leak", leakEmail, leakPhone}, " ")
		status := rec.Code
		switch {
		case op == contracts.OpCreateUserPool && slices.Contains(echoErrors, op):
			status, body = http.StatusBadRequest, map[string]any{"__type": "InvalidParameterException", "message": "no pools for " + echo}
		case body != nil && status >= 400 && slices.Contains(echoErrors, op):
			body["message"] = body["message"].(string) + " (" + echo + ")"
		case body != nil && status == 200 && op == contracts.OpGetUserPoolMfaConfig:
			body["SmsMfaConfiguration"] = map[string]any{"SmsAuthenticationMessage": "{####} " + echo}
		}
		out := rec.Body.Bytes()
		if body != nil {
			out, _ = json.Marshal(body)
		}
		w.Header().Set("Content-Type", contracts.ContentType)
		if typ, ok := body["__type"].(string); ok {
			w.Header().Set("X-Amzn-ErrorType", typ)
		}
		w.WriteHeader(status)
		w.Write(out)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestRunPrintsNoSecrets drives mfaconform run against a target that
// echoes secrets: a run that finds deviations, and one that cannot create
// its fixtures. Neither stdout, stderr nor a report file holds them.
func TestRunPrintsNoSecrets(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", leakKeyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", leakSecret)
	t.Setenv("AWS_SESSION_TOKEN", leakToken)
	for _, tc := range []struct {
		name, reason string
		echoErrors   []string
		exit         int
	}{
		{"deviations", "the run judges the echoed answers", []string{contracts.OpSetUserPoolMfaConfig, contracts.OpGetUserPoolMfaConfig}, exitDeviation},
		{"setup error", "the setup error quotes the target", []string{contracts.OpCreateUserPool}, exitSetup},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			url := withUserinfo(leaky(t, tc.echoErrors...))
			var stdout, stderr bytes.Buffer
			args := []string{"run", "--endpoint", url, "--checks", "1", "--strict-messages"}
			for _, kind := range []string{"json", "junit", "markdown"} {
				args = append(args, "--report", kind+"="+filepath.Join(dir, "report."+kind))
			}
			if code := dispatch(args, &stdout, &stderr); code != tc.exit {
				t.Fatalf("exit %d, want %d (%s); stderr:\n%s", code, tc.exit, tc.reason, stderr.String())
			}
			outputs := map[string]string{"stdout": stdout.String(), "stderr": stderr.String()}
			files, _ := filepath.Glob(filepath.Join(dir, "report.*"))
			for _, f := range files {
				b, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				outputs[filepath.Base(f)] = string(b)
			}
			if tc.exit == exitDeviation && len(files) != 3 {
				t.Fatalf("reports written: %v", files)
			}
			redacted := false
			for name, text := range outputs {
				redacted = redacted || strings.Contains(text, "REDACTED")
				checkNoLeak(t, name, text)
			}
			if !redacted {
				t.Errorf("nothing was redacted: the target's echo did not reach the output (%s)\n%v", tc.reason, outputs)
			}
		})
	}
}

// The user name and password of an endpoint URL: reports name the
// endpoint, never them.
const (
	leakUser     = "mfauser"
	leakPassword = "leakyPassw0rd"
)

// withUserinfo puts leakUser and leakPassword into an http URL.
func withUserinfo(url string) string {
	return strings.Replace(url, "http://", "http://"+leakUser+":"+leakPassword+"@", 1)
}

// checkNoLeak fails the test for every secret text holds.
func checkNoLeak(t *testing.T, name, text string) {
	t.Helper()
	for _, leak := range []string{leakKeyID, leakSecret, leakToken, leakAccount, leakEmail, leakPhone, "AKIDMFACONFORMFAKE00", leakUser, leakPassword} {
		if i := strings.Index(text, leak); i >= 0 {
			t.Errorf("%s holds %q: …%s…", name, leak, text[max(i-80, 0):min(i+80, len(text))])
		}
	}
}

// TestDiffPrintsNoSecrets: mfaconform diff against a target that echoes
// secrets, at a URL with a user name and password, finds the differences
// and prints and writes none of the secrets.
func TestDiffPrintsNoSecrets(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", leakKeyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", leakSecret)
	t.Setenv("AWS_SESSION_TOKEN", leakToken)
	dir := t.TempDir()
	url := withUserinfo(leaky(t, contracts.OpSetUserPoolMfaConfig, contracts.OpGetUserPoolMfaConfig))
	var stdout, stderr bytes.Buffer
	args := []string{"diff", "--cassette", "../../cassettes/reference.yaml", "--endpoint", url}
	for _, kind := range []string{"json", "markdown", "html"} {
		args = append(args, "--report", kind+"="+filepath.Join(dir, "diff."+kind))
	}
	if code := dispatch(args, &stdout, &stderr); code != exitDeviation {
		t.Fatalf("exit %d, want %d (the echoes differ from the recording); stderr:\n%s", code, exitDeviation, stderr.String())
	}
	outputs := map[string]string{"stdout": stdout.String(), "stderr": stderr.String()}
	for _, kind := range []string{"json", "markdown", "html"} {
		b, err := os.ReadFile(filepath.Join(dir, "diff."+kind))
		if err != nil {
			t.Fatal(err)
		}
		outputs[kind] = string(b)
	}
	for name, text := range outputs {
		checkNoLeak(t, name, text)
	}
	var rep struct {
		Interactions []struct {
			Differences []struct{ Target string }
		}
	}
	if err := json.Unmarshal([]byte(outputs["json"]), &rep); err != nil {
		t.Fatal(err)
	}
	redacted := 0
	for _, in := range rep.Interactions {
		for _, d := range in.Differences {
			if strings.Contains(d.Target, "REDACTED") && strings.Contains(d.Target, "masked@example.invalid") {
				redacted++
			}
		}
	}
	if redacted == 0 {
		t.Errorf("no difference shows the scrubbed echo: the target's answers did not reach the report\n%s", outputs["stdout"])
	}
}
