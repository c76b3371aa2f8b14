package judge

import (
	"encoding/json"
	"slices"

	"github.com/mfaconform/mfaconform/contracts"
)

// A target that merges a Set into the pool's earlier configuration
// instead of replacing it makes one deviation, set.full-replace, which can
// show up two ways: a call the contract rejects is accepted because of
// members the target kept, or a valid call is rejected as if merged with
// them. Both are attributed here, from the pool's state and the world.

// mergeTest reports whether a request merged with kept members is no
// longer rejected by the rule that rejects it as sent.
type mergeTest func(merged []byte, decider contracts.RuleID) bool

// mergeAccepted is the merge test with the whole contract: merged with
// what the target kept, the request is no longer rejected by the rule
// that rejects it as sent (the kept members may break other rules: they
// are what earlier deviations left in the pool).
func (s *Session) mergeAccepted(p *contracts.Pool) mergeTest {
	if p == nil {
		return nil
	}
	return func(merged []byte, decider contracts.RuleID) bool {
		if merged == nil {
			return false
		}
		req, _, err := contracts.DecodeSet(merged)
		if err != nil {
			return false
		}
		exp := contracts.ExpectSet(s.world, p, req)
		if exp.Skip != "" {
			return false
		}
		return exp.AllowsSuccess() || !slices.Contains(rejectingRules(exp), decider)
	}
}

// rejectingRules lists the rules an expectation rejects the call by: the
// deciding rule, and the model rules of every violation.
func rejectingRules(exp contracts.Expectation) []contracts.RuleID {
	if exp.AllowsSuccess() {
		return nil
	}
	out := []contracts.RuleID{exp.Rule}
	for _, o := range exp.Outcomes {
		for _, v := range o.Violations {
			out = append(out, contracts.RuleForViolation(exp.Operation, v))
		}
	}
	return out
}

// keptMembers lists the top-level members of a Set's success body that the
// request did not send and that are not the default a bare Set gives (mode
// OFF): evidence that the target merged the earlier configuration.
func keptMembers(exp contracts.Expectation, request []byte, body *contracts.MfaConfig) []string {
	if exp.Operation != contracts.OpSetUserPoolMfaConfig || body == nil {
		return nil
	}
	var req map[string]any
	if json.Unmarshal(request, &req) != nil {
		return nil
	}
	var kept []string
	for k, v := range contracts.ValueOf(body) {
		if _, sent := req[k]; sent {
			continue
		}
		if k == "MfaConfiguration" && v == contracts.MfaOff {
			continue
		}
		if !configures(k, v) {
			// An empty block, or TOTP not enabled, is what some targets
			// show for a pool that never set it: it enables nothing, so it
			// cannot be what made the call acceptable.
			continue
		}
		kept = append(kept, k)
	}
	slices.Sort(kept)
	return kept
}

// configures reports whether a member of a success body holds any
// configuration: not an empty block, not a TOTP block that is not enabled.
func configures(member string, v any) bool {
	m, isBlock := v.(map[string]any)
	switch {
	case !isBlock:
		return true
	case member == "SoftwareTokenMfaConfiguration":
		return m["Enabled"] == true
	}
	return len(m) > 0
}

// mergedRequest is the request with the members kept by the target filled
// in from its answer.
func mergedRequest(request []byte, body *contracts.MfaConfig, kept []string) []byte {
	var req map[string]any
	if json.Unmarshal(request, &req) != nil || req == nil {
		return nil
	}
	got := contracts.ValueOf(body)
	for _, k := range kept {
		req[k] = got[k]
	}
	return mustMarshal(req)
}

// rejectedAsMerged re-attributes a valid Set that was rejected: when the
// error is what the contract answers to the request with the members it
// omits filled from the pool's earlier configuration, the one deviation
// is a merge instead of a replace (set.full-replace), not the rule that
// decided the request as sent.
func (s *Session) rejectedAsMerged(p *contracts.Pool, x *Exchange, exp contracts.Expectation, j *Judgment) {
	if p == nil || p.Mfa == nil || j.Success || j.Code == "" || exp.Skip != "" || exp.Allows(j.Code) || !exp.AllowsSuccess() {
		return
	}
	var req map[string]any
	if json.Unmarshal(x.RequestBody, &req) != nil || req == nil {
		return
	}
	kept := false
	for k, v := range contracts.ValueOf(p.State()) {
		if _, sent := req[k]; !sent {
			req[k], kept = v, true
		}
	}
	if !kept {
		return
	}
	merged, _, err := contracts.DecodeSet(mustMarshal(req))
	if err != nil {
		return
	}
	if m := contracts.ExpectSet(s.world, p, merged); !m.Allows(j.Code) {
		return
	}
	j.moveFindings(exp.Rule, contracts.RuleFullReplace,
		"rejected as if merged with an earlier configuration (judged as "+string(contracts.RuleFullReplace)+")",
		" (it is the answer to the request merged with the pool's earlier configuration)")
}

func mustMarshal(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

func decodeAny(b []byte) any {
	var v any
	_ = json.Unmarshal(b, &v)
	return v
}
