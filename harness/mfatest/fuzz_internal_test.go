package mfatest

import (
	"testing"

	"github.com/mfaconform/mfaconform/fuzz"
)

// TestSweepCase: an input of a zero byte and up to two bytes of index
// selects a sweep case (modulo its length), also as the engine minimises
// it; any other input is for the generators.
func TestSweepCase(t *testing.T) {
	sweep := fuzz.Sweep()
	n := len(sweep)
	for _, tc := range []struct {
		name string
		in   []byte
		want int // -1: not a sweep input
	}{
		{"empty", nil, -1},
		{"zero alone", []byte{0}, 0},
		{"one byte of index", []byte{0, 7}, 7},
		{"two bytes of index", []byte{0, 1, 2}, 258 % n},
		{"wraps", sweepInput(n + 3), 3},
		{"every seed", sweepInput(n - 1), n - 1},
		{"longer", []byte{0, 1, 2, 3}, -1},
		{"other first byte", []byte{1, 0, 0}, -1},
	} {
		c, ok := sweepCase(sweep, tc.in)
		switch {
		case ok != (tc.want >= 0):
			t.Errorf("%s: %v selects a sweep case: %v, want %v", tc.name, tc.in, ok, tc.want >= 0)
		case ok && c.Kind != sweep[tc.want].Kind:
			t.Errorf("%s: %v selects %q, want case %d %q", tc.name, tc.in, c.Kind, tc.want, sweep[tc.want].Kind)
		}
	}
}
