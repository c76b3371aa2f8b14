package contracts

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
)

// Pool feature tiers, email sending accounts and first auth factors: the
// pool properties the rules depend on.
const (
	TierLite       = "LITE"
	TierEssentials = "ESSENTIALS"
	TierPlus       = "PLUS"

	SendingCognitoDefault = "COGNITO_DEFAULT"
	SendingDeveloper      = "DEVELOPER"

	FactorPassword = "PASSWORD"
	FactorEmailOTP = "EMAIL_OTP"
	FactorSmsOTP   = "SMS_OTP"
	FactorWebAuthn = "WEB_AUTHN"

	FactorConfigSingle = "SINGLE_FACTOR"
	FactorConfigMulti  = "MULTI_FACTOR_WITH_USER_VERIFICATION"
)

// Role is an SMS role ARN with the two IAM facts the SMS rules need.
type Role struct {
	ARN           string `json:"arn"`
	TrustsCognito bool   `json:"trustsCognito"`
	CanPublish    bool   `json:"canPublish"`
}

// Pool is what the rules know of one user pool. An empty Tier or
// EmailSendingAccount, or a nil FirstAuthFactors, means the fact is unknown
// (a target that does not report it); rules that need it are then skipped.
type Pool struct {
	ID                  string            `json:"id"`
	Tier                string            `json:"tier,omitempty"`
	EmailSendingAccount string            `json:"emailSendingAccount,omitempty"`
	FirstAuthFactors    []string          `json:"firstAuthFactors,omitempty"`
	SmsConfiguration    *SmsConfiguration `json:"smsConfiguration,omitempty"`
	// Mfa is the pool's MFA configuration as Get returns it; nil is a fresh pool.
	Mfa *MfaConfig `json:"mfa,omitempty"`
}

// State returns the MFA configuration Get returns for the pool.
func (p *Pool) State() *MfaConfig {
	if p.Mfa == nil {
		return FreshState()
	}
	return p.Mfa
}

// Allows reports whether the pool's sign-in policy allows a first factor.
func (p *Pool) Allows(factor string) bool { return slices.Contains(p.FirstAuthFactors, factor) }

// World holds the facts outside any request: the SMS roles and the pools
// seeded before a run. Pools created during a run are kept by whoever runs it.
type World struct {
	Region string `json:"region"`
	Roles  []Role `json:"roles"`
	Pools  []Pool `json:"pools,omitempty"`
}

// Role returns the role with that ARN, or nil when the world does not know it.
func (w *World) Role(arn string) *Role {
	for i := range w.Roles {
		if w.Roles[i].ARN == arn {
			return &w.Roles[i]
		}
	}
	return nil
}

// The fixture roles of the default world (design.md "The fixture world").
const (
	RoleTrusted   = "arn:aws:iam::123456789012:role/mfaconform-sms"
	RoleUntrusted = "arn:aws:iam::123456789012:role/mfaconform-sms-untrusted"
	RoleNoPublish = "arn:aws:iam::123456789012:role/mfaconform-sms-nopublish"
)

// DefaultWorld is the documented default world that the reference emulator
// and the runner share, so that serve and run agree without configuration.
func DefaultWorld() *World {
	return &World{
		Region: "us-east-1",
		Roles: []Role{
			{ARN: RoleTrusted, TrustsCognito: true, CanPublish: true},
			{ARN: RoleUntrusted, TrustsCognito: false, CanPublish: true},
			{ARN: RoleNoPublish, TrustsCognito: true, CanPublish: false},
		},
	}
}

// ReadWorld reads a fixtures file (the JSON form of World) and checks it.
func ReadWorld(r io.Reader) (*World, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var w World
	if err := dec.Decode(&w); err != nil {
		return nil, fmt.Errorf("fixtures: %w", err)
	}
	if err := w.Check(); err != nil {
		return nil, err
	}
	return &w, nil
}

// Check reports what is wrong with a world, every problem joined.
func (w *World) Check() error {
	var errs []error
	if w.Region == "" {
		errs = append(errs, fmt.Errorf("fixtures: region is empty"))
	}
	seen := map[string]bool{}
	for _, r := range w.Roles {
		if CompilePattern(arnType.Pattern).Match(r.ARN) != Match {
			errs = append(errs, fmt.Errorf("fixtures: role %q is not an ARN", r.ARN))
		}
		if seen[r.ARN] {
			errs = append(errs, fmt.Errorf("fixtures: role %q listed twice", r.ARN))
		}
		seen[r.ARN] = true
	}
	for _, p := range w.Pools {
		if CompilePattern(userPoolIDType.Pattern).Match(p.ID) != Match {
			errs = append(errs, fmt.Errorf("fixtures: pool id %q does not match %s", p.ID, userPoolIDType.Pattern))
		}
		if p.Tier != "" && !slices.Contains([]string{TierLite, TierEssentials, TierPlus}, p.Tier) {
			errs = append(errs, fmt.Errorf("fixtures: pool %s: unknown tier %q", p.ID, p.Tier))
		}
		if p.EmailSendingAccount != "" && p.EmailSendingAccount != SendingCognitoDefault && p.EmailSendingAccount != SendingDeveloper {
			errs = append(errs, fmt.Errorf("fixtures: pool %s: unknown emailSendingAccount %q", p.ID, p.EmailSendingAccount))
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return joinErrors(errs)
}

func joinErrors(errs []error) error {
	if len(errs) == 1 {
		return errs[0]
	}
	msg := errs[0].Error()
	for _, e := range errs[1:] {
		msg += "; " + e.Error()
	}
	return fmt.Errorf("%s", msg)
}
