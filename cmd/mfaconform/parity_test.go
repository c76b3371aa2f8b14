package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/internal/browsertest"
)

// runTo runs mfaconform with args and fails the test unless it exits with
// want.
func runTo(t *testing.T, want int, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := dispatch(args, &stdout, &stderr); code != want {
		t.Fatalf("mfaconform %s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, want, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// night rewrites a JSON report's date, as if it were run that night, and
// returns it as read back.
func night(t *testing.T, path, startedAt string) *harness.Report {
	t.Helper()
	rep, err := readReport(path)
	if err != nil {
		t.Fatal(err)
	}
	rep.StartedAt = startedAt
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestParityHTMLInBrowser: parity --html of two nights' JSON reports of a
// broken target (given newest first) and a recorded run of the reference
// writes a page whose columns follow the nights' dates, whose cells and
// totals are each report's, and whose failing cells link to that night's
// deviations, opening them; no console errors.
func TestParityHTMLInBrowser(t *testing.T) {
	url := offWithFactorServer(t)
	dir := t.TempDir()
	older, newer := filepath.Join(dir, "monday.json"), filepath.Join(dir, "tuesday.json")
	for _, p := range []string{older, newer} {
		runTo(t, exitDeviation, "run", "--endpoint", url, "--checks", "300", "--target-name", "broken 1.0", "--report", "json="+p)
	}
	reps := []*harness.Report{night(t, older, "2026-03-02T02:00:00Z"), night(t, newer, "2026-03-03T02:00:00Z")}
	ref := filepath.Join(dir, "reference.yaml")
	runTo(t, exitOK, "run", "--checks", "300", "--record", ref)
	page := filepath.Join(dir, "parity.html")
	runTo(t, exitOK, "parity", newer, "--html", page, ref, older)
	replayed, err := readReportOf(t, ref)
	if err != nil {
		t.Fatal(err)
	}
	reps = append(reps, replayed)
	names := []string{"broken 1.0", "broken 1.0", "reference"}
	dates := []string{"2026-03-02 02:00 UTC", "2026-03-03 02:00 UTC", ""}

	p := browsertest.Open(t, page)
	type column struct{ Name, Date string }
	cols := browsertest.Eval[[]column](p, `Array.from(document.querySelectorAll("table.parity thead th[scope=col]")).map(th => {
  const d = th.querySelector(".note");
  return {Name: th.querySelector("a").innerText, Date: d ? d.innerText : ""};
})`)
	if len(cols) != len(names) {
		t.Fatalf("the page has columns %+v, want %d", cols, len(names))
	}
	for i, c := range cols {
		if c.Name != names[i] || (dates[i] != "" && c.Date != dates[i]) {
			t.Errorf("column %d is %+v, want %s of %q (oldest first)", i+1, c, names[i], dates[i])
		}
	}

	cells := browsertest.Eval[map[string][]string](p, `Object.fromEntries(Array.from(document.querySelectorAll("table.parity tbody tr")).map(tr =>
  [tr.dataset.rule, Array.from(tr.querySelectorAll("td")).map(td => td.innerText.trim())]))`)
	for i, rep := range reps {
		for _, rr := range rep.Rules {
			row := cells[string(rr.ID)]
			if len(row) != len(reps) {
				t.Fatalf("row %s has cells %q", rr.ID, row)
			}
			if !strings.HasSuffix(row[i], " "+rr.Status) {
				t.Errorf("column %d, rule %s: the page says %q, the report %s", i+1, rr.ID, row[i], rr.Status)
			}
		}
	}
	totals := browsertest.Eval[[]string](p, `Array.from(document.querySelectorAll("table.parity tfoot td")).map(td => td.innerText.trim())`)
	for i, rep := range reps {
		s := rep.Summary
		want := fmt.Sprintf("%d pass, %d fail, %d warn, %d skip", s.Pass, s.Fail, s.Warn, s.Skip)
		if i >= len(totals) || totals[i] != want {
			t.Errorf("totals of column %d: %q, want %q", i+1, totals, want)
		}
	}

	// The second night's failing cell opens that night's deviations.
	anchor := "c2-rule-" + string(contracts.RuleOffWithFactor)
	p.Click(`tr[data-rule="` + string(contracts.RuleOffWithFactor) + `"] td:nth-of-type(2) a`)
	p.Wait("the cell's link opens the rule's deviations of the second night", `document.getElementById("`+anchor+`").open`)
	in := browsertest.Eval[string](p, `document.getElementById("`+anchor+`").closest("section").id`)
	sig := browsertest.Eval[string](p, `document.getElementById("`+anchor+`-1").querySelector(".sig").innerText`)
	if want := reps[1].Rule(contracts.RuleOffWithFactor).Failures[0].Signature; in != "c2" || sig != want {
		t.Errorf("the link opened %q in section %q, want %q in c2", sig, in, want)
	}
	p.Screenshot("parity")
}

// readReportOf is the report of a cassette as parity judges it: replayed.
func readReportOf(t *testing.T, cassettePath string) (*harness.Report, error) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "replayed.json")
	runTo(t, exitOK, "replay", cassettePath, "--report", "json="+out)
	return readReport(out)
}
