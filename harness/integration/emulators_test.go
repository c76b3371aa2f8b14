// Package integration runs the harness against the real emulators it was
// not written with (moto, cognito-local): each test starts its emulator on
// a free loopback port through scripts/emulator.sh, runs, and stops exactly
// the process it started. Where an emulator cannot be started the test
// fails under CI=true and is skipped, with the reason, otherwise.
package integration

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/harness/ledger"
)

const (
	checks  = 500 // the published reports and ledgers are of seed 1, 500 checks
	seed    = 1
	runTime = 90 * time.Second // a bound for one run; a run takes seconds
)

// repoRoot is the module root, where scripts/emulator.sh lives.
func repoRoot(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// unavailable fails under CI=true and skips otherwise.
func unavailable(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf(format, args...)
	}
	t.Skipf(format+" (set CI=true to make this a failure)", args...)
}

// startEmulator installs (if missing) and starts an emulator, and returns
// its URL; the process is stopped by its PID when the test ends.
func startEmulator(t *testing.T, name string) string {
	t.Helper()
	root := repoRoot(t)
	for _, tool := range map[string][]string{"moto": {"python3"}, "cognito-local": {"node", "npm"}}[name] {
		if _, err := exec.LookPath(tool); err != nil {
			unavailable(t, "%s needs %s, which is not on PATH", name, tool)
		}
	}
	state := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute) // a first npm install included
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", filepath.Join(root, "scripts", "emulator.sh"), "start", name, state)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	fields := strings.Fields(string(out))
	if len(fields) == 2 {
		pidfile := fields[1]
		t.Cleanup(func() {
			stop := exec.Command("bash", filepath.Join(root, "scripts", "emulator.sh"), "stop", pidfile)
			if b, err := stop.CombinedOutput(); err != nil {
				t.Errorf("stopping %s: %v: %s", name, err, b)
			}
		})
	}
	if err != nil || len(fields) != 2 {
		unavailable(t, "cannot start %s: %v: %s", name, err, strings.TrimSpace(stderr.String()))
	}
	return fields[0]
}

// conformRun runs the harness once against url and checks that the run
// completes: no setup error, no panic, within the bound.
func conformRun(t *testing.T, url string, parallel int) *harness.Report {
	t.Helper()
	target, err := harness.Endpoint(url)
	if err != nil {
		t.Fatal(err)
	}
	defer target.Close()
	ctx, cancel := context.WithTimeout(context.Background(), runTime)
	defer cancel()
	start := time.Now()
	rep, err := harness.Run(ctx, target, harness.WithChecks(checks), harness.WithSeed(seed), harness.WithParallel(parallel))
	if err != nil {
		t.Fatalf("Run against %s: %v (exit 2 on the command line)", url, err)
	}
	if rep.Interrupted || ctx.Err() != nil {
		t.Fatalf("the run did not finish within %s", runTime)
	}
	t.Logf("%d pass, %d fail, %d warn, %d skip; %d calls in %s", rep.Summary.Pass, rep.Summary.Fail,
		rep.Summary.Warn, rep.Summary.Skip, rep.Summary.Calls, time.Since(start).Round(time.Millisecond))
	return rep
}

// outcome is what must not change between runs with the same seed.
type outcome struct {
	failing []contracts.RuleID
	counts  map[contracts.RuleID]int
}

func outcomeOf(rep *harness.Report) outcome {
	o := outcome{failing: rep.Failing(), counts: map[contracts.RuleID]int{}}
	for _, r := range rep.Rules {
		o.counts[r.ID] = r.FailedCases
	}
	return o
}

// checkEmulator runs the harness twice with the same seed, with one
// worker and with four, and checks that the run completes with findings
// (exit 1, not 0 or 2) and that the findings are the same both times: on
// a target that carries state between calls, what a case finds must not
// depend on which cases ran before it on the same pool.
func checkEmulator(t *testing.T, name string, mustFail ...contracts.RuleID) {
	url := startEmulator(t, name)
	first := conformRun(t, url, 1)
	if first.Conforms() {
		t.Fatalf("%s conforms: a run against it is known to find deviations", name)
	}
	for _, id := range mustFail {
		if !slices.Contains(first.Failing(), id) {
			t.Errorf("%s: %s does not fail; it is a known deviation of this emulator", name, id)
		}
	}
	second := conformRun(t, url, 4)
	checkLedger(t, name, first)
	a, b := outcomeOf(first), outcomeOf(second)
	if !slices.Equal(a.failing, b.failing) {
		t.Fatalf("%s: failing rules differ between --parallel 1 and 4 with seed %d:\n first  %v\n second %v", name, seed, a.failing, b.failing)
	}
	for _, r := range first.Rules {
		if a.counts[r.ID] != b.counts[r.ID] {
			t.Errorf("%s: %s failed %d cases with --parallel 1 and %d with 4 (seed %d)", name, r.ID, a.counts[r.ID], b.counts[r.ID], seed)
		}
	}
}

// ledgers are the published ledgers of known deviations, by emulator.
var ledgers = map[string]string{
	"moto":          "docs/conformance/moto-5.2.1.known.yaml",
	"cognito-local": "docs/conformance/cognito-local-5.3.0.known.yaml",
}

// checkLedger: the published ledger accepts every deviation of the run
// (make conform-<name> exits 0), every entry matches one (none stale), and
// a deviation the ledger lacks fails the gate.
func checkLedger(t *testing.T, name string, rep *harness.Report) {
	t.Helper()
	f, err := os.Open(filepath.Join(repoRoot(t), ledgers[name]))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	l, err := ledger.Read(f)
	if err != nil {
		t.Fatalf("%s: %v", ledgers[name], err)
	}
	now := time.Now()
	if res := l.Apply(rep, now); res.Failed(true) {
		var names []string
		for _, d := range append(res.New, res.Expired...) {
			names = append(names, d.Signature)
		}
		for _, e := range res.Stale {
			names = append(names, fmt.Sprintf("stale line %d", e.Line))
		}
		t.Errorf("%s: the published ledger does not hold: %v", name, names)
	}
	// Without its first entry, the ledger meets a new deviation.
	fewer := &ledger.Ledger{Known: l.Known[1:]}
	if res := fewer.Apply(rep, now); !res.Failed(false) || len(res.New) == 0 {
		t.Errorf("%s: a ledger without %s still passes the gate", name, l.Known[0].Signature)
	}
}
