package harness_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sync"
	"testing"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness"
)

// TestWorldRolesAreSent: a fixtures world with roles of its own (a live
// account's) gets those roles sent, so the SMS role rules are checked on
// them and the trusted path is tried; the default world's role ARNs are
// never sent.
func TestWorldRolesAreSent(t *testing.T) {
	t.Parallel()
	w := &contracts.World{Region: "eu-west-1", Roles: []contracts.Role{
		{ARN: "arn:aws:iam::123456789012:role/mfaconform/nightly-sms", TrustsCognito: true, CanPublish: true},
		{ARN: "arn:aws:iam::123456789012:role/mfaconform/nightly-untrusted", TrustsCognito: false, CanPublish: true},
		{ARN: "arn:aws:iam::123456789012:role/mfaconform/nightly-nopublish", TrustsCognito: true, CanPublish: false},
	}}
	var mu sync.Mutex
	var sent bytes.Buffer
	target := harness.WrapTarget(harness.Reference(w), func(next http.RoundTripper) http.RoundTripper {
		return rtFunc(func(r *http.Request) (*http.Response, error) {
			if r.Body != nil {
				b, _ := io.ReadAll(r.Body)
				r.Body = io.NopCloser(bytes.NewReader(b))
				mu.Lock()
				sent.Write(b)
				mu.Unlock()
			}
			return next.RoundTrip(r)
		})
	})
	defer target.Close()
	rep, err := harness.Run(context.Background(), target, harness.WithWorld(w), harness.WithRegion("eu-west-1"))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []contracts.RuleID{contracts.RuleSmsRoleTrust, contracts.RuleSmsRoleAccess} {
		if rr := rep.Rule(id); rr == nil || rr.Status != harness.StatusPass || rr.Checked == 0 {
			t.Errorf("%s: %+v, want pass with calls checked", id, rr)
		}
	}
	for _, r := range w.Roles {
		if !bytes.Contains(sent.Bytes(), []byte(r.ARN)) {
			t.Errorf("the world's role %s was never sent", r.ARN)
		}
	}
	for _, r := range contracts.DefaultWorld().Roles {
		if bytes.Contains(sent.Bytes(), []byte(r.ARN+`"`)) {
			t.Errorf("the default world's role %s was sent to a world without it", r.ARN)
		}
	}
}
