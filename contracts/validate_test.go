package contracts_test

import (
	"fmt"
	"strings"
	"testing"

	c "github.com/mfaconform/mfaconform/contracts"
)

func TestValidationMessage(t *testing.T) {
	enumItem := "Value 'x' at 'mfaConfiguration' failed to satisfy constraint: Member must satisfy enum value set: [OPTIONAL, OFF, ON]"
	for _, r := range []struct {
		name, fact string
		req        map[string]any
		shape      *c.Shape
		want       string
	}{
		{"bad mode", "M9, §6", map[string]any{"UserPoolId": poolID, "MfaConfiguration": "x"}, c.SetUserPoolMfaConfigRequest(),
			"1 validation error detected: " + enumItem},
		{"null pool id", "§6 Member must not be null; M11", map[string]any{}, c.GetUserPoolMfaConfigRequest(),
			"1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null"},
		{"two errors, plural", "M14 (plural; '; ' join UNCONFIRMED)", map[string]any{"MfaConfiguration": "x"}, c.SetUserPoolMfaConfigRequest(),
			"2 validation errors detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null; " + enumItem},
		{"nested sms message path", "§6 smsMfaConfiguration.smsAuthenticationMessage", map[string]any{"UserPoolId": poolID,
			"SmsMfaConfiguration": map[string]any{"SmsAuthenticationMessage": "no code here"}}, c.SetUserPoolMfaConfigRequest(),
			"1 validation error detected: Value 'no code here' at 'smsMfaConfiguration.smsAuthenticationMessage' failed to satisfy constraint: Member must satisfy regular expression pattern: .*\\{####\\}.*"},
		{"nested email message path", "§6 emailMfaConfiguration.message; M12", map[string]any{"UserPoolId": poolID,
			"EmailMfaConfiguration": map[string]any{"Message": "{##check##}"}}, c.SetUserPoolMfaConfigRequest(),
			"1 validation error detected: Value '{##check##}' at 'emailMfaConfiguration.message' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*\\{####\\}[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\s*]*"},
		{"nested required arn", "M11 format", map[string]any{"UserPoolId": poolID,
			"SmsMfaConfiguration": map[string]any{"SmsConfiguration": map[string]any{"ExternalId": "x"}}}, c.SetUserPoolMfaConfigRequest(),
			"1 validation error detected: Value null at 'smsMfaConfiguration.smsConfiguration.snsCallerArn' failed to satisfy constraint: Member must not be null"},
		{"length too long", "M13 format", map[string]any{"UserPoolId": poolID,
			"WebAuthnConfiguration": map[string]any{"RelyingPartyId": strings.Repeat("r", 128)}}, c.SetUserPoolMfaConfigRequest(),
			"1 validation error detected: Value '" + strings.Repeat("r", 128) + "' at 'webAuthnConfiguration.relyingPartyId' failed to satisfy constraint: Member must have length less than or equal to 127"},
		{"length too short", "§6 standard Coral phrase", map[string]any{"UserPoolId": poolID,
			"SmsMfaConfiguration": map[string]any{"SmsConfiguration": map[string]any{"SnsCallerArn": c.RoleTrusted, "SnsRegion": "eu"}}}, c.SetUserPoolMfaConfigRequest(),
			"1 validation error detected: Value 'eu' at 'smsMfaConfiguration.smsConfiguration.snsRegion' failed to satisfy constraint: Member must have length greater than or equal to 5"},
	} {
		t.Run(r.name, func(t *testing.T) {
			if got := c.ValidationMessage(c.Validate(r.shape, r.req)); got != r.want {
				t.Errorf("message\n got %q\nwant %q", got, r.want)
			}
		})
	}
}

// fill returns a value of n characters for a shape that also matches the
// shape's pattern when n allows it.
func fill(s *c.Shape, n int) string {
	if n < 0 {
		return ""
	}
	var base string
	switch s {
	case c.UserPoolIDType():
		base = "a_b"
		if n >= len(base) {
			return strings.Repeat("a", n-2) + "_b"
		}
	case c.SmsVerificationMessageType(), c.EmailMfaMessageType():
		base = "{####}"
		if n >= len(base) {
			return base + strings.Repeat("a", n-len(base))
		}
	case c.ArnType():
		base = c.RoleTrusted
		if n >= len(base) {
			return base + strings.Repeat("a", n-len(base))
		}
		// The shortest ARN the pattern allows.
		if short := "arn:a:b::1:" + strings.Repeat("r", max(n-11, 1)); len(short) == n {
			return short
		}
	}
	return strings.Repeat("a", n)
}

// setPath builds a request value with one member set, every structure on
// the way created, and UserPoolId present so that only the member is judged.
func setPath(op *c.Operation, path, value string) map[string]any {
	v := map[string]any{"UserPoolId": poolID}
	parts := strings.Split(path, ".")
	cur := v
	for _, p := range parts[:len(parts)-1] {
		next := map[string]any{}
		cur[p] = next
		cur = next
	}
	cur[parts[len(parts)-1]] = value
	if strings.HasPrefix(path, "SmsMfaConfiguration.SmsConfiguration.") && path != "SmsMfaConfiguration.SmsConfiguration.SnsCallerArn" {
		cur["SnsCallerArn"] = c.RoleTrusted
	}
	return v
}

// TestLengthBoundaries checks min-1, min, max and max+1 of every length
// constraint of both inputs, taking the bounds from the contract's shapes.
func TestLengthBoundaries(t *testing.T) {
	for _, op := range c.Operations() {
		for _, path := range c.MemberPaths(op.Input) {
			m := c.ShapeAt(op.Input, path)
			if m.Shape.Type != c.TypeString || (m.Shape.Min == nil && m.Shape.Max == nil) {
				continue
			}
			var sizes []int
			if lo := m.Shape.Min; lo != nil {
				sizes = append(sizes, *lo-1, *lo)
			}
			if hi := m.Shape.Max; hi != nil {
				sizes = append(sizes, *hi, *hi+1)
			}
			for _, n := range sizes {
				if n < 0 {
					continue
				}
				bad := (m.Shape.Min != nil && n < *m.Shape.Min) || (m.Shape.Max != nil && n > *m.Shape.Max)
				t.Run(fmt.Sprintf("%s/%s/%d", op.Name, path, n), func(t *testing.T) {
					val := fill(m.Shape, n)
					vs := c.Validate(op.Input, setPath(op, path, val))
					var length, other []c.Violation
					for _, v := range vs {
						switch {
						case v.Member != path:
							t.Errorf("unrelated violation: %s", v.Item())
						case v.Kind == c.KindLength:
							length = append(length, v)
						default:
							other = append(other, v)
						}
					}
					if bad != (len(length) == 1) {
						t.Errorf("length %d (bounds %v..%v): length violations %v", n, deref(m.Shape.Min), deref(m.Shape.Max), length)
					}
					for _, v := range length {
						if v.Uncertain {
							t.Errorf("ASCII value gave an uncertain length: %s", v.Item())
						}
						rule := c.RuleForViolation(op.Name, v)
						if c.RuleByID(rule) == nil {
							t.Errorf("violation maps to unknown rule %s", rule)
						}
					}
					// A value the filler can make valid must be valid apart from its length.
					if !bad && n >= len(fill(m.Shape, 0))+6 && len(other) > 0 {
						t.Errorf("valid-length value %q has violations %v", val, other)
					}
				})
			}
		}
	}
}

func deref(p *int) any {
	if p == nil {
		return "none"
	}
	return *p
}

func TestPatternsAndEnums(t *testing.T) {
	type row struct {
		name, fact string
		shape      *c.Shape
		value      string
		want       c.MatchResult // Match: no violation; NoMatch: certain violation; Uncertain
	}
	emoji := "\U0001F600"
	rows := []row{
		{"pool id", "M10", c.UserPoolIDType(), poolID, c.Match},
		{"pool id leading space", "M10; aws-sdk-js#3344 full match", c.UserPoolIDType(), " " + poolID, c.NoMatch},
		{"pool id trailing space", "§1.3 full match", c.UserPoolIDType(), poolID + " ", c.NoMatch},
		{"pool id without underscore", "M10", c.UserPoolIDType(), "YOUR-POOL-ID", c.NoMatch},
		{"sms placeholder only", "§1.3 SmsVerificationMessageType", c.SmsVerificationMessageType(), "{####}", c.Match},
		{"sms without placeholder", "§1.3", c.SmsVerificationMessageType(), "code ####!", c.NoMatch},
		{"sms with newline", "§7 item 7: Java . excludes \\n", c.SmsVerificationMessageType(), "Code:\n{####}", c.Uncertain},
		{"sms with carriage return", "§7 item 7", c.SmsVerificationMessageType(), "{####}\rthanks", c.Uncertain},
		{"sms with line separator", "§7 item 7", c.SmsVerificationMessageType(), "{####}\u2028ok", c.Uncertain},
		{"sms with tab", "§7 item 7: tab is not a line terminator", c.SmsVerificationMessageType(), "Code:\t{####}", c.Match},
		{"email with newline", "§1.3 \\s includes \\n", c.EmailMfaMessageType(), "Code:\n{####}\n", c.Match},
		{"email with control char", "§1.3 pattern classes exclude Cc", c.EmailMfaMessageType(), "Code\x00{####}", c.NoMatch},
		{"email subject empty", "§1.3 rules out empty", c.EmailMfaSubjectType(), "", c.NoMatch},
		{"email subject vertical tab", "Java \\s includes \\x0B", c.EmailMfaSubjectType(), "Your\vcode", c.Match},
		{"arn", "§1.3 ArnType", c.ArnType(), c.RoleTrusted, c.Match},
		{"arn with prefix", "§1.3 full match", c.ArnType(), "x" + c.RoleTrusted, c.NoMatch},
		{"mode off lower case", "M9 enum case-sensitive", c.UserPoolMfaType(), "off", c.NoMatch},
		{"mode OFF", "M9", c.UserPoolMfaType(), "OFF", c.Match},
		{"verification Required", "§1.3 lower case", c.UserVerificationType(), "Required", c.NoMatch},
		{"verification preferred", "§1.3", c.UserVerificationType(), "preferred", c.Match},
		{"factor lower case", "§1.3", c.WebAuthnFactorConfigurationType(), "single_factor", c.NoMatch},
		{"sms emoji at max", "UTF-16 vs code points", c.SmsVerificationMessageType(), "{####}" + emoji + strings.Repeat("a", 133), c.Uncertain},
		{"sms emoji below max", "UTF-16 vs code points", c.SmsVerificationMessageType(), "{####}" + emoji + strings.Repeat("a", 132), c.Match},
		{"rp id emoji at max", "UTF-16 vs code points", c.RelyingPartyIDType(), emoji + strings.Repeat("a", 126), c.Uncertain},
		{"region emoji at min", "UTF-16 vs code points", c.RegionCodeType(), emoji + "abc", c.Uncertain},
		{"region emoji over min", "UTF-16 vs code points", c.RegionCodeType(), emoji + "abcd", c.Match},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			st := &c.Shape{Name: "Probe", Type: c.TypeStructure, Members: []c.Member{{Name: "V", Shape: r.shape}}}
			vs := c.Validate(st, map[string]any{"V": r.value})
			var got c.MatchResult
			switch {
			case len(vs) == 0:
				got = c.Match
			case len(vs) == 1 && vs[0].Uncertain:
				got = c.Uncertain
			case len(vs) == 1:
				got = c.NoMatch
			default:
				t.Fatalf("violations %v", vs)
			}
			if got != r.want {
				t.Errorf("%q against %s: got %v, want %v (violations %+v)", r.value, r.shape.Name, got, r.want, vs)
			}
		})
	}
}

func TestExpectSetUncertainValidation(t *testing.T) {
	for _, r := range []struct {
		name, fact string
		req        *c.SetRequest
	}{
		{"sms newline", "§7 item 7", set(withMode(optional, smsWith(s("Code:\n{####}"), role(c.RoleTrusted))))},
		{"sms emoji at max", "UTF-16 vs code points", set(withMode(optional, smsWith(s("{####}\U0001F600"+strings.Repeat("a", 133)), role(c.RoleTrusted))))},
	} {
		t.Run(r.name, func(t *testing.T) {
			e := c.ExpectSet(c.DefaultWorld(), pool()(), r.req)
			if e.Certain || !e.AllowsSuccess() || len(e.ErrorCodes()) != 1 || e.ErrorCodes()[0] != "InvalidParameterException" {
				t.Errorf("Certain %t, success %t, codes %v; want uncertain with both answers", e.Certain, e.AllowsSuccess(), e.ErrorCodes())
			}
			if p := e.Preferred(); !p.IsError() || len(p.Violations) != 1 || !p.Violations[0].Uncertain {
				t.Errorf("preferred %+v, want the uncertain violation", p)
			}
			if e.Rule != c.RuleForViolation(e.Operation, e.Preferred().Violations[0]) {
				t.Errorf("Rule = %s, but Outcomes[0] is the violation of %s", e.Rule, c.RuleForViolation(e.Operation, e.Preferred().Violations[0]))
			}
		})
	}
}
