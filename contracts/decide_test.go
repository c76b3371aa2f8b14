package contracts_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	c "github.com/mfaconform/mfaconform/contracts"
)

const poolID = "us-east-1_Mfaconform1"

// pool builds a pool whose facts are all known: ESSENTIALS, SES DEVELOPER,
// password-only sign-in. Options change one fact.
func pool(opts ...func(*c.Pool)) func() *c.Pool {
	return func() *c.Pool {
		p := &c.Pool{ID: poolID, Tier: c.TierEssentials, EmailSendingAccount: c.SendingDeveloper,
			FirstAuthFactors: []string{c.FactorPassword}}
		for _, o := range opts {
			o(p)
		}
		return p
	}
}

func tier(t string) func(*c.Pool)            { return func(p *c.Pool) { p.Tier = t } }
func sending(s string) func(*c.Pool)         { return func(p *c.Pool) { p.EmailSendingAccount = s } }
func firstFactors(f ...string) func(*c.Pool) { return func(p *c.Pool) { p.FirstAuthFactors = f } }
func noPool() *c.Pool                        { return nil }

var (
	s   = c.String
	yes = c.Bool(true)
	no  = c.Bool(false)
)

func mode(m string) *string { return &m }

// set builds a SetUserPoolMfaConfig request for poolID; edit fills members.
func set(edit func(*c.SetRequest)) *c.SetRequest {
	r := &c.SetRequest{UserPoolId: s(poolID)}
	if edit != nil {
		edit(r)
	}
	return r
}

func withMode(m string, more ...func(*c.SetRequest)) func(*c.SetRequest) {
	return func(r *c.SetRequest) {
		r.MfaConfiguration = mode(m)
		for _, f := range more {
			f(r)
		}
	}
}

func totp(enabled *bool) func(*c.SetRequest) {
	return func(r *c.SetRequest) { r.SoftwareTokenMfaConfiguration = &c.SoftwareTokenMfaConfig{Enabled: enabled} }
}

func smsWith(msg *string, cfg *c.SmsConfiguration) func(*c.SetRequest) {
	return func(r *c.SetRequest) {
		r.SmsMfaConfiguration = &c.SmsMfaConfig{SmsAuthenticationMessage: msg, SmsConfiguration: cfg}
	}
}

func role(arn string) *c.SmsConfiguration {
	return &c.SmsConfiguration{SnsCallerArn: s(arn), ExternalId: s("mfaconform-external")}
}

func email(msg, subject *string) func(*c.SetRequest) {
	return func(r *c.SetRequest) { r.EmailMfaConfiguration = &c.EmailMfaConfig{Message: msg, Subject: subject} }
}

func webAuthn(rp, uv, factor *string) func(*c.SetRequest) {
	return func(r *c.SetRequest) {
		r.WebAuthnConfiguration = &c.WebAuthnConfig{RelyingPartyId: rp, UserVerification: uv, FactorConfiguration: factor}
	}
}

// want is the expectation a row asserts.
type want struct {
	rule     c.RuleID
	codes    []string // ErrorCodes(), in order
	success  bool     // AllowsSuccess()
	body     *c.MfaConfig
	optional []string
	certain  bool
	skip     bool
	text     string // Preferred().Text, when set
}

type expectRow struct {
	name string
	fact string // the contract.md fact the row comes from
	pool func() *c.Pool
	// before are Set calls applied first, each must be accepted; its
	// success body becomes the pool's state.
	before []*c.SetRequest
	set    *c.SetRequest
	get    *c.GetRequest
	want   want
	// accepts and rejects name the catalogue rules the row shows passing
	// and failing. For state rules that never reject a call, rejectsBody is
	// the body the rule rules out.
	accepts, rejects []c.RuleID
	rejectsBody      *c.MfaConfig
}

var (
	off, on, optional = c.MfaOff, c.MfaOn, c.MfaOptional
	okSms             = smsWith(s("Code {####}"), role(c.RoleTrusted))
	okEmail           = email(s("Code {####}"), s("Your code"))
	rp                = s("auth.mfaconform.example")
)

func bodyOf(m string, edit func(*c.MfaConfig)) *c.MfaConfig {
	b := &c.MfaConfig{MfaConfiguration: s(m)}
	if edit != nil {
		edit(b)
	}
	return b
}

func ip() []string { return []string{"InvalidParameterException"} }

var setRows = []expectRow{
	// Model rules, through ExpectSet.
	{name: "pool id missing", fact: "§1.3 required; §6", pool: pool(), set: &c.SetRequest{},
		want:    want{rule: c.RuleSetUserPoolIDRequired, codes: ip(), certain: true, text: "1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null"},
		rejects: []c.RuleID{c.RuleSetUserPoolIDRequired}},
	{name: "bare request resets to OFF", fact: "§3.2 full replace; floci PR #2831", pool: pool(), set: set(nil),
		want:        want{rule: c.RuleFullReplace, success: true, body: bodyOf(off, nil), certain: true},
		accepts:     []c.RuleID{c.RuleSetUserPoolIDRequired, c.RuleSetUserPoolIDLength, c.RuleSetUserPoolIDPattern, c.RuleSetMfaConfigurationEnum, c.RuleOffWithFactor, c.RulePoolNotFound, c.RuleFullReplace, c.RuleEcho},
		rejectsBody: &c.MfaConfig{}, rejects: []c.RuleID{c.RuleFullReplace}},
	{name: "pool id too long", fact: "§1.3 UserPoolIdType max 55", pool: pool(),
		set:     set(func(r *c.SetRequest) { r.UserPoolId = s(strings.Repeat("a", 50) + "_abcde") }),
		want:    want{rule: c.RuleSetUserPoolIDLength, codes: ip(), certain: true},
		rejects: []c.RuleID{c.RuleSetUserPoolIDLength}},
	{name: "pool id leading space", fact: "M10; aws-sdk-js#3344 full match", pool: pool(),
		set:     set(func(r *c.SetRequest) { r.UserPoolId = s(" " + poolID) }),
		want:    want{rule: c.RuleSetUserPoolIDPattern, codes: ip(), certain: true},
		rejects: []c.RuleID{c.RuleSetUserPoolIDPattern}},
	{name: "mfa lower case off", fact: "M9 enum, case-sensitive", pool: pool(), set: set(withMode("off")),
		want:    want{rule: c.RuleSetMfaConfigurationEnum, codes: ip(), certain: true, text: "1 validation error detected: Value 'off' at 'mfaConfiguration' failed to satisfy constraint: Member must satisfy enum value set: [OPTIONAL, OFF, ON]"},
		rejects: []c.RuleID{c.RuleSetMfaConfigurationEnum}},
	{name: "sms message too short", fact: "§1.3 SmsVerificationMessageType min 6", pool: pool(),
		set:     set(withMode(optional, smsWith(s("{####"), role(c.RoleTrusted)))),
		want:    want{rule: c.RuleSetSmsMessageLength, codes: ip(), certain: true},
		rejects: []c.RuleID{c.RuleSetSmsMessageLength}},
	{name: "sms message without placeholder", fact: "§1.3 SmsVerificationMessageType pattern", pool: pool(),
		set:     set(withMode(optional, smsWith(s("Your code is 123456"), role(c.RoleTrusted)))),
		want:    want{rule: c.RuleSetSmsMessagePattern, codes: ip(), certain: true},
		rejects: []c.RuleID{c.RuleSetSmsMessagePattern}},
	{name: "sms accepted with trusted role", fact: "§1.3; design.md fixture world", pool: pool(),
		set: set(withMode(optional, okSms)),
		want: want{rule: c.RuleSmsRoleAccess, success: true, certain: true,
			body: bodyOf(optional, func(b *c.MfaConfig) {
				b.SmsMfaConfiguration = &c.SmsMfaConfig{SmsAuthenticationMessage: s("Code {####}"), SmsConfiguration: role(c.RoleTrusted)}
			}),
			optional: []string{"SmsMfaConfiguration.SmsConfiguration.SnsRegion"}},
		accepts: []c.RuleID{c.RuleSetSmsMessageLength, c.RuleSetSmsMessagePattern, c.RuleSetSnsCallerArnRequired,
			c.RuleSetSnsCallerArnLength, c.RuleSetSnsCallerArnPattern, c.RuleSetExternalIDLength, c.RuleSetSnsRegionLength,
			c.RuleSmsRoleTrust, c.RuleSmsRoleAccess, c.RuleOnWithoutFactor}},
	{name: "sns caller arn missing", fact: "§1.3 SmsConfigurationType required SnsCallerArn; M11", pool: pool(),
		set:     set(withMode(optional, smsWith(nil, &c.SmsConfiguration{ExternalId: s("x")}))),
		want:    want{rule: c.RuleSetSnsCallerArnRequired, codes: ip(), certain: true, text: "1 validation error detected: Value null at 'smsMfaConfiguration.smsConfiguration.snsCallerArn' failed to satisfy constraint: Member must not be null"},
		rejects: []c.RuleID{c.RuleSetSnsCallerArnRequired}},
	{name: "sns caller arn too short", fact: "§1.3 ArnType min 20", pool: pool(),
		set:     set(withMode(optional, smsWith(nil, &c.SmsConfiguration{SnsCallerArn: s("arn:a:b::1:r"), ExternalId: s("x")}))),
		want:    want{rule: c.RuleSetSnsCallerArnLength, codes: ip(), certain: true},
		rejects: []c.RuleID{c.RuleSetSnsCallerArnLength}},
	{name: "sns caller arn not an arn", fact: "§1.3 ArnType pattern", pool: pool(),
		set:     set(withMode(optional, smsWith(nil, &c.SmsConfiguration{SnsCallerArn: s("role/mfaconform-sms-role-x"), ExternalId: s("x")}))),
		want:    want{rule: c.RuleSetSnsCallerArnPattern, codes: ip(), certain: true},
		rejects: []c.RuleID{c.RuleSetSnsCallerArnPattern}},
	{name: "external id too long", fact: "§1.3 StringType max 131072", pool: pool(),
		set: set(withMode(optional, smsWith(nil, &c.SmsConfiguration{SnsCallerArn: s(c.RoleTrusted),
			ExternalId: s(strings.Repeat("x", *c.StringType().Max+1))}))),
		want:    want{rule: c.RuleSetExternalIDLength, codes: ip(), certain: true},
		rejects: []c.RuleID{c.RuleSetExternalIDLength}},
	{name: "sns region too short", fact: "§1.3 RegionCodeType min 5", pool: pool(),
		set: set(withMode(optional, smsWith(nil, &c.SmsConfiguration{SnsCallerArn: s(c.RoleTrusted),
			ExternalId: s("x"), SnsRegion: s("us-e")}))),
		want:    want{rule: c.RuleSetSnsRegionLength, codes: ip(), certain: true},
		rejects: []c.RuleID{c.RuleSetSnsRegionLength}},
	{name: "email message too long", fact: "§1.3 EmailMfaMessageType max 20000", pool: pool(),
		set:     set(withMode(optional, email(s("{####}"+strings.Repeat("a", 19995)), nil))),
		want:    want{rule: c.RuleSetEmailMessageLength, codes: ip(), certain: true},
		rejects: []c.RuleID{c.RuleSetEmailMessageLength}},
	{name: "email message broken placeholder", fact: "M12", pool: pool(),
		set:     set(withMode(optional, email(s("{##check##}"), nil))),
		want:    want{rule: c.RuleSetEmailMessagePattern, codes: ip(), certain: true},
		rejects: []c.RuleID{c.RuleSetEmailMessagePattern}},
	{name: "email subject empty", fact: "§1.3 EmailMfaSubjectType pattern rules out empty", pool: pool(),
		set:     set(withMode(optional, email(nil, s("")))),
		want:    want{rule: c.RuleSetEmailSubjectPattern, codes: ip(), certain: true},
		rejects: []c.RuleID{c.RuleSetEmailSubjectPattern}},
	{name: "email accepted on developer pool", fact: "M5 (DEVELOPER accepted); §3.4", pool: pool(),
		set: set(withMode(optional, okEmail)),
		want: want{rule: c.RuleEmailRequiresDeveloper, success: true, certain: true,
			body: bodyOf(optional, func(b *c.MfaConfig) {
				b.EmailMfaConfiguration = &c.EmailMfaConfig{Message: s("Code {####}"), Subject: s("Your code")}
			})},
		accepts: []c.RuleID{c.RuleSetEmailMessageLength, c.RuleSetEmailMessagePattern, c.RuleSetEmailSubjectPattern,
			c.RuleEmailRequiresDeveloper, c.RuleFeatureTier, c.RuleOnWithoutFactor}},
	{name: "relying party id empty", fact: "§1.3 RelyingPartyIdType min 1", pool: pool(),
		set:     set(withMode(off, webAuthn(s(""), nil, nil))),
		want:    want{rule: c.RuleSetRelyingPartyIDLength, codes: ip(), certain: true},
		rejects: []c.RuleID{c.RuleSetRelyingPartyIDLength}},
	{name: "user verification upper case", fact: "§1.3 UserVerificationType lower case", pool: pool(),
		set:     set(withMode(off, webAuthn(rp, s("Required"), nil))),
		want:    want{rule: c.RuleSetUserVerificationEnum, codes: ip(), certain: true},
		rejects: []c.RuleID{c.RuleSetUserVerificationEnum}},
	{name: "factor configuration unknown", fact: "§1.3 WebAuthnFactorConfigurationType", pool: pool(),
		set:     set(withMode(off, webAuthn(rp, nil, s("MULTI_FACTOR")))),
		want:    want{rule: c.RuleSetFactorConfigEnum, codes: ip(), certain: true},
		rejects: []c.RuleID{c.RuleSetFactorConfigEnum}},

	// Cross-field rules.
	{name: "OFF with TOTP", fact: "M3 (cdkd#1923)", pool: pool(), set: set(withMode(off, totp(yes))),
		want:    want{rule: c.RuleOffWithFactor, codes: ip(), certain: true, text: c.MsgOffWithFactor},
		rejects: []c.RuleID{c.RuleOffWithFactor}},
	{name: "omitted mode with TOTP disabled", fact: "M3; §3.2 floci PR #2831", pool: pool(), set: set(totp(no)),
		want:    want{rule: c.RuleOffWithFactor, codes: ip(), certain: true, text: c.MsgOffWithFactor},
		rejects: []c.RuleID{c.RuleOffWithFactor}},
	{name: "OFF with empty TOTP block", fact: "§3.2 {} unconfirmed; §1.6", pool: pool(), set: set(withMode(off, totp(nil))),
		want: want{rule: c.RuleOffWithFactor, codes: ip(), success: true, certain: false, text: c.MsgOffWithFactor,
			body:     bodyOf(off, func(b *c.MfaConfig) { b.SoftwareTokenMfaConfiguration = &c.SoftwareTokenMfaConfig{Enabled: no} }),
			optional: []string{"SoftwareTokenMfaConfiguration"}}},
	{name: "OFF with WebAuthn only", fact: "§3.2 WebAuthn is not an MFA factor (cdkd#1923)", pool: pool(),
		set: set(withMode(off, webAuthn(rp, s("preferred"), nil))),
		want: want{rule: c.RuleWebAuthnNotAFactor, success: true, certain: true,
			body: bodyOf(off, func(b *c.MfaConfig) {
				b.WebAuthnConfiguration = &c.WebAuthnConfig{RelyingPartyId: rp, UserVerification: s("preferred")}
			}),
			optional: []string{"WebAuthnConfiguration.FactorConfiguration"}},
		accepts: []c.RuleID{c.RuleWebAuthnNotAFactor, c.RuleOffWithFactor, c.RuleFeatureTier, c.RuleSetRelyingPartyIDLength, c.RuleSetUserVerificationEnum}},
	{name: "OPTIONAL with WebAuthn only", fact: "M2 (cdkd#1920)", pool: pool(),
		set:     set(withMode(optional, webAuthn(rp, s("required"), s(c.FactorConfigSingle)))),
		want:    want{rule: c.RuleWebAuthnNotAFactor, codes: ip(), certain: true, text: c.MsgNoFactor},
		accepts: []c.RuleID{c.RuleSetFactorConfigEnum},
		rejects: []c.RuleID{c.RuleWebAuthnNotAFactor}},
	{name: "OPTIONAL with passkey MFA only", fact: "§2.2 FactorConfiguration (2026-04-16); M2 unmeasured for it", pool: pool(),
		set: set(withMode(optional, webAuthn(rp, s("required"), s(c.FactorConfigMulti)))),
		want: want{rule: c.RuleWebAuthnNotAFactor, codes: ip(), success: true, certain: false,
			body: bodyOf(optional, func(b *c.MfaConfig) {
				b.WebAuthnConfiguration = &c.WebAuthnConfig{RelyingPartyId: rp, UserVerification: s("required"), FactorConfiguration: s(c.FactorConfigMulti)}
			})}},
	{name: "OPTIONAL without factor", fact: "M1/M2 (aws-sdk-js#4186)", pool: pool(), set: set(withMode(optional)),
		want:    want{rule: c.RuleOnWithoutFactor, codes: ip(), certain: true, text: c.MsgNoFactor},
		rejects: []c.RuleID{c.RuleOnWithoutFactor}},
	{name: "OPTIONAL with TOTP disabled", fact: "§3.2 Enabled:false is not an enabled factor", pool: pool(),
		set:     set(withMode(optional, totp(no))),
		want:    want{rule: c.RuleOnWithoutFactor, codes: ip(), certain: true, text: c.MsgNoFactor},
		rejects: []c.RuleID{c.RuleOnWithoutFactor}},
	{name: "ON with TOTP", fact: "§3.2 accepted control (cdkd Rule 1)", pool: pool(), set: set(withMode(on, totp(yes))),
		want: want{rule: c.RuleEcho, success: true, certain: true,
			body: bodyOf(on, func(b *c.MfaConfig) { b.SoftwareTokenMfaConfiguration = &c.SoftwareTokenMfaConfig{Enabled: yes} })},
		accepts:     []c.RuleID{c.RuleOnWithoutFactor, c.RuleEcho},
		rejectsBody: bodyOf(on, nil), rejects: []c.RuleID{c.RuleEcho}},
	{name: "email on COGNITO_DEFAULT pool", fact: "M5 (cdkd)", pool: pool(sending(c.SendingCognitoDefault)),
		set:     set(withMode(optional, okEmail)),
		want:    want{rule: c.RuleEmailRequiresDeveloper, codes: ip(), certain: true, text: c.MsgEmailNeedsSES},
		rejects: []c.RuleID{c.RuleEmailRequiresDeveloper}},
	{name: "M3 before M5", fact: "M5 note: M3 is evaluated before the sending-account check", pool: pool(sending(c.SendingCognitoDefault)),
		set:  set(withMode(off, okEmail)),
		want: want{rule: c.RuleOffWithFactor, codes: ip(), certain: true, text: c.MsgOffWithFactor}},
	{name: "email on unknown sending account", fact: "§3.4; unknown fact: the rule is not judged, its answer is allowed, the rest is judged", pool: pool(sending("")),
		set: set(withMode(optional, okEmail)),
		want: want{rule: c.RuleFeatureTier, codes: ip(), success: true, certain: false, skip: true,
			body: bodyOf(optional, func(b *c.MfaConfig) {
				b.EmailMfaConfiguration = &c.EmailMfaConfig{Message: s("Code {####}"), Subject: s("Your code")}
			})}},
	{name: "email on LITE pool", fact: "§3.4 tier; §2.2 EmailMfaConfiguration Essentials", pool: pool(tier(c.TierLite)),
		set:     set(withMode(optional, okEmail)),
		want:    want{rule: c.RuleFeatureTier, codes: []string{"FeatureUnavailableInTierException"}, certain: true},
		rejects: []c.RuleID{c.RuleFeatureTier}},
	{name: "WebAuthn on unknown tier", fact: "§3.4; unknown fact: the rule is not judged, its answer is allowed, the rest is judged", pool: pool(tier("")),
		set: set(withMode(off, webAuthn(rp, s("preferred"), s(c.FactorConfigSingle)))),
		want: want{rule: c.RuleWebAuthnNotAFactor, codes: []string{"FeatureUnavailableInTierException"}, success: true, certain: false, skip: true,
			body: bodyOf(off, func(b *c.MfaConfig) {
				b.WebAuthnConfiguration = &c.WebAuthnConfig{RelyingPartyId: rp, UserVerification: s("preferred"), FactorConfiguration: s(c.FactorConfigSingle)}
			})}},
	{name: "untrusted SMS role", fact: "§1.4 InvalidSmsRoleTrustRelationshipException; M16", pool: pool(),
		set:     set(withMode(optional, smsWith(nil, role(c.RoleUntrusted)))),
		want:    want{rule: c.RuleSmsRoleTrust, codes: []string{"InvalidSmsRoleTrustRelationshipException"}, certain: true, text: c.MsgRoleTrust},
		rejects: []c.RuleID{c.RuleSmsRoleTrust}},
	{name: "SMS role unknown to the world", fact: "M4, M16: an unknown role cannot be assumed", pool: pool(),
		set:  set(withMode(optional, smsWith(nil, role("arn:aws:iam::123456789012:role/other")))),
		want: want{rule: c.RuleSmsRoleTrust, codes: []string{"InvalidSmsRoleTrustRelationshipException", "InvalidParameterException"}, certain: false}},
	{name: "SMS role without sns:Publish", fact: "§1.4 InvalidSmsRoleAccessPolicyException; M17", pool: pool(),
		set:     set(withMode(optional, smsWith(nil, role(c.RoleNoPublish)))),
		want:    want{rule: c.RuleSmsRoleAccess, codes: []string{"InvalidSmsRoleAccessPolicyException"}, certain: true, text: c.MsgRoleAccess},
		rejects: []c.RuleID{c.RuleSmsRoleAccess}},
	{name: "M4 before M3", fact: "M4 (floci PR #2831): SMS config validity before OFF check", pool: pool(),
		set:  set(withMode(off, smsWith(s("Code {####}"), nil))),
		want: want{rule: c.RuleSmsRoleTrust, codes: ip(), certain: true, text: c.MsgInvalidSms}},
	{name: "SMS config without external id", fact: "§7 item 8; M4 wording", pool: pool(),
		set: set(withMode(optional, smsWith(nil, &c.SmsConfiguration{SnsCallerArn: s(c.RoleTrusted)}))),
		want: want{rule: c.RuleSmsRoleTrust, codes: ip(), success: true, certain: false, text: c.MsgInvalidSms,
			body: bodyOf(optional, func(b *c.MfaConfig) {
				b.SmsMfaConfiguration = &c.SmsMfaConfig{SmsConfiguration: &c.SmsConfiguration{SnsCallerArn: s(c.RoleTrusted)}}
			}),
			optional: []string{"SmsMfaConfiguration.SmsAuthenticationMessage", "SmsMfaConfiguration.SmsConfiguration.SnsRegion"}}},
	{name: "ON with EMAIL_OTP first factor", fact: "M6 (cdkd PR #2069)", pool: pool(firstFactors(c.FactorPassword, c.FactorEmailOTP)),
		set:     set(withMode(on, totp(yes))),
		want:    want{rule: c.RuleFirstFactorConflict, codes: ip(), certain: true, text: c.MsgOTPFirstFactor},
		rejects: []c.RuleID{c.RuleFirstFactorConflict}},
	{name: "OPTIONAL with EMAIL_OTP first factor", fact: "M6: OPTIONAL accepted", pool: pool(firstFactors(c.FactorPassword, c.FactorEmailOTP)),
		set: set(withMode(optional, totp(yes))),
		want: want{rule: c.RuleFirstFactorConflict, success: true, certain: true,
			body: bodyOf(optional, func(b *c.MfaConfig) { b.SoftwareTokenMfaConfiguration = &c.SoftwareTokenMfaConfig{Enabled: yes} })},
		accepts: []c.RuleID{c.RuleFirstFactorConflict}},
	{name: "ON with SMS_OTP first factor", fact: "M6", pool: pool(firstFactors(c.FactorPassword, c.FactorSmsOTP)),
		set:  set(withMode(on, totp(yes))),
		want: want{rule: c.RuleFirstFactorConflict, codes: ip(), certain: true, text: c.MsgOTPFirstFactor}},
	{name: "ON with WEB_AUTHN first factor, no WebAuthn block", fact: "M7 (cdkd#2064)", pool: pool(firstFactors(c.FactorPassword, c.FactorWebAuthn)),
		set:  set(withMode(on, totp(yes))),
		want: want{rule: c.RuleFirstFactorConflict, codes: ip(), certain: true, text: c.MsgWebAuthnFactor}},
	{name: "ON with WEB_AUTHN first factor, preferred", fact: "M7 (cdkd#2064)", pool: pool(firstFactors(c.FactorPassword, c.FactorWebAuthn)),
		set:  set(withMode(on, totp(yes), webAuthn(rp, s("preferred"), nil))),
		want: want{rule: c.RuleFirstFactorConflict, codes: ip(), certain: true, text: c.MsgWebAuthnFactor}},
	{name: "ON with WEB_AUTHN first factor, passkey MFA", fact: "M7: MULTI_FACTOR_WITH_USER_VERIFICATION accepted", pool: pool(firstFactors(c.FactorPassword, c.FactorWebAuthn)),
		set: set(withMode(on, totp(yes), webAuthn(rp, s("required"), s(c.FactorConfigMulti)))),
		want: want{rule: c.RuleFirstFactorConflict, success: true, certain: true,
			body: bodyOf(on, func(b *c.MfaConfig) {
				b.SoftwareTokenMfaConfiguration = &c.SoftwareTokenMfaConfig{Enabled: yes}
				b.WebAuthnConfiguration = &c.WebAuthnConfig{RelyingPartyId: rp, UserVerification: s("required"), FactorConfiguration: s(c.FactorConfigMulti)}
			})},
		accepts: []c.RuleID{c.RuleFirstFactorConflict}},
	{name: "OPTIONAL with WEB_AUTHN first factor, single factor", fact: "M7: OPTIONAL + SINGLE_FACTOR accepted", pool: pool(firstFactors(c.FactorPassword, c.FactorWebAuthn)),
		set: set(withMode(optional, totp(yes), webAuthn(rp, s("preferred"), s(c.FactorConfigSingle)))),
		want: want{rule: c.RuleFirstFactorConflict, success: true, certain: true,
			body: bodyOf(optional, func(b *c.MfaConfig) {
				b.SoftwareTokenMfaConfiguration = &c.SoftwareTokenMfaConfig{Enabled: yes}
				b.WebAuthnConfiguration = &c.WebAuthnConfig{RelyingPartyId: rp, UserVerification: s("preferred"), FactorConfiguration: s(c.FactorConfigSingle)}
			})}},
	{name: "ON with unknown first factors", fact: "M6/M7 need the sign-in policy: not judged, their answers allowed", pool: pool(firstFactors()),
		set: set(withMode(on, totp(yes))),
		want: want{rule: c.RuleEcho, codes: ip(), success: true, certain: false, skip: true,
			body: bodyOf(on, func(b *c.MfaConfig) { b.SoftwareTokenMfaConfiguration = &c.SoftwareTokenMfaConfig{Enabled: yes} })}},

	// State rules.
	{name: "unknown pool", fact: "M25", pool: noPool, set: set(withMode(optional, totp(yes))),
		want:    want{rule: c.RulePoolNotFound, codes: []string{"ResourceNotFoundException"}, certain: true, text: "User pool " + poolID + " does not exist."},
		rejects: []c.RuleID{c.RulePoolNotFound}},
	{name: "unknown pool and invalid member", fact: "§3.2 validation order assumed, UNCONFIRMED", pool: noPool,
		set:  set(withMode("on")),
		want: want{rule: c.RuleSetMfaConfigurationEnum, codes: []string{"InvalidParameterException", "ResourceNotFoundException"}, certain: false}},
	{name: "bare Set after TOTP drops it", fact: "§3.2 full replace (cdkd #1968)", pool: pool(),
		before: []*c.SetRequest{set(withMode(on, totp(yes)))}, set: set(nil),
		want:    want{rule: c.RuleFullReplace, success: true, certain: true, body: bodyOf(off, nil)},
		accepts: []c.RuleID{c.RuleFullReplace}},
	{name: "SMS dropped while configured", fact: "M20/M21 reported, unconfirmed", pool: pool(),
		before: []*c.SetRequest{set(withMode(optional, okSms))}, set: set(withMode(optional, totp(yes))),
		want: want{rule: c.RuleFullReplace, codes: ip(), success: true, certain: false,
			body: bodyOf(optional, func(b *c.MfaConfig) { b.SoftwareTokenMfaConfiguration = &c.SoftwareTokenMfaConfig{Enabled: yes} })},
		rejects: []c.RuleID{c.RuleFullReplace}},
	{name: "WebAuthn omitted after set", fact: "§3.2 WebAuthn persistence unconfirmed", pool: pool(),
		before: []*c.SetRequest{set(withMode(off, webAuthn(rp, s("preferred"), s(c.FactorConfigSingle))))},
		set:    set(withMode(optional, totp(yes))),
		want: want{rule: c.RuleFullReplace, success: true, certain: true,
			body:     bodyOf(optional, func(b *c.MfaConfig) { b.SoftwareTokenMfaConfiguration = &c.SoftwareTokenMfaConfig{Enabled: yes} }),
			optional: []string{"WebAuthnConfiguration"}}},
}

var getRows = []expectRow{
	{name: "fresh pool", fact: "§3.3 floci", pool: pool(), get: &c.GetRequest{UserPoolId: s(poolID)},
		want:    want{rule: c.RuleFreshPool, success: true, certain: true, body: c.FreshState()},
		accepts: []c.RuleID{c.RuleFreshPool, c.RuleGetUserPoolIDRequired, c.RuleGetUserPoolIDLength, c.RuleGetUserPoolIDPattern, c.RulePoolNotFound},
		rejects: []c.RuleID{c.RuleFreshPool}, rejectsBody: &c.MfaConfig{}},
	{name: "read after write", fact: "§3.3 floci: Get answers what Set answered", pool: pool(),
		before: []*c.SetRequest{set(withMode(optional, totp(yes)))}, get: &c.GetRequest{UserPoolId: s(poolID)},
		want: want{rule: c.RuleReadAfterWrite, success: true, certain: true,
			body: bodyOf(optional, func(b *c.MfaConfig) { b.SoftwareTokenMfaConfiguration = &c.SoftwareTokenMfaConfig{Enabled: yes} })},
		accepts: []c.RuleID{c.RuleReadAfterWrite},
		rejects: []c.RuleID{c.RuleReadAfterWrite}, rejectsBody: c.FreshState()},
	{name: "get unknown pool", fact: "M25", pool: noPool, get: &c.GetRequest{UserPoolId: s(poolID)},
		want: want{rule: c.RulePoolNotFound, codes: []string{"ResourceNotFoundException"}, certain: true, text: c.MsgPoolNotFound(poolID)}},
	{name: "get without pool id", fact: "§1.3 required; §6 null", pool: pool(), get: &c.GetRequest{},
		want:    want{rule: c.RuleGetUserPoolIDRequired, codes: ip(), certain: true, text: "1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null"},
		rejects: []c.RuleID{c.RuleGetUserPoolIDRequired}},
	{name: "get pool id too long", fact: "§1.3 UserPoolIdType max 55", pool: pool(),
		get:     &c.GetRequest{UserPoolId: s(strings.Repeat("a", 50) + "_abcde")},
		want:    want{rule: c.RuleGetUserPoolIDLength, codes: ip(), certain: true},
		rejects: []c.RuleID{c.RuleGetUserPoolIDLength}},
	{name: "get pool id bad pattern", fact: "M10 (format; M10's own value matches the pattern)", pool: pool(), get: &c.GetRequest{UserPoolId: s("YOUR-POOL-ID")},
		want:    want{rule: c.RuleGetUserPoolIDPattern, codes: ip(), certain: true, text: "1 validation error detected: Value 'YOUR-POOL-ID' at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+"},
		rejects: []c.RuleID{c.RuleGetUserPoolIDPattern}},
}

// apply runs the row's earlier Set calls on its pool.
func (r expectRow) setup(t *testing.T) (*c.World, *c.Pool) {
	t.Helper()
	w := c.DefaultWorld()
	p := r.pool()
	for i, req := range r.before {
		e := c.ExpectSet(w, p, req)
		ok, found := e.Success()
		if !found || e.Preferred().IsError() {
			t.Fatalf("setup Set %d not accepted: rule %s, codes %v", i, e.Rule, e.ErrorCodes())
		}
		p.Mfa = ok.Body
		if req.SmsMfaConfiguration != nil && req.SmsMfaConfiguration.SmsConfiguration != nil {
			p.SmsConfiguration = req.SmsMfaConfiguration.SmsConfiguration
		}
	}
	return w, p
}

func (r expectRow) run(t *testing.T) c.Expectation {
	t.Helper()
	w, p := r.setup(t)
	if r.get != nil {
		return c.ExpectGet(w, p, r.get)
	}
	return c.ExpectSet(w, p, r.set)
}

func checkExpectation(t *testing.T, r expectRow, e c.Expectation) {
	t.Helper()
	if e.Rule != r.want.rule {
		t.Errorf("Rule = %s, want %s", e.Rule, r.want.rule)
	}
	if diff := cmp.Diff(r.want.codes, e.ErrorCodes(), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("ErrorCodes (-want +got):\n%s", diff)
	}
	if got := e.AllowsSuccess(); got != r.want.success {
		t.Errorf("AllowsSuccess = %t, want %t", got, r.want.success)
	}
	if got := e.Certain; got != r.want.certain {
		t.Errorf("Certain = %t, want %t", got, r.want.certain)
	}
	if got := len(e.Unknown) > 0; got != r.want.skip {
		t.Errorf("Unknown = %v, want some %t", e.Unknown, r.want.skip)
	}
	if e.Skip != "" {
		t.Errorf("Skip = %q: a call on a pool is always judged", e.Skip)
	}
	for id := range e.Unknown {
		if slices.Contains(e.Checked, id) || e.Rule == id {
			t.Errorf("the unknown rule %s is judged (Checked %v, Rule %s)", id, e.Checked, e.Rule)
		}
	}
	if r.want.text != "" && e.Preferred().Text != r.want.text {
		t.Errorf("Preferred().Text = %q, want %q", e.Preferred().Text, r.want.text)
	}
	if !slices.Contains(e.Checked, e.Rule) {
		t.Errorf("Checked %v lacks the deciding rule %s", e.Checked, e.Rule)
	}
	ok, found := e.Success()
	if found {
		if r.want.body != nil {
			if diff := cmp.Diff(r.want.body, ok.Body); diff != "" {
				t.Errorf("success Body (-want +got):\n%s", diff)
			}
		}
		if diff := cmp.Diff(r.want.optional, ok.Optional, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("Optional (-want +got):\n%s", diff)
		}
		if r.rejectsBody != nil && cmp.Equal(r.rejectsBody, ok.Body) {
			t.Errorf("success Body equals the body the rule rules out: %+v", r.rejectsBody)
		}
	}
	for _, id := range r.accepts {
		if c.RuleByID(id).Group != c.GroupModel && !slices.Contains(e.Checked, id) {
			t.Errorf("accepts %s, but the call did not exercise it (Checked %v)", id, e.Checked)
		}
		if e.Rule == id && !e.AllowsSuccess() {
			t.Errorf("accepts %s, but %s rejects the call", id, id)
		}
		for _, o := range e.Outcomes {
			for _, v := range o.Violations {
				if c.RuleForViolation(e.Operation, v) == id {
					t.Errorf("accepts %s, but it is violated: %s", id, v.Item())
				}
			}
		}
	}
	for _, id := range r.rejects {
		if !slices.Contains(e.Checked, id) {
			t.Errorf("rejects %s, but the call did not exercise it (Checked %v)", id, e.Checked)
		}
		if r.rejectsBody == nil && (e.Rule != id || len(e.ErrorCodes()) == 0) {
			t.Errorf("rejects %s, but Rule %s allows only %v", id, e.Rule, e.ErrorCodes())
		}
	}
}

func TestExpectSet(t *testing.T) {
	for _, r := range setRows {
		t.Run(r.name, func(t *testing.T) {
			e := r.run(t)
			if e.Operation != c.OpSetUserPoolMfaConfig {
				t.Errorf("Operation = %s", e.Operation)
			}
			checkExpectation(t, r, e)
		})
	}
}

func TestExpectGet(t *testing.T) {
	for _, r := range getRows {
		t.Run(r.name, func(t *testing.T) {
			e := r.run(t)
			if e.Operation != c.OpGetUserPoolMfaConfig {
				t.Errorf("Operation = %s", e.Operation)
			}
			checkExpectation(t, r, e)
		})
	}
}

// TestSetThenGet walks the sequence of contract.md §3.3: fresh pool, Set,
// Get, and checks that Get answers exactly the Set response.
func TestSetThenGet(t *testing.T) {
	w, p := c.DefaultWorld(), pool()()
	if e := c.ExpectGet(w, p, &c.GetRequest{UserPoolId: s(poolID)}); !cmp.Equal(e.Preferred().Body, c.FreshState()) {
		t.Fatalf("fresh Get = %+v", e.Preferred().Body)
	}
	for _, req := range []*c.SetRequest{
		set(withMode(optional, totp(yes))),
		set(withMode(on, totp(yes), okEmail, webAuthn(rp, s("preferred"), nil))),
		set(withMode(optional, okSms)),
		set(withMode(off, webAuthn(rp, s("required"), s(c.FactorConfigSingle)))),
		set(nil),
	} {
		e := c.ExpectSet(w, p, req)
		ok, found := e.Success()
		if !found {
			t.Fatalf("Set %+v rejected: %s %v", req, e.Rule, e.ErrorCodes())
		}
		p.Mfa = ok.Body
		g := c.ExpectGet(w, p, &c.GetRequest{UserPoolId: s(poolID)})
		if g.Rule != c.RuleReadAfterWrite {
			t.Errorf("Get after Set: Rule = %s", g.Rule)
		}
		if diff := cmp.Diff(ok.Body, g.Preferred().Body); diff != "" {
			t.Errorf("Get after Set (-set +get):\n%s", diff)
		}
		if got, want := c.ExpectDescribeMfa(p), req.Mode(); got != want {
			t.Errorf("ExpectDescribeMfa = %s, want %s", got, want)
		}
	}
}

// describeRows cover describe.mfa-configuration, which ExpectDescribeMfa
// answers outside ExpectSet/ExpectGet.
var describeRows = []struct {
	name, fact string
	mfa        *c.MfaConfig
	want, not  string
}{
	{"fresh pool shows OFF", "§3.3 floci test order 4", nil, c.MfaOff, c.MfaOptional},
	{"after Set OPTIONAL", "§3.3 floci test order 4", bodyOf(optional, nil), c.MfaOptional, c.MfaOff},
}

func TestExpectDescribeMfa(t *testing.T) {
	for _, r := range describeRows {
		t.Run(r.name, func(t *testing.T) {
			got := c.ExpectDescribeMfa(&c.Pool{ID: poolID, Mfa: r.mfa})
			if got != r.want || got == r.not {
				t.Errorf("ExpectDescribeMfa = %s, want %s", got, r.want)
			}
		})
	}
}

// TestRuleCoverage fails when a non-protocol, non-message catalogue rule has
// no row that shows it accepting and no row that shows it rejecting.
func TestRuleCoverage(t *testing.T) {
	accepted, rejected := map[c.RuleID]bool{}, map[c.RuleID]bool{}
	for _, r := range append(append([]expectRow(nil), setRows...), getRows...) {
		for _, id := range r.accepts {
			accepted[id] = true
		}
		for _, id := range r.rejects {
			rejected[id] = true
		}
	}
	if len(describeRows) > 1 {
		accepted[c.RuleDescribeMfaConfigMFA], rejected[c.RuleDescribeMfaConfigMFA] = true, true
	}
	for _, id := range append(slices.Collect(func(yield func(c.RuleID) bool) {
		for id := range accepted {
			if !yield(id) {
				return
			}
		}
	}), slices.Collect(func(yield func(c.RuleID) bool) {
		for id := range rejected {
			if !yield(id) {
				return
			}
		}
	})...) {
		if c.RuleByID(id) == nil {
			t.Errorf("a row names %s, which is not in the catalogue", id)
		}
	}
	for _, r := range c.Rules() {
		if r.Group == c.GroupProtocol || r.Group == c.GroupMessage {
			continue
		}
		if !accepted[r.ID] {
			t.Errorf("%s (%s): no row shows it accepting a call", r.ID, r.Source)
		}
		if !rejected[r.ID] {
			t.Errorf("%s (%s): no row shows it rejecting a call", r.ID, r.Source)
		}
	}
}
