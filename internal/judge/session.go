// Package judge is the one place where mfaconform reaches a verdict. A
// Session holds the world, the strictness and what is known of each pool;
// every path that judges (the live workers, shrinking, replay, rejudging a
// recording, users' go test helpers) feeds it exchanges, byte for byte,
// and gets judgments back. It does no I/O.
package judge

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/mfaconform/mfaconform/contracts"
)

// Session judges exchanges in the order they happened and keeps each
// pool's state in step with them. A Session is not safe for concurrent
// use: give each sequence of calls on its own pools a session of its own.
type Session struct {
	world  *contracts.World
	strict bool
	pools  map[string]*poolState
	// watch and narrow: see Watch and NarrowWith.
	watch  func([]Seen)
	narrow func(*contracts.Expectation)
}

// New starts a session over a world (nil is the default world); strict
// makes message findings fail instead of warn.
func New(world *contracts.World, strict bool) *Session {
	if world == nil {
		world = contracts.DefaultWorld()
	}
	s := &Session{world: world, strict: strict, pools: map[string]*poolState{}}
	for _, p := range world.Pools {
		s.pools[p.ID] = &poolState{pool: p}
	}
	return s
}

// Judge judges one exchange and updates the pools' state. A
// CreateUserPool starts following a pool, and the DescribeUserPool right
// after it reads back the facts the target kept: neither is a judged call.
// It never panics on what a target sends back.
func (s *Session) Judge(x *Exchange) Judgment {
	switch op := x.operation(); op {
	case contracts.OpCreateUserPool:
		if ps := createdPool(x); ps != nil {
			s.pools[ps.pool.ID] = ps
		}
		return Judgment{}
	case contracts.OpDescribeUserPool:
		ps := s.pools[requestPoolID(x.RequestBody)]
		if ps != nil && ps.readBack {
			ps.readBack = false
			ps.readFacts(x)
			return Judgment{}
		}
		return s.plain(x, s.describe(ps, x))
	case contracts.OpDeleteUserPool:
		return s.deleted(x)
	case contracts.OpSetUserPoolMfaConfig:
		return s.set(x)
	case contracts.OpGetUserPoolMfaConfig:
		return s.get(x)
	}
	return s.plain(x, judgeAnswer(contracts.ExpectUnknownOperation(), x, s.strict, nil))
}

// Adopt takes the MFA configuration of a successful Set or Get as the
// pool's state without judging it: the sender reset or re-read the pool
// and says so. It reports whether the answer could be adopted.
func (s *Session) Adopt(x *Exchange) bool {
	ps := s.pools[requestPoolID(x.RequestBody)]
	if ps == nil || x.Status != 200 || x.Err != nil {
		return false
	}
	var got contracts.MfaConfig
	if json.Unmarshal(x.Body, &got) != nil {
		return false
	}
	ps.pool.Mfa, ps.unknown, ps.optional = &got, false, nil
	return true
}

// Label names the kind of a pool in findings on it.
func (s *Session) Label(id, kind string) {
	if ps := s.pools[id]; ps != nil {
		ps.kind = kind
	}
}

// Pool returns what the session knows of a pool, or false when it follows
// no such pool.
func (s *Session) Pool(id string) (contracts.Pool, bool) {
	ps := s.pools[id]
	if ps == nil {
		return contracts.Pool{}, false
	}
	return ps.pool, true
}

// Unknown reports whether a deviation left a pool's state unknown: the
// sender re-reads it (a Get it then Adopts) before the next Set.
func (s *Session) Unknown(id string) bool {
	ps := s.pools[id]
	return ps != nil && ps.unknown
}

// lookup is the pool a request names as the contract sees it: nil when no
// such pool exists.
func (s *Session) lookup(id *string) *poolState {
	if id == nil {
		return nil
	}
	return s.pools[*id]
}

func (ps *poolState) contractPool() *contracts.Pool {
	if ps == nil {
		return nil
	}
	return &ps.pool
}

func (s *Session) set(x *Exchange) Judgment {
	req := x.Set
	if req == nil {
		r, _, err := contracts.DecodeSet(x.RequestBody)
		if err != nil {
			return s.plain(x, judgeAnswer(contracts.ExpectMalformed(contracts.OpSetUserPoolMfaConfig, serializationError(err)), x, s.strict, nil))
		}
		req = r
	}
	ps := s.lookup(req.UserPoolId)
	p := ps.contractPool()
	exp := contracts.ExpectSet(s.world, p, req)
	s.narrowed(&exp)
	if x.otherContentType() {
		exp = contracts.ExpectOtherContentType(exp)
	}
	j := judgeAnswer(exp, x, s.strict, s.mergeAccepted(p))
	s.rejectedAsMerged(p, x, exp, &j)
	s.watched(exp, x, j)
	if ps != nil {
		if len(j.Findings) > 0 {
			// The state before the call, for the findings only: most
			// calls conform, and cloning it for each would be waste.
			ps.label(j.Findings, ps.pool.State().Clone())
		}
		ps.afterSet(req, exp, j)
	}
	return j
}

func (s *Session) narrowed(exp *contracts.Expectation) {
	if s.narrow != nil && exp.Skip == "" {
		s.narrow(exp)
	}
}

// plain tells the watcher what a call judged without an expectation of
// Set or Get showed: the rules it kept or broke.
func (s *Session) plain(x *Exchange, j Judgment) Judgment {
	s.watched(contracts.Expectation{}, x, j)
	return j
}

// watched tells the watcher what a call showed; a call sent with another
// Content-Type is judged against another expectation, and shows nothing.
func (s *Session) watched(exp contracts.Expectation, x *Exchange, j Judgment) {
	if s.watch != nil && !x.otherContentType() {
		s.watch(observe(exp, x, j))
	}
}

// afterSet keeps the contract's view of the pool in step with the target.
func (ps *poolState) afterSet(req *contracts.SetRequest, exp contracts.Expectation, j Judgment) {
	if j.Success && req.SmsMfaConfiguration != nil && req.SmsMfaConfiguration.SmsConfiguration != nil {
		// The pool keeps the SMS configuration the target accepted, also
		// when its answer deviates: a later SMS block without one uses it.
		sc := *req.SmsMfaConfiguration.SmsConfiguration
		ps.pool.SmsConfiguration = &sc
	}
	switch {
	case j.Success && j.BodyMatches:
		ps.pool.Mfa = j.Body
		ps.optional = nil
		if want, ok := exp.Success(); ok {
			ps.optional = slices.Clone(want.Optional)
		}
	case j.Success:
		// A deviation: what the target holds now is not what the contract
		// says; the next Get tells.
		ps.unknown = true
	case exp.Skip != "":
		ps.unknown = true
	}
}

func (s *Session) get(x *Exchange) Judgment {
	req, _, err := contracts.DecodeGet(x.RequestBody)
	if err != nil {
		return s.plain(x, judgeAnswer(contracts.ExpectMalformed(contracts.OpGetUserPoolMfaConfig, serializationError(err)), x, s.strict, nil))
	}
	ps := s.lookup(req.UserPoolId)
	p := ps.contractPool()
	exp := contracts.ExpectGet(s.world, p, req)
	if ps != nil {
		ps.allowUnconfirmed(&exp)
		if ps.unknown {
			exp.Skip = "the pool's state is unknown after an earlier deviation"
		}
	}
	s.narrowed(&exp)
	if x.otherContentType() {
		exp = contracts.ExpectOtherContentType(exp)
	}
	j := judgeAnswer(exp, x, s.strict, nil)
	s.watched(exp, x, j)
	if ps != nil {
		ps.label(j.Findings, nil)
		if ps.unknown && j.Success && j.Body != nil && !x.otherContentType() {
			// A Get sent as the SDK sends it tells the pool's state; one
			// sent with another Content-Type is judged, not trusted.
			ps.pool.Mfa, ps.unknown, ps.optional = j.Body, false, nil
		}
	}
	return j
}

// allowUnconfirmed lets a Get show or omit the members whose presence the
// last Set left unconfirmed.
func (ps *poolState) allowUnconfirmed(exp *contracts.Expectation) {
	if len(ps.optional) == 0 {
		return
	}
	for i := range exp.Outcomes {
		if !exp.Outcomes[i].IsError() {
			exp.Outcomes[i].Optional = append(slices.Clone(exp.Outcomes[i].Optional), ps.optional...)
		}
	}
}

func (s *Session) describe(ps *poolState, x *Exchange) Judgment {
	exp := contracts.Expectation{Operation: contracts.OpDescribeUserPool, Certain: true}
	if ps == nil {
		exp.Rule = contracts.RulePoolNotFound
		exp.Checked = []contracts.RuleID{contracts.RulePoolNotFound}
		exp.Outcomes = []contracts.Outcome{{Error: contracts.ResourceNotFoundException()}}
		return judgeAnswer(exp, x, s.strict, nil)
	}
	exp.Rule = contracts.RuleDescribeMfaConfigMFA
	exp.Checked = []contracts.RuleID{contracts.RuleDescribeMfaConfigMFA}
	exp.Outcomes = []contracts.Outcome{{}}
	if ps.unknown {
		exp.Skip = "the pool's state is unknown after an earlier deviation"
	}
	j := judgeAnswer(exp, x, s.strict, nil)
	if !ps.unknown && j.Success {
		want, got := contracts.ExpectDescribeMfa(&ps.pool), describedMode(x)
		if got != want {
			j.Findings = append(j.Findings, Finding{Rule: contracts.RuleDescribeMfaConfigMFA, Operation: contracts.OpDescribeUserPool,
				Request: RequestForReport(x.RequestBody), Want: Want{Status: 200, Body: map[string]any{"UserPool": map[string]any{"MfaConfiguration": want}}},
				Got: Got{Status: x.Status, Body: map[string]any{"UserPool": map[string]any{"MfaConfiguration": got}}}, Certain: true,
				Detail: fmt.Sprintf("DescribeUserPool shows MfaConfiguration %q, GetUserPoolMfaConfig's state is %q", got, want)})
		}
	}
	ps.label(j.Findings, nil)
	return j
}

// deleted follows a DeleteUserPool: a pool deleted is forgotten, so that
// every later call on it expects not found. A failed delete leaves the
// calls after it unjudgeable as calls on a deleted pool.
func (s *Session) deleted(x *Exchange) Judgment {
	id := requestPoolID(x.RequestBody)
	if s.pools[id] == nil {
		return Judgment{}
	}
	if x.Status == 200 && x.Err == nil {
		delete(s.pools, id)
		return Judgment{}
	}
	var j Judgment
	why := "HTTP " + strconv.Itoa(x.Status)
	if x.Err != nil {
		why = x.Err.Error()
	}
	j.skip(contracts.RulePoolNotFound, "DeleteUserPool failed: "+why)
	return j
}

// label names the pool on findings about it; prior is the state before a
// Set.
func (ps *poolState) label(fs []Finding, prior *contracts.MfaConfig) {
	for i := range fs {
		fs[i].Kind, fs[i].PoolID = ps.kind, ps.pool.ID
		if prior != nil && fs[i].Operation == contracts.OpSetUserPoolMfaConfig {
			fs[i].Prior = prior
		}
	}
}

// serializationError is what a decoder said, as the contract's type.
func serializationError(err error) *contracts.SerializationError {
	var se *contracts.SerializationError
	if errors.As(err, &se) {
		return se
	}
	return &contracts.SerializationError{Reason: err.Error()}
}
