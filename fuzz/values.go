package fuzz

import (
	"strings"

	"github.com/mfaconform/mfaconform/contracts"
)

// valueSpec says how to build strings of a shape: a valid value, how to
// grow or shrink it to a given length while it stays valid, and values
// that break its pattern. Lengths and enum values come from the contract;
// only the pattern-aware pieces are written per shape (a regular expression
// cannot be inverted in general).
type valueSpec struct {
	valid string
	// ofLength returns a value of exactly n runes that satisfies the
	// pattern where that is possible.
	ofLength func(n int) string
	// badPattern are values of valid length that break the pattern.
	badPattern []string
}

func pad(prefix string, r string, n int) string {
	if n <= len(prefix) {
		return prefix[:max(n, 0)]
	}
	return prefix + strings.Repeat(r, n-len(prefix))
}

var valueSpecs = map[*contracts.Shape]valueSpec{
	contracts.UserPoolIDType(): {
		valid:      "us-east-1_Abc123XYZ",
		ofLength:   func(n int) string { return pad("us-east-1_", "a", n) },
		badPattern: []string{" us-east-1_Abc123XYZ", "us-east-1Abc123XYZ", "us-east-1_Abc 123", "us-east-1_abc-def"},
	},
	contracts.SmsVerificationMessageType(): {
		valid:      "Your code is {####}",
		ofLength:   func(n int) string { return pad("{####}", "x", n) },
		badPattern: []string{"Your code is 1234", "Your code is {###}", "{ #### }"},
	},
	contracts.ArnType(): {
		valid:      contracts.RoleTrusted,
		ofLength:   func(n int) string { return pad("arn:aws:iam::1:role/", "r", n) },
		badPattern: []string{"not-an-arn-at-all-1234", "arn:aws:iam:role/mfaconform-sms", "arn:aws:iam::acct:role/mfaconform-sms"},
	},
	contracts.StringType(): {
		valid:    "mfaconform-external-id",
		ofLength: func(n int) string { return strings.Repeat("e", max(n, 0)) },
	},
	contracts.RegionCodeType(): {
		valid:    "us-east-1",
		ofLength: func(n int) string { return pad("us-east-1", "z", n) },
	},
	contracts.EmailMfaMessageType(): {
		valid:      "Your sign-in code is {####}.",
		ofLength:   func(n int) string { return pad("{####}", "m", n) },
		badPattern: []string{"Your sign-in code is 1234.", "Code {####} \x07", "Code\x00{####}"},
	},
	contracts.EmailMfaSubjectType(): {
		valid:      "Your sign-in code",
		ofLength:   func(n int) string { return pad("Subject", "s", n) },
		badPattern: []string{"", "Bad\x00subject", "\x1b[31m"},
	},
	contracts.RelyingPartyIDType(): {
		valid:    "auth.example.com",
		ofLength: func(n int) string { return pad("auth.example.com", "a", n) },
	},
}

// crossExternalID is the ExternalId of the cross-field cases' SMS blocks.
const crossExternalID = "mfaconform"

// ExternalIDs are the ExternalId values the generators write as ordinary
// ones, not as boundaries of the member's length: a run against roles
// that require an ExternalId of their own (a live account's) sends the
// role's in their place, so that the trusted path is tried.
func ExternalIDs() []string {
	return []string{crossExternalID, valueSpecs[contracts.StringType()].valid}
}

// Valid returns a valid value of a string shape.
func Valid(s *contracts.Shape) string {
	if len(s.Enum) > 0 {
		return s.Enum[0]
	}
	return valueSpecs[s].valid
}

// Boundaries returns the length boundary values of a shape: min-1, min, max,
// max+1 (those that exist).
func Boundaries(s *contracts.Shape) []string {
	spec, ok := valueSpecs[s]
	if !ok {
		return nil
	}
	var out []string
	if s.Min != nil {
		if *s.Min > 0 {
			out = append(out, spec.ofLength(*s.Min-1))
		}
		out = append(out, spec.ofLength(*s.Min))
	}
	if s.Max != nil {
		out = append(out, spec.ofLength(*s.Max), spec.ofLength(*s.Max+1))
	}
	return out
}

// TooShort and TooLong return values that break only the length constraint
// (where the pattern allows it), or "" and false when the shape has no such
// bound.
func TooShort(s *contracts.Shape) (string, bool) {
	if s.Min == nil || *s.Min == 0 {
		return "", false
	}
	return valueSpecs[s].ofLength(*s.Min - 1), true
}

// TooLong returns a value one rune over the shape's maximum length.
func TooLong(s *contracts.Shape) (string, bool) {
	if s.Max == nil {
		return "", false
	}
	return valueSpecs[s].ofLength(*s.Max + 1), true
}

// BadPatterns returns values that break the shape's pattern.
func BadPatterns(s *contracts.Shape) []string { return valueSpecs[s].badPattern }

// NearMisses returns values close to the enum values that are not in it:
// other letter cases, padding, the empty string.
func NearMisses(s *contracts.Shape) []string {
	var out []string
	for _, v := range s.Enum {
		for _, m := range []string{strings.ToLower(v), strings.ToUpper(v), strings.Title(strings.ToLower(v)), " " + v, v + "_"} {
			if m != v && !contains(s.Enum, m) && !contains(out, m) {
				out = append(out, m)
			}
		}
	}
	return out
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
