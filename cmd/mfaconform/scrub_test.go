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
			url := leaky(t, tc.echoErrors...)
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
				for _, leak := range []string{leakKeyID, leakSecret, leakToken, leakAccount, leakEmail, leakPhone, "AKIDMFACONFORMFAKE00"} {
					if i := strings.Index(text, leak); i >= 0 {
						t.Errorf("%s holds %q: …%s…", name, leak, text[max(i-80, 0):min(i+80, len(text))])
					}
				}
			}
			if !redacted {
				t.Errorf("nothing was redacted: the target's echo did not reach the output (%s)\n%v", tc.reason, outputs)
			}
		})
	}
}
