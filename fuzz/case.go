// Package fuzz holds the generators of mfaconform: property-based (rapid)
// generators of requests, wire mutations and call sequences built from the
// contract's constraints, and the go test -fuzz targets.
//
// The harness uses the cases (CaseAt, Cases, Sweep, RandomCase, Sequence).
// The generators they are made from are public too. A user's own rapid
// property or state machine can draw valid requests (ValidSet and its
// blocks, such as SmsBlock) and the values at a shape's edges (Boundaries,
// TooShort, TooLong, BadPatterns, NearMisses, Mutations) from the same
// constraints.
package fuzz

import (
	"github.com/mfaconform/mfaconform/contracts"
)

// PoolKind names a fixture pool: the pool properties the rules depend on.
type PoolKind string

// The fixture pools a run creates on its target.
const (
	PoolDefault      PoolKind = "essentials-developer"     // ESSENTIALS, DEVELOPER email, PASSWORD only
	PoolLite         PoolKind = "lite-developer"           // LITE tier
	PoolCognitoEmail PoolKind = "essentials-cognito"       // COGNITO_DEFAULT email sending
	PoolOTPFirst     PoolKind = "essentials-otp-first"     // EMAIL_OTP and SMS_OTP first factors
	PoolPasskeyFirst PoolKind = "essentials-passkey-first" // WEB_AUTHN first factor
)

// PoolKinds lists every fixture pool kind.
func PoolKinds() []PoolKind {
	return []PoolKind{PoolDefault, PoolLite, PoolCognitoEmail, PoolOTPFirst, PoolPasskeyFirst}
}

// PoolSpec is what a fixture pool is created with.
type PoolSpec struct {
	Tier                string
	EmailSendingAccount string
	FirstAuthFactors    []string
}

// Spec returns the properties of a pool kind.
func (k PoolKind) Spec() PoolSpec {
	switch k {
	case PoolLite:
		return PoolSpec{contracts.TierLite, contracts.SendingDeveloper, []string{contracts.FactorPassword}}
	case PoolCognitoEmail:
		return PoolSpec{contracts.TierEssentials, contracts.SendingCognitoDefault, []string{contracts.FactorPassword}}
	case PoolOTPFirst:
		return PoolSpec{contracts.TierEssentials, contracts.SendingDeveloper,
			[]string{contracts.FactorPassword, contracts.FactorEmailOTP, contracts.FactorSmsOTP}}
	case PoolPasskeyFirst:
		return PoolSpec{contracts.TierEssentials, contracts.SendingDeveloper,
			[]string{contracts.FactorPassword, contracts.FactorWebAuthn}}
	}
	return PoolSpec{contracts.TierEssentials, contracts.SendingDeveloper, []string{contracts.FactorPassword}}
}

// PoolRef says which pool ID a step sends.
type PoolRef int

// Pool references.
const (
	// PoolCurrent: the case's fixture pool; the generated UserPoolId is replaced.
	PoolCurrent PoolRef = iota
	// PoolMissing: a well-formed ID of a pool that does not exist.
	PoolMissing
	// PoolLiteral: the generated UserPoolId as it is (absent, or malformed).
	PoolLiteral
)

// Op is what a step does.
type Op string

// Step operations.
const (
	OpSet      Op = contracts.OpSetUserPoolMfaConfig
	OpGet      Op = contracts.OpGetUserPoolMfaConfig
	OpDescribe Op = contracts.OpDescribeUserPool
	OpCreate   Op = contracts.OpCreateUserPool
	OpDelete   Op = contracts.OpDeleteUserPool
	OpRaw      Op = "Raw"
)

// Raw is a request sent byte for byte, outside the SDK: a wire mutation.
type Raw struct {
	// Operation is the operation the request is meant for (what it is judged as).
	Operation string
	// Target is the X-Amz-Target header; empty sends none.
	Target      string
	ContentType string
	// Body may hold PoolPlaceholder, replaced by the pool ID when sent.
	Body []byte
	// Mutation names the mutation, for reports.
	Mutation string
}

// PoolPlaceholder in a raw body stands for the case's pool ID.
const PoolPlaceholder = "__POOL_ID__"

// Step is one call of a case.
type Step struct {
	Op   Op
	Pool PoolRef
	Set  *contracts.SetRequest
	Get  *contracts.GetRequest
	Raw  *Raw
}

// Case is a short sequence of calls on one fixture pool. A Lifecycle case
// creates its own pool first (so it can be described fresh and deleted).
type Case struct {
	Kind      string
	Pool      PoolKind
	Lifecycle bool
	Steps     []Step
}
