package contracts

import (
	"fmt"
	"path"
	"sort"
	"strings"
)

// RuleID is a stable rule identifier. Users pin known divergences by it, so
// an ID never changes meaning: a changed rule gets a new ID.
type RuleID string

// Provenance says where a rule comes from.
type Provenance string

// Provenances.
const (
	FromModel      Provenance = "model"      // the official machine-readable model
	FromDocumented Provenance = "documented" // AWS documentation text
	FromMeasured   Provenance = "measured"   // behaviour measured on real AWS (contract.md §3)
)

// Confidence in a rule's expectation.
type Confidence string

// Confidences.
const (
	High   Confidence = "high"
	Medium Confidence = "medium"
	Low    Confidence = "low"
)

// RuleGroup is the family a rule belongs to, as the catalogue groups them.
type RuleGroup string

// Rule groups.
const (
	GroupModel    RuleGroup = "model"
	GroupCross    RuleGroup = "cross-field"
	GroupState    RuleGroup = "state"
	GroupProtocol RuleGroup = "protocol"
	GroupMessage  RuleGroup = "message"
)

// Rule is one entry of the catalogue.
type Rule struct {
	ID         RuleID
	Group      RuleGroup
	Provenance Provenance
	Confidence Confidence
	// Source names the facts of docs/contract.md the rule rests on, as
	// "contract.md §3.1 M3": sections (§3.1) and numbered facts (M3) are
	// anchors of that page (#s3.1, #m3), and TestContractCitations fails on
	// one it lacks.
	Source  string
	Summary string
}

// Model constraint rules: one per (operation, member, constraint kind).
const (
	RuleSetUserPoolIDRequired   RuleID = "set.user-pool-id.required"
	RuleSetUserPoolIDLength     RuleID = "set.user-pool-id.length"
	RuleSetUserPoolIDPattern    RuleID = "set.user-pool-id.pattern"
	RuleGetUserPoolIDRequired   RuleID = "get.user-pool-id.required"
	RuleGetUserPoolIDLength     RuleID = "get.user-pool-id.length"
	RuleGetUserPoolIDPattern    RuleID = "get.user-pool-id.pattern"
	RuleSetMfaConfigurationEnum RuleID = "set.mfa-configuration.enum"
	RuleSetSmsMessageLength     RuleID = "set.sms-message.length"
	RuleSetSmsMessagePattern    RuleID = "set.sms-message.pattern"
	RuleSetSnsCallerArnRequired RuleID = "set.sns-caller-arn.required"
	RuleSetSnsCallerArnLength   RuleID = "set.sns-caller-arn.length"
	RuleSetSnsCallerArnPattern  RuleID = "set.sns-caller-arn.pattern"
	RuleSetExternalIDLength     RuleID = "set.external-id.length"
	RuleSetSnsRegionLength      RuleID = "set.sns-region.length"
	RuleSetEmailMessageLength   RuleID = "set.email-message.length"
	RuleSetEmailMessagePattern  RuleID = "set.email-message.pattern"
	RuleSetEmailSubjectPattern  RuleID = "set.email-subject.pattern"
	RuleSetRelyingPartyIDLength RuleID = "set.relying-party-id.length"
	RuleSetUserVerificationEnum RuleID = "set.user-verification.enum"
	RuleSetFactorConfigEnum     RuleID = "set.factor-configuration.enum"
)

// Cross-field and fixture rules.
const (
	RuleOffWithFactor          RuleID = "set.off-with-factor"
	RuleOnWithoutFactor        RuleID = "set.on-without-factor"
	RuleWebAuthnNotAFactor     RuleID = "set.webauthn-not-a-factor"
	RuleEmailRequiresDeveloper RuleID = "set.email-requires-developer-ses"
	RuleFeatureTier            RuleID = "set.feature-tier"
	RuleSmsRoleTrust           RuleID = "set.sms-role-trust"
	RuleSmsRoleAccess          RuleID = "set.sms-role-access"
	RuleFirstFactorConflict    RuleID = "set.first-factor-conflict"
)

// State rules.
const (
	RulePoolNotFound         RuleID = "pool.not-found"
	RuleFullReplace          RuleID = "set.full-replace"
	RuleEcho                 RuleID = "set.echo"
	RuleReadAfterWrite       RuleID = "get.read-after-write"
	RuleFreshPool            RuleID = "get.fresh-pool"
	RuleDescribeMfaConfigMFA RuleID = "describe.mfa-configuration"
)

// Protocol rules (awsJson1_1).
const (
	RuleProtocolStatus           RuleID = "protocol.status"
	RuleProtocolErrorShape       RuleID = "protocol.error-shape"
	RuleProtocolContentType      RuleID = "protocol.content-type"
	RuleProtocolModeledError     RuleID = "protocol.modeled-error"
	RuleProtocolOmitUnset        RuleID = "protocol.omit-unset"
	RuleProtocolMalformedRequest RuleID = "protocol.malformed-request"
	RuleProtocolUnknownOperation RuleID = "protocol.unknown-operation"
)

// Message rules: checked always, warn unless strict.
const (
	RuleMessageValidation RuleID = "message.validation"
	RuleMessageMfaRules   RuleID = "message.mfa-rules"
	RuleMessageNotFound   RuleID = "message.not-found"
)

var catalogue = []Rule{
	{RuleSetUserPoolIDRequired, GroupModel, FromModel, High, "contract.md §1.3 SetUserPoolMfaConfigRequest required; §6 null → Member must not be null", "UserPoolId is required"},
	{RuleSetUserPoolIDLength, GroupModel, FromModel, High, "contract.md §1.3 UserPoolIdType min 1 max 55", "UserPoolId length 1..55"},
	{RuleSetUserPoolIDPattern, GroupModel, FromModel, High, "contract.md §1.3 UserPoolIdType pattern; M10 (full match)", "UserPoolId matches [\\w-]+_[0-9a-zA-Z]+"},
	{RuleGetUserPoolIDRequired, GroupModel, FromModel, High, "contract.md §1.3 GetUserPoolMfaConfigRequest required", "UserPoolId is required"},
	{RuleGetUserPoolIDLength, GroupModel, FromModel, High, "contract.md §1.3 UserPoolIdType min 1 max 55", "UserPoolId length 1..55"},
	{RuleGetUserPoolIDPattern, GroupModel, FromModel, High, "contract.md §1.3 UserPoolIdType pattern; M10 (full match)", "UserPoolId matches [\\w-]+_[0-9a-zA-Z]+"},
	{RuleSetMfaConfigurationEnum, GroupModel, FromModel, High, "contract.md §1.3 UserPoolMfaType; M9", "MfaConfiguration is OFF, ON or OPTIONAL (case-sensitive)"},
	{RuleSetSmsMessageLength, GroupModel, FromModel, High, "contract.md §1.3 SmsVerificationMessageType min 6 max 140", "SmsAuthenticationMessage length 6..140"},
	{RuleSetSmsMessagePattern, GroupModel, FromModel, High, "contract.md §1.3 SmsVerificationMessageType pattern; §7 item 7", "SmsAuthenticationMessage contains {####}"},
	{RuleSetSnsCallerArnRequired, GroupModel, FromModel, High, "contract.md §1.3 SmsConfigurationType (2022-03-15 → 2026-07-16) required SnsCallerArn; M11", "SnsCallerArn is required in SmsConfiguration"},
	{RuleSetSnsCallerArnLength, GroupModel, FromModel, High, "contract.md §1.3 ArnType min 20 max 2048", "SnsCallerArn length 20..2048"},
	{RuleSetSnsCallerArnPattern, GroupModel, FromModel, High, "contract.md §1.3 ArnType pattern", "SnsCallerArn is an ARN"},
	{RuleSetExternalIDLength, GroupModel, FromModel, High, "contract.md §1.3 StringType min 0 max 131072", "ExternalId length 0..131072"},
	{RuleSetSnsRegionLength, GroupModel, FromModel, High, "contract.md §1.3 RegionCodeType min 5 max 32", "SnsRegion length 5..32"},
	{RuleSetEmailMessageLength, GroupModel, FromModel, High, "contract.md §1.3 EmailMfaMessageType min 6 max 20000", "Email Message length 6..20000"},
	{RuleSetEmailMessagePattern, GroupModel, FromModel, High, "contract.md §1.3 EmailMfaMessageType pattern; M12", "Email Message contains {####} and only letters, marks, symbols, numbers, punctuation, spaces"},
	{RuleSetEmailSubjectPattern, GroupModel, FromModel, High, "contract.md §1.3 EmailMfaSubjectType pattern (rules out empty)", "Email Subject is non-empty text"},
	{RuleSetRelyingPartyIDLength, GroupModel, FromModel, High, "contract.md §1.3 RelyingPartyIdType min 1 max 127", "RelyingPartyId length 1..127"},
	{RuleSetUserVerificationEnum, GroupModel, FromModel, High, "contract.md §1.3 UserVerificationType (lower case)", "UserVerification is required or preferred"},
	{RuleSetFactorConfigEnum, GroupModel, FromModel, High, "contract.md §1.3 WebAuthnFactorConfigurationType", "FactorConfiguration is SINGLE_FACTOR or MULTI_FACTOR_WITH_USER_VERIFICATION"},

	{RuleOffWithFactor, GroupCross, FromMeasured, High, "contract.md §3.1 M3, §3.2 (cdkd#1923, floci PR #2831)", "OFF (explicit or omitted) with an SMS, TOTP or email block is rejected"},
	{RuleOnWithoutFactor, GroupCross, FromMeasured, High, "contract.md §3.1 M1/M2, §3.2 (aws-sdk-js#4186, cdkd#1920)", "ON/OPTIONAL needs an enabled SMS, TOTP or email factor"},
	{RuleWebAuthnNotAFactor, GroupCross, FromMeasured, High, "contract.md §3.2 (cdkd#1923), M2", "WebAuthn alone is accepted under OFF and is not an MFA factor under ON/OPTIONAL"},
	{RuleEmailRequiresDeveloper, GroupCross, FromMeasured, High, "contract.md §3.1 M5, §3.4", "Email MFA needs EmailSendingAccount DEVELOPER"},
	{RuleFeatureTier, GroupCross, FromDocumented, Medium, "contract.md §2.2 EmailMfaConfiguration/FactorConfiguration/WebAuthnConfigurationType, §3.4", "Email MFA and WebAuthn need ESSENTIALS or PLUS; LITE gets FeatureUnavailableInTierException"},
	{RuleSmsRoleTrust, GroupCross, FromDocumented, Medium, "contract.md §1.4 InvalidSmsRoleTrustRelationshipException doc; M16; M4", "an SMS role that does not trust cognito-idp is rejected"},
	{RuleSmsRoleAccess, GroupCross, FromDocumented, Medium, "contract.md §1.4 InvalidSmsRoleAccessPolicyException doc; M17", "an SMS role that may not sns:Publish is rejected"},
	{RuleFirstFactorConflict, GroupCross, FromMeasured, High, "contract.md §3.1 M6, M7 (cdkd PR #2069, cdkd#2064)", "ON conflicts with EMAIL_OTP/SMS_OTP first factors, and with WEB_AUTHN unless passkeys are MFA"},

	{RulePoolNotFound, GroupState, FromMeasured, High, "contract.md §3.1 M25", "an unknown or deleted pool is ResourceNotFoundException"},
	{RuleFullReplace, GroupState, FromMeasured, High, "contract.md §3.2 (cdkd #1968, floci PR #2831)", "Set replaces the whole configuration: omitted mode is OFF, omitted blocks are off"},
	{RuleEcho, GroupState, FromMeasured, Medium, "contract.md §3.3, §6 (floci PR #2831)", "the Set response is the configuration now in force, unset members omitted"},
	{RuleReadAfterWrite, GroupState, FromMeasured, Medium, "contract.md §3.3 (floci, cdkd verify.sh)", "Get after Set returns what Set returned"},
	{RuleFreshPool, GroupState, FromMeasured, High, "contract.md §3.3 (floci PR #2831)", "Get on a fresh pool is {\"MfaConfiguration\":\"OFF\"}"},
	{RuleDescribeMfaConfigMFA, GroupState, FromMeasured, Medium, "contract.md §3.3 (floci test order 4)", "DescribeUserPool shows the mode Set put in force"},

	{RuleProtocolStatus, GroupProtocol, FromMeasured, High, "contract.md §1.4 harness rule, §6", "200 on success, 400 for client errors, 500 for InternalErrorException"},
	{RuleProtocolErrorShape, GroupProtocol, FromModel, High, "contract.md §4.1, §4.2", "an error body is a JSON object with __type (or X-Amzn-ErrorType) and message"},
	{RuleProtocolContentType, GroupProtocol, FromModel, High, "contract.md §0.1", "every response is application/x-amz-json-1.1"},
	{RuleProtocolModeledError, GroupProtocol, FromModel, High, "contract.md §1.1, §1.2, §4.3", "an operation returns only its modeled errors"},
	{RuleProtocolOmitUnset, GroupProtocol, FromMeasured, Medium, "contract.md §3.3, §6", "unset members are omitted, never null or {}"},
	{RuleProtocolMalformedRequest, GroupProtocol, FromModel, Medium, "contract.md §0.1 (awsJson1_1); Smithy serialization errors", "a body that is not a JSON object of the input shape is a 400 SerializationException"},
	{RuleProtocolUnknownOperation, GroupProtocol, FromModel, Medium, "contract.md §0.1 (X-Amz-Target routing)", "an unknown or missing X-Amz-Target is a 400 UnknownOperationException"},

	{RuleMessageValidation, GroupMessage, FromMeasured, Medium, "contract.md §3.1 M9–M14, §6", "validation messages read 'N validation error(s) detected: Value … at … failed to satisfy constraint: …'"},
	{RuleMessageMfaRules, GroupMessage, FromMeasured, Medium, "contract.md §3.1 M1–M7, M16, M17", "MFA rule errors carry AWS's messages"},
	{RuleMessageNotFound, GroupMessage, FromMeasured, Medium, "contract.md §3.1 M25", "'User pool <id> does not exist.'"},
}

var byID = func() map[RuleID]*Rule {
	m := make(map[RuleID]*Rule, len(catalogue))
	for i := range catalogue {
		m[catalogue[i].ID] = &catalogue[i]
	}
	return m
}()

// Rules returns the whole catalogue in catalogue order.
func Rules() []Rule { return append([]Rule(nil), catalogue...) }

// RuleByID returns a copy of the rule with that ID, or nil.
func RuleByID(id RuleID) *Rule {
	r, ok := byID[id]
	if !ok {
		return nil
	}
	cp := *r
	return &cp
}

// MatchRules returns the IDs matching a glob (path.Match syntax, e.g.
// "set.*" or "protocol.*"), sorted. A comma separates several globs. A
// malformed glob is a *GlobError (errors.Is path.ErrBadPattern); globs that
// match no rule are not an error, and the result is then empty.
func MatchRules(globs ...string) ([]RuleID, error) {
	seen := map[RuleID]bool{}
	var split []string
	for _, g := range globs {
		split = append(split, strings.Split(g, ",")...)
	}
	for _, g := range split {
		// path.Match checks the whole pattern whatever the name.
		if _, err := path.Match(g, ""); err != nil {
			return nil, &GlobError{Glob: g}
		}
		for _, r := range catalogue {
			if ok, _ := path.Match(g, string(r.ID)); ok {
				seen[r.ID] = true
			}
		}
	}
	out := make([]RuleID, 0, len(seen))
	for id := range seen {
		out = append(out, id)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out, nil
}

// GlobError is a rule glob that path.Match cannot read, such as "[".
type GlobError struct {
	Glob string
}

func (e *GlobError) Error() string { return fmt.Sprintf("malformed glob %q", e.Glob) }

// Unwrap makes a GlobError match path.ErrBadPattern.
func (e *GlobError) Unwrap() error { return path.ErrBadPattern }

// memberRules maps (operation, member path, constraint) to a model rule.
var memberRules = map[string]RuleID{
	"SetUserPoolMfaConfig UserPoolId required":                                        RuleSetUserPoolIDRequired,
	"SetUserPoolMfaConfig UserPoolId length":                                          RuleSetUserPoolIDLength,
	"SetUserPoolMfaConfig UserPoolId pattern":                                         RuleSetUserPoolIDPattern,
	"GetUserPoolMfaConfig UserPoolId required":                                        RuleGetUserPoolIDRequired,
	"GetUserPoolMfaConfig UserPoolId length":                                          RuleGetUserPoolIDLength,
	"GetUserPoolMfaConfig UserPoolId pattern":                                         RuleGetUserPoolIDPattern,
	"SetUserPoolMfaConfig MfaConfiguration enum":                                      RuleSetMfaConfigurationEnum,
	"SetUserPoolMfaConfig SmsMfaConfiguration.SmsAuthenticationMessage length":        RuleSetSmsMessageLength,
	"SetUserPoolMfaConfig SmsMfaConfiguration.SmsAuthenticationMessage pattern":       RuleSetSmsMessagePattern,
	"SetUserPoolMfaConfig SmsMfaConfiguration.SmsConfiguration.SnsCallerArn required": RuleSetSnsCallerArnRequired,
	"SetUserPoolMfaConfig SmsMfaConfiguration.SmsConfiguration.SnsCallerArn length":   RuleSetSnsCallerArnLength,
	"SetUserPoolMfaConfig SmsMfaConfiguration.SmsConfiguration.SnsCallerArn pattern":  RuleSetSnsCallerArnPattern,
	"SetUserPoolMfaConfig SmsMfaConfiguration.SmsConfiguration.ExternalId length":     RuleSetExternalIDLength,
	"SetUserPoolMfaConfig SmsMfaConfiguration.SmsConfiguration.SnsRegion length":      RuleSetSnsRegionLength,
	"SetUserPoolMfaConfig EmailMfaConfiguration.Message length":                       RuleSetEmailMessageLength,
	"SetUserPoolMfaConfig EmailMfaConfiguration.Message pattern":                      RuleSetEmailMessagePattern,
	"SetUserPoolMfaConfig EmailMfaConfiguration.Subject pattern":                      RuleSetEmailSubjectPattern,
	"SetUserPoolMfaConfig WebAuthnConfiguration.RelyingPartyId length":                RuleSetRelyingPartyIDLength,
	"SetUserPoolMfaConfig WebAuthnConfiguration.UserVerification enum":                RuleSetUserVerificationEnum,
	"SetUserPoolMfaConfig WebAuthnConfiguration.FactorConfiguration enum":             RuleSetFactorConfigEnum,
}

// RuleForViolation returns the model rule a violation of an operation's
// input breaks.
func RuleForViolation(op string, v Violation) RuleID {
	id, ok := memberRules[op+" "+v.Member+" "+string(v.Kind)]
	if !ok {
		panic("contracts: no rule for " + op + " " + v.Member + " " + string(v.Kind) + ": add it to memberRules")
	}
	return id
}

// ConstraintRules lists every (operation, member path, kind) that carries a
// model rule; generators walk it to reach every model rule.
func ConstraintRules() map[string]RuleID {
	out := make(map[string]RuleID, len(memberRules))
	for k, v := range memberRules {
		out[k] = v
	}
	return out
}
