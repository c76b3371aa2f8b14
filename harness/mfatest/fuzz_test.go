package mfatest_test

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/fuzz"
	"github.com/mfaconform/mfaconform/harness/emulator"
	"github.com/mfaconform/mfaconform/harness/mfatest"
)

// FuzzReference fuzzes the reference emulator: it conforms, so no input
// may fail (a failure is a bug of the emulator, the judge or the
// generators). go test -fuzz=FuzzReference measures Fuzz's speed.
func FuzzReference(f *testing.F) { mfatest.Fuzz(f, emulator.New()) }

// The broken fuzz targets fail by design, so they run only in the child
// processes of TestFuzzFindsSeededBugs (or by hand), with
// MFATEST_FUZZ_BROKEN=1; MFATEST_FUZZ_SEEDS=0 leaves out the sweep seeds
// so that the engine must find the bug on its own.
func FuzzBrokenOffWithFactor(f *testing.F) {
	brokenFuzz(f, mfatest.AcceptOffWithFactor(emulator.New()))
}

func FuzzBrokenMerge(f *testing.F) { brokenFuzz(f, mfatest.MergeNotReplace(emulator.New())) }

func FuzzBrokenDropMember(f *testing.F) {
	brokenFuzz(f, mfatest.DropMember(emulator.New(), "SoftwareTokenMfaConfiguration"))
}

func brokenFuzz(f *testing.F, h http.Handler) {
	if os.Getenv("MFATEST_FUZZ_BROKEN") == "" {
		f.Skip("fails by design; set MFATEST_FUZZ_BROKEN=1 to run it")
	}
	if os.Getenv("MFATEST_FUZZ_SEEDS") == "0" {
		mfatest.WithoutSeeds(f, h)
		return
	}
	mfatest.Fuzz(f, h)
}

// TestSweepSeedOffWithFactor: the seed input that selects the sweep's
// OFF-with-TOTP case fails on a handler that accepts it, with the judge's
// finding, and passes on the reference.
func TestSweepSeedOffWithFactor(t *testing.T) {
	t.Parallel()
	i := slices.IndexFunc(fuzz.Sweep(), func(c fuzz.Case) bool { return c.Kind == "cross OFF totp on essentials-developer" })
	if i < 0 {
		t.Fatal("the sweep has no OFF-with-TOTP case")
	}
	in := mfatest.SweepInput(i)

	r := mfatest.NewRecorder("FuzzMyFake/seed")
	if !mfatest.JudgeSweepInput(r, mfatest.AcceptOffWithFactor(emulator.New()), in) {
		t.Fatalf("%v does not select a sweep case", in)
	}
	errs := r.Errors("FuzzMyFake/seed")
	if len(errs) != 1 || !strings.HasPrefix(errs[0], string(contracts.RuleOffWithFactor)+": SetUserPoolMfaConfig") {
		t.Errorf("on the broken handler: errors %q, want one finding of %s", errs, contracts.RuleOffWithFactor)
	}

	r = mfatest.NewRecorder("FuzzMyFake/seed")
	mfatest.JudgeSweepInput(r, emulator.New(), in)
	if failed := r.Failed(); len(failed) > 0 {
		t.Errorf("on the reference: %s", r.Output())
	}
}

// TestFuzzFindsSeededBugs runs go test -fuzz on each broken target in
// child processes, each from an empty cache: once as Fuzz is (the sweep
// seeds find the bug before any mutation), once without the seeds, where
// the engine must find it on its own; it logs the time to the first
// failure and the minimised input, and checks that a plain run replays
// the stored input. Only the first must fail within the fuzz time. Slow (up to MFATEST_FUZZTIME, default 30s, per
// target): set MFATEST_FUZZ_CHILD=1.
func TestFuzzFindsSeededBugs(t *testing.T) {
	if os.Getenv("MFATEST_FUZZ_CHILD") == "" {
		t.Skip("slow: set MFATEST_FUZZ_CHILD=1 (and MFATEST_FUZZTIME, default 30s)")
	}
	fuzztime := "30s"
	if v := os.Getenv("MFATEST_FUZZTIME"); v != "" {
		fuzztime = v
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "mfatest.test")
	// -fuzz builds the binary with coverage instrumentation (for any target).
	if out, err := exec.Command("go", "test", "-c", "-fuzz=^FuzzBrokenMerge$", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go test -c: %v\n%s", err, out)
	}
	written := regexp.MustCompile(`Failing input written to (testdata/fuzz/\S+)`)
	failedAfter := regexp.MustCompile(`--- FAIL: \S+ \((\S+)\)`)
	seedFailed := regexp.MustCompile(`failure while testing seed corpus entry: (\S+)`)
	decoded := regexp.MustCompile(`\[rapid\] draw case: (.*)`)
	for _, tc := range []struct {
		target string
		rule   contracts.RuleID
	}{
		{"FuzzBrokenOffWithFactor", contracts.RuleOffWithFactor},
		{"FuzzBrokenMerge", contracts.RuleFullReplace},
		{"FuzzBrokenDropMember", contracts.RuleEcho},
	} {
		t.Run(tc.target, func(t *testing.T) {
			fuzzing := func(work string, seeds bool) (out []byte, took time.Duration, failed bool) {
				if err := os.MkdirAll(work, 0o755); err != nil {
					t.Fatal(err)
				}
				cmd := exec.Command(bin, "-test.run=^$", "-test.fuzz=^"+tc.target+"$", "-test.fuzztime="+fuzztime,
					"-test.fuzzcachedir="+filepath.Join(work, "cache"))
				cmd.Dir, cmd.Env = work, append(os.Environ(), "MFATEST_FUZZ_BROKEN=1")
				if !seeds {
					cmd.Env = append(cmd.Env, "MFATEST_FUZZ_SEEDS=0")
				}
				start := time.Now()
				out, err := cmd.CombinedOutput()
				if err != nil && !strings.Contains(string(out), string(tc.rule)+": ") {
					t.Errorf("seeds %v: the failure is not a finding of %s:\n%s", seeds, tc.rule, tail(out))
				}
				return out, time.Since(start), err != nil
			}
			first := func(re *regexp.Regexp, out []byte) string {
				if m := re.FindSubmatch(out); m != nil {
					return string(m[1])
				}
				return "?"
			}

			out, took, failed := fuzzing(filepath.Join(dir, tc.target, "seeds"), true)
			if !failed {
				t.Fatalf("with the sweep seeds: no failure:\n%s", tail(out))
			}
			t.Logf("with the sweep seeds: %s fails after %s (process %s)", first(seedFailed, out),
				first(failedAfter, out), took.Round(100*time.Millisecond))

			// The engine on its own may need longer than fuzztime: that is
			// a figure to report, not a failure.
			work := filepath.Join(dir, tc.target, "engine")
			out, took, failed = fuzzing(work, false)
			if !failed {
				t.Logf("without seeds: no failure within %s", fuzztime)
				return
			}
			m := written.FindSubmatch(out)
			if m == nil {
				t.Fatalf("without seeds: no input stored:\n%s", tail(out))
			}
			input, _ := os.ReadFile(filepath.Join(work, string(m[1])))
			t.Logf("without seeds: first failure after %s (process %s), stored %s:\n%s\ndecoded: %s",
				first(failedAfter, out), took.Round(100*time.Millisecond), m[1], input, first(decoded, out))

			replay := exec.Command(bin, "-test.run=^"+tc.target+"$/^"+filepath.Base(string(m[1]))+"$")
			replay.Dir, replay.Env = work, append(os.Environ(), "MFATEST_FUZZ_BROKEN=1", "MFATEST_FUZZ_SEEDS=0")
			if out, err := replay.CombinedOutput(); err == nil || !strings.Contains(string(out), string(tc.rule)+": ") {
				t.Errorf("a plain run does not replay the stored failure (%v):\n%s", err, tail(out))
			}
		})
	}
}

// tail is the end of a child's output, enough to see why it failed.
func tail(out []byte) string {
	const n = 4000
	if len(out) > n {
		return "…" + string(out[len(out)-n:])
	}
	return string(out)
}
