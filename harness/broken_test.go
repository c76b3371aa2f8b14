package harness_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"text/tabwriter"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/internal/judge"
)

// brokenRun runs a wrapped reference emulator the way every row does.
func brokenRun(t *testing.T, wrap func(http.RoundTripper) http.RoundTripper, opts ...harness.Option) *harness.Report {
	t.Helper()
	target := harness.WrapTarget(harness.Reference(contracts.DefaultWorld()), wrap)
	t.Cleanup(func() { target.Close() })
	opts = append([]harness.Option{harness.WithChecks(400), harness.WithSeed(1), harness.WithParallel(2)}, opts...)
	rep, err := harness.Run(context.Background(), target, opts...)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return rep
}

// ruleTable renders every rule with its status and first failure.
func ruleTable(rep *harness.Report) string {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 2, 2, ' ', 0)
	for _, r := range rep.Rules {
		detail := r.SkipReason
		if len(r.Failures) > 0 {
			f := r.Failures[0]
			detail = fmt.Sprintf("%s %s: %s", f.Case, f.Operation, f.Detail)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\n", r.ID, r.Status, r.Checked, r.FailedCases, detail)
	}
	tw.Flush()
	return b.String()
}

func sortedIDs(ids []contracts.RuleID) []contracts.RuleID {
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}

// onlyWhen applies f to answers of one operation.
func onlyOp(op string, f func(c *call, a *answer)) func(c *call, a *answer) {
	return func(c *call, a *answer) {
		if c.Op == op {
			f(c, a)
		}
	}
}

// anyFactor reports whether a Set request enables any MFA factor.
func anyFactor(req map[string]any) bool {
	if _, ok := req["SmsMfaConfiguration"].(map[string]any); ok {
		return true
	}
	if _, ok := req["EmailMfaConfiguration"].(map[string]any); ok {
		return true
	}
	if t, ok := req["SoftwareTokenMfaConfiguration"].(map[string]any); ok && t["Enabled"] == true {
		return true
	}
	return false
}

// staleRead answers each Get of a pool with the state the pool had before
// its last successful Set: the state is read through the inner transport
// just before every Set is forwarded.
func staleRead(next http.RoundTripper) http.RoundTripper {
	var mu sync.Mutex
	stale := map[string][]byte{}
	get := func(r *http.Request, pool string) []byte {
		body, _ := json.Marshal(map[string]string{"UserPoolId": pool})
		req, _ := http.NewRequestWithContext(r.Context(), http.MethodPost, r.URL.String(), bytes.NewReader(body))
		req.Header = r.Header.Clone()
		req.Header.Set("X-Amz-Target", contracts.Target(contracts.OpGetUserPoolMfaConfig))
		req.Header.Del("Content-Length")
		resp, err := next.RoundTrip(req)
		if err != nil {
			return nil
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			return nil
		}
		return b
	}
	return rewriter{
		before: func(c *call) *answer { return nil },
	}.wrapWith(next, func(r *http.Request, c *call) func(a *answer) {
		switch c.Op {
		case contracts.OpSetUserPoolMfaConfig:
			if c.Pool == "" {
				return nil
			}
			pre := get(r, c.Pool)
			return func(a *answer) {
				if a.Status == 200 && pre != nil {
					mu.Lock()
					stale[c.Pool] = pre
					mu.Unlock()
				}
			}
		case contracts.OpGetUserPoolMfaConfig:
			return func(a *answer) {
				mu.Lock()
				old, ok := stale[c.Pool]
				mu.Unlock()
				if ok && a.Status == 200 {
					a.Raw, a.Body = old, nil
				}
			}
		}
		return nil
	})
}

// merging fills the members a Set omits from the last successful Set of
// the same pool before forwarding it.
func merging() func(http.RoundTripper) http.RoundTripper {
	var mu sync.Mutex
	last := map[string]map[string]any{}
	pending := map[*call]map[string]any{}
	return rewriter{
		before: func(c *call) *answer {
			if c.Op != contracts.OpSetUserPoolMfaConfig || c.Req == nil || c.Pool == "" {
				return nil
			}
			mu.Lock()
			defer mu.Unlock()
			for k, v := range last[c.Pool] {
				if _, ok := c.Req[k]; !ok {
					c.Req[k] = v
				}
			}
			pending[c] = c.Req
			return nil
		},
		after: func(c *call, a *answer) {
			mu.Lock()
			defer mu.Unlock()
			if req, ok := pending[c]; ok {
				delete(pending, c)
				if a.Status == 200 {
					last[c.Pool] = req
				}
			}
		},
	}.wrap
}

// freshOptional answers Get on a pool never successfully Set with
// MfaConfiguration OPTIONAL.
func freshOptional() func(http.RoundTripper) http.RoundTripper {
	var mu sync.Mutex
	set := map[string]bool{}
	return rewriter{after: func(c *call, a *answer) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case c.Op == contracts.OpSetUserPoolMfaConfig && a.Status == 200:
			set[c.Pool] = true
		case c.Op == contracts.OpGetUserPoolMfaConfig && a.Status == 200 && a.Body != nil && !set[c.Pool]:
			a.Body["MfaConfiguration"] = contracts.MfaOptional
		}
	}}.wrap
}

func TestBrokenVariants(t *testing.T) {
	t.Parallel()
	set, get := contracts.OpSetUserPoolMfaConfig, contracts.OpGetUserPoolMfaConfig
	rows := []struct {
		name   string
		reason string
		wrap   func(http.RoundTripper) http.RoundTripper
		want   []contracts.RuleID
	}{
		{"wrong-error-type", "the untrusted role is reported as an access-policy problem",
			rewriter{after: func(c *call, a *answer) {
				if a.Code == contracts.InvalidSmsRoleTrustRelationshipException().Code {
					a.setCode(contracts.InvalidSmsRoleAccessPolicyException().Code)
				}
			}}.wrap,
			[]contracts.RuleID{contracts.RuleSmsRoleTrust}},
		{"accepted-mode-violation", "an invalid MfaConfiguration is silently replaced by a valid one and accepted",
			rewriter{before: func(c *call) *answer {
				if c.Op != set || c.Req == nil {
					return nil
				}
				if m, ok := c.Req["MfaConfiguration"].(string); ok && m != "OFF" && m != "ON" && m != "OPTIONAL" {
					c.Req["MfaConfiguration"] = "OFF"
					if anyFactor(c.Req) {
						c.Req["MfaConfiguration"] = "OPTIONAL"
					}
				}
				return nil
			}}.wrap,
			[]contracts.RuleID{contracts.RuleSetMfaConfigurationEnum}},
		{"set-drops-member", "Set's answer leaves out SoftwareTokenMfaConfiguration",
			rewriter{after: onlyOp(set, func(c *call, a *answer) {
				if a.Status == 200 && a.Body != nil {
					delete(a.Body, "SoftwareTokenMfaConfiguration")
				}
			})}.wrap,
			[]contracts.RuleID{contracts.RuleEcho}},
		{"stale-read", "Get answers the state from before the last Set",
			staleRead,
			[]contracts.RuleID{contracts.RuleReadAfterWrite}},
		{"merge-not-replace", "Set merges the pool's previous configuration into the request",
			merging(),
			[]contracts.RuleID{contracts.RuleFullReplace}},
		{"not-found-404", "ResourceNotFoundException is sent with HTTP 404",
			rewriter{after: func(c *call, a *answer) {
				if a.Code == contracts.ResourceNotFoundException().Code {
					a.Status = 404
				}
			}}.wrap,
			[]contracts.RuleID{contracts.RuleProtocolStatus}},
		{"content-type-json", "every answer says application/json",
			rewriter{after: func(c *call, a *answer) { a.Header.Set("Content-Type", "application/json") }}.wrap,
			[]contracts.RuleID{contracts.RuleProtocolContentType}},
		{"get-null-member", "Get's success body carries EmailMfaConfiguration: null",
			rewriter{after: onlyOp(get, func(c *call, a *answer) {
				if _, set := a.Body["EmailMfaConfiguration"]; a.Status == 200 && a.Body != nil && !set {
					a.Body["EmailMfaConfiguration"] = nil
					a.Raw = mustJSON(a.Body)
				}
			})}.wrap,
			[]contracts.RuleID{contracts.RuleProtocolOmitUnset}},
		{"unmodeled-error", "FeatureUnavailableInTierException is renamed ValidationException: one deviation that is " +
			"both the wrong answer to the tier rule and an error the operation does not model",
			rewriter{after: func(c *call, a *answer) {
				if a.Code == contracts.FeatureUnavailableInTierException().Code {
					a.setCode("ValidationException")
				}
			}}.wrap,
			[]contracts.RuleID{contracts.RuleFeatureTier, contracts.RuleProtocolModeledError}},
		{"fresh-pool-optional", "Get on a pool never Set answers OPTIONAL",
			freshOptional(),
			[]contracts.RuleID{contracts.RuleFreshPool}},
		{"describe-always-off", "DescribeUserPool always shows MfaConfiguration OFF",
			rewriter{after: onlyOp(contracts.OpDescribeUserPool, func(c *call, a *answer) {
				if up, ok := a.Body["UserPool"].(map[string]any); ok {
					up["MfaConfiguration"] = "OFF"
				}
			})}.wrap,
			[]contracts.RuleID{contracts.RuleDescribeMfaConfigMFA}},
		{"not-found-as-200", "ResourceNotFoundException is replaced by 200 {\"MfaConfiguration\":\"OFF\"}",
			rewriter{after: func(c *call, a *answer) {
				if a.Code == contracts.ResourceNotFoundException().Code {
					a.Status, a.Code, a.Body = 200, "", map[string]any{"MfaConfiguration": "OFF"}
					a.Header.Del("X-Amzn-ErrorType")
					a.Raw = mustJSON(a.Body)
				}
			}}.wrap,
			[]contracts.RuleID{contracts.RulePoolNotFound}},
		{"malformed-accepted", "a request body that is not JSON is answered 200 {}",
			rewriter{before: func(c *call) *answer {
				if len(c.Raw) > 0 && !json.Valid(c.Raw) {
					a := jsonAnswer(200, nil)
					a.Raw = []byte(`{}`)
					return a
				}
				return nil
			}}.wrap,
			[]contracts.RuleID{contracts.RuleProtocolMalformedRequest}},
		{"untyped-errors", "errors carry neither __type nor X-Amzn-ErrorType: the shape is wrong, and the harness " +
			"cannot tell which error was meant, so the rules that decide error answers are not judged (skip), not blamed",
			rewriter{after: func(c *call, a *answer) {
				if a.Status >= 400 {
					a.Header.Del("X-Amzn-ErrorType")
					if a.Body != nil {
						delete(a.Body, "__type")
						a.Raw = mustJSON(a.Body)
					}
				}
			}}.wrap,
			[]contracts.RuleID{contracts.RuleProtocolErrorShape}},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			rec := &exchangeRecorder{}
			rep := brokenRun(t, func(next http.RoundTripper) http.RoundTripper { return rec.wrap(row.wrap(next)) })
			got, want := sortedIDs(rep.Failing()), sortedIDs(row.want)
			if !slices.Equal(got, want) {
				t.Errorf("%s (%s):\nfailing rules %v, want exactly %v\n%s", row.name, row.reason, got, want, ruleTable(rep))
			}
			// Judged again from the recording alone, interaction by
			// interaction, the same rules fail.
			again := rejudge(t, rec.calls)
			if got := sortedIDs(again.Failing()); !slices.Equal(got, want) {
				t.Errorf("%s rejudged from its recording: failing rules %v, want exactly %v\n%s", row.name, got, want, ruleTable(again))
			}
		})
	}
}

// exchangeRecorder keeps every exchange, in order, as a recording would.
type exchangeRecorder struct {
	mu    sync.Mutex
	calls []judge.Exchange
}

func (e *exchangeRecorder) wrap(next http.RoundTripper) http.RoundTripper {
	return rtFunc(func(r *http.Request) (*http.Response, error) {
		var body []byte
		if r.Body != nil {
			body, _ = io.ReadAll(r.Body)
			r.Body.Close()
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		resp, err := next.RoundTrip(r)
		if err != nil {
			return resp, err
		}
		out, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(out))
		e.mu.Lock()
		e.calls = append(e.calls, judge.Exchange{Target: r.Header.Get("X-Amz-Target"), ContentType: r.Header.Get("Content-Type"),
			RequestBody: body, Status: resp.StatusCode, Header: resp.Header.Clone(), Body: out})
		e.mu.Unlock()
		return resp, nil
	})
}

// TestRejudgeReference: a recording of the reference, judged again
// interaction by interaction, conforms and reaches every rule the live run
// reached.
func TestRejudgeReference(t *testing.T) {
	rec := &exchangeRecorder{}
	rep := brokenRun(t, rec.wrap)
	again := rejudge(t, rec.calls)
	if !again.Conforms() {
		t.Fatalf("the reference's recording does not conform when rejudged:\n%s", ruleTable(again))
	}
	for _, r := range rep.Rules {
		if a := again.Rule(r.ID); r.Status == harness.StatusPass && (a == nil || a.Status != harness.StatusPass) {
			t.Errorf("%s: pass live, %v rejudged", r.ID, a)
		}
	}
	if again.Summary.Calls < int64(len(rec.calls))*9/10 {
		t.Errorf("rejudged %d of %d interactions", again.Summary.Calls, len(rec.calls))
	}
}
