package contracts

// Direct conversions between the typed requests and responses and the
// plain JSON values validation runs on. They do what a JSON round trip
// does, without one: the harness converts every call several times, and a
// round trip over a 128 KiB ExternalId is most of a call's cost.

func putString(m map[string]any, k string, v *string) {
	if v != nil {
		m[k] = *v
	}
}

func getString(m map[string]any, k string) *string {
	if s, ok := m[k].(string); ok {
		return &s
	}
	return nil
}

func getObject(m map[string]any, k string) map[string]any {
	o, _ := m[k].(map[string]any)
	return o
}

func smsValue(s *SmsMfaConfig) map[string]any {
	m := map[string]any{}
	putString(m, "SmsAuthenticationMessage", s.SmsAuthenticationMessage)
	if c := s.SmsConfiguration; c != nil {
		cm := map[string]any{}
		putString(cm, "SnsCallerArn", c.SnsCallerArn)
		putString(cm, "ExternalId", c.ExternalId)
		putString(cm, "SnsRegion", c.SnsRegion)
		m["SmsConfiguration"] = cm
	}
	return m
}

func totpValue(t *SoftwareTokenMfaConfig) map[string]any {
	m := map[string]any{}
	if t.Enabled != nil {
		m["Enabled"] = *t.Enabled
	}
	return m
}

func emailValue(e *EmailMfaConfig) map[string]any {
	m := map[string]any{}
	putString(m, "Message", e.Message)
	putString(m, "Subject", e.Subject)
	return m
}

func webAuthnValue(w *WebAuthnConfig) map[string]any {
	m := map[string]any{}
	putString(m, "RelyingPartyId", w.RelyingPartyId)
	putString(m, "UserVerification", w.UserVerification)
	putString(m, "FactorConfiguration", w.FactorConfiguration)
	return m
}

func blocksValue(m map[string]any, sms *SmsMfaConfig, totp *SoftwareTokenMfaConfig, email *EmailMfaConfig, mode *string, web *WebAuthnConfig) map[string]any {
	if sms != nil {
		m["SmsMfaConfiguration"] = smsValue(sms)
	}
	if totp != nil {
		m["SoftwareTokenMfaConfiguration"] = totpValue(totp)
	}
	if email != nil {
		m["EmailMfaConfiguration"] = emailValue(email)
	}
	putString(m, "MfaConfiguration", mode)
	if web != nil {
		m["WebAuthnConfiguration"] = webAuthnValue(web)
	}
	return m
}

func smsFrom(m map[string]any) *SmsMfaConfig {
	if m == nil {
		return nil
	}
	s := &SmsMfaConfig{SmsAuthenticationMessage: getString(m, "SmsAuthenticationMessage")}
	if c := getObject(m, "SmsConfiguration"); c != nil {
		s.SmsConfiguration = &SmsConfiguration{SnsCallerArn: getString(c, "SnsCallerArn"),
			ExternalId: getString(c, "ExternalId"), SnsRegion: getString(c, "SnsRegion")}
	}
	return s
}

func totpFrom(m map[string]any) *SoftwareTokenMfaConfig {
	if m == nil {
		return nil
	}
	t := &SoftwareTokenMfaConfig{}
	if b, ok := m["Enabled"].(bool); ok {
		t.Enabled = &b
	}
	return t
}

func emailFrom(m map[string]any) *EmailMfaConfig {
	if m == nil {
		return nil
	}
	return &EmailMfaConfig{Message: getString(m, "Message"), Subject: getString(m, "Subject")}
}

func webAuthnFrom(m map[string]any) *WebAuthnConfig {
	if m == nil {
		return nil
	}
	return &WebAuthnConfig{RelyingPartyId: getString(m, "RelyingPartyId"),
		UserVerification: getString(m, "UserVerification"), FactorConfiguration: getString(m, "FactorConfiguration")}
}

// setRequestFrom builds a typed request from a type-checked value (see
// DecodeValue); members of the wrong JSON type are left out.
func setRequestFrom(v map[string]any) *SetRequest {
	return &SetRequest{UserPoolId: getString(v, "UserPoolId"),
		SmsMfaConfiguration:           smsFrom(getObject(v, "SmsMfaConfiguration")),
		SoftwareTokenMfaConfiguration: totpFrom(getObject(v, "SoftwareTokenMfaConfiguration")),
		EmailMfaConfiguration:         emailFrom(getObject(v, "EmailMfaConfiguration")),
		MfaConfiguration:              getString(v, "MfaConfiguration"),
		WebAuthnConfiguration:         webAuthnFrom(getObject(v, "WebAuthnConfiguration"))}
}

// MfaConfigFrom builds a typed MFA configuration from a type-checked value.
func MfaConfigFrom(v map[string]any) *MfaConfig {
	return &MfaConfig{
		SmsMfaConfiguration:           smsFrom(getObject(v, "SmsMfaConfiguration")),
		SoftwareTokenMfaConfiguration: totpFrom(getObject(v, "SoftwareTokenMfaConfiguration")),
		EmailMfaConfiguration:         emailFrom(getObject(v, "EmailMfaConfiguration")),
		MfaConfiguration:              getString(v, "MfaConfiguration"),
		WebAuthnConfiguration:         webAuthnFrom(getObject(v, "WebAuthnConfiguration"))}
}

// CheckValue checks the JSON types of a decoded value's modeled members
// against a structure shape, as DecodeValue does.
func CheckValue(shape *Shape, v map[string]any) error { return checkTypes(shape, v, "") }

// Equal reports whether two MFA configurations have the same members and
// values.
func (c *MfaConfig) Equal(o *MfaConfig) bool {
	if c == nil || o == nil {
		return c == o
	}
	return eqS(c.MfaConfiguration, o.MfaConfiguration) &&
		eqSms(c.SmsMfaConfiguration, o.SmsMfaConfiguration) &&
		eqTotp(c.SoftwareTokenMfaConfiguration, o.SoftwareTokenMfaConfiguration) &&
		eqEmail(c.EmailMfaConfiguration, o.EmailMfaConfiguration) &&
		eqWeb(c.WebAuthnConfiguration, o.WebAuthnConfiguration)
}

func eqS(a, b *string) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

func eqSms(a, b *SmsMfaConfig) bool {
	if a == nil || b == nil {
		return a == b
	}
	if !eqS(a.SmsAuthenticationMessage, b.SmsAuthenticationMessage) {
		return false
	}
	x, y := a.SmsConfiguration, b.SmsConfiguration
	if x == nil || y == nil {
		return x == y
	}
	return eqS(x.SnsCallerArn, y.SnsCallerArn) && eqS(x.ExternalId, y.ExternalId) && eqS(x.SnsRegion, y.SnsRegion)
}

func eqTotp(a, b *SoftwareTokenMfaConfig) bool {
	if a == nil || b == nil {
		return a == b
	}
	return (a.Enabled == nil) == (b.Enabled == nil) && (a.Enabled == nil || *a.Enabled == *b.Enabled)
}

func eqEmail(a, b *EmailMfaConfig) bool {
	if a == nil || b == nil {
		return a == b
	}
	return eqS(a.Message, b.Message) && eqS(a.Subject, b.Subject)
}

func eqWeb(a, b *WebAuthnConfig) bool {
	if a == nil || b == nil {
		return a == b
	}
	return eqS(a.RelyingPartyId, b.RelyingPartyId) && eqS(a.UserVerification, b.UserVerification) &&
		eqS(a.FactorConfiguration, b.FactorConfiguration)
}
