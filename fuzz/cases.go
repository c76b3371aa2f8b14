package fuzz

import (
	"encoding/json"
	"fmt"
	"slices"
	"sync"

	"github.com/mfaconform/mfaconform/contracts"
	"pgregory.net/rapid"
)

func setStep(r *contracts.SetRequest, ref PoolRef) Step { return Step{Op: OpSet, Pool: ref, Set: r} }
func getStep(ref PoolRef) Step                          { return Step{Op: OpGet, Pool: ref, Get: &contracts.GetRequest{}} }

// Sweep is the deterministic part of a run: one case for every model
// violation value, every valid boundary, every cross-field combination of
// mode and factor blocks on every fixture pool, the wire mutations and the
// lifecycle. It makes sure a default run reaches every rule.
func Sweep() []Case {
	sweepOnce.Do(func() { sweep = buildSweep() })
	return slices.Clone(sweep)
}

// The sweep is the same for every run; it is built once. Cases are never
// changed by the runner, so runs share their requests.
var (
	sweepOnce sync.Once
	sweep     []Case
)

func buildSweep() []Case {
	var out []Case
	for _, v := range Violations() {
		out = append(out, violationCase(v))
	}
	for _, v := range validBoundaries() {
		out = append(out, Case{Kind: "boundary " + v.Member, Pool: PoolDefault,
			Steps: []Step{setStep(withMember(baseFor(v.Member), v.Member, v.Value), PoolCurrent), getStep(PoolCurrent)}})
	}
	out = append(out, crossCases()...)
	for _, m := range Mutations() {
		out = append(out, Case{Kind: "wire " + m.Mutation, Pool: PoolDefault, Steps: []Step{{Op: OpRaw, Pool: PoolCurrent, Raw: m}}})
	}
	out = append(out, Lifecycle(&contracts.SetRequest{MfaConfiguration: contracts.String(contracts.MfaOptional),
		SoftwareTokenMfaConfiguration: &contracts.SoftwareTokenMfaConfig{Enabled: contracts.Bool(true)}}))
	out = append(out,
		Case{Kind: "missing pool set", Pool: PoolDefault, Steps: []Step{setStep(offOnly(), PoolMissing)}},
		Case{Kind: "missing pool get", Pool: PoolDefault, Steps: []Step{getStep(PoolMissing)}})
	return out
}

func violationCase(v Violation) Case {
	name := fmt.Sprintf("violation %s %s", v.Member, v.Kind)
	if v.Operation == contracts.OpGetUserPoolMfaConfig {
		return Case{Kind: name, Pool: PoolDefault, Steps: []Step{{Op: OpGet, Pool: PoolLiteral, Get: &contracts.GetRequest{UserPoolId: v.Value}}}}
	}
	if v.Member == "UserPoolId" {
		// An explicit mode, so that the pool ID is the one thing judged.
		r := offOnly()
		r.UserPoolId = v.Value
		return Case{Kind: name, Pool: PoolDefault, Steps: []Step{setStep(r, PoolLiteral)}}
	}
	return Case{Kind: name, Pool: PoolDefault, Steps: []Step{setStep(withMember(baseFor(v.Member), v.Member, v.Value), PoolCurrent), getStep(PoolCurrent)}}
}

// crossCases: each mode with each single factor block and with all of
// them, WebAuthn alone, and the fixture roles, on each fixture pool.
func crossCases() []Case {
	sms := func(role string) *contracts.SmsMfaConfig {
		return &contracts.SmsMfaConfig{SmsAuthenticationMessage: contracts.String(Valid(contracts.SmsVerificationMessageType())),
			SmsConfiguration: &contracts.SmsConfiguration{SnsCallerArn: contracts.String(role), ExternalId: contracts.String(crossExternalID)}}
	}
	totpOn := &contracts.SoftwareTokenMfaConfig{Enabled: contracts.Bool(true)}
	email := &contracts.EmailMfaConfig{Message: contracts.String(Valid(contracts.EmailMfaMessageType())), Subject: contracts.String(Valid(contracts.EmailMfaSubjectType()))}
	web := func(fc string) *contracts.WebAuthnConfig {
		w := &contracts.WebAuthnConfig{RelyingPartyId: contracts.String("auth.example.com"), UserVerification: contracts.String("required")}
		if fc != "" {
			w.FactorConfiguration = contracts.String(fc)
		}
		return w
	}
	type blocks struct {
		name string
		r    contracts.SetRequest
	}
	combos := []blocks{
		{"none", contracts.SetRequest{}},
		{"totp", contracts.SetRequest{SoftwareTokenMfaConfiguration: totpOn}},
		{"totp-off", contracts.SetRequest{SoftwareTokenMfaConfiguration: &contracts.SoftwareTokenMfaConfig{Enabled: contracts.Bool(false)}}},
		{"sms", contracts.SetRequest{SmsMfaConfiguration: sms(contracts.RoleTrusted)}},
		{"sms-untrusted", contracts.SetRequest{SmsMfaConfiguration: sms(contracts.RoleUntrusted)}},
		{"sms-nopublish", contracts.SetRequest{SmsMfaConfiguration: sms(contracts.RoleNoPublish)}},
		{"email", contracts.SetRequest{EmailMfaConfiguration: email}},
		{"webauthn", contracts.SetRequest{WebAuthnConfiguration: web("")}},
		{"webauthn-single", contracts.SetRequest{WebAuthnConfiguration: web(contracts.FactorConfigSingle)}},
		{"webauthn-multi", contracts.SetRequest{WebAuthnConfiguration: web(contracts.FactorConfigMulti)}},
		{"totp+webauthn-multi", contracts.SetRequest{SoftwareTokenMfaConfiguration: totpOn, WebAuthnConfiguration: web(contracts.FactorConfigMulti)}},
		{"all", contracts.SetRequest{SmsMfaConfiguration: sms(contracts.RoleTrusted), SoftwareTokenMfaConfiguration: totpOn,
			EmailMfaConfiguration: email, WebAuthnConfiguration: web(contracts.FactorConfigSingle)}},
	}
	var out []Case
	for _, pool := range PoolKinds() {
		for _, mode := range modes {
			for _, c := range combos {
				r := c.r
				r.MfaConfiguration = mode
				name := "absent"
				if mode != nil {
					name = *mode
				}
				out = append(out, Case{Kind: fmt.Sprintf("cross %s %s on %s", name, c.name, pool), Pool: pool,
					Steps: []Step{setStep(&r, PoolCurrent), getStep(PoolCurrent)}})
			}
		}
	}
	return out
}

// Lifecycle is the stateful sequence on a pool of its own: Get and
// Describe on the fresh pool, Set, Get, Describe, a bare Set (full
// replace), Get, Delete, then Get and Set on the deleted pool.
func Lifecycle(set *contracts.SetRequest) Case {
	return Case{Kind: "lifecycle", Pool: PoolDefault, Lifecycle: true, Steps: []Step{
		getStep(PoolCurrent), {Op: OpDescribe, Pool: PoolCurrent},
		setStep(set, PoolCurrent), getStep(PoolCurrent), {Op: OpDescribe, Pool: PoolCurrent},
		setStep(&contracts.SetRequest{}, PoolCurrent), getStep(PoolCurrent), {Op: OpDescribe, Pool: PoolCurrent},
		{Op: OpDelete, Pool: PoolCurrent}, getStep(PoolCurrent), setStep(offOnly(), PoolCurrent),
	}}
}

// offOnly is the smallest Set that is valid on any existing pool, with its
// mode explicit: calls that test something else (a missing pool, a bad
// pool ID) send it, so that an omitted mode (set.full-replace) is not
// judged on them too.
func offOnly() *contracts.SetRequest {
	return &contracts.SetRequest{MfaConfiguration: contracts.String(contracts.MfaOff)}
}

// Mutations are the raw wire cases: malformed JSON, wrong member types,
// unknown members, explicit false, a missing or unknown X-Amz-Target, and
// other Content-Types.
func Mutations() []*Raw {
	set := contracts.Target(contracts.OpSetUserPoolMfaConfig)
	get := contracts.Target(contracts.OpGetUserPoolMfaConfig)
	pool := `"` + PoolPlaceholder + `"`
	raw := func(mutation, op, target, ct, body string) *Raw {
		return &Raw{Operation: op, Target: target, ContentType: ct, Body: []byte(body), Mutation: mutation}
	}
	ct := contracts.ContentType
	S, G := contracts.OpSetUserPoolMfaConfig, contracts.OpGetUserPoolMfaConfig
	return []*Raw{
		raw("malformed-truncated", S, set, ct, `{"UserPoolId":`+pool+`,"MfaConfiguration":"OF`),
		raw("malformed-not-json", S, set, ct, `MfaConfiguration=OFF`),
		raw("malformed-array", G, get, ct, `[`+pool+`]`),
		raw("malformed-trailing", G, get, ct, `{"UserPoolId":`+pool+`} {}`),
		raw("type-mode-number", S, set, ct, `{"UserPoolId":`+pool+`,"MfaConfiguration":1}`),
		raw("type-enabled-string", S, set, ct, `{"UserPoolId":`+pool+`,"MfaConfiguration":"ON","SoftwareTokenMfaConfiguration":{"Enabled":"true"}}`),
		raw("type-block-array", S, set, ct, `{"UserPoolId":`+pool+`,"SmsMfaConfiguration":[]}`),
		raw("type-pool-object", G, get, ct, `{"UserPoolId":{"id":`+pool+`}}`),
		raw("unknown-members", S, set, ct, `{"UserPoolId":`+pool+`,"MfaConfiguration":"OPTIONAL","NotAMember":true,"SoftwareTokenMfaConfiguration":{"Enabled":true,"Extra":"x"}}`),
		raw("explicit-enabled-false-off", S, set, ct, `{"UserPoolId":`+pool+`,"MfaConfiguration":"OFF","SoftwareTokenMfaConfiguration":{"Enabled":false}}`),
		raw("explicit-enabled-false-optional", S, set, ct, `{"UserPoolId":`+pool+`,"MfaConfiguration":"OPTIONAL","SoftwareTokenMfaConfiguration":{"Enabled":false}}`),
		raw("null-members", S, set, ct, `{"UserPoolId":`+pool+`,"MfaConfiguration":null,"SmsMfaConfiguration":null}`),
		raw("empty-body", G, get, ct, ``),
		raw("missing-target", S, "", ct, `{"UserPoolId":`+pool+`}`),
		raw("unknown-target", S, "AWSCognitoIdentityProviderService.SetUserPoolMfaConfiguration", ct, `{"UserPoolId":`+pool+`}`),
		raw("wrong-prefix-target", G, "AmazonCognitoIdentity.GetUserPoolMfaConfig", ct, `{"UserPoolId":`+pool+`}`),
		raw("content-type-json", G, get, "application/json", `{"UserPoolId":`+pool+`}`),
		raw("content-type-text", G, get, "text/plain", `{"UserPoolId":`+pool+`}`),
	}
}

// RandomCase generates one case: mostly valid cross-field requests, then
// single and multiple violations, wire mutations, calls on a missing pool
// and lifecycles, on any fixture pool.
func RandomCase() *rapid.Generator[Case] {
	vs := Violations()
	muts := Mutations()
	return rapid.Custom(func(t *rapid.T) Case {
		pool := rapid.SampledFrom(PoolKinds()).Draw(t, "pool")
		switch k := rapid.IntRange(0, 99).Draw(t, "kind"); {
		case k < 55:
			steps := []Step{setStep(ValidSet().Draw(t, "set"), PoolCurrent), getStep(PoolCurrent)}
			if rapid.IntRange(0, 3).Draw(t, "again") == 0 {
				steps = append(steps, setStep(ValidSet().Draw(t, "set2"), PoolCurrent), getStep(PoolCurrent))
			}
			return Case{Kind: "random set", Pool: pool, Steps: steps}
		case k < 75:
			c := violationCase(rapid.SampledFrom(vs).Draw(t, "violation"))
			return c
		case k < 82:
			r := ValidSet().Draw(t, "set")
			n := rapid.IntRange(2, 3).Draw(t, "violations")
			for i := 0; i < n; i++ {
				v := rapid.SampledFrom(vs).Draw(t, fmt.Sprintf("violation%d", i))
				if v.Operation != contracts.OpSetUserPoolMfaConfig || v.Member == "UserPoolId" {
					continue
				}
				r = withMember(r, v.Member, v.Value)
			}
			return Case{Kind: "random multi-violation", Pool: pool, Steps: []Step{setStep(r, PoolCurrent), getStep(PoolCurrent)}}
		case k < 92:
			m := rapid.SampledFrom(muts).Draw(t, "mutation")
			return Case{Kind: "wire " + m.Mutation, Pool: pool, Steps: []Step{{Op: OpRaw, Pool: PoolCurrent, Raw: m}}}
		case k < 96:
			return Case{Kind: "random missing pool", Pool: pool, Steps: []Step{setStep(ValidSet().Draw(t, "set"), PoolMissing), getStep(PoolMissing)}}
		default:
			return Lifecycle(ValidSet().Draw(t, "set"))
		}
	})
}

// Cases returns the cases of a run: the sweep, then random cases up to n
// in all (at least the sweep), deterministic for a seed. A run makes them
// one at a time instead (CaseAt); this is for tests and small n.
func Cases(seed int64, n int) []Case {
	out := Sweep()
	r := NewRandom()
	for i := 0; len(out) < n; i++ {
		out = append(out, r.At(seed, i))
	}
	return out
}

// CaseAt is case i of a run of the seed, made on its own: the sweep's
// case i, or the seeded random case after it.
func CaseAt(seed int64, i int, r *Random) Case {
	sweepOnce.Do(func() { sweep = buildSweep() })
	if i < len(sweep) {
		return sweep[i]
	}
	return r.At(seed, i-len(sweep))
}

// Random makes a run's seeded random cases one at a time, each from its
// seed and index alone. It is safe for concurrent use: each case is drawn
// on a rapid.T of its own.
type Random struct{ g *rapid.Generator[Case] }

// randomCase is the one RandomCase generator: building it computes every
// violation value (some 20,000 characters long), which a run's lanes, and
// every input of Fuzz, would otherwise do again.
var randomCase = sync.OnceValue(RandomCase)

// NewRandom returns a maker of random cases.
func NewRandom() *Random { return &Random{g: randomCase()} }

// At is the k-th random case of a seed.
func (r *Random) At(seed int64, k int) Case { return r.g.Example(int(seed)*1_000_003 + k) }

// marshalRequest renders a step's request body as the SDK sends it.
func marshalRequest(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// Sequence generates a stateful call sequence on a pool of its own: any
// mix of Sets, Gets and Describes, then maybe a Delete followed by calls on
// the deleted pool.
func Sequence() *rapid.Generator[Case] {
	return rapid.Custom(func(t *rapid.T) Case {
		c := Case{Kind: "sequence", Pool: rapid.SampledFrom(PoolKinds()).Draw(t, "pool"), Lifecycle: true}
		n := rapid.IntRange(1, 8).Draw(t, "steps")
		for i := 0; i < n; i++ {
			switch rapid.IntRange(0, 3).Draw(t, "op") {
			case 0, 1:
				c.Steps = append(c.Steps, setStep(ValidSet().Draw(t, "set"), PoolCurrent))
			case 2:
				c.Steps = append(c.Steps, getStep(PoolCurrent))
			default:
				c.Steps = append(c.Steps, Step{Op: OpDescribe, Pool: PoolCurrent})
			}
		}
		if rapid.Bool().Draw(t, "delete") {
			c.Steps = append(c.Steps, Step{Op: OpDelete, Pool: PoolCurrent}, getStep(PoolCurrent),
				setStep(ValidSet().Draw(t, "afterDelete"), PoolCurrent), Step{Op: OpDescribe, Pool: PoolCurrent})
		}
		return c
	})
}
