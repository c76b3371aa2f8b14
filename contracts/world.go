package contracts

import (
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
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

// Role is an SMS role ARN with the IAM facts the SMS rules need.
// ExternalID, when set, is the sts:ExternalId the role's trust policy
// requires: a Set that sends another (or none) cannot assume it.
type Role struct {
	ARN           string `json:"arn"`
	TrustsCognito bool   `json:"trusts_cognito"`
	CanPublish    bool   `json:"can_publish"`
	ExternalID    string `json:"external_id,omitempty"`
}

// Pool is what the rules know of one user pool. An empty Tier or
// EmailSendingAccount, or a nil FirstAuthFactors, means the fact is unknown
// (a target that does not report it); rules that need it are then skipped.
type Pool struct {
	ID                  string            `json:"id"`
	Tier                string            `json:"tier,omitempty"`
	EmailSendingAccount string            `json:"email_sending_account,omitempty"`
	FirstAuthFactors    []string          `json:"first_auth_factors,omitempty"`
	SmsConfiguration    *SmsConfiguration `json:"sms_configuration,omitempty"`
	// Mfa is the pool's MFA configuration as Get returns it; nil is a fresh pool.
	Mfa *MfaConfig `json:"mfa,omitempty"`
}

// State returns the MFA configuration Get returns for the pool.
func (p *Pool) State() *MfaConfig {
	if p.Mfa == nil {
		return freshState()
	}
	return p.Mfa
}

// Allows reports whether the pool's sign-in policy allows a first factor.
func (p *Pool) Allows(factor string) bool { return slices.Contains(p.FirstAuthFactors, factor) }

// World holds the facts outside any request: the SMS roles and the pools
// seeded before a run. Pools created during a run are kept by whoever runs it.
//
// SESIdentity is the ARN of a verified SES identity that the pools which
// send email with DEVELOPER use (EmailConfiguration.SourceArn). A live run
// without one creates those pools without an email configuration: their
// sending account is unknown, and the rules that need it are skipped.
type World struct {
	Region      string `json:"region"`
	Roles       []Role `json:"roles"`
	Pools       []Pool `json:"pools,omitempty"`
	SESIdentity string `json:"ses_identity,omitempty"`
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
// The file holds exactly one object whose fields are World's; anything
// else is refused, with the field at fault named.
func ReadWorld(r io.Reader) (*World, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var w World
	if err := dec.Decode(&w); err != nil {
		return nil, fmt.Errorf("fixtures: %w", err)
	}
	end := dec.InputOffset()
	if _, err := dec.Token(); err != io.EOF {
		return nil, &FixtureError{Problem: fmt.Sprintf("trailing data after the world object at byte %d", end)}
	}
	if err := w.Check(); err != nil {
		return nil, err
	}
	return &w, nil
}

// FixtureError is one problem with a fixture world: the field at fault, as
// a path into the fixtures file (region, roles[0].arn,
// pools[1].mfa.MfaConfiguration), and what is wrong with it.
type FixtureError struct {
	Field   string
	Problem string
}

func (e *FixtureError) Error() string {
	if e.Field == "" {
		return "fixtures: " + e.Problem
	}
	return "fixtures: " + e.Field + ": " + e.Problem
}

// regionForm is the form of an AWS region name: a partition prefix, an
// optional qualifier (gov, iso, ...), a direction and a number, as in
// us-east-1, eu-central-2, us-gov-west-1, cn-north-1.
var regionForm = regexp.MustCompile(`^[a-z]{2,4}(-[a-z]+)?-[a-z]+-[0-9]+$`)

// Check reports what is wrong with a world, every problem joined.
func (w *World) Check() error {
	var errs fixtureErrors
	errs.checkRegion(w.Region)
	errs.checkRoles(w.Roles)
	if w.SESIdentity != "" && CompilePattern(arnType.Pattern).Match(w.SESIdentity) != Match {
		errs.bad("ses_identity", "%q is not an ARN", w.SESIdentity)
	}
	errs.checkPools(w.Pools)
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	return errs
}

// bad adds a problem with a field.
func (es *fixtureErrors) bad(field, format string, args ...any) {
	*es = append(*es, &FixtureError{Field: field, Problem: fmt.Sprintf(format, args...)})
}

func (es *fixtureErrors) checkRegion(region string) {
	switch {
	case region == "":
		es.bad("region", "missing")
	case !regionForm.MatchString(region):
		es.bad("region", "%q is not an AWS region such as us-east-1 or us-gov-west-1", region)
	}
}

// checkRoles checks each role's ARN and external ID, and that no ARN is
// listed twice. The external ID is bounded as the model bounds ExternalId
// (StringType), in UTF-16 code units.
func (es *fixtureErrors) checkRoles(roles []Role) {
	seen := map[string]int{}
	maxExternalID := *stringType.Max
	for i, r := range roles {
		field := fmt.Sprintf("roles[%d].arn", i)
		if CompilePattern(arnType.Pattern).Match(r.ARN) != Match {
			es.bad(field, "%q is not an ARN", r.ARN)
		}
		if _, units := lengths(r.ExternalID); units > maxExternalID {
			es.bad(fmt.Sprintf("roles[%d].external_id", i), "longer than %d UTF-16 code units", maxExternalID)
		}
		if first, ok := seen[r.ARN]; ok {
			es.bad(field, "%q listed twice (first as roles[%d])", r.ARN, first)
			continue
		}
		seen[r.ARN] = i
	}
}

func (es *fixtureErrors) checkPools(pools []Pool) {
	seen := map[string]int{}
	for i, p := range pools {
		at := fmt.Sprintf("pools[%d].", i)
		if CompilePattern(userPoolIDType.Pattern).Match(p.ID) != Match {
			es.bad(at+"id", "%q does not match %s", p.ID, userPoolIDType.Pattern)
		}
		if first, ok := seen[p.ID]; ok {
			es.bad(at+"id", "%q listed twice (first as pools[%d])", p.ID, first)
		} else {
			seen[p.ID] = i
		}
		es.checkPool(at, p)
	}
}

// checkPool checks one pool's properties; at prefixes its fields.
func (es *fixtureErrors) checkPool(at string, p Pool) {
	if p.Tier != "" && !slices.Contains([]string{TierLite, TierEssentials, TierPlus}, p.Tier) {
		es.bad(at+"tier", "unknown tier %q", p.Tier)
	}
	if p.EmailSendingAccount != "" && p.EmailSendingAccount != SendingCognitoDefault && p.EmailSendingAccount != SendingDeveloper {
		es.bad(at+"email_sending_account", "unknown email_sending_account %q", p.EmailSendingAccount)
	}
	for j, f := range p.FirstAuthFactors {
		if !slices.Contains([]string{FactorPassword, FactorEmailOTP, FactorSmsOTP, FactorWebAuthn}, f) {
			es.bad(fmt.Sprintf("%sfirst_auth_factors[%d]", at, j), "unknown factor %q", f)
		}
	}
	if sc := p.SmsConfiguration; sc != nil {
		v := map[string]any{}
		putString(v, "SnsCallerArn", sc.SnsCallerArn)
		putString(v, "ExternalId", sc.ExternalId)
		putString(v, "SnsRegion", sc.SnsRegion)
		es.checkModel(at+"sms_configuration.", smsConfigurationType, v)
	}
	if p.Mfa != nil {
		if p.Mfa.MfaConfiguration == nil {
			es.bad(at+"mfa.MfaConfiguration", "missing (Get always shows the mode; a fresh pool is OFF)")
		}
		es.checkModel(at+"mfa.", getUserPoolMfaConfigResponse, ValueOf(p.Mfa))
	}
}

// checkModel adds the certain violations of the model's shape by v, each
// member prefixed by at.
func (es *fixtureErrors) checkModel(at string, shape *Shape, v map[string]any) {
	for _, vi := range Validate(shape, v) {
		if !vi.Uncertain {
			es.bad(at+vi.Member, "%s", violationProblem(vi))
		}
	}
}

func violationProblem(v Violation) string {
	if v.Value == nil {
		return "missing"
	}
	val := *v.Value
	if len(val) > 64 {
		val = val[:60] + "..."
	}
	return fmt.Sprintf("%q fails: %s", val, v.Constraint)
}

// fixtureErrors joins every problem of a world on one line (serve prints a
// one-line reason); errors.As finds each FixtureError.
type fixtureErrors []error

func (es fixtureErrors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "; ")
}

func (es fixtureErrors) Unwrap() []error { return es }
