package observed_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness/observed"
)

const point = `  - id: set.off-with-factor/outcome/InvalidParameterException | success
    verdict: settled
    answer: success
    seen:
      - answer: success
        count: 3
    recordings:
      - target: aws
        date: "2026-12-01T02:00:00Z"
        region: eu-west-1
`

func file(points string) string {
	return "contract: " + contracts.Revision + "\npoints:\n" + points
}

func TestReadRefuses(t *testing.T) {
	for _, tc := range []struct{ name, text, want string }{
		{"another contract revision", "contract: botocore-1.40.0\npoints: []\n", `line 1: observations of contract "botocore-1.40.0"; this build follows`},
		{"unknown key at the top", file(point) + "extra: 1\n", `line 13: unknown field "extra"`},
		{"unknown key in a point", file(strings.Replace(point, "    answer: success\n", "    answer: success\n    account: \"123456789012\"\n", 1)), `line 6: unknown field "account"`},
		{"unknown key in a recording", file(strings.Replace(point, "region: eu-west-1", "region: eu-west-1\n        account: x", 1)), `line 13: unknown field "account"`},
		{"settled on an answer not seen", file(strings.Replace(point, "answer: success\n    seen", "answer: InvalidParameterException\n    seen", 1)), "line 3: point"},
		{"not a point ID", file(strings.Replace(point, "/outcome/", "/guess/", 1)), "not a point ID"},
		{"no recording", file(point[:strings.Index(point, "    recordings:")]), "recordings: names none"},
		{"the same point twice", file(point + point), "line 13: point"},
		{"a verdict a file does not hold", file(strings.Replace(point, "verdict: settled", "verdict: contradicts", 1)), `verdict "contradicts"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := observed.Read(strings.NewReader(tc.text))
			var oe *observed.Error
			if !errors.As(err, &oe) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Read: %v, want an *observed.Error with %q", err, tc.want)
			}
		})
	}
}

// TestStale: a point whose rule the contract no longer has is kept apart,
// with its line, and narrows nothing.
func TestStale(t *testing.T) {
	gone := strings.Replace(point, "set.off-with-factor/", "set.retired-rule/", 1)
	f, err := observed.Read(strings.NewReader(file(point + gone)))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Points) != 1 || len(f.Stale) != 1 || f.Stale[0].Line != 13 || f.Stale[0].ID != "set.retired-rule/outcome/InvalidParameterException | success" {
		t.Errorf("points %+v, stale %+v", f.Points, f.Stale)
	}
}

// TestRoundTrip: what Marshal writes, Read reads back the same.
func TestRoundTrip(t *testing.T) {
	f, err := observed.Read(strings.NewReader(file(point)))
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	g, err := observed.Read(strings.NewReader(string(b)))
	if err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	if len(g.Points) != 1 || g.Points[0].Answer != "success" || g.Points[0].Recordings[0].Region != "eu-west-1" || g.Points[0].Seen[0].Count != 3 {
		t.Errorf("read back %+v", g.Points)
	}
}

// TestNarrower: a settled outcome point leaves only the observed outcome,
// certain, and names the recording's date.
func TestNarrower(t *testing.T) {
	f, err := observed.Read(strings.NewReader(file(point)))
	if err != nil {
		t.Fatal(err)
	}
	w := contracts.DefaultWorld()
	pool := contracts.Pool{ID: "us-east-1_calibrate", Tier: contracts.TierEssentials}
	req := &contracts.SetRequest{UserPoolId: contracts.String(pool.ID), MfaConfiguration: contracts.String(contracts.MfaOff),
		SoftwareTokenMfaConfiguration: &contracts.SoftwareTokenMfaConfig{}}
	exp := contracts.ExpectSet(w, &pool, req)
	if p, ok := exp.OutcomePoint(); !ok || p.ID() != "set.off-with-factor/outcome/InvalidParameterException | success" {
		t.Fatalf("the case does not reach the point: %+v", exp)
	}
	f.Narrower()(&exp)
	if len(exp.Outcomes) != 1 || exp.Outcomes[0].IsError() || !exp.Certain || exp.Observed != "2026-12-01T02:00:00Z" {
		t.Errorf("narrowed: %+v", exp)
	}
}
