package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness/emulator"
)

// offWithFactorServer is the reference emulator on loopback, broken: it
// accepts MfaConfiguration OFF with a TOTP block, keeps OFF alone (the
// pool's state stays one the contract allows) and echoes the request.
func offWithFactorServer(t *testing.T) string {
	t.Helper()
	ref := emulator.New()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var req map[string]any
		_ = json.Unmarshal(body, &req)
		_, totp := req["SoftwareTokenMfaConfiguration"]
		_, sms := req["SmsMfaConfiguration"]
		_, email := req["EmailMfaConfiguration"]
		if strings.HasSuffix(r.Header.Get("X-Amz-Target"), "."+contracts.OpSetUserPoolMfaConfig) &&
			req["MfaConfiguration"] == contracts.MfaOff && totp && !sms && !email {
			off, _ := json.Marshal(map[string]any{"UserPoolId": req["UserPoolId"], "MfaConfiguration": contracts.MfaOff})
			r.Body = io.NopCloser(bytes.NewReader(off))
			ref.ServeHTTP(httptest.NewRecorder(), r)
			delete(req, "UserPoolId")
			w.Header().Set("Content-Type", contracts.ContentType)
			_ = json.NewEncoder(w).Encode(req)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		ref.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestKnownGate: a nightly gate with a ledger. A run with deviations exits
// 1; a ledger written from its report makes the same run exit 0; a
// deviation the ledger lacks, an expired entry or (with --strict-known) a
// stale one flips it back to 1, naming it; a malformed ledger is exit 2
// with the line at fault.
func TestKnownGate(t *testing.T) {
	now = func() time.Time { return time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC) }
	t.Cleanup(func() { now = time.Now })
	url := offWithFactorServer(t)
	dir := t.TempDir()
	report := filepath.Join(dir, "report.json")
	run := func(extra ...string) (int, string) {
		var stdout, stderr bytes.Buffer
		args := append([]string{"run", "--endpoint", url, "--checks", "300"}, extra...)
		code := dispatch(args, &stdout, &stderr)
		return code, stdout.String() + stderr.String()
	}
	if code, out := run("--report", "json="+report); code != exitDeviation {
		t.Fatalf("the broken server: exit %d, want 1\n%s", code, out)
	}
	var ledgerYAML, stderr bytes.Buffer
	if code := dispatch([]string{"known", "--from", report, "--expires", "2027-01-31"}, &ledgerYAML, &stderr); code != exitOK {
		t.Fatalf("known --from: exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(ledgerYAML.String(), "rule: set.off-with-factor") || !strings.Contains(ledgerYAML.String(), "expires: \"2027-01-31\"") &&
		!strings.Contains(ledgerYAML.String(), "expires: 2027-01-31") {
		t.Fatalf("the ledger does not accept the deviation:\n%s", ledgerYAML.String())
	}
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	full := write("full.yaml", ledgerYAML.String())
	if code, out := run("--known", full); code != exitOK || !strings.Contains(out, "0 new, 0 expired") {
		t.Errorf("every deviation known: exit %d, want 0\n%s", code, out)
	}
	empty := write("empty.yaml", "known: []\n")
	if code, out := run("--known", empty); code != exitDeviation || !strings.Contains(out, "NEW      set.off-with-factor/") {
		t.Errorf("a deviation the ledger lacks: exit %d, want 1 naming it\n%s", code, out)
	}
	expired := write("expired.yaml", strings.ReplaceAll(ledgerYAML.String(), "2027-01-31", "2026-11-30"))
	if code, out := run("--known", expired); code != exitDeviation || !strings.Contains(out, "EXPIRED  set.off-with-factor/") {
		t.Errorf("an expired entry: exit %d, want 1 naming it\n%s", code, out)
	}
	stale := write("stale.yaml", ledgerYAML.String()+"  - rule: set.echo\n    reason: fixed upstream?\n")
	if code, out := run("--known", stale); code != exitOK || !strings.Contains(out, "STALE") {
		t.Errorf("a stale entry without --strict-known: exit %d, want 0 and it listed\n%s", code, out)
	}
	if code, out := run("--known", stale, "--strict-known"); code != exitDeviation {
		t.Errorf("a stale entry with --strict-known: exit %d, want 1\n%s", code, out)
	}
	bad := write("bad.yaml", "known:\n  - rule: set.echo\n    reason: x\n    expires: someday\n")
	if code, out := run("--known", bad); code != exitSetup || !strings.Contains(out, "line 4") {
		t.Errorf("a malformed ledger: exit %d, want 2 naming line 4\n%s", code, out)
	}
}
