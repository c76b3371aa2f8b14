package harness_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness"
)

// sentCalls records what reaches a target: when each call was sent, and
// the pools created and deleted.
type sentCalls struct {
	mu      sync.Mutex
	at      []time.Time
	created map[string]bool
	deleted map[string]bool
}

func watchCalls(t harness.Target) (harness.Target, *sentCalls) {
	s := &sentCalls{created: map[string]bool{}, deleted: map[string]bool{}}
	return harness.WrapTarget(t, func(next http.RoundTripper) http.RoundTripper {
		return rtFunc(func(r *http.Request) (*http.Response, error) {
			var body []byte
			if r.Body != nil {
				body, _ = io.ReadAll(r.Body)
				r.Body = io.NopCloser(bytes.NewReader(body))
			}
			s.mu.Lock()
			s.at = append(s.at, time.Now())
			s.mu.Unlock()
			resp, err := next.RoundTrip(r)
			if err != nil || resp.StatusCode != 200 {
				return resp, err
			}
			answer, _ := io.ReadAll(resp.Body)
			resp.Body = io.NopCloser(bytes.NewReader(answer))
			var in struct{ UserPoolId string }
			var out struct{ UserPool struct{ Id string } }
			_ = json.Unmarshal(body, &in)
			_ = json.Unmarshal(answer, &out)
			s.mu.Lock()
			defer s.mu.Unlock()
			switch r.Header.Get("X-Amz-Target") {
			case contracts.Target(contracts.OpCreateUserPool):
				s.created[out.UserPool.Id] = true
			case contracts.Target(contracts.OpDeleteUserPool):
				s.deleted[in.UserPoolId] = true
			}
			return resp, nil
		})
	}), s
}

// TestBudgetHolds: a run given a budget of calls sends no more than it
// (the calls of its cleanup apart, and counted apart), says the budget
// ended it, reports the rules it did not reach as skip, and still deletes
// every pool it made.
func TestBudgetHolds(t *testing.T) {
	t.Parallel()
	const budget = 150
	target, sent := watchCalls(harness.Reference(nil))
	defer target.Close()
	rep, err := harness.Run(context.Background(), target, harness.WithMaxCalls(budget))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Summary.Calls > budget {
		t.Errorf("the report counts %d calls, over the budget of %d", rep.Summary.Calls, budget)
	}
	if n := int64(len(sent.at)) - rep.Summary.CleanupCalls; n > budget {
		t.Errorf("%d calls reached the target besides the cleanup's %d, over the budget of %d", n, rep.Summary.CleanupCalls, budget)
	}
	if rep.EndedBy != harness.EndedByBudget {
		t.Errorf("ended_by %q, want %q", rep.EndedBy, harness.EndedByBudget)
	}
	if rep.Summary.Skip == 0 {
		t.Error("no rule is skip: a budget of 150 calls cannot reach every rule")
	}
	if rep.Summary.CleanupCalls == 0 {
		t.Error("no cleanup call counted: the budget refused the cleanup, or it was not counted apart")
	}
	for id := range sent.created {
		if !sent.deleted[id] {
			t.Errorf("pool %s was created and never deleted", id)
		}
	}
	if len(rep.Leftovers) > 0 {
		t.Errorf("leftovers %v", rep.Leftovers)
	}
}

// TestRateHolds: calls per second, measured where they reach the target,
// never exceed the rate by more than 10% over the run (nor fall under half
// of it), four workers and the cleanup
// sharing one bucket.
func TestRateHolds(t *testing.T) {
	t.Parallel()
	const perSecond = 200.0
	target, sent := watchCalls(harness.Reference(nil))
	defer target.Close()
	if _, err := harness.Run(context.Background(), target, harness.WithRate(perSecond), harness.WithMaxCalls(300)); err != nil {
		t.Fatal(err)
	}
	sent.mu.Lock()
	defer sent.mu.Unlock()
	first, last := sent.at[0], sent.at[len(sent.at)-1]
	got := float64(len(sent.at)-1) / last.Sub(first).Seconds()
	// The bound is what a rate promises: never faster. How close to it a
	// run comes depends on the machine's load (the figure is logged).
	if got > perSecond*1.1 || got < perSecond/2 {
		t.Fatalf("%d calls at %.1f calls/s, want at most %.0f (+10%%) and at least half of it", len(sent.at), got, perSecond)
	}
	t.Logf("%d calls at %.1f calls/s (--rate %.0f)", len(sent.at), got, perSecond)
}

// TestRolesRequireTheirExternalID: a world whose roles require their own
// sts:ExternalId (a live run's) gets it sent in place of the generators'
// ordinary ones, so the trusted path is tried and passes on a conforming
// target; the length boundaries of ExternalId are still sent as they are.
func TestRolesRequireTheirExternalID(t *testing.T) {
	t.Parallel()
	const ext = "mfaconform-nightly"
	w := &contracts.World{Region: "eu-west-1", Roles: []contracts.Role{
		{ARN: "arn:aws:iam::123456789012:role/mfaconform/nightly-sms", TrustsCognito: true, CanPublish: true, ExternalID: ext},
		{ARN: "arn:aws:iam::123456789012:role/mfaconform/nightly-untrusted", TrustsCognito: false, CanPublish: true},
		{ARN: "arn:aws:iam::123456789012:role/mfaconform/nightly-nopublish", TrustsCognito: true, CanPublish: false, ExternalID: ext},
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
	for _, id := range []contracts.RuleID{contracts.RuleSmsRoleTrust, contracts.RuleSmsRoleAccess, contracts.RuleSetExternalIDLength} {
		if rr := rep.Rule(id); rr == nil || rr.Status != harness.StatusPass || rr.Checked == 0 {
			t.Errorf("%s: %+v, want pass with calls checked", id, rr)
		}
	}
	if !bytes.Contains(sent.Bytes(), []byte(`"ExternalId":"`+ext+`"`)) {
		t.Error("the roles' own ExternalId was never sent")
	}
	if !bytes.Contains(sent.Bytes(), []byte(`"ExternalId":""`)) {
		t.Error("the empty ExternalId (a length boundary) was not sent as it is")
	}
}
