package emulator

import (
	"slices"
	"strings"

	"github.com/mfaconform/mfaconform/contracts"
)

// The input shapes of the pool operations the emulator adds around the
// contract (botocore cognito-idp 2016-04-18), as far as the emulator reads
// them. Lists are not a contracts.ShapeType, so AllowedFirstAuthFactors is
// checked by firstAuthFactors and validateFactors.
var (
	userPoolIDRequest = &contracts.Shape{Name: "DescribeUserPoolRequest", Type: contracts.TypeStructure,
		Members: []contracts.Member{{Name: "UserPoolId", Shape: contracts.UserPoolIDType(), Required: true}}}

	userPoolNameType = &contracts.Shape{Name: "UserPoolNameType", Type: contracts.TypeString,
		Min: bound(1), Max: bound(128), Pattern: `[\w\s+=,.@-]+`}
	userPoolTierType = &contracts.Shape{Name: "UserPoolTierType", Type: contracts.TypeString,
		Enum: []string{contracts.TierLite, contracts.TierEssentials, contracts.TierPlus}}
	emailSendingAccountType = &contracts.Shape{Name: "EmailSendingAccountType", Type: contracts.TypeString,
		Enum: []string{contracts.SendingCognitoDefault, contracts.SendingDeveloper}}
	plainString = &contracts.Shape{Name: "StringType", Type: contracts.TypeString}

	emailConfigurationType = &contracts.Shape{Name: "EmailConfigurationType", Type: contracts.TypeStructure,
		Members: []contracts.Member{
			{Name: "SourceArn", Shape: contracts.ArnType()},
			{Name: "ReplyToEmailAddress", Shape: plainString},
			{Name: "EmailSendingAccount", Shape: emailSendingAccountType},
			{Name: "From", Shape: plainString},
			{Name: "ConfigurationSet", Shape: plainString},
		}}
	signInPolicyType = &contracts.Shape{Name: "SignInPolicyType", Type: contracts.TypeStructure}
	policiesType     = &contracts.Shape{Name: "UserPoolPolicyType", Type: contracts.TypeStructure,
		Members: []contracts.Member{{Name: "SignInPolicy", Shape: signInPolicyType}}}

	createUserPoolRequest = &contracts.Shape{Name: "CreateUserPoolRequest", Type: contracts.TypeStructure,
		Members: []contracts.Member{
			{Name: "PoolName", Shape: userPoolNameType, Required: true},
			{Name: "Policies", Shape: policiesType},
			{Name: "MfaConfiguration", Shape: contracts.UserPoolMfaType()},
			{Name: "EmailConfiguration", Shape: emailConfigurationType},
			{Name: "SmsConfiguration", Shape: contracts.SmsConfigurationType()},
			{Name: "UserPoolTier", Shape: userPoolTierType},
		}}
)

var authFactors = []string{contracts.FactorPassword, contracts.FactorEmailOTP, contracts.FactorSmsOTP, contracts.FactorWebAuthn}

func bound(n int) *int { return &n }

// firstAuthFactors reads Policies.SignInPolicy.AllowedFirstAuthFactors from
// a decoded body: nil when absent, an error when it is not a list of strings.
func firstAuthFactors(v map[string]any) ([]string, error) {
	pol, _ := v["Policies"].(map[string]any)
	sip, _ := pol["SignInPolicy"].(map[string]any)
	raw, present := sip["AllowedFirstAuthFactors"]
	if !present || raw == nil {
		return nil, nil
	}
	const path = "policies.signInPolicy.allowedFirstAuthFactors"
	list, ok := raw.([]any)
	if !ok {
		return nil, &contracts.SerializationError{Path: path, Reason: "Expected a list"}
	}
	out := make([]string, 0, len(list))
	for _, item := range list {
		s, ok := item.(string)
		if !ok {
			return nil, &contracts.SerializationError{Path: path, Reason: "Expected a list of strings"}
		}
		out = append(out, s)
	}
	return out, nil
}

// validateFactors checks the list members against AuthFactorType, in the
// form Coral reports a list whose members break a constraint.
func validateFactors(factors []string) []contracts.Violation {
	for _, f := range factors {
		if !slices.Contains(authFactors, f) {
			val := "[" + strings.Join(factors, ", ") + "]"
			return []contracts.Violation{{
				Member: "Policies.SignInPolicy.AllowedFirstAuthFactors",
				Path:   "policies.signInPolicy.allowedFirstAuthFactors",
				Value:  &val, Kind: contracts.KindEnum,
				Constraint: "Member must satisfy constraint: [Member must satisfy enum value set: [" +
					strings.Join(authFactors, ", ") + "]]",
			}}
		}
	}
	return nil
}
