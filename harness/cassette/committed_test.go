package cassette_test

import (
	"context"
	"io/fs"
	"strings"
	"testing"

	vcr "github.com/dnaeon/go-vcr/v2/cassette"

	"github.com/mfaconform/mfaconform/cassettes"
	"github.com/mfaconform/mfaconform/harness/cassette"
)

// TestCommittedCassettes: every bundled cassette loads, carries its
// provenance, replays with no network using every recorded interaction,
// and judges rule by rule as it did when it was recorded.
func TestCommittedCassettes(t *testing.T) {
	t.Parallel()
	names, err := fs.Glob(cassettes.FS, "*.yaml*")
	if err != nil || len(names) < 3 {
		t.Fatalf("want the reference, moto and cognito-local cassettes, found %v (%v)", names, err)
	}
	for _, n := range names {
		t.Run(n, func(t *testing.T) {
			data, err := fs.ReadFile(cassettes.FS, n)
			if err != nil {
				t.Fatal(err)
			}
			if len(data) >= 2<<20 {
				t.Errorf("%s is %d bytes; keep bundled cassettes under 2 MiB", n, len(data))
			}
			c, err := cassette.Parse(n, data)
			if err != nil {
				t.Fatal(err)
			}
			h := c.Header
			if h.RecordedAt == "" || h.ToolVersion == "" || h.Contract == "" || h.Target.Kind == "" || h.Flags.Checks == 0 || h.Verdict == nil || h.Interrupted {
				t.Errorf("incomplete provenance: %+v", h)
			}
			rep, st, err := cassette.Replay(context.Background(), c)
			if err != nil {
				t.Fatalf("replay: %v", err)
			}
			if st.Missed != 0 || st.Unused != 0 {
				t.Errorf("replay used %d of %d interactions (%d missed)", st.Served, len(c.Interactions), st.Missed)
			}
			if err := cassette.SameVerdict(h.Verdict, rep); err != nil {
				t.Errorf("%s judges differently from when it was recorded (if the contract changed on purpose, re-record it):\n%v", n, err)
			}
		})
	}
}

// TestCommittedReferenceLoadsInGoVCR: the plain bundled cassette is a go-vcr
// v2 cassette that go-vcr's own loader reads.
func TestCommittedReferenceLoadsInGoVCR(t *testing.T) {
	c, err := vcr.Load(strings.TrimSuffix("../../cassettes/reference.yaml", ".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Version != 1 || len(c.Interactions) == 0 {
		t.Fatalf("go-vcr read version %d with %d interactions", c.Version, len(c.Interactions))
	}
}
