package harness

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/fuzz"
)

// Rejudge judges recorded exchanges one by one, in recorded order, against
// the current contract, without sending anything: the way to judge a
// recording made by another version of the generators (a nightly recording
// of real AWS, say). Pools are followed by ID: a CreateUserPool and the
// DescribeUserPool that reads it back give the pool's facts, as fixtures
// do in a live run; every Set, Get, Describe and Delete after that is
// judged with the state the recording has built up. Throttled exchanges
// are passed over, as a live run retries them.
func Rejudge(info TargetInfo, calls []Exchange, opts ...Option) *Report {
	cfg := defaults()
	for _, o := range opts {
		o(&cfg)
	}
	start := time.Now()
	r := &run{cfg: cfg, target: &endpointTarget{info: info}}
	w := &worker{run: r, pools: map[fuzz.PoolKind]*poolState{}}
	pools := map[string]*poolState{}
	readBack := map[string]bool{} // pools whose fixture read-back is still to come
	var results []caseResult
	for i := range calls {
		x := &calls[i]
		if r.throttled(x) {
			continue
		}
		r.calls.Add(1)
		op := strings.TrimPrefix(x.Target, contracts.TargetPrefix+".")
		id := requestPoolID(x.RequestBody)
		ps := pools[id]
		if ps == nil {
			ps = &poolState{} // no such pool: every call on it is not found
		}
		var j stepJudgment
		switch {
		case op == contracts.OpCreateUserPool:
			if p := createdPool(x); p != nil {
				pools[p.pool.ID], readBack[p.pool.ID] = p, true
			}
			continue
		case op == contracts.OpDescribeUserPool && readBack[id]:
			delete(readBack, id)
			readFacts(ps, x)
			continue
		case op == contracts.OpDescribeUserPool:
			j = w.judgeDescribe(ps, x, describeOutput(x))
		case op == contracts.OpDeleteUserPool:
			if x.Status == 200 && pools[id] != nil {
				ps.deleted = true
			}
			continue
		case mediaType(x.ContentType) != contracts.ContentType && x.ContentType != "":
			j = w.judgeRaw(ps, x, &fuzz.Raw{Target: x.Target, ContentType: x.ContentType})
		case op == contracts.OpSetUserPoolMfaConfig:
			j = w.judgeSet(ps, x, op)
		case op == contracts.OpGetUserPoolMfaConfig:
			j = w.judgeGet(ps, x)
		default:
			j = w.judgeRaw(ps, x, &fuzz.Raw{Target: x.Target, ContentType: x.ContentType})
		}
		for k := range j.Findings {
			j.Findings[k].Case = fmt.Sprintf("interaction %d", i+1)
		}
		results = append(results, caseResult{judgments: []stepJudgment{j}})
	}
	rep := r.report(make([]fuzz.Case, len(results)), results, time.Since(start))
	rep.Summary.Calls = r.calls.Load()
	return rep
}

// requestPoolID reads the UserPoolId a request names, if it is a string.
func requestPoolID(body []byte) string {
	var v struct {
		UserPoolId any
	}
	_ = json.Unmarshal(body, &v)
	s, _ := v.UserPoolId.(string)
	return s
}

// recordedPool is the part of a UserPool the facts come from.
type recordedPool struct {
	UserPool *struct {
		Id                 *string
		UserPoolTier       string
		MfaConfiguration   string
		EmailConfiguration *struct{ EmailSendingAccount string }
		Policies           *struct {
			SignInPolicy *struct{ AllowedFirstAuthFactors []string }
		}
	}
}

type createRequest struct {
	PoolName           string
	UserPoolTier       string
	EmailConfiguration *struct{ EmailSendingAccount string }
	Policies           *struct {
		SignInPolicy *struct{ AllowedFirstAuthFactors []string }
	}
}

// createdPool starts following a pool the recording created; what it asked
// for is kept until the read-back says what the target kept.
func createdPool(x *Exchange) *poolState {
	var out recordedPool
	if x.Status != 200 || json.Unmarshal(x.Body, &out) != nil || out.UserPool == nil || out.UserPool.Id == nil {
		return nil
	}
	var in createRequest
	_ = json.Unmarshal(x.RequestBody, &in)
	ps := &poolState{pool: contracts.Pool{ID: *out.UserPool.Id}}
	ps.asked = in
	applyFacts(ps, out)
	return ps
}

func readFacts(ps *poolState, x *Exchange) {
	var out recordedPool
	if x.Status == 200 && json.Unmarshal(x.Body, &out) == nil && out.UserPool != nil {
		applyFacts(ps, out)
	}
}

// applyFacts keeps each property the target reports as it was asked for,
// and leaves the others unknown, as fixtures.go does for a live run.
func applyFacts(ps *poolState, out recordedPool) {
	in, up := ps.asked, out.UserPool
	ps.pool.Tier, ps.pool.EmailSendingAccount, ps.pool.FirstAuthFactors = "", "", nil
	if up.UserPoolTier != "" && up.UserPoolTier == in.UserPoolTier {
		ps.pool.Tier = in.UserPoolTier
	}
	if up.EmailConfiguration != nil && in.EmailConfiguration != nil &&
		up.EmailConfiguration.EmailSendingAccount == in.EmailConfiguration.EmailSendingAccount {
		ps.pool.EmailSendingAccount = in.EmailConfiguration.EmailSendingAccount
	}
	if up.Policies != nil && up.Policies.SignInPolicy != nil && in.Policies != nil && in.Policies.SignInPolicy != nil &&
		sameSet(up.Policies.SignInPolicy.AllowedFirstAuthFactors, in.Policies.SignInPolicy.AllowedFirstAuthFactors) {
		ps.pool.FirstAuthFactors = in.Policies.SignInPolicy.AllowedFirstAuthFactors
	}
}

func sameSet(a, b []string) bool {
	if len(a) == 0 || len(a) != len(b) {
		return false
	}
	seen := map[string]bool{}
	for _, x := range a {
		seen[x] = true
	}
	for _, x := range b {
		if !seen[x] {
			return false
		}
	}
	return true
}

// describeOutput gives judgeDescribe the one member it reads.
func describeOutput(x *Exchange) any {
	var out recordedPool
	if x.Status != 200 || json.Unmarshal(x.Body, &out) != nil || out.UserPool == nil {
		return nil
	}
	return &cip.DescribeUserPoolOutput{UserPool: &types.UserPoolType{MfaConfiguration: types.UserPoolMfaType(out.UserPool.MfaConfiguration)}}
}
