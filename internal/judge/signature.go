package judge

import (
	"slices"
	"strings"
)

// Outcome classes of a signature.
const (
	ClassAccepted = "accepted"
	ClassRejected = "rejected"
	ClassProtocol = "protocol"
)

// maxSignaturePart bounds what one target-made part of a signature holds.
const maxSignaturePart = 80

// Signature names a deviation without its values: the rule, the
// operation, the outcome class (accepted, rejected, protocol: a protocol
// rule or no answer), the error type the target answered and the member
// paths that differ, as "rule/operation/class/error/paths", "-" for an
// empty part. The same bug has the same signature on every run, and a
// ledger can name it.
func Signature(rule, op string, status int, errType string, paths []string) string {
	class := ClassRejected
	switch {
	case strings.HasPrefix(rule, "protocol.") || status == 0:
		class = ClassProtocol
	case status >= 200 && status < 300:
		class = ClassAccepted
	}
	var ps []string
	for _, p := range paths {
		if !slices.Contains(ps, p) {
			ps = append(ps, p)
		}
	}
	slices.Sort(ps)
	if op == "" {
		op = "unknown-operation"
	}
	return strings.Join([]string{rule, op, class, signaturePart(errType), signaturePart(strings.Join(ps, ","))}, "/")
}

// SignatureOf is a finding's signature.
func SignatureOf(f Finding) string {
	paths := make([]string, len(f.Differences))
	for i, d := range f.Differences {
		paths[i] = d.Path
	}
	return Signature(string(f.Rule), f.Operation, f.Got.Status, f.Got.Error, paths)
}

func signaturePart(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '/' || r < ' ' {
			return '_'
		}
		return r
	}, s)
	switch {
	case s == "":
		return "-"
	case len(s) > maxSignaturePart:
		return s[:maxSignaturePart]
	}
	return s
}
