package harness

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/fuzz"
)

// poolState is what the run knows of a pool: its properties and its MFA
// state as the contract has it after the calls so far.
type poolState struct {
	// asked is what a recorded CreateUserPool asked for (Rejudge).
	asked   createRequest
	kind    fuzz.PoolKind
	pool    contracts.Pool
	deleted bool
	// unknown: a deviation left the state unknown; the next Get adopts
	// what the target says instead of judging it.
	unknown bool
	// optional: member paths whose presence the last Set left unconfirmed
	// (the contract allowed the echo to show or omit them), so a Get may
	// show or omit them too.
	optional []string
}

// getExpectation is the contract's expectation of a Get, with the members
// the last Set left unconfirmed allowed either way.
func (ps *poolState) getExpectation(w *contracts.World, p *contracts.Pool, req *contracts.GetRequest) contracts.Expectation {
	exp := contracts.ExpectGet(w, p, req)
	if p == nil || len(ps.optional) == 0 {
		return exp
	}
	for i := range exp.Outcomes {
		if !exp.Outcomes[i].IsError() {
			exp.Outcomes[i].Optional = append(slices.Clone(exp.Outcomes[i].Optional), ps.optional...)
		}
	}
	return exp
}

type worker struct {
	run   *run
	id    int
	pools map[fuzz.PoolKind]*poolState
}

// caseResult is what one case found.
type caseResult struct {
	judgments []stepJudgment
	skipped   string // the case could not run (throttled past retries, ...)
}

type stepJudgment struct {
	Judgment
	step  int
	prior *contracts.MfaConfig
	kind  fuzz.PoolKind
}

func (w *worker) pool(ctx context.Context, kind fuzz.PoolKind) (*poolState, error) {
	if p, ok := w.pools[kind]; ok && !p.deleted {
		return p, nil
	}
	p, err := w.newPool(ctx, kind, fmt.Sprintf("w%d", w.id))
	if err != nil {
		return nil, err
	}
	w.pools[kind] = p
	return p, nil
}

func (w *worker) newPool(ctx context.Context, kind fuzz.PoolKind, tag string) (*poolState, error) {
	name := fmt.Sprintf("mfaconform-%s-%s", kind, tag)
	p, err := w.run.createPool(ctx, kind, name)
	if err != nil {
		return nil, err
	}
	return &poolState{kind: kind, pool: *p}, nil
}

// missingPoolID is a well-formed ID no fixture has.
func (w *worker) missingPoolID() string { return w.run.cfg.world.Region + "_NoSuchPool0" }

func (w *worker) runCase(ctx context.Context, idx int, c fuzz.Case) (caseResult, error) {
	var res caseResult
	var ps *poolState
	var err error
	if c.Lifecycle {
		ps, err = w.newPool(ctx, c.Pool, fmt.Sprintf("case%d", idx))
	} else {
		ps, err = w.pool(ctx, c.Pool)
	}
	if err != nil {
		return res, err
	}
	if c.Lifecycle {
		defer func() {
			if !ps.deleted {
				_ = w.run.deletePool(context.WithoutCancel(ctx), ps.pool.ID)
				w.run.forget(ps.pool.ID)
			}
		}()
	}
	for i, s := range c.Steps {
		if w.run.silent.Load() >= maxSilent {
			return res, fmt.Errorf("%w: the target stopped answering (%d calls in a row had no answer)", ErrSetup, maxSilent)
		}
		if ctx.Err() != nil {
			return res, nil
		}
		j, ok := w.step(ctx, ps, s)
		if !ok {
			res.skipped = "throttled past the retry budget"
			continue
		}
		j.step, j.kind = i, c.Pool
		for k := range j.Findings {
			j.Findings[k].Case = fmt.Sprintf("#%d %s (step %d)", idx, c.Kind, i+1)
			j.Findings[k].Pool = string(c.Pool)
			j.Findings[k].PoolID = ps.pool.ID
			if j.prior != nil && j.Findings[k].Operation == contracts.OpSetUserPoolMfaConfig {
				j.Findings[k].PriorState = j.prior
			}
		}
		res.judgments = append(res.judgments, j)
	}
	return res, nil
}

func (w *worker) poolID(ps *poolState, ref fuzz.PoolRef, literal *string) *string {
	switch ref {
	case fuzz.PoolCurrent:
		return aws.String(ps.pool.ID)
	case fuzz.PoolMissing:
		return aws.String(w.missingPoolID())
	}
	return literal
}

// target returns the pool a request names as the contract sees it: nil
// when it does not exist.
func target(ps *poolState, id *string) *contracts.Pool {
	if id == nil || ps.deleted || *id != ps.pool.ID {
		return nil
	}
	return &ps.pool
}

// step sends one step and judges it. ok is false when the call stayed
// throttled.
func (w *worker) step(ctx context.Context, ps *poolState, s fuzz.Step) (stepJudgment, bool) {
	r := w.run
	var x Exchange
	var j stepJudgment
	switch s.Op {
	case fuzz.OpSet:
		if ps.unknown && !ps.deleted {
			w.resync(ctx, ps)
		}
		req := *s.Set
		req.UserPoolId = w.poolID(ps, s.Pool, s.Set.UserPoolId)
		_, _ = r.sdk(ctx, &x, func(ctx context.Context) (any, error) {
			return sdkCall(ctx, r.client, contracts.OpSetUserPoolMfaConfig, req.UserPoolId, &req, &x)
		})
		if r.throttled(&x) {
			return j, false
		}
		j = w.judgeSetRequest(ps, &x, sdkWire(&req))
	case fuzz.OpGet:
		id := w.poolID(ps, s.Pool, s.Get.UserPoolId)
		_, _ = r.sdk(ctx, &x, func(ctx context.Context) (any, error) {
			return sdkCall(ctx, r.client, contracts.OpGetUserPoolMfaConfig, id, nil, &x)
		})
		if r.throttled(&x) {
			return j, false
		}
		j = w.judgeGet(ps, &x)
	case fuzz.OpDescribe:
		id := w.poolID(ps, s.Pool, nil)
		out, _ := r.sdk(ctx, &x, func(ctx context.Context) (any, error) {
			return sdkCall(ctx, r.client, contracts.OpDescribeUserPool, id, nil, &x)
		})
		if r.throttled(&x) {
			return j, false
		}
		j = w.judgeDescribe(ps, &x, out)
	case fuzz.OpDelete:
		id := w.poolID(ps, s.Pool, nil)
		_, err := r.sdk(ctx, &x, func(ctx context.Context) (any, error) {
			return sdkCall(ctx, r.client, contracts.OpDeleteUserPool, id, nil, &x)
		})
		if r.throttled(&x) {
			return j, false
		}
		if err == nil && x.Status == 200 {
			ps.deleted = true
			r.forget(ps.pool.ID)
		} else {
			// The pool could not be deleted: later steps cannot be judged
			// as calls on a deleted pool.
			j.skip(contracts.RulePoolNotFound, "DeleteUserPool failed: "+errString(err, &x))
		}
	case fuzz.OpRaw:
		if ps.unknown && !ps.deleted {
			w.resync(ctx, ps)
		}
		body := []byte(strings.ReplaceAll(string(s.Raw.Body), fuzz.PoolPlaceholder, ps.pool.ID))
		r.raw(ctx, &x, s.Raw.Target, s.Raw.ContentType, body)
		if r.throttled(&x) {
			return j, false
		}
		j = w.judgeRaw(ps, &x, s.Raw)
	}
	return j, true
}

func (w *worker) judgeSet(ps *poolState, x *Exchange, op string) stepJudgment {
	req, _, err := contracts.DecodeSet(x.RequestBody)
	if err != nil {
		return stepJudgment{Judgment: Judge(contracts.ExpectMalformed(op, err.(*contracts.SerializationError)), x, w.run.cfg.strict)}
	}
	return w.judgeSetRequest(ps, x, req)
}

// judgeSetRequest judges a Set whose request, as it went on the wire, is
// already known.
func (w *worker) judgeSetRequest(ps *poolState, x *Exchange, req *contracts.SetRequest) stepJudgment {
	r := w.run
	p := target(ps, req.UserPoolId)
	prior := ps.pool.State().Clone()
	exp := contracts.ExpectSet(r.cfg.world, p, req)
	j := judge(exp, x, r.cfg.strict, w.mergeAccepted(p))
	w.blameMerge(p, x, exp, &j)
	if p != nil {
		w.afterSet(ps, req, exp, j)
	}
	return stepJudgment{Judgment: j, prior: prior}
}

// blameMerge re-attributes a valid Set that was rejected: when the error
// is what the contract answers to the request with the members it omits
// filled from the pool's earlier configuration, the one deviation is a
// merge instead of a replace (set.full-replace), not the rule that decided
// the request as sent.
func (w *worker) blameMerge(p *contracts.Pool, x *Exchange, exp contracts.Expectation, j *Judgment) {
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
	if m := contracts.ExpectSet(w.run.cfg.world, p, merged); !m.Allows(j.Code) {
		return
	}
	moved := false
	for i := range j.Findings {
		if j.Findings[i].Rule == exp.Rule {
			j.Findings[i].Rule = contracts.RuleFullReplace
			j.Findings[i].Detail += " (it is the answer to the request merged with the pool's earlier configuration)"
			moved = true
		}
	}
	if moved {
		j.uncheck(exp.Rule)
		j.skip(exp.Rule, "rejected as if merged with an earlier configuration (judged as "+string(contracts.RuleFullReplace)+")")
		j.check(contracts.RuleFullReplace)
	}
}

// mergeAccepted is the judge's merge test with the whole contract: merged
// with what the target kept, the request is no longer rejected by the rule
// that rejects it as sent (the kept members may break other rules: they are
// what earlier deviations left in the pool).
func (w *worker) mergeAccepted(p *contracts.Pool) func([]byte, contracts.RuleID) bool {
	return func(merged []byte, decider contracts.RuleID) bool {
		if p == nil || merged == nil {
			return false
		}
		req, _, err := contracts.DecodeSet(merged)
		if err != nil {
			return false
		}
		exp := contracts.ExpectSet(w.run.cfg.world, p, req)
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

func mustMarshal(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// afterSet keeps the contract's view of the pool in step with the target.
func (w *worker) afterSet(ps *poolState, req *contracts.SetRequest, exp contracts.Expectation, j Judgment) {
	switch {
	case j.Success && j.BodyMatches:
		ps.pool.Mfa = j.Body
		ps.optional = nil
		if want, ok := exp.Success(); ok {
			ps.optional = slices.Clone(want.Optional)
		}
		if req.SmsMfaConfiguration != nil && req.SmsMfaConfiguration.SmsConfiguration != nil {
			sc := *req.SmsMfaConfiguration.SmsConfiguration
			ps.pool.SmsConfiguration = &sc
		}
	case j.Success:
		// A deviation: what the target holds now is not what the contract
		// says; the next Get tells.
		ps.unknown = true
	case exp.Skip != "":
		ps.unknown = true
	}
}

func (w *worker) judgeGet(ps *poolState, x *Exchange) stepJudgment {
	r := w.run
	req, _, err := contracts.DecodeGet(x.RequestBody)
	if err != nil {
		return stepJudgment{Judgment: Judge(contracts.ExpectMalformed(contracts.OpGetUserPoolMfaConfig, err.(*contracts.SerializationError)), x, r.cfg.strict)}
	}
	p := target(ps, req.UserPoolId)
	exp := ps.getExpectation(r.cfg.world, p, req)
	if p != nil && ps.unknown {
		exp.Skip = "the pool's state is unknown after an earlier deviation"
	}
	j := Judge(exp, x, r.cfg.strict)
	if p != nil && ps.unknown && j.Success && j.Body != nil {
		ps.pool.Mfa, ps.unknown, ps.optional = j.Body, false, nil
	}
	return stepJudgment{Judgment: j}
}

// resync reads the pool's state without judging it.
func (w *worker) resync(ctx context.Context, ps *poolState) {
	var x Exchange
	id := ps.pool.ID
	_, err := w.run.sdk(ctx, &x, func(ctx context.Context) (any, error) {
		return sdkCall(ctx, w.run.client, contracts.OpGetUserPoolMfaConfig, &id, nil, &x)
	})
	if err != nil {
		return
	}
	var body contracts.MfaConfig
	if json.Unmarshal(x.Body, &body) == nil {
		ps.pool.Mfa, ps.unknown, ps.optional = &body, false, nil
	}
}

func (w *worker) judgeDescribe(ps *poolState, x *Exchange, out any) stepJudgment {
	exp := contracts.Expectation{Operation: contracts.OpDescribeUserPool, Certain: true}
	if ps.deleted {
		exp.Rule = contracts.RulePoolNotFound
		exp.Checked = []contracts.RuleID{contracts.RulePoolNotFound}
		exp.Outcomes = []contracts.Outcome{{Error: contracts.ResourceNotFoundException()}}
	} else {
		exp.Rule = contracts.RuleDescribeMfaConfigMFA
		exp.Checked = []contracts.RuleID{contracts.RuleDescribeMfaConfigMFA}
		exp.Outcomes = []contracts.Outcome{{}}
		if ps.unknown {
			exp.Skip = "the pool's state is unknown after an earlier deviation"
		}
	}
	j := Judge(exp, x, w.run.cfg.strict)
	if ps.deleted || ps.unknown || !j.Success {
		return stepJudgment{Judgment: j}
	}
	want := contracts.ExpectDescribeMfa(&ps.pool)
	got := ""
	if d, ok := out.(*cip.DescribeUserPoolOutput); ok && d.UserPool != nil {
		got = string(d.UserPool.MfaConfiguration)
	}
	if got != want {
		j.Findings = append(j.Findings, Finding{Rule: contracts.RuleDescribeMfaConfigMFA, Operation: contracts.OpDescribeUserPool,
			Request: requestForReport(x.RequestBody), Want: Want{Status: 200, Body: map[string]any{"UserPool": map[string]any{"MfaConfiguration": want}}},
			Got: Got{Status: x.Status, Body: map[string]any{"UserPool": map[string]any{"MfaConfiguration": got}}}, Certain: true,
			Detail: fmt.Sprintf("DescribeUserPool shows MfaConfiguration %q, GetUserPoolMfaConfig's state is %q", got, want)})
	}
	return stepJudgment{Judgment: j}
}

func (w *worker) judgeRaw(ps *poolState, x *Exchange, raw *fuzz.Raw) stepJudgment {
	r := w.run
	var exp contracts.Expectation
	op := ""
	for _, o := range contracts.Operations() {
		if raw.Target == o.Target() {
			op = o.Name
		}
	}
	var prior *contracts.MfaConfig
	switch {
	case op == "":
		exp = contracts.ExpectUnknownOperation()
	case op == contracts.OpSetUserPoolMfaConfig:
		req, _, err := contracts.DecodeSet(x.RequestBody)
		if err != nil {
			exp = contracts.ExpectMalformed(op, err.(*contracts.SerializationError))
			break
		}
		prior = ps.pool.State().Clone()
		exp = contracts.ExpectSet(r.cfg.world, target(ps, req.UserPoolId), req)
		if mediaType(raw.ContentType) != contracts.ContentType {
			exp = contracts.ExpectOtherContentType(exp)
		}
		j := judge(exp, x, r.cfg.strict, w.mergeAccepted(target(ps, req.UserPoolId)))
		w.blameMerge(target(ps, req.UserPoolId), x, exp, &j)
		if p := target(ps, req.UserPoolId); p != nil {
			w.afterSet(ps, req, exp, j)
		}
		return stepJudgment{Judgment: j, prior: prior}
	default:
		req, _, err := contracts.DecodeGet(x.RequestBody)
		if err != nil {
			exp = contracts.ExpectMalformed(op, err.(*contracts.SerializationError))
			break
		}
		exp = ps.getExpectation(r.cfg.world, target(ps, req.UserPoolId), req)
		if ps.unknown {
			exp.Skip = "the pool's state is unknown after an earlier deviation"
		}
		if mediaType(raw.ContentType) != contracts.ContentType {
			exp = contracts.ExpectOtherContentType(exp)
		}
	}
	return stepJudgment{Judgment: Judge(exp, x, r.cfg.strict)}
}

func mediaType(ct string) string { return strings.TrimSpace(strings.SplitN(ct, ";", 2)[0]) }

func errString(err error, x *Exchange) string {
	if err != nil {
		return err.Error()
	}
	return fmt.Sprintf("HTTP %d", x.Status)
}

func decodeAny(b []byte) any {
	var v any
	_ = json.Unmarshal(b, &v)
	return v
}
