package emulator

import "github.com/mfaconform/mfaconform/contracts"

// setUserPoolMfaConfig answers with the contract's preferred outcome and,
// on success, puts the answered configuration in force.
func (e *Emulator) setUserPoolMfaConfig(c call) (any, *apiError) {
	req, _, err := contracts.DecodeSet(c.body)
	if err != nil {
		return nil, serializationError(err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	rec := e.lookup(req.UserPoolId, c.region)
	var pool *contracts.Pool
	if rec != nil {
		pool = &rec.pool
	}
	exp := contracts.ExpectSet(e.cfg.world, pool, req)
	out := e.chosen(&exp)
	if out.IsError() {
		return nil, errorOf(out.Error, out.Text)
	}
	if rec == nil {
		// The contract never accepts a call on a missing pool; answer as
		// the service would for a broken invariant rather than panic.
		return nil, errorOf(contracts.InternalErrorException(), "")
	}
	next := *rec
	next.pool.Mfa = out.Body.Clone()
	if sms := req.SmsMfaConfiguration; sms != nil && sms.SmsConfiguration != nil {
		next.pool.SmsConfiguration = cloneSms(sms.SmsConfiguration)
	}
	next.size = next.measure()
	if aerr := e.hold(rec.size, next.size); aerr != nil {
		return nil, aerr
	}
	next.modified = e.cfg.now()
	*rec = next
	return out.Body.Clone(), nil
}

func (e *Emulator) getUserPoolMfaConfig(c call) (any, *apiError) {
	req, _, err := contracts.DecodeGet(c.body)
	if err != nil {
		return nil, serializationError(err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	var pool *contracts.Pool
	if rec := e.lookup(req.UserPoolId, c.region); rec != nil {
		pool = &rec.pool
	}
	exp := contracts.ExpectGet(e.cfg.world, pool, req)
	out := e.chosen(&exp)
	if out.IsError() {
		return nil, errorOf(out.Error, out.Text)
	}
	return out.Body.Clone(), nil
}

// lookup returns the pool with that ID in the call's region (any region
// when the call names none), or nil: as on AWS and moto, a client signed
// for another region does not find a pool (aws/aws-sdk-go#2436,
// ResourceNotFoundException). The caller holds e.mu.
func (e *Emulator) lookup(id *string, region string) *poolRecord {
	if id == nil {
		return nil
	}
	rec := e.pools[*id]
	if rec == nil || region != "" && rec.region != region {
		return nil
	}
	return rec
}

// chosen is the outcome the emulator answers: the contract's preferred
// one, after WithChoice's adjustment.
func (e *Emulator) chosen(exp *contracts.Expectation) contracts.Outcome {
	if e.cfg.choose != nil {
		e.cfg.choose(exp)
	}
	return exp.Preferred()
}
