package emulator

import (
	"math/rand/v2"
	"regexp"
	"testing"
)

// TestIDSequence: pool ID suffixes never repeat and look like AWS's (nine
// alphanumerics), and the emulator keeps no list of them: a create/delete
// loop holds no memory of the pools it deleted.
func TestIDSequence(t *testing.T) {
	s := newIDSequence(rand.New(rand.NewPCG(1, 2)))
	seen := map[string]bool{}
	shape := regexp.MustCompile(`^[0-9a-zA-Z]{9}$`)
	for range 200_000 {
		x := s.suffix()
		if !shape.MatchString(x) {
			t.Fatalf("suffix %q is not nine alphanumerics", x)
		}
		if seen[x] {
			t.Fatalf("suffix %q handed out twice", x)
		}
		seen[x] = true
	}
	// Far along the sequence too (a*n overflows 64 bits there).
	s.next = 1 << 40
	a, b := s.suffix(), s.suffix()
	if a == b || !shape.MatchString(a) {
		t.Errorf("far suffixes %q %q", a, b)
	}
}
