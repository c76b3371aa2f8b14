package contracts

// The request and response types of the contract. Every member is a pointer
// so that "absent" and "zero" stay apart: the Go SDK cannot say
// {"Enabled": false}, the wire can, and the rules tell them apart.

// SetRequest is the body of SetUserPoolMfaConfig.
type SetRequest struct {
	UserPoolId                    *string                 `json:"UserPoolId,omitempty"`
	SmsMfaConfiguration           *SmsMfaConfig           `json:"SmsMfaConfiguration,omitempty"`
	SoftwareTokenMfaConfiguration *SoftwareTokenMfaConfig `json:"SoftwareTokenMfaConfiguration,omitempty"`
	EmailMfaConfiguration         *EmailMfaConfig         `json:"EmailMfaConfiguration,omitempty"`
	MfaConfiguration              *string                 `json:"MfaConfiguration,omitempty"`
	WebAuthnConfiguration         *WebAuthnConfig         `json:"WebAuthnConfiguration,omitempty"`
}

// GetRequest is the body of GetUserPoolMfaConfig.
type GetRequest struct {
	UserPoolId *string `json:"UserPoolId,omitempty"`
}

// MfaConfig is the body of both responses, and the MFA state of a pool.
// Unset members are omitted on the wire, never null or {}.
type MfaConfig struct {
	SmsMfaConfiguration           *SmsMfaConfig           `json:"SmsMfaConfiguration,omitempty"`
	SoftwareTokenMfaConfiguration *SoftwareTokenMfaConfig `json:"SoftwareTokenMfaConfiguration,omitempty"`
	EmailMfaConfiguration         *EmailMfaConfig         `json:"EmailMfaConfiguration,omitempty"`
	MfaConfiguration              *string                 `json:"MfaConfiguration,omitempty"`
	WebAuthnConfiguration         *WebAuthnConfig         `json:"WebAuthnConfiguration,omitempty"`
}

// SmsMfaConfig is SmsMfaConfigType.
type SmsMfaConfig struct {
	SmsAuthenticationMessage *string           `json:"SmsAuthenticationMessage,omitempty"`
	SmsConfiguration         *SmsConfiguration `json:"SmsConfiguration,omitempty"`
}

// SmsConfiguration is SmsConfigurationType.
type SmsConfiguration struct {
	SnsCallerArn *string `json:"SnsCallerArn,omitempty"`
	ExternalId   *string `json:"ExternalId,omitempty"`
	SnsRegion    *string `json:"SnsRegion,omitempty"`
}

// SoftwareTokenMfaConfig is SoftwareTokenMfaConfigType.
type SoftwareTokenMfaConfig struct {
	Enabled *bool `json:"Enabled,omitempty"`
}

// EmailMfaConfig is EmailMfaConfigType.
type EmailMfaConfig struct {
	Message *string `json:"Message,omitempty"`
	Subject *string `json:"Subject,omitempty"`
}

// WebAuthnConfig is WebAuthnConfigurationType.
type WebAuthnConfig struct {
	RelyingPartyId      *string `json:"RelyingPartyId,omitempty"`
	UserVerification    *string `json:"UserVerification,omitempty"`
	FactorConfiguration *string `json:"FactorConfiguration,omitempty"`
}

// String and Bool return pointers, for building requests.
func String(s string) *string { return &s }

// Bool returns a pointer to b.
func Bool(b bool) *bool { return &b }

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// Mode returns the MFA mode the request asks for: an absent
// MfaConfiguration means OFF (full replace, contract.md §3.2).
func (r *SetRequest) Mode() string {
	if r.MfaConfiguration == nil {
		return MfaOff
	}
	return *r.MfaConfiguration
}

// MFA modes.
const (
	MfaOff      = "OFF"
	MfaOn       = "ON"
	MfaOptional = "OPTIONAL"
)

// Clone returns a deep copy.
func (c *MfaConfig) Clone() *MfaConfig {
	if c == nil {
		return nil
	}
	out := &MfaConfig{MfaConfiguration: cloneString(c.MfaConfiguration)}
	if c.SmsMfaConfiguration != nil {
		s := *c.SmsMfaConfiguration
		s.SmsAuthenticationMessage = cloneString(s.SmsAuthenticationMessage)
		if s.SmsConfiguration != nil {
			sc := *s.SmsConfiguration
			sc.SnsCallerArn, sc.ExternalId, sc.SnsRegion = cloneString(sc.SnsCallerArn), cloneString(sc.ExternalId), cloneString(sc.SnsRegion)
			s.SmsConfiguration = &sc
		}
		out.SmsMfaConfiguration = &s
	}
	if c.SoftwareTokenMfaConfiguration != nil {
		t := *c.SoftwareTokenMfaConfiguration
		if t.Enabled != nil {
			t.Enabled = Bool(*t.Enabled)
		}
		out.SoftwareTokenMfaConfiguration = &t
	}
	if c.EmailMfaConfiguration != nil {
		e := EmailMfaConfig{Message: cloneString(c.EmailMfaConfiguration.Message), Subject: cloneString(c.EmailMfaConfiguration.Subject)}
		out.EmailMfaConfiguration = &e
	}
	if c.WebAuthnConfiguration != nil {
		w := *c.WebAuthnConfiguration
		w.RelyingPartyId, w.UserVerification, w.FactorConfiguration = cloneString(w.RelyingPartyId), cloneString(w.UserVerification), cloneString(w.FactorConfiguration)
		out.WebAuthnConfiguration = &w
	}
	return out
}

func cloneString(s *string) *string {
	if s == nil {
		return nil
	}
	v := *s
	return &v
}

// freshState is the MFA state of a pool created with MFA off: Get answers
// {"MfaConfiguration":"OFF"} and nothing else (contract.md §3.3, measured).
func freshState() *MfaConfig { return &MfaConfig{MfaConfiguration: String(MfaOff)} }
