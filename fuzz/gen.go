package fuzz

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/mfaconform/mfaconform/contracts"
	"pgregory.net/rapid"
)

// Modes includes "absent" (nil) next to the enum values.
var modes = []*string{nil, contracts.String(contracts.MfaOff), contracts.String(contracts.MfaOn), contracts.String(contracts.MfaOptional)}

var roles = []string{contracts.RoleTrusted, contracts.RoleUntrusted, contracts.RoleNoPublish,
	"arn:aws:iam::123456789012:role/mfaconform-unknown"}

// SmsBlock generates SmsMfaConfiguration blocks: every fixture role, an
// unknown role, with and without ExternalId, message and SmsConfiguration.
func SmsBlock() *rapid.Generator[*contracts.SmsMfaConfig] {
	return rapid.Custom(func(t *rapid.T) *contracts.SmsMfaConfig {
		b := &contracts.SmsMfaConfig{}
		if rapid.IntRange(0, 3).Draw(t, "smsMessage") > 0 {
			b.SmsAuthenticationMessage = contracts.String(Valid(contracts.SmsVerificationMessageType()))
		}
		if rapid.IntRange(0, 9).Draw(t, "smsConfig") > 0 {
			sc := &contracts.SmsConfiguration{SnsCallerArn: contracts.String(rapid.SampledFrom(roles).Draw(t, "role"))}
			if rapid.IntRange(0, 7).Draw(t, "externalId") > 0 {
				sc.ExternalId = contracts.String(Valid(contracts.StringType()))
			}
			if rapid.Bool().Draw(t, "snsRegion") {
				sc.SnsRegion = contracts.String(Valid(contracts.RegionCodeType()))
			}
			b.SmsConfiguration = sc
		}
		return b
	})
}

// TotpBlock generates SoftwareTokenMfaConfiguration: enabled, disabled, {}.
func TotpBlock() *rapid.Generator[*contracts.SoftwareTokenMfaConfig] {
	return rapid.SampledFrom([]*contracts.SoftwareTokenMfaConfig{
		{Enabled: contracts.Bool(true)}, {Enabled: contracts.Bool(true)}, {Enabled: contracts.Bool(false)}, {},
	})
}

// EmailBlock generates EmailMfaConfiguration with each member absent or present.
func EmailBlock() *rapid.Generator[*contracts.EmailMfaConfig] {
	return rapid.Custom(func(t *rapid.T) *contracts.EmailMfaConfig {
		b := &contracts.EmailMfaConfig{}
		if rapid.IntRange(0, 3).Draw(t, "emailMessage") > 0 {
			b.Message = contracts.String(Valid(contracts.EmailMfaMessageType()))
		}
		if rapid.IntRange(0, 3).Draw(t, "emailSubject") > 0 {
			b.Subject = contracts.String(Valid(contracts.EmailMfaSubjectType()))
		}
		return b
	})
}

// WebAuthnBlock generates WebAuthnConfiguration with every enum value and
// each member absent or present.
func WebAuthnBlock() *rapid.Generator[*contracts.WebAuthnConfig] {
	return rapid.Custom(func(t *rapid.T) *contracts.WebAuthnConfig {
		b := &contracts.WebAuthnConfig{}
		if rapid.IntRange(0, 4).Draw(t, "rp") > 0 {
			b.RelyingPartyId = contracts.String(Valid(contracts.RelyingPartyIDType()))
		}
		if rapid.Bool().Draw(t, "uv") {
			b.UserVerification = contracts.String(rapid.SampledFrom(contracts.UserVerificationType().Enum).Draw(t, "uvValue"))
		}
		if rapid.Bool().Draw(t, "fc") {
			b.FactorConfiguration = contracts.String(rapid.SampledFrom(contracts.WebAuthnFactorConfigurationType().Enum).Draw(t, "fcValue"))
		}
		return b
	})
}

func maybe[V any](t *rapid.T, g *rapid.Generator[*V], label string, oneIn int) *V {
	if rapid.IntRange(1, oneIn).Draw(t, label) == 1 {
		return g.Draw(t, label+"Block")
	}
	return nil
}

// ValidSet generates model-valid SetUserPoolMfaConfig requests across the
// cross-field combinations: every mode (and none) with any set of factor
// blocks, WebAuthn alone or not.
func ValidSet() *rapid.Generator[*contracts.SetRequest] {
	return rapid.Custom(func(t *rapid.T) *contracts.SetRequest {
		r := &contracts.SetRequest{MfaConfiguration: rapid.SampledFrom(modes).Draw(t, "mode")}
		r.SmsMfaConfiguration = maybe(t, SmsBlock(), "sms", 3)
		r.SoftwareTokenMfaConfiguration = maybe(t, TotpBlock(), "totp", 2)
		r.EmailMfaConfiguration = maybe(t, EmailBlock(), "email", 3)
		r.WebAuthnConfiguration = maybe(t, WebAuthnBlock(), "webauthn", 3)
		return r
	})
}

// constraintKeys are the (operation, member, kind) triples of the model
// rules, sorted so that generation is deterministic.
var constraintKeys = func() []string {
	var keys []string
	for k := range contracts.ConstraintRules() {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}()

// Violation is one broken model constraint to put into a request.
type Violation struct {
	Operation string
	Member    string // dotted member path
	Kind      contracts.ConstraintKind
	Value     *string // nil: leave the member out (required)
}

// Violations lists, for every model rule, the values that break it: length
// min-1 and max+1, each bad pattern, each enum near miss, a missing
// required member.
func Violations() []Violation {
	var out []Violation
	for _, key := range constraintKeys {
		parts := strings.SplitN(key, " ", 3)
		op, member, kind := parts[0], parts[1], contracts.ConstraintKind(parts[2])
		shape := contracts.OperationByName(op).Input
		m := contracts.ShapeAt(shape, member)
		add := func(v *string) { out = append(out, Violation{op, member, kind, v}) }
		switch kind {
		case contracts.KindRequired:
			add(nil)
		case contracts.KindLength:
			if v, ok := TooShort(m.Shape); ok {
				add(&v)
			}
			if v, ok := TooLong(m.Shape); ok {
				add(&v)
			}
		case contracts.KindPattern:
			for _, v := range BadPatterns(m.Shape) {
				add(contracts.String(v))
			}
		case contracts.KindEnum:
			for _, v := range NearMisses(m.Shape) {
				add(contracts.String(v))
			}
		}
	}
	return out
}

// Boundary is a value at a length boundary of a member that stays valid.
func validBoundaries() []Violation {
	var out []Violation
	for _, key := range constraintKeys {
		parts := strings.SplitN(key, " ", 3)
		if parts[2] != string(contracts.KindLength) || parts[0] != contracts.OpSetUserPoolMfaConfig {
			continue
		}
		m := contracts.ShapeAt(contracts.SetUserPoolMfaConfigRequest(), parts[1])
		for _, v := range Boundaries(m.Shape) {
			r := withMember(baseFor(parts[1]), parts[1], &v)
			r.UserPoolId = contracts.String(Valid(contracts.UserPoolIDType()))
			if len(contracts.Validate(contracts.SetUserPoolMfaConfigRequest(), contracts.ValueOf(r))) == 0 {
				out = append(out, Violation{parts[0], parts[1], "", contracts.String(v)})
			}
		}
	}
	return out
}

// baseFor returns a valid request that holds the blocks a member lives in,
// with a mode that accepts them where possible.
func baseFor(member string) *contracts.SetRequest {
	r := &contracts.SetRequest{MfaConfiguration: contracts.String(contracts.MfaOptional),
		SoftwareTokenMfaConfiguration: &contracts.SoftwareTokenMfaConfig{Enabled: contracts.Bool(true)}}
	switch {
	case strings.HasPrefix(member, "SmsMfaConfiguration"):
		r.SmsMfaConfiguration = &contracts.SmsMfaConfig{
			SmsAuthenticationMessage: contracts.String(Valid(contracts.SmsVerificationMessageType())),
			SmsConfiguration: &contracts.SmsConfiguration{SnsCallerArn: contracts.String(contracts.RoleTrusted),
				ExternalId: contracts.String(Valid(contracts.StringType()))}}
	case strings.HasPrefix(member, "EmailMfaConfiguration"):
		r.EmailMfaConfiguration = &contracts.EmailMfaConfig{Message: contracts.String(Valid(contracts.EmailMfaMessageType())),
			Subject: contracts.String(Valid(contracts.EmailMfaSubjectType()))}
	case strings.HasPrefix(member, "WebAuthnConfiguration"):
		r.WebAuthnConfiguration = &contracts.WebAuthnConfig{RelyingPartyId: contracts.String(Valid(contracts.RelyingPartyIDType())),
			UserVerification: contracts.String("preferred")}
	}
	return r
}

// withMember sets a member of a request by its dotted path, through JSON,
// so that one function serves every member the contract lists.
func withMember(r *contracts.SetRequest, member string, v *string) *contracts.SetRequest {
	m := contracts.ValueOf(r)
	parts := strings.Split(member, ".")
	cur := m
	for _, p := range parts[:len(parts)-1] {
		next, ok := cur[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			cur[p] = next
		}
		cur = next
	}
	last := parts[len(parts)-1]
	if v == nil {
		delete(cur, last)
	} else {
		cur[last] = *v
	}
	b, _ := json.Marshal(m)
	var out contracts.SetRequest
	if err := json.Unmarshal(b, &out); err != nil {
		panic(fmt.Sprintf("fuzz: withMember %s: %v", member, err))
	}
	return &out
}
