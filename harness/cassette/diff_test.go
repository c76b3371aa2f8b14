package cassette_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/harness/cassette"
)

// TestDiffAgainstLiveReference sends a recording of the reference emulator
// to a fresh one (other pool IDs, other dates, other request IDs): no
// differences.
func TestDiffAgainstLiveReference(t *testing.T) {
	path, _ := record(t, 300, nil)
	c, err := cassette.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	fresh := harness.Reference(contracts.DefaultWorld())
	defer fresh.Close()
	contract := harness.Reference(contracts.DefaultWorld())
	defer contract.Close()
	rep, err := cassette.Diff(context.Background(), c, fresh, contract)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Summary.Sent != len(c.Interactions) || !rep.Same() {
		var b bytes.Buffer
		rep.WriteConsole(&b)
		t.Fatalf("sent %d of %d, %d differ:\n%s", rep.Summary.Sent, len(c.Interactions), rep.Summary.Differ, b.String())
	}
}

// lying rewrites the reference's answers to Get: MfaConfiguration ON
// becomes OPTIONAL, and a missing pool answers 500.
type lying struct{ next http.RoundTripper }

func (l lying) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := l.next.RoundTrip(r)
	if err != nil || r.Header.Get("X-Amz-Target") != contracts.Target(contracts.OpGetUserPoolMfaConfig) {
		return resp, err
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	s := strings.ReplaceAll(string(b), `"MfaConfiguration":"ON"`, `"MfaConfiguration":"OPTIONAL"`)
	if strings.Contains(s, "ResourceNotFoundException") {
		resp.StatusCode = 500
	}
	resp.Body = io.NopCloser(strings.NewReader(s))
	resp.ContentLength = int64(len(s))
	resp.Header.Del("Content-Length")
	return resp, nil
}

// TestDiffFindsDifferences: a target that answers otherwise is caught,
// member by member and by status, and the contract sides with the
// recording.
func TestDiffFindsDifferences(t *testing.T) {
	path, _ := record(t, 300, nil)
	c, err := cassette.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	bad := harness.WrapTarget(harness.Reference(contracts.DefaultWorld()), func(next http.RoundTripper) http.RoundTripper { return lying{next} })
	defer bad.Close()
	contract := harness.Reference(contracts.DefaultWorld())
	defer contract.Close()
	rep, err := cassette.Diff(context.Background(), c, bad, contract)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Same() || rep.Summary.ByKind[cassette.DiffStatus] == 0 || rep.Summary.ByKind[cassette.DiffMember] == 0 {
		t.Fatalf("differences not found: %+v", rep.Summary)
	}
	for _, in := range rep.Interactions {
		if in.Operation != contracts.OpGetUserPoolMfaConfig {
			t.Errorf("#%d %s differs, only Get was altered: %+v", in.Index, in.Operation, in.Differences)
		}
		for _, d := range in.Differences {
			if d.Agrees != "recorded" {
				t.Errorf("#%d %s %s: the contract agrees with %q, want the recording: %+v", in.Index, d.Kind, d.Path, d.Agrees, d)
			}
			if d.Kind == cassette.DiffMember && (d.Path != "MfaConfiguration" || d.Recorded != `"ON"` || d.Target != `"OPTIONAL"`) {
				t.Errorf("unexpected member difference %+v", d)
			}
		}
	}
}
