package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness/emulator"
	"github.com/mfaconform/mfaconform/harness/ledger"
)

// runArgs runs the command line and returns its exit status and what it
// printed.
func runArgs(args ...string) (int, string) {
	var stdout, stderr bytes.Buffer
	code := dispatch(args, &stdout, &stderr)
	return code, stdout.String() + stderr.String()
}

func writeFile(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestLedgerPastItsCapIsRefused: a ledger larger than its cap is exit 2
// naming the cap. Read in part, the entry cut at the cap lost its
// signature line, became an entry of the whole rule, and accepted a
// deviation it did not name: exit 0.
func TestLedgerPastItsCapIsRefused(t *testing.T) {
	head := "known:\n  - rule: set.off-with-factor\n    reason: "
	tail := "\n    signature: set.off-with-factor/SetUserPoolMfaConfig/rejected/-/-\n"
	pad := ledger.MaxSize - len(head) - 1 // the cap falls right after the reason's line
	b := []byte(head + strings.Repeat("x", pad) + tail)
	path := writeFile(t, "big.yaml", b)
	code, out := runArgs("run", "--endpoint", offWithFactorServer(t), "--checks", "300", "--known", path)
	if code != exitSetup || !strings.Contains(out, "8 MiB") || !strings.Contains(out, "not read in part") {
		t.Errorf("a ledger past its cap: exit %d, want 2 naming the cap of 8 MiB\n%.500s", code, out)
	}
}

// TestNarrowRulesWithALedger: a ledger and a narrow --rules. Every failure
// known and no rule passing is exit 0 (it was exit 2, "judged nothing"),
// and an entry of a rule the run did not check is not stale.
func TestNarrowRulesWithALedger(t *testing.T) {
	path := writeFile(t, "known.yaml", []byte("known:\n"+
		"  - rule: set.off-with-factor\n    reason: seeded bug of the test server\n"+
		"  - rule: set.echo\n    reason: not checked by this run\n"))
	code, out := runArgs("run", "--endpoint", offWithFactorServer(t), "--checks", "300", "--rules", "set.off-with-factor", "--known", path)
	if code != exitOK || !strings.Contains(out, "0 new, 0 expired; 0 stale") {
		t.Errorf("narrow rules, all failures known: exit %d, want 0 with no stale entry\n%s", code, out)
	}
}

// TestLeftoversFailTheRun: pools the cleanup could not delete make a run
// that conforms exit 2, each named (it was exit 0: a nightly job stayed
// green while leaking).
func TestLeftoversFailTheRun(t *testing.T) {
	srv := httptest.NewServer(refuseDeletes(emulator.New()))
	t.Cleanup(srv.Close)
	code, out := runArgs("run", "--endpoint", srv.URL, "--checks", "100", "--rules", "set.off-with-factor")
	if code != exitSetup || !strings.Contains(out, "could not delete pool") || !strings.Contains(out, "left") {
		t.Errorf("leftovers: exit %d, want 2 naming them\n%s", code, out)
	}
	code, out = runArgs("run", "--endpoint", offWithFactorServerLeaking(t), "--checks", "100", "--rules", "set.off-with-factor")
	if code != exitDeviation || !strings.Contains(out, "could not delete pool") {
		t.Errorf("leftovers and a deviation: exit %d, want 1 naming them\n%s", code, out)
	}
}

// refuseDeletes is next refusing every DeleteUserPool.
func refuseDeletes(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".DeleteUserPool") {
			w.Header().Set("Content-Type", contracts.ContentType)
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"__type":"NotAuthorizedException","message":"not allowed to delete"}`)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// offWithFactorServerLeaking is offWithFactorServer refusing every delete.
func offWithFactorServerLeaking(t *testing.T) string {
	broken, err := url.Parse(offWithFactorServer(t))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(refuseDeletes(httputil.NewSingleHostReverseProxy(broken)))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestCompareRefusesWhatIsNotComparable: reports of another target or
// contract revision, or missing a stable member, are exit 2; reports of
// another seed are flagged; a partial NEW (narrow rules) says nothing
// fixed of the rules it did not check, and is exit 2.
func TestCompareRefusesWhatIsNotComparable(t *testing.T) {
	url := offWithFactorServer(t)
	dir := t.TempDir()
	report := func(name string, want int, extra ...string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		args := append([]string{"run", "--endpoint", url, "--checks", "300", "--target-name", "fake", "--report", "json=" + p}, extra...)
		if code, out := runArgs(args...); code != want {
			t.Fatalf("%s: exit %d, want %d\n%s", name, code, want, out)
		}
		return p
	}
	full := report("full.json", exitDeviation)
	narrow := report("narrow.json", exitOK, "--rules", "set.echo")
	seed2 := report("seed2.json", exitDeviation, "--seed", "2")

	if code, out := runArgs("compare", full, narrow); code != exitSetup || !strings.Contains(out, "fixed deviations: 0") ||
		!strings.Contains(out, "not checked by NEW") || !strings.Contains(out, "NEW is partial") {
		t.Errorf("full -> narrow: exit %d, want 2, no deviation called fixed, NEW flagged partial\n%s", code, out)
	}
	if code, out := runArgs("compare", full, seed2); code == exitSetup || !strings.Contains(out, "WARNING: the runs are unlike: seed 1, then 2") {
		t.Errorf("another seed: exit %d, want the runs flagged unlike\n%s", code, out)
	}

	edit := func(name string, f func(map[string]any)) string {
		b, err := os.ReadFile(full)
		if err != nil {
			t.Fatal(err)
		}
		var v map[string]any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
		f(v)
		b, _ = json.Marshal(v)
		return writeFile(t, name, b)
	}
	other := edit("other.json", func(v map[string]any) { v["target"].(map[string]any)["name"] = "another" })
	if code, out := runArgs("compare", full, other); code != exitSetup || !strings.Contains(out, "another target") {
		t.Errorf("another target: exit %d, want 2\n%s", code, out)
	}
	rev := edit("rev.json", func(v map[string]any) { v["contract"] = "an older model" })
	if code, out := runArgs("compare", rev, full); code != exitSetup || !strings.Contains(out, "another contract revision") {
		t.Errorf("another contract: exit %d, want 2\n%s", code, out)
	}
	for _, member := range []string{"rules", "summary", "contract"} {
		cut := edit("cut.json", func(v map[string]any) { delete(v, member) })
		if code, out := runArgs("compare", full, cut); code != exitSetup || !strings.Contains(out, "no "+member) {
			t.Errorf("a report without %s: exit %d, want 2 naming it\n%s", member, code, out)
		}
	}
}
