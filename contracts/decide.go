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
	vs := Validate(SetUserPoolMfaConfigRequest, ValueOf(req))
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
	e.settle(verdicts, c.success(), c.acceptedBy(&e))
	if uncertainRule != "" {
		e.Rule = uncertainRule
	}
	return e
}

// ExpectGet answers what a conforming service must do with a
// GetUserPoolMfaConfig call on pool (nil when no such pool exists).
func ExpectGet(w *World, pool *Pool, req *GetRequest) Expectation {
	e := Expectation{Operation: OpGetUserPoolMfaConfig, Certain: true}
	vs := Validate(GetUserPoolMfaConfigRequest, ValueOf(req))
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
	e.Outcomes = append(e.Outcomes, Outcome{Error: ErrInvalidParameter, Violations: shown,
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
		if len(e.ErrorOutcomes(ErrResourceNotFound.Code)) == 0 {
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
	return Outcome{Error: ErrResourceNotFound, Messages: []string{msg}, MessageRule: RuleMessageNotFound, Text: msg}
}

// verdict is one rule rejecting a call.
type verdict struct {
	rule RuleID
	outs []Outcome
	// maybe: the rejection is unconfirmed and success stays allowed;
	// preferSuccess says which the reference emulator answers.
	maybe, preferSuccess bool
	// stage orders the checks whose order was measured (contract.md §3.2:
	// SMS config validity, then OFF with a factor, then the email sending
	// account). 0 is a check of unknown order, which excludes nothing.
	stage int
	skip  string
}

func reject(rule RuleID, err *ErrorShape, stage int, msgs ...string) verdict {
	o := Outcome{Error: err, Messages: msgs}
	if len(msgs) > 0 {
		o.MessageRule = RuleMessageMfaRules
		o.Text = msgs[0]
	}
	return verdict{rule: rule, outs: []Outcome{o}, stage: stage}
}

type setCase struct {
	w    *World
	pool *Pool
	req  *SetRequest

	mode                     string
	sms                      *SmsMfaConfig
	totp                     *SoftwareTokenMfaConfig
	email                    *EmailMfaConfig
	webAuthn                 *WebAuthnConfig
	totpOn, totpBare         bool
	factors                  int
	passkeyMFA, onlyWebAuthn bool
	smsConfig                *SmsConfiguration
}

func (c *setCase) facts() {
	r := c.req
	c.mode = r.Mode()
	c.sms, c.totp, c.email, c.webAuthn = r.SmsMfaConfiguration, r.SoftwareTokenMfaConfiguration, r.EmailMfaConfiguration, r.WebAuthnConfiguration
	c.totpOn = c.totp != nil && c.totp.Enabled != nil && *c.totp.Enabled
	c.totpBare = c.totp != nil && c.totp.Enabled == nil
	for _, on := range []bool{c.sms != nil, c.totpOn, c.email != nil} {
		if on {
			c.factors++
		}
	}
	c.passkeyMFA = c.webAuthn != nil && deref(c.webAuthn.FactorConfiguration) == FactorConfigMulti
	c.onlyWebAuthn = c.webAuthn != nil && c.sms == nil && c.totp == nil && c.email == nil
	if c.sms != nil {
		c.smsConfig = c.sms.SmsConfiguration
		if c.smsConfig == nil {
			c.smsConfig = c.pool.SmsConfiguration
		}
	}
}

// verdicts runs every cross-field, fixture and state rule, in the order
// the checks are believed to run, and marks the rules the call exercises.
func (c *setCase) verdicts(e *Expectation) []verdict {
	var out []verdict
	add := func(v verdict) { out = append(out, v) }

	if c.sms != nil {
		e.check(RuleSmsRoleTrust)
		switch {
		case c.smsConfig == nil:
			add(reject(RuleSmsRoleTrust, ErrInvalidParameter, 1, MsgInvalidSms))
		default:
			if c.smsConfig.ExternalId == nil {
				// M4's text says an external id is required, the model says
				// optional (contract.md §7 item 8).
				v := reject(RuleSmsRoleTrust, ErrInvalidParameter, 1, MsgInvalidSms)
				v.maybe = true
				add(v)
			}
			role := c.w.Role(deref(c.smsConfig.SnsCallerArn))
			switch {
			case role == nil:
				// A role the world does not describe cannot be assumed.
				v := reject(RuleSmsRoleTrust, ErrInvalidSmsRoleTrustRelationship, 0, MsgRoleTrust)
				v.outs = append(v.outs, reject(RuleSmsRoleTrust, ErrInvalidParameter, 0, MsgInvalidSms).outs...)
				add(v)
			case !role.TrustsCognito:
				add(reject(RuleSmsRoleTrust, ErrInvalidSmsRoleTrustRelationship, 0, MsgRoleTrust))
			default:
				e.check(RuleSmsRoleAccess)
				if !role.CanPublish {
					add(reject(RuleSmsRoleAccess, ErrInvalidSmsRoleAccessPolicy, 0, MsgRoleAccess))
				}
			}
		}
	}

	if c.mode == MfaOff {
		e.check(RuleOffWithFactor)
		switch {
		case c.sms != nil || c.email != nil || (c.totp != nil && !c.totpBare):
			add(reject(RuleOffWithFactor, ErrInvalidParameter, 2, MsgOffWithFactor))
		case c.totpBare:
			// {} is what the Go SDK sends for Enabled:false; how AWS reads
			// it is unconfirmed (contract.md §3.2); block presence says M3.
			v := reject(RuleOffWithFactor, ErrInvalidParameter, 2, MsgOffWithFactor)
			v.maybe = true
			add(v)
		}
	}

	if c.email != nil || c.webAuthn != nil {
		e.check(RuleFeatureTier)
		switch c.pool.Tier {
		case "":
			add(verdict{rule: RuleFeatureTier, skip: "the pool's feature tier is unknown"})
		case TierLite:
			feature := "Passwordless Sign-In"
			if c.email != nil {
				feature = "Email MFA"
			}
			v := reject(RuleFeatureTier, ErrFeatureUnavailableInTier, 0)
			v.outs[0].Text = TierMessage(TierLite, feature)
			add(v)
		}
	}

	if c.email != nil {
		e.check(RuleEmailRequiresDeveloper)
		switch c.pool.EmailSendingAccount {
		case "":
			add(verdict{rule: RuleEmailRequiresDeveloper, skip: "the pool's email sending account is unknown"})
		case SendingCognitoDefault:
			add(reject(RuleEmailRequiresDeveloper, ErrInvalidParameter, 3, MsgEmailNeedsSES))
		}
	}

	if c.mode == MfaOn || c.mode == MfaOptional {
		e.check(RuleOnWithoutFactor)
		if c.webAuthn != nil && c.factors == 0 {
			e.check(RuleWebAuthnNotAFactor)
		}
		if c.factors == 0 {
			rule := RuleOnWithoutFactor
			if c.webAuthn != nil {
				rule = RuleWebAuthnNotAFactor
			}
			v := reject(rule, ErrInvalidParameter, 0, MsgNoFactor, MsgNoFactorOld)
			if c.passkeyMFA {
				// Since 2026-04-16 passkeys with user verification may count
				// as MFA; M2 was measured without saying whether they did.
				v.maybe, v.preferSuccess = true, true
			}
			add(v)
		}
	} else if c.onlyWebAuthn {
		e.check(RuleWebAuthnNotAFactor)
	}

	if c.mode == MfaOn || c.mode == MfaOptional {
		switch {
		case c.pool.FirstAuthFactors == nil:
			e.check(RuleFirstFactorConflict)
			add(verdict{rule: RuleFirstFactorConflict, skip: "the pool's sign-in policy is unknown"})
		case c.pool.Allows(FactorEmailOTP) || c.pool.Allows(FactorSmsOTP) || c.pool.Allows(FactorWebAuthn):
			e.check(RuleFirstFactorConflict)
			if c.mode == MfaOn && (c.pool.Allows(FactorEmailOTP) || c.pool.Allows(FactorSmsOTP)) {
				add(reject(RuleFirstFactorConflict, ErrInvalidParameter, 0, MsgOTPFirstFactor))
			}
			if c.mode == MfaOn && c.pool.Allows(FactorWebAuthn) && !c.passkeyMFA {
				add(reject(RuleFirstFactorConflict, ErrInvalidParameter, 0, MsgWebAuthnFactor))
			}
		}
	}

	prior := c.pool.State()
	if c.dropsSomething(prior) || c.req.MfaConfiguration == nil {
		// An omitted mode is OFF (contract.md §3.2): the call exercises
		// full replace whatever the pool held.
		e.check(RuleFullReplace)
	}
	if prior.SmsMfaConfiguration != nil && c.sms == nil {
		// Turning SMS off while the pool keeps its SMS role: measured for
		// TOTP (full replace), only reported for SMS (M20, M21).
		v := reject(RuleFullReplace, ErrInvalidParameter, 0, MsgSmsStillSet, MsgSmsRoleSetOld)
		v.maybe, v.preferSuccess = true, true
		add(v)
	}
	return out
}

// dropsSomething reports whether the request leaves out a member the pool
// has now, so that full replace decides what Get shows next.
func (c *setCase) dropsSomething(prior *MfaConfig) bool {
	r := c.req
	return (prior.SmsMfaConfiguration != nil && r.SmsMfaConfiguration == nil) ||
		(prior.SoftwareTokenMfaConfiguration != nil && r.SoftwareTokenMfaConfiguration == nil) ||
		(prior.EmailMfaConfiguration != nil && r.EmailMfaConfiguration == nil) ||
		(prior.WebAuthnConfiguration != nil && r.WebAuthnConfiguration == nil) ||
		(deref(prior.MfaConfiguration) != MfaOff && r.MfaConfiguration == nil)
}

// success is the body of an accepted call: the request's configuration,
// replacing all of the pool's (contract.md §3.2, §3.3).
func (c *setCase) success() Outcome {
	body := &MfaConfig{MfaConfiguration: String(c.mode)}
	var opt []string
	if c.sms != nil {
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
		body.SmsMfaConfiguration = b
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
	if id, ok := boundaryRule(OpSetUserPoolMfaConfig, SetUserPoolMfaConfigRequest, ValueOf(c.req)); ok {
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

// settle turns the verdicts into the allowed outcomes.
func (e *Expectation) settle(vs []verdict, success Outcome, accepted RuleID) {
	var fired []verdict
	for _, v := range vs {
		if v.skip != "" {
			if e.Skip == "" {
				e.Skip = v.skip
			}
			continue
		}
		fired = append(fired, v)
	}
	// A certain rejection at a measured stage rules out the checks
	// measured to run after it.
	firstStage := 0
	for _, v := range fired {
		if !v.maybe && v.stage > 0 && (firstStage == 0 || v.stage < firstStage) {
			firstStage = v.stage
		}
	}
	successAllowed, preferSuccess := true, len(fired) > 0
	var errs []Outcome
	var errRules []RuleID
	for _, v := range fired {
		if firstStage > 0 && v.stage > firstStage {
			continue
		}
		if !v.maybe {
			successAllowed = false
		}
		if !v.preferSuccess {
			preferSuccess = false
		}
		for _, o := range v.outs {
			errs = append(errs, o)
			errRules = append(errRules, v.rule)
		}
	}
	if len(errs) > 1 || (len(errs) > 0 && successAllowed) {
		e.Certain = false
	}
	if successAllowed {
		e.check(RuleEcho)
	}
	switch {
	case len(errs) == 0:
		e.Rule = accepted
		e.Outcomes = append(e.Outcomes, success)
	case successAllowed && preferSuccess:
		e.Rule = errRules[0]
		e.Outcomes = append(e.Outcomes, success)
		e.Outcomes = append(e.Outcomes, errs...)
	default:
		e.Rule = errRules[0]
		e.Outcomes = append(e.Outcomes, errs...)
		if successAllowed {
			e.Outcomes = append(e.Outcomes, success)
		}
	}
	e.check(e.Rule)
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
