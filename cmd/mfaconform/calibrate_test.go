package main

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/harness/emulator"
	"github.com/mfaconform/mfaconform/harness/observed"
)

// otherChoices are uncertain points where the target of
// TestCalibrateNarrowsToTheRecordedTarget answers otherwise than the
// reference emulator, and the rules a run with the observations then fails
// on the reference.
var otherChoices = []struct {
	id, answer string
	rules      []contracts.RuleID
}{
	{"set.sms-role-access/outcome/InvalidParameterException | InvalidSmsRoleAccessPolicyException", "InvalidParameterException",
		[]contracts.RuleID{contracts.RuleSmsRoleAccess}},
	// A TOTP block {} with OFF: where the mode is omitted, the judge's
	// merge attribution blames full replace for the rejection.
	{"set.off-with-factor/outcome/InvalidParameterException | success", "success",
		[]contracts.RuleID{contracts.RuleOffWithFactor, contracts.RuleFullReplace}},
	{"set.echo/optional/SoftwareTokenMfaConfiguration", "absent", []contracts.RuleID{contracts.RuleEcho}},
}

// otherEmulator is the reference emulator with otherChoices made: a
// service the contract allows, that differs from the reference on those
// points.
func otherEmulator(t *testing.T) string {
	t.Helper()
	f := &observed.File{Contract: contracts.Revision}
	for _, c := range otherChoices {
		f.Points = append(f.Points, observed.Point{ID: c.id, Verdict: observed.Settled, Answer: c.answer,
			Seen: []observed.Count{{Answer: c.answer, Count: 1}}, Recordings: []observed.Recording{{Target: "other", Date: "2026-12-01"}}})
	}
	srv := httptest.NewServer(emulator.New(emulator.WithChoice(f.Narrower())))
	t.Cleanup(srv.Close)
	return srv.URL
}

func runJSON(t *testing.T, args ...string) (int, *harness.Report, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "r.json")
	var out, errb bytes.Buffer
	code := dispatch(append(append([]string{"run"}, args...), "--quiet", "--report", "json="+path), &out, &errb)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("run %v: exit %d, no report: %v\n%s", args, code, err, errb.String())
	}
	var rep harness.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	return code, &rep, out.String() + errb.String()
}

func failingRules(rep *harness.Report) []contracts.RuleID {
	var out []contracts.RuleID
	for _, r := range rep.Rules {
		if r.Status == harness.StatusFail {
			out = append(out, r.ID)
		}
	}
	return out
}

// TestCalibrateNarrowsToTheRecordedTarget: a recording of a target whose
// choices differ from the reference's on a few uncertain points is
// calibrated; a run with the resulting file then fails against the
// reference exactly on those points' rules (every finding marked as
// observed), and passes against the target that was recorded.
func TestCalibrateNarrowsToTheRecordedTarget(t *testing.T) {
	dir := t.TempDir()
	other := otherEmulator(t)
	rec := filepath.Join(dir, "other.yaml")
	if code, rep, out := runJSON(t, "--endpoint", other, "--target-name", "other", "--record", rec); code != exitOK {
		t.Fatalf("the other emulator does not conform (exit %d), failing %v:\n%s", code, failingRules(rep), out)
	}
	obs := filepath.Join(dir, "observed.yaml")
	var out, errb bytes.Buffer
	if code := dispatch([]string{"calibrate", rec, "--out", obs, "--report", "json=" + filepath.Join(dir, "cal.json")}, &out, &errb); code != exitOK {
		t.Fatalf("calibrate exit %d: %s\n%s", code, errb.String(), out.String())
	}
	var cal struct {
		Points  []struct{ ID, Verdict, Answer string } `json:"points"`
		Summary struct{ Contradicts, Settled int }     `json:"summary"`
	}
	if b, err := os.ReadFile(filepath.Join(dir, "cal.json")); err != nil || json.Unmarshal(b, &cal) != nil || cal.Summary.Contradicts != 0 || cal.Summary.Settled == 0 {
		t.Errorf("json report: %v %+v", err, cal.Summary)
	}
	for _, c := range otherChoices {
		if !slices.ContainsFunc(cal.Points, func(p struct{ ID, Verdict, Answer string }) bool { return p.ID == c.id && p.Answer == c.answer }) {
			t.Errorf("json report lacks %s settled on %s", c.id, c.answer)
		}
	}
	f, err := os.Open(obs)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	file, err := observed.Read(f)
	if err != nil {
		t.Fatalf("calibrate wrote a file it cannot read: %v", err)
	}
	for _, c := range otherChoices {
		i := slices.IndexFunc(file.Points, func(p observed.Point) bool { return p.ID == c.id })
		if i < 0 || file.Points[i].Verdict != observed.Settled || file.Points[i].Answer != c.answer {
			t.Errorf("point %s: want settled on %s, file has %+v", c.id, c.answer, file.Points[max(i, 0)])
			continue
		}
		if r := file.Points[i].Recordings; len(r) != 1 || r[0].Target != "other" || r[0].Date == "" {
			t.Errorf("point %s: recordings %+v, want the recording's target and date", c.id, r)
		}
	}

	code, rep, text := runJSON(t, "--observed", obs)
	if code != exitDeviation {
		t.Fatalf("the reference with the observations: exit %d, want %d\n%s", code, exitDeviation, text)
	}
	var want []contracts.RuleID
	for _, c := range otherChoices {
		want = append(want, c.rules...)
	}
	got := failingRules(rep)
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("the reference with the observations fails %v, want exactly %v", got, want)
	}
	for _, r := range rep.Rules {
		for _, f := range r.Failures {
			if f.Basis != harness.BasisObserved || f.Observed == "" {
				t.Errorf("%s: finding without basis observed: %+v", r.ID, f)
			}
		}
	}
	if !strings.Contains(text, "basis:    observed") {
		t.Errorf("the console does not say a finding rests on an observation:\n%s", text)
	}
	md, page := filepath.Join(dir, "r.md"), filepath.Join(dir, "r.html")
	dispatch([]string{"run", "--quiet", "--observed", obs, "--report", "markdown=" + md, "--report", "html=" + page}, &out, &errb)
	for path, want := range map[string]string{md: "- **Basis:** observed", page: "Basis: observed."} {
		if b, err := os.ReadFile(path); err != nil || !strings.Contains(string(b), want) {
			t.Errorf("%s lacks %q: %v", filepath.Base(path), want, err)
		}
	}
	if code, rep, text := runJSON(t, "--endpoint", other, "--observed", obs); code != exitOK {
		t.Errorf("the recorded target with its observations: exit %d, failing %v\n%s", code, failingRules(rep), text)
	}
	if code, _, text := runJSON(t); code != exitOK {
		t.Errorf("without --observed the reference fails:\n%s", text)
	}
}

// TestCalibrateContradicts: a recording of a target that accepts OFF with
// a factor (a rule of high confidence, measured on AWS) makes calibrate
// say contradicts, with the calls that show it, and exit 1.
func TestCalibrateContradicts(t *testing.T) {
	broken := emulator.New(emulator.WithChoice(func(e *contracts.Expectation) {
		if e.Rule == contracts.RuleOffWithFactor && e.Certain {
			e.Outcomes = []contracts.Outcome{{Body: &contracts.MfaConfig{MfaConfiguration: contracts.String(contracts.MfaOff)}}}
		}
	}))
	srv := httptest.NewServer(broken)
	defer srv.Close()
	dir := t.TempDir()
	rec := filepath.Join(dir, "broken.yaml")
	if code, _, out := runJSON(t, "--endpoint", srv.URL, "--target-name", "broken", "--record", rec); code != exitDeviation {
		t.Fatalf("the broken emulator: exit %d, want %d\n%s", code, exitDeviation, out)
	}
	var out, errb bytes.Buffer
	code := dispatch([]string{"calibrate", rec, "--report", "markdown=" + filepath.Join(dir, "cal.md"),
		"--report", "html=" + filepath.Join(dir, "cal.html"), "--report", "junit=" + filepath.Join(dir, "cal.xml")}, &out, &errb)
	if code != exitDeviation {
		t.Fatalf("calibrate exit %d, want %d\n%s", code, exitDeviation, out.String())
	}
	text := out.String()
	for _, want := range []string{"contradicts  set.off-with-factor/rule", "CONTRADICTS set.off-with-factor/rule",
		"SetUserPoolMfaConfig", "broken.yaml: SetUserPoolMfaConfig"} {
		if !strings.Contains(text, want) {
			t.Errorf("calibrate's console lacks %q:\n%s", want, text)
		}
	}
	if !strings.Contains(errb.String(), "contradict the contract") {
		t.Errorf("stderr does not say why it exits 1: %q", errb.String())
	}
	md, err := os.ReadFile(filepath.Join(dir, "cal.md"))
	if err != nil || !strings.Contains(string(md), "| contradicts | `set.off-with-factor/rule` |") {
		t.Errorf("markdown report: %v\n%s", err, md)
	}
	page, err := os.ReadFile(filepath.Join(dir, "cal.html"))
	if err != nil || !strings.Contains(string(page), "<td>contradicts</td><td><code>set.off-with-factor/rule</code></td>") {
		t.Errorf("html report: %v", err)
	}
	xml, err := os.ReadFile(filepath.Join(dir, "cal.xml"))
	if err != nil || !strings.Contains(string(xml), `<testcase name="set.off-with-factor/rule" classname="rule">`) || !strings.Contains(string(xml), "<failure") {
		t.Errorf("junit report: %v\n%s", err, xml)
	}
}

// TestObservedRefusedBeforeAnything: a bad observations file stops run
// and replay with exit 2 and the line at fault.
func TestObservedRefusedBeforeAnything(t *testing.T) {
	path := filepath.Join(t.TempDir(), "o.yaml")
	if err := os.WriteFile(path, []byte("contract: old-model\npoints: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"run", "--observed", path}, {"replay", "--rejudge", "--observed", path, "../../cassettes/reference.yaml"}} {
		var out, errb bytes.Buffer
		if code := dispatch(args, &out, &errb); code != exitSetup || !strings.Contains(errb.String(), "line 1: observations of contract \"old-model\"") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errb.String())
		}
	}
}

// TestDiffObserved: diffing the other emulator's recording against the
// reference, the contract column agrees with the reference without
// observations, and with the recording once they narrow it.
func TestDiffObserved(t *testing.T) {
	dir := t.TempDir()
	other := otherEmulator(t)
	rec := filepath.Join(dir, "other.yaml")
	runJSON(t, "--endpoint", other, "--target-name", "other", "--record", rec)
	obs := filepath.Join(dir, "observed.yaml")
	var out, errb bytes.Buffer
	if code := dispatch([]string{"calibrate", rec, "--out", obs}, &out, &errb); code != exitOK {
		t.Fatalf("calibrate exit %d: %s", code, errb.String())
	}
	ref := harness.Reference(contracts.DefaultWorld())
	defer ref.Close()
	agrees := func(extra ...string) map[string]int {
		t.Helper()
		path := filepath.Join(t.TempDir(), "d.json")
		var out, errb bytes.Buffer
		args := append([]string{"diff", "--cassette", rec, "--endpoint", ref.URL(), "--report", "json=" + path}, extra...)
		if code := dispatch(args, &out, &errb); code != exitDeviation {
			t.Fatalf("diff %v: exit %d, want %d: %s", extra, code, exitDeviation, errb.String())
		}
		b, _ := os.ReadFile(path)
		var rep struct {
			Interactions []struct {
				Differences []struct{ Agrees string } `json:"differences"`
			} `json:"interactions"`
		}
		if err := json.Unmarshal(b, &rep); err != nil {
			t.Fatal(err)
		}
		n := map[string]int{}
		for _, in := range rep.Interactions {
			for _, d := range in.Differences {
				n[d.Agrees]++
			}
		}
		return n
	}
	plain, narrowed := agrees(), agrees("--observed", obs)
	if plain["target"] == 0 || plain["recorded"] != 0 {
		t.Errorf("without observations the contract should side with the reference: %v", plain)
	}
	if narrowed["recorded"] != plain["target"] || narrowed["target"] != 0 {
		t.Errorf("with observations the contract should side with the recording where it sided with the reference: %v, before %v", narrowed, plain)
	}
}
