package emulator

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/mfaconform/mfaconform/contracts"
)

// AccountID is the account every emulated pool ARN names.
const AccountID = "123456789012"

// MsgMfaNeedsSms is M18 (contract.md §3.1): CreateUserPool with MFA ON or
// OPTIONAL and no SmsConfiguration.
const MsgMfaNeedsSms = "SMS configuration and Auto verification for phone_number are required when MFA is required/optional"

// MsgPoolLimit is the emulator's text of LimitExceededException from
// CreateUserPool (a format taking the limit); AWS's own text is not known.
const MsgPoolLimit = "User pool limit of %d exceeded: delete a user pool before creating another"

// MsgPoolBytesLimit is the emulator's text of LimitExceededException from
// a write that would take the bytes its pools hold past the limit (a
// format taking the limit). AWS has no such limit: a client meets it only
// by filling the emulator with pools of the contract's largest values.
const MsgPoolBytesLimit = "User pools limit of %d bytes of configuration exceeded: delete a user pool before writing more"

// errLimitExceeded is LimitExceededException, a modeled error of
// CreateUserPool (botocore cognito-idp 2016-04-18). The contracts package
// models the errors of Set and Get only, which do not list it.
var errLimitExceeded = &contracts.ErrorShape{Code: "LimitExceededException",
	Status: http.StatusBadRequest, Fault: contracts.FaultClient}

// poolRecord is an emulated pool: what the rules know (pool) and what
// DescribeUserPool shows besides.
type poolRecord struct {
	pool contracts.Pool
	// region is where the pool lives: the region its CreateUserPool was
	// signed for, or the world's for a pool of the world.
	region            string
	name              string
	created, modified time.Time
	email             *emailConfiguration
	// size is what the record holds, in bytes (measure), counted against
	// the emulator's WithMaxPoolBytes.
	size int64
}

// measure is the bytes a record holds: its configuration as JSON, which
// counts every string it keeps.
func (rec *poolRecord) measure() int64 {
	p, _ := json.Marshal(rec.pool)
	m, _ := json.Marshal(rec.email)
	return int64(len(rec.name) + len(p) + len(m))
}

// hold makes a record of size bytes take the place of one of was bytes
// (0 for a new pool), or refuses it when the pools would then hold more
// than the limit. The caller holds e.mu.
func (e *Emulator) hold(was, size int64) *apiError {
	if e.held-was+size > e.cfg.maxPoolBytes && size > was {
		return errorOf(errLimitExceeded, fmt.Sprintf(MsgPoolBytesLimit, e.cfg.maxPoolBytes))
	}
	e.held += size - was
	return nil
}

// emailConfiguration is EmailConfigurationType; the emulator keeps every
// member it is given and reads only EmailSendingAccount.
type emailConfiguration struct {
	ConfigurationSet    *string `json:"ConfigurationSet,omitempty"`
	EmailSendingAccount *string `json:"EmailSendingAccount,omitempty"`
	From                *string `json:"From,omitempty"`
	ReplyToEmailAddress *string `json:"ReplyToEmailAddress,omitempty"`
	SourceArn           *string `json:"SourceArn,omitempty"`
}

type createRequest struct {
	PoolName           *string                     `json:"PoolName"`
	UserPoolTier       *string                     `json:"UserPoolTier"`
	EmailConfiguration *emailConfiguration         `json:"EmailConfiguration"`
	SmsConfiguration   *contracts.SmsConfiguration `json:"SmsConfiguration"`
	MfaConfiguration   *string                     `json:"MfaConfiguration"`
	Policies           *policies                   `json:"Policies"`
}

type policies struct {
	SignInPolicy *signInPolicy `json:"SignInPolicy,omitempty"`
}

type signInPolicy struct {
	AllowedFirstAuthFactors []string `json:"AllowedFirstAuthFactors"`
}

// userPool is the UserPoolType the SDK decodes: dates are epoch seconds.
type userPool struct {
	Id                     string                      `json:"Id"`
	Name                   string                      `json:"Name"`
	Arn                    string                      `json:"Arn"`
	CreationDate           int64                       `json:"CreationDate"`
	LastModifiedDate       int64                       `json:"LastModifiedDate"`
	MfaConfiguration       string                      `json:"MfaConfiguration,omitempty"`
	UserPoolTier           string                      `json:"UserPoolTier,omitempty"`
	EmailConfiguration     *emailConfiguration         `json:"EmailConfiguration,omitempty"`
	SmsConfiguration       *contracts.SmsConfiguration `json:"SmsConfiguration,omitempty"`
	Policies               *policies                   `json:"Policies,omitempty"`
	EstimatedNumberOfUsers int                         `json:"EstimatedNumberOfUsers"`
}

type userPoolResponse struct {
	UserPool userPool `json:"UserPool"`
}

func (e *Emulator) createUserPool(c call) (any, *apiError) {
	req, factors, aerr := decodeCreate(c.body)
	if aerr != nil {
		return nil, aerr
	}
	mode := deref(req.MfaConfiguration, contracts.MfaOff)
	if mode != contracts.MfaOff && req.SmsConfiguration == nil {
		return nil, errorOf(contracts.InvalidParameterException(), MsgMfaNeedsSms)
	}
	pool, email := newPool(req, factors, mode)

	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.pools) >= e.cfg.maxPools {
		return nil, errorOf(errLimitExceeded, fmt.Sprintf(MsgPoolLimit, e.cfg.maxPools))
	}
	region := cmp.Or(c.region, e.region())
	pool.ID = e.newPoolID(region)
	now := e.cfg.now()
	rec := &poolRecord{pool: pool, region: region, name: *req.PoolName, created: now, modified: now, email: email}
	rec.size = rec.measure()
	if aerr := e.hold(0, rec.size); aerr != nil {
		return nil, aerr
	}
	e.pools[pool.ID] = rec
	return userPoolResponse{UserPool: e.describe(rec)}, nil
}

// decodeCreate decodes and validates a CreateUserPool request against the
// model, its first sign-in factors apart.
func decodeCreate(body []byte) (createRequest, []string, *apiError) {
	var req createRequest
	v, err := contracts.DecodeValue(createUserPoolRequest, body)
	if err != nil {
		return req, nil, serializationError(err)
	}
	factors, err := firstAuthFactors(v)
	if err != nil {
		return req, nil, serializationError(err)
	}
	vs := contracts.Validate(createUserPoolRequest, v)
	vs = append(vs, validateFactors(factors)...)
	if len(vs) > 0 {
		return req, nil, validationError(vs)
	}
	if err := remarshal(v, &req); err != nil {
		return req, nil, serializationError(err)
	}
	return req, factors, nil
}

// newPool is the pool a valid request makes, before it has an ID: the
// defaults AWS gives what the request leaves out.
func newPool(req createRequest, factors []string, mode string) (contracts.Pool, *emailConfiguration) {
	email := req.EmailConfiguration
	if email == nil {
		email = &emailConfiguration{}
	}
	if email.EmailSendingAccount == nil {
		email.EmailSendingAccount = contracts.String(contracts.SendingCognitoDefault)
	}
	if factors == nil {
		factors = []string{contracts.FactorPassword}
	}
	pool := contracts.Pool{
		Tier:                deref(req.UserPoolTier, contracts.TierEssentials),
		EmailSendingAccount: *email.EmailSendingAccount,
		FirstAuthFactors:    factors,
		SmsConfiguration:    cloneSms(req.SmsConfiguration),
	}
	if mode != contracts.MfaOff {
		pool.Mfa = &contracts.MfaConfig{MfaConfiguration: contracts.String(mode),
			SmsMfaConfiguration: &contracts.SmsMfaConfig{SmsConfiguration: cloneSms(req.SmsConfiguration)}}
	}
	return pool, email
}

func (e *Emulator) describeUserPool(c call) (any, *apiError) {
	e.mu.Lock()
	defer e.mu.Unlock()
	rec, aerr := e.existingPool(c)
	if aerr != nil {
		return nil, aerr
	}
	return userPoolResponse{UserPool: e.describe(rec)}, nil
}

func (e *Emulator) deleteUserPool(c call) (any, *apiError) {
	e.mu.Lock()
	defer e.mu.Unlock()
	rec, aerr := e.existingPool(c)
	if aerr != nil {
		return nil, aerr
	}
	delete(e.pools, rec.pool.ID)
	e.held -= rec.size
	return struct{}{}, nil
}

// existingPool decodes a {"UserPoolId": ...} body and finds the pool in
// the call's region. The caller holds e.mu.
func (e *Emulator) existingPool(c call) (*poolRecord, *apiError) {
	v, err := contracts.DecodeValue(userPoolIDRequest, c.body)
	if err != nil {
		return nil, serializationError(err)
	}
	if vs := contracts.Validate(userPoolIDRequest, v); len(vs) > 0 {
		return nil, validationError(vs)
	}
	id := v["UserPoolId"].(string) // Validate saw a string there
	rec := e.lookup(&id, c.region)
	if rec == nil {
		return nil, errorOf(contracts.ResourceNotFoundException(), contracts.MsgPoolNotFound(id))
	}
	return rec, nil
}

// describe renders a pool as UserPoolType. The caller holds e.mu.
func (e *Emulator) describe(rec *poolRecord) userPool {
	p := rec.pool
	region := e.region()
	if r, _, ok := cutRegion(p.ID); ok {
		region = r
	}
	out := userPool{
		Id:               p.ID,
		Name:             rec.name,
		Arn:              fmt.Sprintf("arn:aws:cognito-idp:%s:%s:userpool/%s", region, AccountID, p.ID),
		CreationDate:     rec.created.Unix(),
		LastModifiedDate: rec.modified.Unix(),
		MfaConfiguration: contracts.ExpectDescribeMfa(&p),
		UserPoolTier:     p.Tier,
		SmsConfiguration: cloneSms(p.SmsConfiguration),
	}
	switch {
	case rec.email != nil:
		c := *rec.email
		out.EmailConfiguration = &c
	case p.EmailSendingAccount != "":
		out.EmailConfiguration = &emailConfiguration{EmailSendingAccount: contracts.String(p.EmailSendingAccount)}
	}
	if p.FirstAuthFactors != nil {
		out.Policies = &policies{SignInPolicy: &signInPolicy{
			AllowedFirstAuthFactors: append([]string{}, p.FirstAuthFactors...)}}
	}
	return out
}

const idAlphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

// idSpace is the number of nine-character suffixes: 62^9.
const idSpace = 13537086546263552

// idSequence hands out pool ID suffixes that look random and never repeat,
// without remembering them: the n-th is a*n+b mod 62^9, a bijection of
// the counter since a is prime to 62^9 (odd, not a multiple of 31). An
// emulator that creates pools for years holds no list of them.
type idSequence struct{ next, a, b uint64 }

func newIDSequence(rng *rand.Rand) idSequence {
	a := rng.Uint64()%idSpace | 1
	for a%31 == 0 {
		a += 2
	}
	return idSequence{a: a, b: rng.Uint64() % idSpace}
}

func (s *idSequence) suffix() string {
	hi, lo := bits.Mul64(s.a, s.next)
	_, x := bits.Div64(hi%idSpace, lo, idSpace)
	x = (x + s.b) % idSpace
	s.next++
	b := make([]byte, 9)
	for i := len(b) - 1; i >= 0; i-- {
		b[i] = idAlphabet[x%62]
		x /= 62
	}
	return string(b)
}

// newPoolID returns a fresh ID shaped like a real one: <region>_ and nine
// alphanumerics, never one handed out before. The caller holds e.mu.
func (e *Emulator) newPoolID(region string) string {
	for {
		id := region + "_" + e.ids.suffix()
		if e.pools[id] == nil {
			// (A fixtures pool could hold the same ID, by a chance of one
			// in 10^16.)
			return id
		}
	}
}

// cutRegion splits a pool ID at its last underscore.
func cutRegion(id string) (region, suffix string, ok bool) {
	for i := len(id) - 1; i >= 0; i-- {
		if id[i] == '_' {
			return id[:i], id[i+1:], i > 0
		}
	}
	return "", "", false
}

func deref(s *string, def string) string {
	if s == nil {
		return def
	}
	return *s
}

func remarshal(v map[string]any, into any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return &contracts.SerializationError{Reason: err.Error()}
	}
	if err := json.Unmarshal(b, into); err != nil {
		return &contracts.SerializationError{Reason: err.Error()}
	}
	return nil
}
