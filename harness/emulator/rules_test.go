package emulator_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/mfaconform/mfaconform/contracts"
)

// step is one call of a row and the exact answer it must get.
type step struct {
	op     string  // operation; X-Amz-Target is contracts.Target(op)
	target *string // overrides X-Amz-Target; "" sends none
	method string  // POST unless set
	body   string  // {{pool}} is the row's pool ID
	status int
	want   string // the exact body, as JSON; {{pool}} as in body
	rules  []contracts.RuleID
}

// row is a named call sequence and the contract.md fact it comes from.
type row struct {
	name  string
	fact  string
	pool  string // fixture the row's pool is created from (see fixtures); "" for none
	steps []step
}

// fixtures are the CreateUserPool bodies of the pools rows run against.
var fixtures = map[string]string{
	"essentials": `{"PoolName":"mfaconform-essentials","UserPoolTier":"ESSENTIALS",
		"EmailConfiguration":{"EmailSendingAccount":"DEVELOPER","SourceArn":"` + sesArn + `"}}`,
	"lite": `{"PoolName":"mfaconform-lite","UserPoolTier":"LITE",
		"EmailConfiguration":{"EmailSendingAccount":"DEVELOPER","SourceArn":"` + sesArn + `"}}`,
	"cognito-default": `{"PoolName":"mfaconform-cognito-default","UserPoolTier":"ESSENTIALS",
		"EmailConfiguration":{"EmailSendingAccount":"COGNITO_DEFAULT"}}`,
	"email-otp": `{"PoolName":"mfaconform-email-otp","EmailConfiguration":{"EmailSendingAccount":"DEVELOPER","SourceArn":"` + sesArn + `"},
		"Policies":{"SignInPolicy":{"AllowedFirstAuthFactors":["PASSWORD","EMAIL_OTP"]}}}`,
	"webauthn": `{"PoolName":"mfaconform-webauthn","UserPoolTier":"PLUS",
		"Policies":{"SignInPolicy":{"AllowedFirstAuthFactors":["PASSWORD","WEB_AUTHN"]}}}`,
	"sms-on": `{"PoolName":"mfaconform-sms-on","MfaConfiguration":"OPTIONAL",
		"SmsConfiguration":{"SnsCallerArn":"` + contracts.RoleTrusted + `","ExternalId":"mfaconform"}}`,
}

const sesArn = "arn:aws:ses:us-east-1:123456789012:identity/mfaconform.example.com"

func ok(op, body, want string, rules ...contracts.RuleID) step {
	return step{op: op, body: body, status: http.StatusOK, want: want, rules: rules}
}

func fail(op, body, code, msg string, rules ...contracts.RuleID) step {
	return step{op: op, body: body, status: contracts.ErrorByCode(code).Status, want: errJSON(code, msg), rules: rules}
}

const (
	set      = contracts.OpSetUserPoolMfaConfig
	get      = contracts.OpGetUserPoolMfaConfig
	describe = contracts.OpDescribeUserPool
	del      = contracts.OpDeleteUserPool

	ipe   = "InvalidParameterException"
	rnf   = "ResourceNotFoundException"
	serEx = "SerializationException"
	unkOp = "UnknownOperationException"
)

// invalid is a one-violation validation message (contract.md M9–M13).
func invalid(value, path, constraint string) string {
	v := "'" + value + "'"
	if value == "<null>" {
		v = "null"
	}
	return fmt.Sprintf("1 validation error detected: Value %s at '%s' failed to satisfy constraint: %s", v, path, constraint)
}

// pid is a body holding only the row's pool ID, plus members.
func pid(members string) string {
	if members == "" {
		return `{"UserPoolId":"{{pool}}"}`
	}
	return `{"UserPoolId":"{{pool}}",` + members + `}`
}

func smsBlock(msg, arn, extra string) string {
	sc := `"SnsCallerArn":"` + arn + `"`
	if extra != "" {
		sc += "," + extra
	}
	m := ""
	if msg != "" {
		m = `"SmsAuthenticationMessage":"` + msg + `",`
	}
	return `"SmsMfaConfiguration":{` + m + `"SmsConfiguration":{` + sc + `}}`
}

const (
	totpOn   = `"SoftwareTokenMfaConfiguration":{"Enabled":true}`
	totpOff  = `"SoftwareTokenMfaConfiguration":{"Enabled":false}`
	mfaOff   = `"MfaConfiguration":"OFF"`
	mfaOn    = `"MfaConfiguration":"ON"`
	mfaOpt   = `"MfaConfiguration":"OPTIONAL"`
	offState = `{"MfaConfiguration":"OFF"}`
	ext      = `"ExternalId":"mfaconform"`
	email    = `"EmailMfaConfiguration":{"Message":"Your code is {####}","Subject":"Your code"}`
	webAuthn = `"WebAuthnConfiguration":{"RelyingPartyId":"auth.example.com","UserVerification":"preferred"}`

	patID    = `Member must satisfy regular expression pattern: [\w-]+_[0-9a-zA-Z]+`
	patSms   = `Member must satisfy regular expression pattern: .*\{####\}.*`
	patEmail = `Member must satisfy regular expression pattern: [\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*\{####\}[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*`
	patSubj  = `Member must satisfy regular expression pattern: [\p{L}\p{M}\p{S}\p{N}\p{P}\s]+`
	patArn   = `Member must satisfy regular expression pattern: arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?`
	notNull  = "Member must not be null"
	maxLen   = "Member must have length less than or equal to %d"
	minLen   = "Member must have length greater than or equal to %d"
)

func lenMax(n int) string  { return fmt.Sprintf(maxLen, n) }
func lenMin(n int) string  { return fmt.Sprintf(minLen, n) }
func str(s string) *string { return &s }

// Rule ID shorthands for the table.
const (
	pStatus  = contracts.RuleProtocolStatus
	pShape   = contracts.RuleProtocolErrorShape
	pCT      = contracts.RuleProtocolContentType
	pModeled = contracts.RuleProtocolModeledError
	pOmit    = contracts.RuleProtocolOmitUnset
	pMal     = contracts.RuleProtocolMalformedRequest
	pUnk     = contracts.RuleProtocolUnknownOperation
	echo     = contracts.RuleEcho
)

func rows() []row {
	long56 := "us-east-1_" + strings.Repeat("a", 46)
	sms140 := strings.Repeat("a", 134) + "{####}"
	sms141 := strings.Repeat("a", 135) + "{####}"
	ext131073 := strings.Repeat("x", 131073)
	email20001 := strings.Repeat("a", 19995) + "{####}"
	rp128 := strings.Repeat("r", 128)
	trusted := contracts.RoleTrusted
	smsState := func(msg string, extra string) string {
		return `{"MfaConfiguration":"OPTIONAL",` + smsBlock(msg, trusted, extra) + `}`
	}
	const describeEssentials = `{"UserPool":{"Id":"{{pool}}","Name":"mfaconform-essentials",
		"Arn":"arn:aws:cognito-idp:us-east-1:123456789012:userpool/{{pool}}",
		"CreationDate":1767225600,"LastModifiedDate":1767225600,"MfaConfiguration":"%s","UserPoolTier":"ESSENTIALS",
		"EmailConfiguration":{"EmailSendingAccount":"DEVELOPER","SourceArn":"` + sesArn + `"},
		"Policies":{"SignInPolicy":{"AllowedFirstAuthFactors":["PASSWORD"]}},"EstimatedNumberOfUsers":0}}`

	return []row{
		// Model rules (contract.md §1.3), one rejected and one accepted value each.
		{name: "set UserPoolId missing", fact: "§1.3 required; §6", steps: []step{
			fail(set, `{"MfaConfiguration":"OFF"}`, ipe, invalid("<null>", "userPoolId", notNull),
				contracts.RuleSetUserPoolIDRequired, pStatus, pShape, pModeled, pCT, pOmit)}},
		{name: "set UserPoolId present", fact: "§1.3; §3.2", pool: "essentials", steps: []step{
			ok(set, pid(""), offState, contracts.RuleSetUserPoolIDRequired, contracts.RuleSetUserPoolIDPattern,
				echo, pStatus, pCT, pOmit, pModeled, pShape)}},
		{name: "set UserPoolId of 56 characters", fact: "§1.3 UserPoolIdType max 55; M13", steps: []step{
			fail(set, `{"UserPoolId":"`+long56+`"}`, ipe, invalid(long56, "userPoolId", lenMax(55)),
				contracts.RuleSetUserPoolIDLength)}},
		{name: "set UserPoolId of 55 characters", fact: "§1.3 UserPoolIdType max 55", steps: []step{
			ok(set, `{"UserPoolId":"`+longPoolID+`"}`, offState, contracts.RuleSetUserPoolIDLength)}},
		{name: "set UserPoolId with a leading space", fact: "M10; §1.3 full match (aws-sdk-js#3344)", steps: []step{
			fail(set, `{"UserPoolId":" us-east-1_abc"}`, ipe, invalid(" us-east-1_abc", "userPoolId", patID),
				contracts.RuleSetUserPoolIDPattern)}},
		{name: "get UserPoolId missing", fact: "§1.3 required; §6", steps: []step{
			fail(get, `{}`, ipe, invalid("<null>", "userPoolId", notNull), contracts.RuleGetUserPoolIDRequired, pModeled)}},
		{name: "get fresh pool", fact: "§3.3 (floci PR #2831)", pool: "essentials", steps: []step{
			ok(get, pid(""), offState, contracts.RuleGetUserPoolIDRequired, contracts.RuleGetUserPoolIDPattern,
				contracts.RuleFreshPool, pOmit, pModeled)}},
		{name: "get UserPoolId of 56 characters", fact: "§1.3 UserPoolIdType max 55", steps: []step{
			fail(get, `{"UserPoolId":"`+long56+`"}`, ipe, invalid(long56, "userPoolId", lenMax(55)),
				contracts.RuleGetUserPoolIDLength)}},
		{name: "get UserPoolId of 55 characters", fact: "§1.3 UserPoolIdType max 55", steps: []step{
			ok(get, `{"UserPoolId":"`+longPoolID+`"}`, offState, contracts.RuleGetUserPoolIDLength)}},
		{name: "get UserPoolId without underscore", fact: "M10", steps: []step{
			fail(get, `{"UserPoolId":"us-east-1-abc"}`, ipe, invalid("us-east-1-abc", "userPoolId", patID),
				contracts.RuleGetUserPoolIDPattern)}},
		{name: "MfaConfiguration in lower case", fact: "M9; §1.3 UserPoolMfaType", pool: "essentials", steps: []step{
			fail(set, pid(`"MfaConfiguration":"off"`), ipe,
				invalid("off", "mfaConfiguration", "Member must satisfy enum value set: [OPTIONAL, OFF, ON]"),
				contracts.RuleSetMfaConfigurationEnum)}},
		{name: "MfaConfiguration OPTIONAL with TOTP", fact: "§3.3 (floci PR #2831)", pool: "essentials", steps: []step{
			ok(set, pid(mfaOpt+","+totpOn), `{`+mfaOpt+`,`+totpOn+`}`, contracts.RuleSetMfaConfigurationEnum, echo, pOmit)}},
		{name: "SMS message of 141 characters", fact: "§1.3 SmsVerificationMessageType max 140", pool: "essentials", steps: []step{
			fail(set, pid(mfaOpt+","+smsBlock(sms141, trusted, ext)), ipe,
				invalid(sms141, "smsMfaConfiguration.smsAuthenticationMessage", lenMax(140)), contracts.RuleSetSmsMessageLength)}},
		{name: "SMS message of 140 characters", fact: "§1.3 SmsVerificationMessageType max 140", pool: "essentials", steps: []step{
			ok(set, pid(mfaOpt+","+smsBlock(sms140, trusted, ext)), smsState(sms140, ext),
				contracts.RuleSetSmsMessageLength, contracts.RuleSetSmsMessagePattern, echo)}},
		{name: "SMS message without placeholder", fact: "§1.3 SmsVerificationMessageType pattern", pool: "essentials", steps: []step{
			fail(set, pid(mfaOpt+","+smsBlock("Your code", trusted, ext)), ipe,
				invalid("Your code", "smsMfaConfiguration.smsAuthenticationMessage", patSms), contracts.RuleSetSmsMessagePattern)}},
		{name: "SnsCallerArn missing", fact: "§1.3 SmsConfigurationType required; M11", pool: "essentials", steps: []step{
			fail(set, pid(mfaOpt+`,"SmsMfaConfiguration":{"SmsConfiguration":{`+ext+`}}`), ipe,
				invalid("<null>", "smsMfaConfiguration.smsConfiguration.snsCallerArn", notNull), contracts.RuleSetSnsCallerArnRequired)}},
		{name: "SnsCallerArn of a trusted role", fact: "§1.3 ArnType; design.md fixture world", pool: "essentials", steps: []step{
			ok(set, pid(mfaOpt+","+smsBlock("", trusted, ext)), smsState("", ext),
				contracts.RuleSetSnsCallerArnRequired, contracts.RuleSetSnsCallerArnLength, contracts.RuleSetSnsCallerArnPattern,
				contracts.RuleSmsRoleTrust, contracts.RuleSmsRoleAccess, echo)}},
		{name: "SnsCallerArn of 12 characters", fact: "§1.3 ArnType min 20", pool: "essentials", steps: []step{
			fail(set, pid(mfaOpt+","+smsBlock("", "arn:a:b::1:c", ext)), ipe,
				invalid("arn:a:b::1:c", "smsMfaConfiguration.smsConfiguration.snsCallerArn", lenMin(20)), contracts.RuleSetSnsCallerArnLength)}},
		{name: "SnsCallerArn not an ARN", fact: "§1.3 ArnType pattern", pool: "essentials", steps: []step{
			fail(set, pid(mfaOpt+","+smsBlock("", "not-an-arn:mfaconform-sms-role", ext)), ipe,
				invalid("not-an-arn:mfaconform-sms-role", "smsMfaConfiguration.smsConfiguration.snsCallerArn", patArn),
				contracts.RuleSetSnsCallerArnPattern)}},
		{name: "ExternalId of 131073 characters", fact: "§1.3 StringType max 131072", pool: "essentials", steps: []step{
			fail(set, pid(mfaOpt+","+smsBlock("", trusted, `"ExternalId":"`+ext131073+`"`)), ipe,
				invalid(ext131073, "smsMfaConfiguration.smsConfiguration.externalId", lenMax(131072)), contracts.RuleSetExternalIDLength)}},
		{name: "ExternalId empty", fact: "§1.3 StringType min 0", pool: "essentials", steps: []step{
			ok(set, pid(mfaOpt+","+smsBlock("", trusted, `"ExternalId":""`)), smsState("", `"ExternalId":""`),
				contracts.RuleSetExternalIDLength)}},
		{name: "SnsRegion of 4 characters", fact: "§1.3 RegionCodeType min 5", pool: "essentials", steps: []step{
			fail(set, pid(mfaOpt+","+smsBlock("", trusted, ext+`,"SnsRegion":"us-1"`)), ipe,
				invalid("us-1", "smsMfaConfiguration.smsConfiguration.snsRegion", lenMin(5)), contracts.RuleSetSnsRegionLength)}},
		{name: "SnsRegion us-east-1", fact: "§1.3 RegionCodeType 5..32", pool: "essentials", steps: []step{
			ok(set, pid(mfaOpt+","+smsBlock("", trusted, ext+`,"SnsRegion":"us-east-1"`)), smsState("", ext+`,"SnsRegion":"us-east-1"`),
				contracts.RuleSetSnsRegionLength)}},
		{name: "email message of 20001 characters", fact: "§1.3 EmailMfaMessageType max 20000", pool: "essentials", steps: []step{
			fail(set, pid(mfaOpt+`,"EmailMfaConfiguration":{"Message":"`+email20001+`"}`), ipe,
				invalid(email20001, "emailMfaConfiguration.message", lenMax(20000)), contracts.RuleSetEmailMessageLength)}},
		{name: "email message of 6 characters", fact: "§1.3 EmailMfaMessageType min 6", pool: "essentials", steps: []step{
			ok(set, pid(mfaOpt+`,"EmailMfaConfiguration":{"Message":"{####}","Subject":"Code"}`),
				`{`+mfaOpt+`,"EmailMfaConfiguration":{"Message":"{####}","Subject":"Code"}}`,
				contracts.RuleSetEmailMessageLength, contracts.RuleSetEmailMessagePattern, contracts.RuleSetEmailSubjectPattern)}},
		{name: "email message without placeholder", fact: "§1.3 EmailMfaMessageType pattern; M12", pool: "essentials", steps: []step{
			fail(set, pid(mfaOpt+`,"EmailMfaConfiguration":{"Message":"no code here"}`), ipe,
				invalid("no code here", "emailMfaConfiguration.message", patEmail), contracts.RuleSetEmailMessagePattern)}},
		{name: "email subject empty", fact: "§1.3 EmailMfaSubjectType pattern rules out empty", pool: "essentials", steps: []step{
			fail(set, pid(mfaOpt+`,"EmailMfaConfiguration":{"Subject":""}`), ipe,
				invalid("", "emailMfaConfiguration.subject", patSubj), contracts.RuleSetEmailSubjectPattern)}},
		{name: "RelyingPartyId empty", fact: "§1.3 RelyingPartyIdType min 1", pool: "essentials", steps: []step{
			fail(set, pid(`"WebAuthnConfiguration":{"RelyingPartyId":""}`), ipe,
				invalid("", "webAuthnConfiguration.relyingPartyId", lenMin(1)), contracts.RuleSetRelyingPartyIDLength)}},
		{name: "RelyingPartyId of 128 characters", fact: "§1.3 RelyingPartyIdType max 127", pool: "essentials", steps: []step{
			fail(set, pid(`"WebAuthnConfiguration":{"RelyingPartyId":"`+rp128+`"}`), ipe,
				invalid(rp128, "webAuthnConfiguration.relyingPartyId", lenMax(127)), contracts.RuleSetRelyingPartyIDLength)}},
		{name: "UserVerification in upper case", fact: "§1.3 UserVerificationType (lower case)", pool: "essentials", steps: []step{
			fail(set, pid(`"WebAuthnConfiguration":{"UserVerification":"REQUIRED"}`), ipe,
				invalid("REQUIRED", "webAuthnConfiguration.userVerification", "Member must satisfy enum value set: [required, preferred]"),
				contracts.RuleSetUserVerificationEnum)}},
		{name: "WebAuthn required, SINGLE_FACTOR under OFF", fact: "§1.3; §3.2 WebAuthn under OFF (cdkd#1923)", pool: "essentials", steps: []step{
			ok(set, pid(`"WebAuthnConfiguration":{"RelyingPartyId":"auth.example.com","UserVerification":"required","FactorConfiguration":"SINGLE_FACTOR"}`),
				`{"MfaConfiguration":"OFF","WebAuthnConfiguration":{"RelyingPartyId":"auth.example.com","UserVerification":"required","FactorConfiguration":"SINGLE_FACTOR"}}`,
				contracts.RuleSetRelyingPartyIDLength, contracts.RuleSetUserVerificationEnum, contracts.RuleSetFactorConfigEnum,
				contracts.RuleWebAuthnNotAFactor, contracts.RuleFeatureTier, contracts.RuleFullReplace)}},
		{name: "FactorConfiguration unknown", fact: "§1.3 WebAuthnFactorConfigurationType", pool: "essentials", steps: []step{
			fail(set, pid(`"WebAuthnConfiguration":{"FactorConfiguration":"MULTI_FACTOR"}`), ipe,
				invalid("MULTI_FACTOR", "webAuthnConfiguration.factorConfiguration",
					"Member must satisfy enum value set: [SINGLE_FACTOR, MULTI_FACTOR_WITH_USER_VERIFICATION]"),
				contracts.RuleSetFactorConfigEnum)}},

		// Cross-field and fixture rules (contract.md §3.1, §3.2, §3.4).
		{name: "OFF with TOTP enabled", fact: "M3 (cdkd#1923)", pool: "essentials", steps: []step{
			fail(set, pid(mfaOff+","+totpOn), ipe, contracts.MsgOffWithFactor, contracts.RuleOffWithFactor)}},
		{name: "omitted mode with TOTP disabled", fact: "M3; §3.2 (floci PR #2831, measured)", pool: "essentials", steps: []step{
			fail(set, pid(totpOff), ipe, contracts.MsgOffWithFactor, contracts.RuleOffWithFactor, contracts.RuleFullReplace)}},
		{name: "OFF with SMS", fact: "M3; terraform user_pool.go", pool: "essentials", steps: []step{
			fail(set, pid(mfaOff+","+smsBlock("", trusted, ext)), ipe, contracts.MsgOffWithFactor, contracts.RuleOffWithFactor)}},
		{name: "OFF alone", fact: "§3.2 (floci PR #2831)", pool: "essentials", steps: []step{
			ok(set, pid(mfaOff), offState, contracts.RuleOffWithFactor, echo)}},
		{name: "ON without a factor", fact: "M2 (cdkd#1920)", pool: "essentials", steps: []step{
			fail(set, pid(mfaOn), ipe, contracts.MsgNoFactor, contracts.RuleOnWithoutFactor)}},
		{name: "OPTIONAL with TOTP disabled", fact: "M1/M2; §3.2", pool: "essentials", steps: []step{
			fail(set, pid(mfaOpt+","+totpOff), ipe, contracts.MsgNoFactor, contracts.RuleOnWithoutFactor)}},
		{name: "ON with TOTP", fact: "§3.2 accepted control (cdkd Rule 1)", pool: "essentials", steps: []step{
			ok(set, pid(mfaOn+","+totpOn), `{`+mfaOn+`,`+totpOn+`}`, contracts.RuleOnWithoutFactor, echo)}},
		{name: "OFF with WebAuthn only", fact: "§3.2 WebAuthn is not an MFA factor (cdkd#1923)", pool: "essentials", steps: []step{
			ok(set, pid(mfaOff+","+webAuthn), `{`+mfaOff+`,`+webAuthn+`}`, contracts.RuleWebAuthnNotAFactor, contracts.RuleFeatureTier)}},
		{name: "OPTIONAL with WebAuthn only", fact: "§3.2; M2 (cdkd#1920)", pool: "essentials", steps: []step{
			fail(set, pid(mfaOpt+","+webAuthn), ipe, contracts.MsgNoFactor, contracts.RuleWebAuthnNotAFactor)}},
		{name: "email MFA with COGNITO_DEFAULT sending", fact: "M5 (cdkd cognito-provider.ts)", pool: "cognito-default", steps: []step{
			fail(set, pid(mfaOpt+","+email), ipe, contracts.MsgEmailNeedsSES, contracts.RuleEmailRequiresDeveloper)}},
		{name: "email MFA with DEVELOPER sending", fact: "§3.4", pool: "essentials", steps: []step{
			ok(set, pid(mfaOpt+","+email), `{`+mfaOpt+`,`+email+`}`, contracts.RuleEmailRequiresDeveloper, contracts.RuleFeatureTier, echo)}},
		{name: "email MFA on LITE", fact: "§3.4 tier; §2.2 EmailMfaConfiguration", pool: "lite", steps: []step{
			fail(set, pid(mfaOpt+","+email), "FeatureUnavailableInTierException",
				"The following features need to be disabled for the LITE pricing tier configured: Email MFA",
				contracts.RuleFeatureTier, pModeled)}},
		{name: "WebAuthn on LITE", fact: "§2.2 WebAuthnConfigurationType tier", pool: "lite", steps: []step{
			fail(set, pid(mfaOff+","+webAuthn), "FeatureUnavailableInTierException",
				"The following features need to be disabled for the LITE pricing tier configured: Passwordless Sign-In",
				contracts.RuleFeatureTier)}},
		{name: "TOTP on LITE", fact: "§3.4 (only email and WebAuthn need a tier)", pool: "lite", steps: []step{
			ok(set, pid(mfaOpt+","+totpOn), `{`+mfaOpt+`,`+totpOn+`}`, echo)}},
		{name: "SMS role that does not trust cognito-idp", fact: "M16; §1.4 doc", pool: "essentials", steps: []step{
			fail(set, pid(mfaOpt+","+smsBlock("", contracts.RoleUntrusted, ext)), "InvalidSmsRoleTrustRelationshipException",
				contracts.MsgRoleTrust, contracts.RuleSmsRoleTrust, pModeled)}},
		{name: "SMS role the world does not know", fact: "M16; design.md fixture world", pool: "essentials", steps: []step{
			fail(set, pid(mfaOpt+","+smsBlock("", "arn:aws:iam::123456789012:role/nobody", ext)),
				"InvalidSmsRoleTrustRelationshipException", contracts.MsgRoleTrust, contracts.RuleSmsRoleTrust)}},
		{name: "SMS without a configuration on a pool without one", fact: "M4 (floci PR #2831)", pool: "essentials", steps: []step{
			fail(set, pid(mfaOpt+`,"SmsMfaConfiguration":{"SmsAuthenticationMessage":"Code {####}"}`), ipe,
				contracts.MsgInvalidSms, contracts.RuleSmsRoleTrust)}},
		{name: "SMS without ExternalId", fact: "M4; §7 item 8", pool: "essentials", steps: []step{
			fail(set, pid(mfaOpt+","+smsBlock("", trusted, "")), ipe, contracts.MsgInvalidSms, contracts.RuleSmsRoleTrust)}},
		{name: "SMS using the pool's configuration", fact: "§2.2 SmsConfiguration is one pool-level setting", pool: "sms-on", steps: []step{
			ok(set, pid(mfaOpt+`,"SmsMfaConfiguration":{"SmsAuthenticationMessage":"Code {####}"}`), smsState("Code {####}", ext),
				contracts.RuleSmsRoleTrust, contracts.RuleSmsRoleAccess)}},
		{name: "SMS role without sns:Publish", fact: "M17; §1.4 doc", pool: "essentials", steps: []step{
			fail(set, pid(mfaOpt+","+smsBlock("", contracts.RoleNoPublish, ext)), "InvalidSmsRoleAccessPolicyException",
				contracts.MsgRoleAccess, contracts.RuleSmsRoleAccess, pModeled)}},
		{name: "ON with EMAIL_OTP first factor", fact: "M6 (cdkd PR #2069)", pool: "email-otp", steps: []step{
			fail(set, pid(mfaOn+","+totpOn), ipe, contracts.MsgOTPFirstFactor, contracts.RuleFirstFactorConflict)}},
		{name: "OPTIONAL with EMAIL_OTP first factor", fact: "M6: OPTIONAL accepted", pool: "email-otp", steps: []step{
			ok(set, pid(mfaOpt+","+totpOn), `{`+mfaOpt+`,`+totpOn+`}`, contracts.RuleFirstFactorConflict)}},
		{name: "ON with WEB_AUTHN first factor and no FactorConfiguration", fact: "M7 (cdkd#2064)", pool: "webauthn", steps: []step{
			fail(set, pid(mfaOn+","+totpOn), ipe, contracts.MsgWebAuthnFactor, contracts.RuleFirstFactorConflict)}},
		{name: "ON with WEB_AUTHN first factor and SINGLE_FACTOR", fact: "M7 (cdkd#2064)", pool: "webauthn", steps: []step{
			fail(set, pid(mfaOn+","+totpOn+`,"WebAuthnConfiguration":{"FactorConfiguration":"SINGLE_FACTOR"}`), ipe,
				contracts.MsgWebAuthnFactor, contracts.RuleFirstFactorConflict)}},
		{name: "ON with WEB_AUTHN first factor and passkeys as MFA", fact: "M7; §2.2 FactorConfiguration", pool: "webauthn", steps: []step{
			ok(set, pid(mfaOn+","+totpOn+`,"WebAuthnConfiguration":{"FactorConfiguration":"MULTI_FACTOR_WITH_USER_VERIFICATION"}`),
				`{`+mfaOn+`,`+totpOn+`,"WebAuthnConfiguration":{"FactorConfiguration":"MULTI_FACTOR_WITH_USER_VERIFICATION"}}`,
				contracts.RuleFirstFactorConflict, echo)}},

		// State rules (contract.md §3.2, §3.3, M25).
		{name: "set on an unknown pool", fact: "M25", steps: []step{
			fail(set, `{"UserPoolId":"us-east-1_doesNotExist"}`, rnf, "User pool us-east-1_doesNotExist does not exist.",
				contracts.RulePoolNotFound, pModeled)}},
		{name: "get on an unknown pool", fact: "M25", steps: []step{
			fail(get, `{"UserPoolId":"eu-west-1_doesNotExist"}`, rnf, "User pool eu-west-1_doesNotExist does not exist.",
				contracts.RulePoolNotFound, contracts.RuleFreshPool)}},
		{name: "get and set on a deleted pool", fact: "M25; §3.3", pool: "essentials", steps: []step{
			ok(set, pid(mfaOpt+","+totpOn), `{`+mfaOpt+`,`+totpOn+`}`, contracts.RulePoolNotFound),
			ok(del, pid(""), `{}`),
			fail(get, pid(""), rnf, "User pool {{pool}} does not exist.", contracts.RulePoolNotFound, contracts.RuleReadAfterWrite),
			fail(set, pid(mfaOff), rnf, "User pool {{pool}} does not exist.", contracts.RulePoolNotFound),
			fail(del, pid(""), rnf, "User pool {{pool}} does not exist."),
		}},
		{name: "bare set resets ON to OFF", fact: "§3.2 (cdkd #1968, measured)", pool: "essentials", steps: []step{
			ok(set, pid(mfaOn+","+totpOn), `{`+mfaOn+`,`+totpOn+`}`),
			ok(set, pid(""), offState, contracts.RuleFullReplace, echo),
			ok(get, pid(""), offState, contracts.RuleFullReplace, contracts.RuleReadAfterWrite),
		}},
		{name: "omitted mode with a factor after OPTIONAL", fact: "§3.2 (cdkd #1968, measured)", pool: "essentials", steps: []step{
			ok(set, pid(mfaOpt+","+totpOn), `{`+mfaOpt+`,`+totpOn+`}`),
			fail(set, pid(totpOn), ipe, contracts.MsgOffWithFactor, contracts.RuleFullReplace, contracts.RuleOffWithFactor),
		}},
		{name: "dropping SMS keeps only TOTP", fact: "§3.2 full replace; M20 unconfirmed", pool: "sms-on", steps: []step{
			ok(set, pid(mfaOpt+","+totpOn), `{`+mfaOpt+`,`+totpOn+`}`, contracts.RuleFullReplace),
			ok(get, pid(""), `{`+mfaOpt+`,`+totpOn+`}`, contracts.RuleReadAfterWrite),
		}},
		{name: "a rejected set changes nothing", fact: "§3.3; M2", pool: "essentials", steps: []step{
			ok(set, pid(mfaOpt+","+totpOn), `{`+mfaOpt+`,`+totpOn+`}`, echo),
			fail(set, pid(mfaOn), ipe, contracts.MsgNoFactor, echo),
			ok(get, pid(""), `{`+mfaOpt+`,`+totpOn+`}`, contracts.RuleReadAfterWrite),
		}},
		{name: "get reads WebAuthn after set", fact: "§3.3 (cdkd verify.sh)", pool: "essentials", steps: []step{
			ok(set, pid(mfaOff+","+webAuthn), `{`+mfaOff+`,`+webAuthn+`}`, echo),
			ok(get, pid(""), `{`+mfaOff+`,`+webAuthn+`}`, contracts.RuleReadAfterWrite),
		}},
		{name: "get on a pool created with SMS MFA", fact: "M18 counterpart; §3.3", pool: "sms-on", steps: []step{
			ok(get, pid(""), smsState("", ext), contracts.RuleReadAfterWrite),
		}},
		{name: "describe shows the mode Set put in force", fact: "§3.3 (floci test order 4)", pool: "essentials", steps: []step{
			ok(describe, pid(""), fmt.Sprintf(describeEssentials, "OFF"), contracts.RuleDescribeMfaConfigMFA),
			ok(set, pid(mfaOn+","+totpOn), `{`+mfaOn+`,`+totpOn+`}`),
			ok(describe, pid(""), fmt.Sprintf(describeEssentials, "ON"), contracts.RuleDescribeMfaConfigMFA, pOmit),
		}},
		{name: "describe an unknown pool", fact: "M25", steps: []step{
			fail(describe, `{"UserPoolId":"us-east-1_doesNotExist"}`, rnf, "User pool us-east-1_doesNotExist does not exist.",
				contracts.RuleDescribeMfaConfigMFA)}},
		{name: "describe a malformed pool ID", fact: "M10", steps: []step{
			fail(describe, `{"UserPoolId":"nope"}`, ipe, invalid("nope", "userPoolId", patID), contracts.RuleDescribeMfaConfigMFA)}},

		// Protocol rules (contract.md §0.1, §4).
		{name: "body not JSON", fact: "§0.1 awsJson1_1", steps: []step{
			fail(set, `{`, serEx, "Request body is not valid JSON: unexpected EOF", pMal, pShape)}},
		{name: "body an array", fact: "§0.1 awsJson1_1", steps: []step{
			fail(get, `[]`, serEx, "Request body must be a JSON object, got an array", pMal)}},
		{name: "body with trailing data", fact: "§0.1 awsJson1_1", pool: "essentials", steps: []step{
			fail(get, pid("")+` {}`, serEx, "Request body has data after the JSON value", pMal)}},
		{name: "string member as a number", fact: "§0.1 awsJson1_1", pool: "essentials", steps: []step{
			fail(set, pid(`"MfaConfiguration":1`), serEx, "Expected a string, got a number at 'mfaConfiguration'", pMal)}},
		{name: "boolean member as a string", fact: "§1.6 Enabled is a boolean", pool: "essentials", steps: []step{
			fail(set, pid(`"SoftwareTokenMfaConfiguration":{"Enabled":"true"}`), serEx,
				"Expected a boolean, got a string at 'softwareTokenMfaConfiguration.enabled'", pMal)}},
		{name: "structure member as a string", fact: "§0.1 awsJson1_1", pool: "essentials", steps: []step{
			fail(set, pid(`"WebAuthnConfiguration":"on"`), serEx, "Expected an object, got a string at 'webAuthnConfiguration'", pMal)}},
		{name: "empty body is {}", fact: "§0.1 servers MUST accept empty bodies", steps: []step{
			fail(get, ``, ipe, invalid("<null>", "userPoolId", notNull), pMal)}},
		{name: "unknown members are ignored", fact: "§0.1 awsJson1_1", pool: "essentials", steps: []step{
			ok(set, pid(`"Unknown":[1,{"a":null}],`+mfaOpt+","+totpOn), `{`+mfaOpt+`,`+totpOn+`}`, pMal)}},
		{name: "null members are absent", fact: "§0.1; §3.2 omitted mode is OFF", pool: "essentials", steps: []step{
			ok(set, pid(`"MfaConfiguration":null,"SmsMfaConfiguration":null`), offState, pMal)}},
		{name: "no X-Amz-Target", fact: "§0.1 X-Amz-Target routing", steps: []step{
			{op: get, target: str(""), body: `{}`, status: 400, want: errJSON(unkOp, "Missing X-Amz-Target header"), rules: []contracts.RuleID{pUnk}}}},
		{name: "unknown operation", fact: "§0.1 X-Amz-Target routing", steps: []step{
			{op: get, target: str(contracts.Target("ListUsers")), body: `{}`, status: 400,
				want: errJSON(unkOp, `Unknown operation "AWSCognitoIdentityProviderService.ListUsers"`), rules: []contracts.RuleID{pUnk}}}},
		{name: "wrong target prefix", fact: "§0.1 targetPrefix", steps: []step{
			{op: get, target: str("AWSCognitoIdentityService.GetUserPoolMfaConfig"), body: `{}`, status: 400,
				want: errJSON(unkOp, `Unknown operation "AWSCognitoIdentityService.GetUserPoolMfaConfig"`), rules: []contracts.RuleID{pUnk}}}},
		{name: "GET instead of POST", fact: "§0.1 POST /", pool: "essentials", steps: []step{
			{op: get, method: http.MethodGet, body: pid(""), status: 400,
				want: errJSON(unkOp, "Method GET is not allowed: awsJson1_1 operations are called with POST /"), rules: []contracts.RuleID{pUnk}}}},
		{name: "known operation", fact: "§0.1 X-Amz-Target routing", pool: "essentials", steps: []step{
			ok(get, pid(""), offState, pUnk, pCT)}},
	}
}

func TestRules(t *testing.T) {
	srv, _ := newServer(t)
	for _, r := range rows() {
		t.Run(r.name, func(t *testing.T) {
			id := longPoolID
			if r.pool != "" {
				body, ok := fixtures[r.pool]
				if !ok {
					t.Fatalf("row %q names unknown fixture %q", r.name, r.pool)
				}
				id = createPool(t, srv, body)
			}
			for i, s := range r.steps {
				method, target := http.MethodPost, contracts.Target(s.op)
				if s.method != "" {
					method = s.method
				}
				if s.target != nil {
					target = *s.target
				}
				got := post(t, srv, method, target, strings.ReplaceAll(s.body, "{{pool}}", id))
				where := fmt.Sprintf("step %d (%s, %s)", i, s.op, r.fact)
				if got.status != s.status {
					t.Errorf("%s: status %d, want %d; body %s", where, got.status, s.status, got.body)
				}
				if d := jsonDiff(strings.ReplaceAll(s.want, "{{pool}}", id), got.body); d != "" {
					t.Errorf("%s: body mismatch (-want +got):\n%s", where, d)
				}
				for _, v := range checkWire(got) {
					t.Errorf("%s: %s", where, v)
				}
				if op := contracts.OperationByName(s.op); op != nil && got.status != http.StatusOK && s.target == nil && s.method == "" {
					code := got.header.Get("X-Amzn-ErrorType")
					if !op.Modeled(code) && code != serEx {
						t.Errorf("%s: %s is not a modeled error of %s (protocol.modeled-error)", where, code, s.op)
					}
				}
			}
		})
	}
}

// TestRulesCoverCatalogue fails when a catalogue rule (message rules aside:
// the rows' exact messages check them) has no accepted or no rejected row.
func TestRulesCoverCatalogue(t *testing.T) {
	accepted, rejected := map[contracts.RuleID]bool{}, map[contracts.RuleID]bool{}
	names := map[string]bool{}
	for _, r := range rows() {
		if names[r.name] {
			t.Errorf("two rows are called %q", r.name)
		}
		names[r.name] = true
		if r.fact == "" {
			t.Errorf("row %q names no fact of contract.md", r.name)
		}
		for _, s := range r.steps {
			for _, id := range s.rules {
				if contracts.RuleByID(id) == nil {
					t.Errorf("row %q names unknown rule %s", r.name, id)
				}
				if s.status == http.StatusOK {
					accepted[id] = true
				} else {
					rejected[id] = true
				}
			}
		}
	}
	for _, rule := range contracts.Rules() {
		if rule.Group == contracts.GroupMessage {
			continue
		}
		if !accepted[rule.ID] {
			t.Errorf("rule %s (%s) has no accepted row", rule.ID, rule.Source)
		}
		if !rejected[rule.ID] {
			t.Errorf("rule %s (%s) has no rejected row", rule.ID, rule.Source)
		}
	}
}
