package contracts

// A Set call passes through AWS's cross-field, fixture and state checks in
// an order measured only in part (contract.md §3.2): SMS configuration
// validity (M4), then OFF with a factor (M3), then the email sending account
// (M5). The stages below number those measured positions; a check whose
// position relative to the others was never measured has orderUnknown.
const (
	orderUnknown       = 0
	stageSmsConfig     = 1
	stageOffWithFactor = 2
	stageEmailAccount  = 3
)

// setCheck is one named check of a Set call. run appends the check's
// verdicts to out and marks the rules the call exercises.
type setCheck struct {
	name  string
	stage int
	run   func(c *setCase, e *Expectation, out []verdict) []verdict
}

// setChecks is the order the checks run in, which is also the order of the
// error outcomes they allow: the first is what the reference emulator
// answers. Measured stages rise along the list; the checks of unknown order
// keep the places that give the reference its answer when several rules
// reject a call (a role's trust before OFF with a factor, the feature tier
// before the email sending account).
var setChecks = [...]setCheck{
	{"sms-configuration", stageSmsConfig, (*setCase).checkSmsConfiguration},
	{"sms-role", orderUnknown, (*setCase).checkSmsRole},
	{"off-with-factor", stageOffWithFactor, (*setCase).checkOffWithFactor},
	{"feature-tier", orderUnknown, (*setCase).checkFeatureTier},
	{"email-sending-account", stageEmailAccount, (*setCase).checkEmailSendingAccount},
	{"factor-required", orderUnknown, (*setCase).checkFactorRequired},
	{"first-factor-conflict", orderUnknown, (*setCase).checkFirstFactorConflict},
	{"full-replace", orderUnknown, (*setCase).checkFullReplace},
}

// verdict is one rule rejecting a call.
type verdict struct {
	rule RuleID
	outs []Outcome
	// maybe: the rejection is unconfirmed and success stays allowed;
	// preferSuccess says which the reference emulator answers.
	maybe, preferSuccess bool
	// stage is the measured stage of the check that reached the verdict;
	// orderUnknown excludes nothing.
	stage int
	// unknown: a fact the rule needs is unknown (the target does not
	// report it). The rule is not judged on the call; the answers it could
	// give (outs) are allowed next to success, and the rest of the call is
	// judged.
	unknown string
}

// unknownFact is the verdict of a rule whose fact is unknown: outs are
// what it answers if the fact is the bad one.
func unknownFact(rule RuleID, why string, outs ...verdict) verdict {
	v := verdict{rule: rule, unknown: why, maybe: true, preferSuccess: true}
	for _, o := range outs {
		v.outs = append(v.outs, o.outs...)
	}
	return v
}

func reject(rule RuleID, err *ErrorShape, msgs ...string) verdict {
	o := Outcome{Error: err, Messages: msgs}
	if len(msgs) > 0 {
		o.MessageRule = RuleMessageMfaRules
		o.Text = msgs[0]
	}
	return verdict{rule: rule, outs: []Outcome{o}}
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

// verdicts runs setChecks in order and marks the rules the call exercises.
func (c *setCase) verdicts(e *Expectation) []verdict {
	var out []verdict
	for _, check := range setChecks {
		n := len(out)
		out = check.run(c, e, out)
		for i := n; i < len(out); i++ {
			out[i].stage = check.stage
		}
	}
	return out
}

// checkSmsConfiguration: an SMS block needs an SMS configuration, its own
// or the pool's (M4, measured before M3 whatever the mode).
func (c *setCase) checkSmsConfiguration(e *Expectation, out []verdict) []verdict {
	if c.sms == nil {
		return out
	}
	e.check(RuleSmsRoleTrust)
	switch {
	case c.smsConfig == nil:
		out = append(out, reject(RuleSmsRoleTrust, InvalidParameterException(), MsgInvalidSms))
	case c.smsConfig.ExternalId == nil:
		// M4's text says an external id is required, the model says
		// optional (contract.md §7 item 8).
		v := reject(RuleSmsRoleTrust, InvalidParameterException(), MsgInvalidSms)
		v.maybe = true
		out = append(out, v)
	}
	return out
}

// checkSmsRole: the SMS role must trust cognito-idp and may publish to SNS.
func (c *setCase) checkSmsRole(e *Expectation, out []verdict) []verdict {
	if c.sms == nil || c.smsConfig == nil {
		return out
	}
	role := c.w.Role(deref(c.smsConfig.SnsCallerArn))
	switch {
	case role == nil:
		// A role the world does not describe cannot be assumed.
		v := reject(RuleSmsRoleTrust, InvalidSmsRoleTrustRelationshipException(), MsgRoleTrust)
		v.outs = append(v.outs, reject(RuleSmsRoleTrust, InvalidParameterException(), MsgInvalidSms).outs...)
		out = append(out, v)
	case !role.TrustsCognito:
		out = append(out, reject(RuleSmsRoleTrust, InvalidSmsRoleTrustRelationshipException(), MsgRoleTrust))
	case role.ExternalID != "" && deref(c.smsConfig.ExternalId) != role.ExternalID:
		// The trust policy requires its sts:ExternalId (contract.md §1.4, the error's documentation:
		// "the external ID provided in the role does not match").
		out = append(out, reject(RuleSmsRoleTrust, InvalidSmsRoleTrustRelationshipException(), MsgRoleTrust))
	default:
		e.check(RuleSmsRoleAccess)
		if !role.CanPublish {
			out = append(out, reject(RuleSmsRoleAccess, InvalidSmsRoleAccessPolicyException(), MsgRoleAccess))
		}
	}
	return out
}

// checkOffWithFactor: OFF, sent or omitted, takes no factor block (M3).
func (c *setCase) checkOffWithFactor(e *Expectation, out []verdict) []verdict {
	if c.mode != MfaOff {
		return out
	}
	e.check(RuleOffWithFactor)
	switch {
	case c.sms != nil || c.email != nil || (c.totp != nil && !c.totpBare):
		out = append(out, reject(RuleOffWithFactor, InvalidParameterException(), MsgOffWithFactor))
	case c.totpBare:
		// {} is what the Go SDK sends for Enabled:false; how AWS reads
		// it is unconfirmed (contract.md §3.2); block presence says M3.
		v := reject(RuleOffWithFactor, InvalidParameterException(), MsgOffWithFactor)
		v.maybe = true
		out = append(out, v)
	}
	return out
}

// checkFeatureTier: email MFA and WebAuthn need ESSENTIALS or above.
func (c *setCase) checkFeatureTier(e *Expectation, out []verdict) []verdict {
	if c.email == nil && c.webAuthn == nil {
		return out
	}
	e.check(RuleFeatureTier)
	switch c.pool.Tier {
	case "", TierLite:
		feature := "Passwordless Sign-In"
		if c.email != nil {
			feature = "Email MFA"
		}
		v := reject(RuleFeatureTier, FeatureUnavailableInTierException())
		v.outs[0].Text = tierMessage(TierLite, feature)
		if c.pool.Tier == "" {
			v = unknownFact(RuleFeatureTier, "the pool's feature tier is unknown", v)
		}
		out = append(out, v)
	}
	return out
}

// checkEmailSendingAccount: email MFA needs SES developer sending (M5,
// measured after M3).
func (c *setCase) checkEmailSendingAccount(e *Expectation, out []verdict) []verdict {
	if c.email == nil {
		return out
	}
	e.check(RuleEmailRequiresDeveloper)
	switch c.pool.EmailSendingAccount {
	case "":
		v := reject(RuleEmailRequiresDeveloper, InvalidParameterException(), MsgEmailNeedsSES)
		out = append(out, unknownFact(RuleEmailRequiresDeveloper, "the pool's email sending account is unknown", v))
	case SendingCognitoDefault:
		out = append(out, reject(RuleEmailRequiresDeveloper, InvalidParameterException(), MsgEmailNeedsSES))
	}
	return out
}

// checkFactorRequired: ON and OPTIONAL need an SMS, TOTP or email factor;
// WebAuthn alone is none (M1, M2).
func (c *setCase) checkFactorRequired(e *Expectation, out []verdict) []verdict {
	if c.mode != MfaOn && c.mode != MfaOptional {
		if c.onlyWebAuthn {
			e.check(RuleWebAuthnNotAFactor)
		}
		return out
	}
	e.check(RuleOnWithoutFactor)
	if c.webAuthn != nil && c.factors == 0 {
		e.check(RuleWebAuthnNotAFactor)
	}
	if c.factors == 0 {
		rule := RuleOnWithoutFactor
		if c.webAuthn != nil {
			rule = RuleWebAuthnNotAFactor
		}
		v := reject(rule, InvalidParameterException(), MsgNoFactor, MsgNoFactorOld)
		if c.passkeyMFA {
			// Since 2026-04-16 passkeys with user verification may count
			// as MFA; M2 was measured without saying whether they did.
			v.maybe, v.preferSuccess = true, true
		}
		out = append(out, v)
	}
	return out
}

// checkFirstFactorConflict: ON conflicts with OTP first factors, and with
// WEB_AUTHN unless passkeys count as MFA (M6, M7).
func (c *setCase) checkFirstFactorConflict(e *Expectation, out []verdict) []verdict {
	if c.mode != MfaOn && c.mode != MfaOptional {
		return out
	}
	switch {
	case c.pool.FirstAuthFactors == nil:
		e.check(RuleFirstFactorConflict)
		var maybe []verdict
		if c.mode == MfaOn {
			// What an OTP or a WebAuthn first factor would answer.
			maybe = append(maybe, reject(RuleFirstFactorConflict, InvalidParameterException(), MsgOTPFirstFactor))
			if !c.passkeyMFA {
				maybe = append(maybe, reject(RuleFirstFactorConflict, InvalidParameterException(), MsgWebAuthnFactor))
			}
		}
		out = append(out, unknownFact(RuleFirstFactorConflict, "the pool's sign-in policy is unknown", maybe...))
	case c.pool.Allows(FactorEmailOTP) || c.pool.Allows(FactorSmsOTP) || c.pool.Allows(FactorWebAuthn):
		e.check(RuleFirstFactorConflict)
		if c.mode == MfaOn && (c.pool.Allows(FactorEmailOTP) || c.pool.Allows(FactorSmsOTP)) {
			out = append(out, reject(RuleFirstFactorConflict, InvalidParameterException(), MsgOTPFirstFactor))
		}
		if c.mode == MfaOn && c.pool.Allows(FactorWebAuthn) && !c.passkeyMFA {
			out = append(out, reject(RuleFirstFactorConflict, InvalidParameterException(), MsgWebAuthnFactor))
		}
	}
	return out
}

// checkFullReplace: Set replaces the whole configuration; turning SMS off
// while the pool keeps its SMS role may be refused (M20, M21).
func (c *setCase) checkFullReplace(e *Expectation, out []verdict) []verdict {
	prior := c.pool.State()
	if c.dropsSomething(prior) || c.req.MfaConfiguration == nil {
		// An omitted mode is OFF (contract.md §3.2): the call exercises
		// full replace whatever the pool held.
		e.check(RuleFullReplace)
	}
	if prior.SmsMfaConfiguration != nil && c.sms == nil {
		// Measured for TOTP (full replace), only reported for SMS.
		v := reject(RuleFullReplace, InvalidParameterException(), MsgSmsStillSet, MsgSmsRoleSetOld)
		v.maybe, v.preferSuccess = true, true
		out = append(out, v)
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
