package cassette_test

import (
	"context"
	"testing"

	vcr "github.com/dnaeon/go-vcr/v2/cassette"

	"github.com/mfaconform/mfaconform/harness/cassette"
)

// TestRoundTrip records a run against the reference emulator, loads the
// file with go-vcr's own loader and with ours, replays it with no network
// and gets the same verdict, rule by rule.
func TestRoundTrip(t *testing.T) {
	path, rep := record(t, 300, nil)

	// go-vcr v2 itself loads the file: it is a plain go-vcr cassette.
	vc, err := vcr.Load(path[:len(path)-len(".yaml")])
	if err != nil {
		t.Fatalf("go-vcr cannot load %s: %v", path, err)
	}
	c, err := cassette.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	// The report counts calls before the final clean-up deletes its pools;
	// the cassette holds those deletes too.
	if len(vc.Interactions) != len(c.Interactions) || int64(len(c.Interactions)) < rep.Summary.Calls {
		t.Fatalf("go-vcr sees %d interactions, mfaconform %d, the run made %d calls", len(vc.Interactions), len(c.Interactions), rep.Summary.Calls)
	}
	got, st, err := cassette.Replay(context.Background(), c)
	if err != nil {
		t.Fatalf("replay: %v", err)
	}
	if err := cassette.SameVerdict(cassette.VerdictOf(rep), got); err != nil {
		t.Errorf("replay judged differently:\n%v", err)
	}
	if st.Missed != 0 || st.Unused != 0 || st.Served != len(c.Interactions) {
		t.Errorf("replay used the cassette unevenly: %+v of %d", st, len(c.Interactions))
	}
	if got.Target.Kind != "cassette" {
		t.Errorf("report target kind %q, want cassette", got.Target.Kind)
	}
}
