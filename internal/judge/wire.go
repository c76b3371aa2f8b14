package judge

import (
	"slices"
	"strings"

	"github.com/mfaconform/mfaconform/contracts"
)

// errorOf reads an awsJson1_1 error as the Smithy rules say: the
// X-Amzn-ErrorType header first, then __type, then code; cut at ':' and
// keep what follows '#'.
func errorOf(x *Exchange, raw any, jsonErr error) (code, msg, problem string) {
	obj, _ := raw.(map[string]any)
	if jsonErr != nil || obj == nil {
		problem = "the error body is not a JSON object"
	}
	code = x.Header.Get("X-Amzn-ErrorType")
	if code == "" && obj != nil {
		if t, ok := obj["__type"].(string); ok {
			code = t
		} else if c, ok := obj["code"].(string); ok {
			code = c
		}
	}
	code = SanitizeErrorCode(code)
	if code == "" && problem == "" {
		problem = "the error has no type (no X-Amzn-ErrorType header, __type or code)"
	}
	if obj != nil {
		m, ok := obj["message"].(string)
		if !ok {
			m, ok = obj["Message"].(string)
		}
		if !ok && problem == "" {
			problem = "the error body has no message string"
		}
		msg = m
	}
	return code, msg, problem
}

// ErrorCode is the error type of an answer as the Smithy rules read it,
// or "" for a success or an error without a type.
func ErrorCode(x *Exchange) string {
	code, _ := ErrorAnswer(x)
	return code
}

// ErrorAnswer is the error type and message of an answer as the Smithy
// rules read them; both "" for a success or no answer.
func ErrorAnswer(x *Exchange) (code, message string) {
	if x.Status < 300 && x.Status >= 200 || x.Status == 0 {
		return "", ""
	}
	code, message, _ = errorOf(x, decodeAny(x.Body), nil)
	return code, message
}

// SanitizeErrorCode applies the awsJson error-code rules.
func SanitizeErrorCode(code string) string {
	if i := strings.IndexByte(code, ':'); i >= 0 {
		code = code[:i]
	}
	if i := strings.IndexByte(code, '#'); i >= 0 {
		code = code[i+1:]
	}
	return strings.TrimSpace(code)
}

// Throttled reports whether an answer is TooManyRequestsException: never
// a finding, retried by the sender and passed over by a replay.
func Throttled(x *Exchange) bool {
	if x.Status < 400 || !strings.Contains(string(x.Body), contracts.TooManyRequestsException().Code) &&
		!strings.Contains(x.Header.Get("X-Amzn-ErrorType"), contracts.TooManyRequestsException().Code) {
		return false
	}
	return ErrorCode(x) == contracts.TooManyRequestsException().Code
}

// MediaType is a Content-Type without its parameters.
func MediaType(ct string) string { return strings.TrimSpace(strings.SplitN(ct, ";", 2)[0]) }

// nullOrEmpty returns the path of the first null or {} member. A {} of a
// structure whose members all have a default (SoftwareTokenMfaConfigType:
// Enabled is a boolean, default false; contract.md §1.3) is not empty: by
// Smithy's default-value rules it reads as {"Enabled":false}.
func nullOrEmpty(v any, path string, shape *contracts.Shape) string {
	switch t := v.(type) {
	case nil:
		return path
	case map[string]any:
		if len(t) == 0 && path != "" && !allDefaulted(shape) {
			return path
		}
		for _, k := range sortedKeys(t) {
			if p := nullOrEmpty(t[k], join(path, k), memberShape(shape, k)); p != "" {
				return p
			}
		}
	}
	return ""
}

func memberShape(s *contracts.Shape, name string) *contracts.Shape {
	if s == nil {
		return nil
	}
	for _, m := range s.Members {
		if m.Name == name {
			return m.Shape
		}
	}
	return nil
}

// allDefaulted reports whether every member of a structure is a boolean,
// the one member type here that carries a model default.
func allDefaulted(s *contracts.Shape) bool {
	if s == nil || s.Type != contracts.TypeStructure || len(s.Members) == 0 {
		return false
	}
	for _, m := range s.Members {
		if m.Shape.Type != contracts.TypeBoolean {
			return false
		}
	}
	return true
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}
