package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCompare: new, fixed and still-failing deviations between two
// reports; exit 1 only when NEW has a deviation OLD did not; a report of
// the format before signatures (no signature or count, priorState) reads
// as the same deviations.
func TestCompare(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken.json")
	clean := filepath.Join(dir, "clean.json")
	var out, errb bytes.Buffer
	if code := dispatch([]string{"run", "--endpoint", offWithFactorServer(t), "--checks", "300", "--target-name", "fake", "--report", "json=" + broken}, &out, &errb); code != exitDeviation {
		t.Fatalf("broken run: exit %d\n%s", code, errb.String())
	}
	if code := dispatch([]string{"run", "--checks", "300", "--target-name", "fake", "--report", "json=" + clean}, &out, &errb); code != exitOK {
		t.Fatalf("reference run: exit %d\n%s", code, errb.String())
	}
	compare := func(a, b string) (int, string) {
		var stdout, stderr bytes.Buffer
		code := dispatch([]string{"compare", a, b}, &stdout, &stderr)
		return code, stdout.String() + stderr.String()
	}
	if code, text := compare(clean, broken); code != exitDeviation || !strings.Contains(text, "new deviations: 1") ||
		!strings.Contains(text, "set.off-with-factor/SetUserPoolMfaConfig/accepted/-/-") || !strings.Contains(text, "set.off-with-factor  pass  ->  fail") {
		t.Errorf("clean -> broken: exit %d, want 1 with the new deviation and the status change\n%s", code, text)
	}
	if code, text := compare(broken, clean); code != exitOK || !strings.Contains(text, "fixed deviations: 1") {
		t.Errorf("broken -> clean: exit %d, want 0 with one fixed\n%s", code, text)
	}
	// The same report in the previous format: no signature, no count,
	// priorState.
	b, err := os.ReadFile(broken)
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	for _, r := range v["rules"].([]any) {
		for _, f := range r.(map[string]any)["failures"].([]any) {
			fm := f.(map[string]any)
			delete(fm, "signature")
			delete(fm, "count")
			if p, ok := fm["prior_state"]; ok {
				fm["priorState"] = p
				delete(fm, "prior_state")
			}
		}
	}
	oldFormat := filepath.Join(dir, "old.json")
	ob, _ := json.Marshal(v)
	if err := os.WriteFile(oldFormat, ob, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, text := compare(oldFormat, broken); code != exitOK || !strings.Contains(text, "new deviations: 0") || !strings.Contains(text, "fixed deviations: 0") {
		t.Errorf("the previous format against the same run: exit %d, want no new and no fixed deviation\n%s", code, text)
	}
	if code, _ := compare(oldFormat, filepath.Join(dir, "missing.json")); code != exitSetup {
		t.Errorf("a missing report: exit %d, want 2", code)
	}
}
