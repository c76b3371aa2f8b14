package config

import (
	"math"
	"testing"
)

// TestShardPartition: for counts and N, each case of a run is owned by
// exactly one shard, each shard's Cases counts what it owns, a shard owns
// whole rounds (every lane busy), and a run with a duration deals blocks
// of DurationBlock rounds in turn.
func TestShardPartition(t *testing.T) {
	for _, n := range []int{1, 3, 4, 343, 500, 1001} {
		for _, total := range []int{1, 2, 3, 7, 200} {
			counts := make([]int, total+1)
			for i := range n {
				owners := 0
				for k := 1; k <= total; k++ {
					s := Shard{Index: k, Total: total}
					if s.Owns(i, n) {
						owners++
						counts[k]++
						if !s.Owns(i-i%Lanes, n) {
							t.Errorf("n=%d %v owns case %d but not the first of its round", n, s, i)
						}
					}
				}
				if owners != 1 {
					t.Fatalf("n=%d N=%d: case %d has %d shards", n, total, i, owners)
				}
			}
			for k := 1; k <= total; k++ {
				// With a count, a shard's cases are one range: each lane's
				// cases follow each other as in the unsharded run, its
				// pools new only at the range's start.
				s := Shard{Index: k, Total: total}
				first, last := -1, -1
				for i := range n {
					if s.Owns(i, n) {
						if first < 0 {
							first = i
						}
						last = i
					}
				}
				if first >= 0 && last-first+1 != counts[k] {
					t.Errorf("n=%d %v: owns %d cases from %d to %d, not one range", n, s, counts[k], first, last)
				}
			}
			for k := 1; k <= total; k++ {
				if s := (Shard{Index: k, Total: total}); s.Cases(n) != counts[k] {
					t.Errorf("n=%d %v: Cases %d, owns %d", n, s, s.Cases(n), counts[k])
				}
			}
		}
	}
	s := Shard{Index: 2, Total: 3}
	block := DurationBlock * Lanes
	for i, want := range map[int]bool{0: false, block - 1: false, block: true, 2*block - 1: true, 2 * block: false, 4 * block: true} {
		if s.Owns(i, math.MaxInt) != want {
			t.Errorf("with a duration, %v owns case %d: %v, want %v", s, i, !want, want)
		}
	}
}

// TestParseShard: --shard takes I/N, 1-based, and refuses the rest.
func TestParseShard(t *testing.T) {
	if s, err := ParseShard("2/4"); err != nil || s != (Shard{Index: 2, Total: 4}) {
		t.Errorf("ParseShard(2/4) = %v, %v", s, err)
	}
	for _, bad := range []string{"", "2", "0/4", "5/4", "1/0", "a/b", "-1/2", "2/4/8"} {
		if _, err := ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q) accepted", bad)
		}
	}
}
