package judge

import (
	"encoding/json"

	"github.com/mfaconform/mfaconform/contracts"
)

// poolState is what the session knows of a pool: its properties and its
// MFA state as the contract has it after the calls so far.
type poolState struct {
	// asked is what the CreateUserPool that made the pool asked for.
	asked createRequest
	kind  string
	pool  contracts.Pool
	// readBack: the DescribeUserPool that reads the pool's facts back is
	// still to come; it is not a judged call.
	readBack bool
	deleted  bool
	// unknown: a deviation left the state unknown; the next Get adopts
	// what the target says instead of judging it.
	unknown bool
	// optional: member paths whose presence the last Set left unconfirmed
	// (the contract allowed the echo to show or omit them), so a Get may
	// show or omit them too.
	optional []string
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

// createdPool starts following a pool a CreateUserPool made; what it asked
// for is kept until the read-back says what the target kept.
func createdPool(x *Exchange) *poolState {
	var out recordedPool
	if x.Status != 200 || json.Unmarshal(x.Body, &out) != nil || out.UserPool == nil || out.UserPool.Id == nil {
		return nil
	}
	var in createRequest
	_ = json.Unmarshal(x.RequestBody, &in)
	ps := &poolState{pool: contracts.Pool{ID: *out.UserPool.Id}, asked: in, readBack: true}
	ps.applyFacts(out)
	return ps
}

func (ps *poolState) readFacts(x *Exchange) {
	var out recordedPool
	if x.Status == 200 && json.Unmarshal(x.Body, &out) == nil && out.UserPool != nil {
		ps.applyFacts(out)
	}
}

// applyFacts keeps each property the target reports as it was asked for,
// and leaves the others unknown: a property the target does not keep
// makes the rules that need it skip instead of misjudge.
func (ps *poolState) applyFacts(out recordedPool) {
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

// describedMode is the MfaConfiguration a DescribeUserPool answer shows.
func describedMode(x *Exchange) string {
	var out recordedPool
	if x.Status != 200 || json.Unmarshal(x.Body, &out) != nil || out.UserPool == nil {
		return ""
	}
	return out.UserPool.MfaConfiguration
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
