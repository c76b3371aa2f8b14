package cassette_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"
	"time"

	"github.com/mfaconform/mfaconform/fuzz"
	"github.com/mfaconform/mfaconform/harness/cassette"
)

// wholeFingerprint is the fingerprint as it was first defined: the hash of
// the JSON array of every case the run sends.
func wholeFingerprint(t *testing.T, seed int64, checks int) string {
	t.Helper()
	b, err := json.Marshal(fuzz.Cases(seed, checks))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:8])
}

// TestCasesFingerprintBounded: up to the sweep plus 10,000 random cases
// the fingerprint is the hash of every case, so that recorded cassettes
// still match; past that it is made in bounded time whatever --checks
// says, and still tells counts apart.
func TestCasesFingerprintBounded(t *testing.T) {
	sweep := len(fuzz.Sweep())
	for _, n := range []int{1, 400, sweep + 10_000} {
		if got, want := cassette.CasesFingerprint(1, n), wholeFingerprint(t, 1, n); got != want {
			t.Errorf("checks %d: fingerprint %s, the hash of every case is %s", n, got, want)
		}
	}
	if got := cassette.CasesFingerprint(1, 400); got != "sha256:ddf8b76fbd311e8e" {
		t.Errorf("checks 400: fingerprint %s, the committed cassettes hold sha256:ddf8b76fbd311e8e", got)
	}
	done := make(chan string, 1)
	go func() { done <- cassette.CasesFingerprint(1, 100_000_000) }()
	var huge string
	select {
	case huge = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("fingerprinting 100,000,000 checks took over 20s: it must not grow with --checks")
	}
	seen := map[string]int{}
	for _, n := range []int{sweep + 10_000, sweep + 10_001, sweep + 10_002, 100_000_000} {
		fp := huge
		if n != 100_000_000 {
			fp = cassette.CasesFingerprint(1, n)
		}
		if m, dup := seen[fp]; dup {
			t.Errorf("checks %d and %d have the same fingerprint %s", m, n, fp)
		}
		seen[fp] = n
	}
}
