// Package emulator is the reference emulator: the contract package served
// as awsJson1_1 over HTTP. Every answer about the MFA configuration comes
// from contracts.ExpectSet and contracts.ExpectGet (the preferred outcome);
// the emulator adds only what those need around them: pools to create,
// describe and delete, and the protocol.
package emulator

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"

	"github.com/mfaconform/mfaconform/contracts"
)

// Emulator is an http.Handler that answers the Cognito user-pool operations
// the contract needs. It is safe for concurrent use.
type Emulator struct {
	cfg config

	mu    sync.Mutex
	pools map[string]*poolRecord
	held  int64      // poolRecord.size summed over pools
	ids   idSequence // pool IDs, none ever reused, in constant memory
	rng   *rand.Rand
}

var _ http.Handler = (*Emulator)(nil)

// call is what an operation reads of a request.
type call struct {
	body []byte
	// region is the region the request was signed for; "" when it names
	// none (an unsigned raw request), which finds a pool of any region and
	// creates pools in the world's.
	region string
}

// operation answers one call: a success body or an error.
type operation func(e *Emulator, c call) (any, *apiError)

var operations = map[string]operation{
	contracts.OpSetUserPoolMfaConfig: (*Emulator).setUserPoolMfaConfig,
	contracts.OpGetUserPoolMfaConfig: (*Emulator).getUserPoolMfaConfig,
	contracts.OpCreateUserPool:       (*Emulator).createUserPool,
	contracts.OpDescribeUserPool:     (*Emulator).describeUserPool,
	contracts.OpDeleteUserPool:       (*Emulator).deleteUserPool,
}

// New returns an emulator whose world holds the pools of the configured
// world (contracts.DefaultWorld unless WithWorld says otherwise).
func New(opts ...Option) *Emulator {
	cfg := defaults()
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.maxBody <= 0 {
		panic(fmt.Sprintf("emulator: WithMaxBody(%d): the limit must be positive", cfg.maxBody))
	}
	if cfg.maxPools <= 0 {
		panic(fmt.Sprintf("emulator: WithMaxPools(%d): the limit must be positive", cfg.maxPools))
	}
	if cfg.maxPoolBytes <= 0 {
		panic(fmt.Sprintf("emulator: WithMaxPoolBytes(%d): the limit must be positive", cfg.maxPoolBytes))
	}
	e := &Emulator{
		cfg:   cfg,
		pools: map[string]*poolRecord{},
		rng:   rand.New(rand.NewPCG(uint64(cfg.seed), uint64(cfg.seed)>>32|0x6d6661)),
	}
	e.ids = newIDSequence(e.rng)
	now := cfg.now()
	for _, p := range cfg.world.Pools {
		rec := &poolRecord{pool: clonePool(p), region: e.region(), name: p.ID, created: now, modified: now}
		rec.size = rec.measure()
		e.pools[p.ID] = rec
		e.held += rec.size
	}
	return e
}

// ServeHTTP routes on X-Amz-Target and answers in awsJson1_1.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", contracts.ContentType)
	w.Header().Set("X-Amzn-RequestId", newRequestID())
	if r.Method != http.MethodPost {
		writeError(w, errorOf(contracts.UnknownOperationException(),
			fmt.Sprintf("Method %s is not allowed: awsJson1_1 operations are called with POST /", r.Method)))
		return
	}
	target := r.Header.Get("X-Amz-Target")
	name, ok := strings.CutPrefix(target, contracts.TargetPrefix+".")
	op := operations[name]
	if !ok || op == nil {
		msg := fmt.Sprintf("Unknown operation %q", target)
		if target == "" {
			msg = "Missing X-Amz-Target header"
		}
		writeError(w, errorOf(contracts.UnknownOperationException(), msg))
		return
	}
	body, aerr := readBody(w, r, e.cfg.maxBody)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	region, _ := requestRegion(r)
	out, aerr := op(e, call{body: body, region: region})
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// Pool returns a copy of a pool as the rules see it now, and whether it
// exists.
func (e *Emulator) Pool(id string) (contracts.Pool, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	rec, ok := e.pools[id]
	if !ok {
		return contracts.Pool{}, false
	}
	return clonePool(rec.pool), true
}

// PoolIDs lists the IDs of the pools that exist now, in no order.
func (e *Emulator) PoolIDs() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]string, 0, len(e.pools))
	for id := range e.pools {
		out = append(out, id)
	}
	return out
}

// region is the world's: the region of calls that do not say theirs.
func (e *Emulator) region() string {
	if e.cfg.world.Region == "" {
		return contracts.DefaultWorld().Region
	}
	return e.cfg.world.Region
}

func clonePool(p contracts.Pool) contracts.Pool {
	out := p
	if p.FirstAuthFactors != nil {
		out.FirstAuthFactors = append([]string{}, p.FirstAuthFactors...)
	}
	out.SmsConfiguration = cloneSms(p.SmsConfiguration)
	out.Mfa = p.Mfa.Clone()
	return out
}

func cloneSms(s *contracts.SmsConfiguration) *contracts.SmsConfiguration {
	if s == nil {
		return nil
	}
	return &contracts.SmsConfiguration{SnsCallerArn: cloneString(s.SnsCallerArn),
		ExternalId: cloneString(s.ExternalId), SnsRegion: cloneString(s.SnsRegion)}
}

func cloneString(s *string) *string {
	if s == nil {
		return nil
	}
	v := *s
	return &v
}
