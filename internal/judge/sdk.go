package judge

import (
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/mfaconform/mfaconform/contracts"
)

// SDKConfig converts a contract MFA configuration to the SDK's response
// shape, so the judge compares typed SDK values.
func SDKConfig(m *contracts.MfaConfig) *cip.GetUserPoolMfaConfigOutput {
	out := &cip.GetUserPoolMfaConfigOutput{}
	if m == nil {
		return out
	}
	if m.MfaConfiguration != nil {
		out.MfaConfiguration = types.UserPoolMfaType(*m.MfaConfiguration)
	}
	if s := m.SmsMfaConfiguration; s != nil {
		out.SmsMfaConfiguration = &types.SmsMfaConfigType{SmsAuthenticationMessage: s.SmsAuthenticationMessage}
		if sc := s.SmsConfiguration; sc != nil {
			out.SmsMfaConfiguration.SmsConfiguration = &types.SmsConfigurationType{SnsCallerArn: sc.SnsCallerArn,
				ExternalId: sc.ExternalId, SnsRegion: sc.SnsRegion}
		}
	}
	if t := m.SoftwareTokenMfaConfiguration; t != nil {
		out.SoftwareTokenMfaConfiguration = &types.SoftwareTokenMfaConfigType{Enabled: t.Enabled != nil && *t.Enabled}
	}
	if e := m.EmailMfaConfiguration; e != nil {
		out.EmailMfaConfiguration = &types.EmailMfaConfigType{Message: e.Message, Subject: e.Subject}
	}
	if w := m.WebAuthnConfiguration; w != nil {
		out.WebAuthnConfiguration = &types.WebAuthnConfigurationType{RelyingPartyId: w.RelyingPartyId}
		if w.UserVerification != nil {
			out.WebAuthnConfiguration.UserVerification = types.UserVerificationType(*w.UserVerification)
		}
		if w.FactorConfiguration != nil {
			out.WebAuthnConfiguration.FactorConfiguration = types.WebAuthnFactorConfigurationType(*w.FactorConfiguration)
		}
	}
	return out
}
