package contracts

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// ExpectSet answers what a conforming service must do with a
// SetUserPoolMfaConfig call. pool is the pool the request names, as the
// caller knows it, or nil when no such pool exists.
func ExpectSet(w *World, pool *Pool, req *SetRequest) Expectation {
	e := Expectation{Operation: OpSetUserPoolMfaConfig, Certain: true}
	vs := Validate(setUserPoolMfaConfigRequest, ValueOf(req))
	if e.validation(vs, pool, deref(req.UserPoolId)) {
		return e
	}
	// Only uncertain violations: their outcome stays first, so their rule
	// keeps deciding while the other rules add the answers they allow.
	uncertainRule := e.Rule
	if pool == nil {
		e.notFound(deref(req.UserPoolId))
		return e
	}
	e.check(RulePoolNotFound)
	c := setCase{w: w, pool: pool, req: req}
	c.facts()
	verdicts := c.verdicts(&e)
	e.settle(verdicts, c.success(), func() RuleID { return c.acceptedBy(&e) })
	if uncertainRule != "" {
		e.Rule = uncertainRule
	}
	return e
}

// ExpectGet answers what a conforming service must do with a
// GetUserPoolMfaConfig call on pool (nil when no such pool exists).
func ExpectGet(w *World, pool *Pool, req *GetRequest) Expectation {
	e := Expectation{Operation: OpGetUserPoolMfaConfig, Certain: true}
	vs := Validate(getUserPoolMfaConfigRequest, ValueOf(req))
	if e.validation(vs, pool, deref(req.UserPoolId)) {
		return e
	}
	uncertainRule := e.Rule
	if pool == nil {
		e.notFound(deref(req.UserPoolId))
		return e
	}
	e.check(RulePoolNotFound)
	e.Rule = RuleReadAfterWrite
	if pool.Mfa == nil {
		e.Rule = RuleFreshPool
	}
	e.check(e.Rule)
	e.Outcomes = append(e.Outcomes, Outcome{Body: pool.State().Clone()})
	if uncertainRule != "" {
		e.Rule = uncertainRule
	}
	return e
}

// ExpectDescribeMfa is the MfaConfiguration DescribeUserPool must show for
// a pool: the mode Set put in force.
func ExpectDescribeMfa(pool *Pool) string { return deref(pool.State().MfaConfiguration) }

// validation fills the expectation for model violations and reports whether
// they settle it. Violations that are uncertain leave the rest of the rules
// to run as well, with both answers allowed.
func (e *Expectation) validation(vs []Violation, pool *Pool, poolID string) bool {
	if len(vs) == 0 {
		return false
	}
	var certain []Violation
	idBroken := false
	for _, v := range vs {
		e.check(RuleForViolation(e.Operation, v))
		if !v.Uncertain {
			certain = append(certain, v)
		}
		if v.Member == "UserPoolId" {
			idBroken = true
		}
	}
	shown := certain
	if len(shown) == 0 {
		shown = vs
	}
	e.Rule = RuleForViolation(e.Operation, shown[0])
	msg := ValidationMessage(shown)
	e.Outcomes = append(e.Outcomes, Outcome{Error: InvalidParameterException(), Violations: shown,
		Messages: []string{msg}, MessageRule: RuleMessageValidation, Text: msg})
	if pool == nil && !idBroken {
		// Whether validation runs before the pool lookup is assumed, not
		// measured (contract.md §3.2, order of validations).
		e.Outcomes = append(e.Outcomes, notFoundOutcome(poolID))
		e.Certain = false
	}
	if len(certain) == 0 {
		e.Certain = false
		return false
	}
	return true
}

func (e *Expectation) notFound(id string) {
	e.check(RulePoolNotFound)
	if len(e.Outcomes) > 0 {
		// Uncertain violations came first; not-found is allowed next to them.
		if len(e.ErrorOutcomes(ResourceNotFoundException().Code)) == 0 {
			e.Outcomes = append(e.Outcomes, notFoundOutcome(id))
			e.Certain = false
		}
		return
	}
	e.Rule = RulePoolNotFound
	e.Outcomes = append(e.Outcomes, notFoundOutcome(id))
}

func notFoundOutcome(id string) Outcome {
	msg := MsgPoolNotFound(id)
	return Outcome{Error: ResourceNotFoundException(), Messages: []string{msg}, MessageRule: RuleMessageNotFound, Text: msg}
}

// success is the body of an accepted call: the request's configuration,
// replacing all of the pool's (contract.md §3.2, §3.3).
func (c *setCase) success() Outcome {
	body := &MfaConfig{MfaConfiguration: String(c.mode)}
	var opt []string
	if c.sms != nil {
		body.SmsMfaConfiguration, opt = c.smsBody()
	}
	if c.totp != nil {
		body.SoftwareTokenMfaConfiguration = &SoftwareTokenMfaConfig{Enabled: Bool(c.totpOn)}
		if !c.totpOn {
			// Whether Get shows a disabled TOTP block is unconfirmed (§7 item 5).
			opt = append(opt, "SoftwareTokenMfaConfiguration")
		}
	}
	if c.email != nil {
		body.EmailMfaConfiguration = &EmailMfaConfig{Message: cloneString(c.email.Message), Subject: cloneString(c.email.Subject)}
		if c.email.Message == nil {
			opt = append(opt, "EmailMfaConfiguration.Message")
		}
		if c.email.Subject == nil {
			opt = append(opt, "EmailMfaConfiguration.Subject")
		}
	}
	switch {
	case c.webAuthn != nil:
		w := *c.webAuthn
		body.WebAuthnConfiguration = &w
		for name, v := range map[string]*string{"RelyingPartyId": w.RelyingPartyId,
			"UserVerification": w.UserVerification, "FactorConfiguration": w.FactorConfiguration} {
			if v == nil {
				opt = append(opt, "WebAuthnConfiguration."+name)
			}
		}
	case c.pool.State().WebAuthnConfiguration != nil:
		// Whether an omitted WebAuthn block keeps the old one is
		// unconfirmed (contract.md §3.2).
		opt = append(opt, "WebAuthnConfiguration")
	}
	// An empty block would be sent as {}, which the wire never carries
	// (unset members are omitted): whether the service shows the block with
	// defaults or leaves it out is unconfirmed, so either is allowed.
	if e := body.EmailMfaConfiguration; e != nil && e.Message == nil && e.Subject == nil {
		body.EmailMfaConfiguration = nil
		opt = dropPrefix(opt, "EmailMfaConfiguration")
	}
	if w := body.WebAuthnConfiguration; w != nil && w.RelyingPartyId == nil && w.UserVerification == nil && w.FactorConfiguration == nil {
		body.WebAuthnConfiguration = nil
		opt = dropPrefix(opt, "WebAuthnConfiguration")
	}
	slices.Sort(opt)
	return Outcome{Body: body, Optional: opt}
}

// smsBody is the SMS block of an accepted call, and the members that an
// answer may leave out of it.
func (c *setCase) smsBody() (*SmsMfaConfig, []string) {
	var opt []string
	b := &SmsMfaConfig{SmsAuthenticationMessage: cloneString(c.sms.SmsAuthenticationMessage)}
	if b.SmsAuthenticationMessage == nil {
		opt = append(opt, "SmsMfaConfiguration.SmsAuthenticationMessage")
	}
	if c.smsConfig != nil {
		sc := *c.smsConfig
		b.SmsConfiguration = &sc
		if c.sms.SmsConfiguration == nil {
			opt = append(opt, "SmsMfaConfiguration.SmsConfiguration")
		}
		if sc.SnsRegion == nil {
			opt = append(opt, "SmsMfaConfiguration.SmsConfiguration.SnsRegion")
		}
	}
	return b, opt
}

// dropPrefix replaces the optional paths below a block by the block itself.
func dropPrefix(opt []string, block string) []string {
	out := []string{block}
	for _, p := range opt {
		if p != block && !strings.HasPrefix(p, block+".") {
			out = append(out, p)
		}
	}
	return out
}

// acceptedBy is the rule that decides an accepted call: the most specific
// rule the call exercised.
func (c *setCase) acceptedBy(e *Expectation) RuleID {
	// A valid value at a length bound is the most specific thing such a
	// call tests: a target that rejects it breaks that member's rule.
	if id, ok := boundaryRule(OpSetUserPoolMfaConfig, setUserPoolMfaConfigRequest, ValueOf(c.req)); ok {
		e.check(id)
		return id
	}
	if c.req.MfaConfiguration == nil {
		// Accepted only because an omitted mode reads as OFF: a target
		// that rejects it breaks full replace, whatever else the call holds
		// (the sweep sends the same blocks with an explicit OFF too).
		return RuleFullReplace
	}
	for _, id := range []RuleID{RuleWebAuthnNotAFactor, RuleFirstFactorConflict, RuleEmailRequiresDeveloper,
		RuleFeatureTier, RuleSmsRoleAccess, RuleSmsRoleTrust, RuleFullReplace} {
		if slices.Contains(e.Checked, id) {
			return id
		}
	}
	return RuleEcho
}

// settle turns the verdicts into the allowed outcomes. A rule whose fact
// is unknown is taken out of the rules the call is judged by (Unknown
// says why) and never decides it; the answers it could give are allowed.
func (e *Expectation) settle(vs []verdict, success Outcome, acceptedBy func() RuleID) {
	e.setAsideUnknown(vs)
	accepted := acceptedBy()
	f := fire(vs)
	if len(f.errs) > 1 || (len(f.errs) > 0 && f.successAllowed) {
		e.Certain = false
	}
	if f.successAllowed {
		e.check(RuleEcho)
	}
	decider := accepted
	for _, r := range f.errRules {
		if _, unknown := e.Unknown[r]; !unknown {
			decider = r
			break
		}
	}
	switch {
	case len(f.errs) == 0:
		e.Rule = accepted
		e.Outcomes = append(e.Outcomes, success)
	case f.successAllowed && f.preferSuccess:
		e.Rule = decider
		e.Outcomes = append(e.Outcomes, success)
		e.Outcomes = append(e.Outcomes, f.errs...)
	default:
		e.Rule = decider
		e.Outcomes = append(e.Outcomes, f.errs...)
		if f.successAllowed {
			e.Outcomes = append(e.Outcomes, success)
		}
	}
	e.check(e.Rule)
}

// setAsideUnknown takes the rules whose fact is unknown out of the rules
// the call is judged by, saying why in Unknown.
func (e *Expectation) setAsideUnknown(vs []verdict) {
	for _, v := range vs {
		if v.unknown != "" {
			if e.Unknown == nil {
				e.Unknown = map[RuleID]string{}
			}
			e.Unknown[v.rule] = v.unknown
			e.Checked = slices.DeleteFunc(e.Checked, func(id RuleID) bool { return id == v.rule })
		}
	}
}

// fired is what the verdicts that fired allow: their errors (with the
// rule of each), whether success is still allowed, and whether it is the
// likelier answer.
type fired struct {
	errs                          []Outcome
	errRules                      []RuleID
	successAllowed, preferSuccess bool
}

// fire collects the errors of the verdicts that fired. A certain
// rejection at a measured stage rules out the checks measured to run
// after it.
func fire(vs []verdict) fired {
	firstStage := 0
	for _, v := range vs {
		if !v.maybe && v.stage > 0 && (firstStage == 0 || v.stage < firstStage) {
			firstStage = v.stage
		}
	}
	f := fired{successAllowed: true, preferSuccess: len(vs) > 0}
	for _, v := range vs {
		if firstStage > 0 && v.stage > firstStage {
			continue
		}
		if !v.maybe {
			f.successAllowed = false
		}
		if !v.preferSuccess {
			f.preferSuccess = false
		}
		for _, o := range v.outs {
			f.errs = append(f.errs, o)
			f.errRules = append(f.errRules, v.rule)
		}
	}
	return f
}

// boundaryRule finds a present string member whose length sits exactly on
// a bound of its shape (min when it is above 0, or max) and returns the
// length rule of the first, in model order.
func boundaryRule(op string, shape *Shape, value map[string]any) (RuleID, bool) {
	var found RuleID
	var walk func(s *Shape, v map[string]any, member string) bool
	walk = func(s *Shape, v map[string]any, member string) bool {
		for _, m := range s.Members {
			path := join(member, m.Name)
			if path == "UserPoolId" {
				// The pool ID comes from the target, not from the case.
				continue
			}
			switch x := v[m.Name].(type) {
			case map[string]any:
				if m.Shape.Type == TypeStructure && walk(m.Shape, x, path) {
					return true
				}
			case string:
				n := utf8.RuneCountInString(x)
				atMin := m.Shape.Min != nil && *m.Shape.Min > 0 && n == *m.Shape.Min
				atMax := m.Shape.Max != nil && n == *m.Shape.Max
				if atMin || atMax {
					if id, ok := memberRules[op+" "+path+" "+string(KindLength)]; ok {
						found = id
						return true
					}
				}
			}
		}
		return false
	}
	return found, walk(shape, value, "")
}
