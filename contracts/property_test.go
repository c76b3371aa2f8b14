package contracts_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"

	c "github.com/mfaconform/mfaconform/contracts"
)

// boundaryString draws a value for a string shape: enum values and their
// case variants, lengths at min-1, min, max, max+1, line terminators and
// astral characters, or anything.
func boundaryString(s *c.Shape) *rapid.Generator[string] {
	var picks []string
	picks = append(picks, s.Enum...)
	for _, e := range s.Enum {
		picks = append(picks, strings.ToLower(e), strings.ToUpper(e))
	}
	for _, n := range []*int{s.Min, s.Max} {
		if n != nil {
			for _, k := range []int{*n - 1, *n, *n + 1} {
				if k >= 0 && k <= 300 {
					picks = append(picks, fill(s, k))
				}
			}
		}
	}
	picks = append(picks, "", " ", "{####}", "Code:\n{####}", "{####}\r", "\U0001F600{####}", poolID, " "+poolID,
		c.RoleTrusted, c.RoleUntrusted, c.RoleNoPublish, "arn:aws:iam::123456789012:role/other", "us-east-1")
	return rapid.OneOf(rapid.SampledFrom(picks), rapid.String())
}

func maybe[T any](g *rapid.Generator[T]) *rapid.Generator[*T] {
	return rapid.Custom(func(t *rapid.T) *T {
		if !rapid.Bool().Draw(t, "present") {
			return nil
		}
		v := g.Draw(t, "value")
		return &v
	})
}

func maybeStr(t *rapid.T, s *c.Shape, label string) *string {
	return maybe(boundaryString(s)).Draw(t, label)
}

func drawSetRequest(t *rapid.T) *c.SetRequest {
	r := &c.SetRequest{
		UserPoolId:       maybeStr(t, c.UserPoolIDType(), "UserPoolId"),
		MfaConfiguration: maybeStr(t, c.UserPoolMfaType(), "MfaConfiguration"),
	}
	if rapid.Bool().Draw(t, "sms") {
		r.SmsMfaConfiguration = &c.SmsMfaConfig{SmsAuthenticationMessage: maybeStr(t, c.SmsVerificationMessageType(), "SmsAuthenticationMessage")}
		if rapid.Bool().Draw(t, "smsConfig") {
			r.SmsMfaConfiguration.SmsConfiguration = &c.SmsConfiguration{
				SnsCallerArn: maybeStr(t, c.ArnType(), "SnsCallerArn"),
				ExternalId:   maybeStr(t, c.StringType(), "ExternalId"),
				SnsRegion:    maybeStr(t, c.RegionCodeType(), "SnsRegion"),
			}
		}
	}
	if rapid.Bool().Draw(t, "totp") {
		r.SoftwareTokenMfaConfiguration = &c.SoftwareTokenMfaConfig{Enabled: maybe(rapid.Bool()).Draw(t, "Enabled")}
	}
	if rapid.Bool().Draw(t, "email") {
		r.EmailMfaConfiguration = &c.EmailMfaConfig{Message: maybeStr(t, c.EmailMfaMessageType(), "Message"), Subject: maybeStr(t, c.EmailMfaSubjectType(), "Subject")}
	}
	if rapid.Bool().Draw(t, "webAuthn") {
		r.WebAuthnConfiguration = &c.WebAuthnConfig{
			RelyingPartyId:      maybeStr(t, c.RelyingPartyIDType(), "RelyingPartyId"),
			UserVerification:    maybeStr(t, c.UserVerificationType(), "UserVerification"),
			FactorConfiguration: maybeStr(t, c.WebAuthnFactorConfigurationType(), "FactorConfiguration"),
		}
	}
	return r
}

func drawPool(t *rapid.T) *c.Pool {
	if rapid.IntRange(0, 5).Draw(t, "poolKind") == 0 {
		return nil
	}
	p := &c.Pool{ID: poolID,
		Tier:                rapid.SampledFrom([]string{"", c.TierLite, c.TierEssentials, c.TierPlus}).Draw(t, "tier"),
		EmailSendingAccount: rapid.SampledFrom([]string{"", c.SendingCognitoDefault, c.SendingDeveloper}).Draw(t, "sending"),
	}
	if rapid.Bool().Draw(t, "policyKnown") {
		p.FirstAuthFactors = []string{c.FactorPassword}
		for _, f := range []string{c.FactorEmailOTP, c.FactorSmsOTP, c.FactorWebAuthn} {
			if rapid.Bool().Draw(t, "allow "+f) {
				p.FirstAuthFactors = append(p.FirstAuthFactors, f)
			}
		}
	}
	if rapid.Bool().Draw(t, "configured") {
		p.Mfa = &c.MfaConfig{MfaConfiguration: s(c.MfaOptional), SoftwareTokenMfaConfiguration: &c.SoftwareTokenMfaConfig{Enabled: yes}}
		if rapid.Bool().Draw(t, "withSms") {
			p.SmsConfiguration = role(c.RoleTrusted)
			p.Mfa.SmsMfaConfiguration = &c.SmsMfaConfig{SmsConfiguration: role(c.RoleTrusted)}
		}
		if rapid.Bool().Draw(t, "withWebAuthn") {
			p.Mfa.WebAuthnConfiguration = &c.WebAuthnConfig{RelyingPartyId: rp}
		}
	}
	return p
}

// expectSetProperty: ExpectSet never panics, always allows at least one
// outcome, decides by a catalogue rule consistent with Outcomes[0], and is
// uncertain whenever it allows more than one outcome.
func expectSetProperty(t *rapid.T) {
	w, p, req := c.DefaultWorld(), drawPool(t), drawSetRequest(t)
	e := c.ExpectSet(w, p, req)
	if err := checkConsistent(e); err != nil {
		t.Fatalf("%v\nrequest %+v pool %+v", err, req, p)
	}
}

func checkConsistent(e c.Expectation) error {
	if len(e.Outcomes) == 0 {
		return fmt.Errorf("no outcome")
	}
	rule := c.RuleByID(e.Rule)
	if rule == nil {
		return fmt.Errorf("Rule %q is not in the catalogue", e.Rule)
	}
	for _, id := range e.Checked {
		if c.RuleByID(id) == nil {
			return fmt.Errorf("Checked rule %q is not in the catalogue", id)
		}
	}
	if !slices.Contains(e.Checked, e.Rule) {
		return fmt.Errorf("Rule %s not in Checked %v", e.Rule, e.Checked)
	}
	if len(e.Outcomes) > 1 && e.Certain {
		return fmt.Errorf("%d outcomes but Certain", len(e.Outcomes))
	}
	first := e.Outcomes[0]
	switch {
	case rule.Group == c.GroupModel:
		if first.Error != c.InvalidParameterException() || len(first.Violations) == 0 ||
			c.RuleForViolation(e.Operation, first.Violations[0]) != e.Rule {
			return fmt.Errorf("model rule %s, but Outcomes[0] is %+v", e.Rule, first)
		}
	case e.Rule == c.RulePoolNotFound && first.IsError():
		if first.Error != c.ResourceNotFoundException() {
			return fmt.Errorf("pool.not-found decided, Outcomes[0] is %s", first.Error.Code)
		}
	case first.Error == c.ResourceNotFoundException():
		return fmt.Errorf("Outcomes[0] is ResourceNotFoundException, Rule %s", e.Rule)
	case first.IsError() && len(first.Violations) > 0:
		return fmt.Errorf("Outcomes[0] is a validation error, Rule %s", e.Rule)
	case !first.IsError() && first.Body == nil:
		return fmt.Errorf("success without a body")
	}
	for _, o := range e.Outcomes {
		if o.IsError() && !c.OperationByName(e.Operation).Modeled(o.Error.Code) {
			return fmt.Errorf("outcome %s is not modeled for %s", o.Error.Code, e.Operation)
		}
		if o.IsError() && len(o.Messages) > 0 && o.Text != o.Messages[0] {
			return fmt.Errorf("Text %q is not Messages[0] %q", o.Text, o.Messages[0])
		}
	}
	return nil
}

func TestExpectSetProperty(t *testing.T) {
	rapid.Check(t, expectSetProperty)
}

func FuzzExpectSet(f *testing.F) {
	f.Fuzz(rapid.MakeFuzz(expectSetProperty))
}
