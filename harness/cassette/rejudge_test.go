package cassette_test

import (
	"context"
	"io/fs"
	"testing"

	"github.com/mfaconform/mfaconform/cassettes"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/harness/cassette"
)

// TestRejudgeCommittedCassettes: judged interaction by interaction, each
// bundled cassette fails exactly the rules its replay fails (the shrinking
// calls at the end of a recording may add checks, and findings of other
// rules that they also break, which is why a rule may fail in the rejudged
// report while its replay passed; never the other way round), and the
// reference's recording conforms.
func TestRejudgeCommittedCassettes(t *testing.T) {
	t.Parallel()
	names, _ := fs.Glob(cassettes.FS, "*.yaml*")
	for _, n := range names {
		t.Run(n, func(t *testing.T) {
			data, _ := fs.ReadFile(cassettes.FS, n)
			c, err := cassette.Parse(n, data)
			if err != nil {
				t.Fatal(err)
			}
			replayed, _, err := cassette.Replay(context.Background(), c)
			if err != nil {
				t.Fatal(err)
			}
			rejudged, st, err := cassette.Rejudge(c)
			if err != nil || !st.Rejudged {
				t.Fatalf("rejudge: %v (stats %+v)", err, st)
			}
			for _, r := range replayed.Rules {
				a := rejudged.Rule(r.ID)
				if a == nil {
					t.Errorf("%s missing from the rejudged report", r.ID)
					continue
				}
				if r.Status == harness.StatusFail && a.Status != harness.StatusFail {
					t.Errorf("%s: replay %s, rejudged %s", r.ID, r.Status, a.Status)
				}
				if r.Status == harness.StatusPass && a.Status == harness.StatusSkip {
					t.Errorf("%s: replay pass, rejudged skip (%s)", r.ID, a.SkipReason)
				}
			}
			if c.Header.Target.Kind == harness.KindReference && !rejudged.Conforms() {
				t.Errorf("the reference's recording does not conform when rejudged: %v", rejudged.Failing())
			}
		})
	}
}

// TestReplayOfOtherGeneratorsRejudges: a cassette recorded by other case
// generators cannot be re-run; replay judges its interactions instead of
// refusing it.
func TestReplayOfOtherGeneratorsRejudges(t *testing.T) {
	data, _ := fs.ReadFile(cassettes.FS, "reference.yaml")
	c, err := cassette.Parse("reference.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	c.Header.Cases = "sha256:recorded-by-another-version"
	rep, st, err := cassette.Replay(context.Background(), c)
	if err != nil || !st.Rejudged {
		t.Fatalf("replay: %v (stats %+v)", err, st)
	}
	if !rep.Conforms() || rep.Summary.Pass < 40 {
		t.Fatalf("rejudged reference: %d pass, failing %v", rep.Summary.Pass, rep.Failing())
	}
}
