package cassette

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/internal/inert"
	"github.com/mfaconform/mfaconform/internal/judge"
	"github.com/mfaconform/mfaconform/internal/scrub"
)

// fixtureMembers are the members of CreateUserPool and DescribeUserPool
// answers a diff compares: those the harness reads (the rest of a pool's
// description is outside the contract and differs between any two
// services).
var fixtureMembers = []string{"UserPool.Id", "UserPool.MfaConfiguration", "UserPool.UserPoolTier",
	"UserPool.EmailConfiguration.EmailSendingAccount", "UserPool.Policies.SignInPolicy.AllowedFirstAuthFactors"}

// normalise reads an answer for comparison: the error type by the awsJson
// rules, and the body as flat member paths with compact JSON values, pool
// IDs replaced by <pool-N>, dates, request IDs and account IDs blanked.
func normalise(code int, h http.Header, body []byte, pools map[string]string, op string) answer {
	a := answer{status: code, members: map[string]string{}}
	var v any
	jsonErr := json.Unmarshal(body, &v)
	obj, _ := v.(map[string]any)
	if code >= 300 {
		t := h.Get("X-Amzn-ErrorType")
		if t == "" && obj != nil {
			if s, ok := obj["__type"].(string); ok {
				t = s
			} else if s, ok := obj["code"].(string); ok {
				t = s
			}
		}
		a.errType = judge.SanitizeErrorCode(t)
		if obj != nil {
			delete(obj, "__type")
			delete(obj, "code")
		}
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return a
	}
	if jsonErr != nil {
		a.members["(body)"] = quote(normString(string(body), pools))
		return a
	}
	flatten("", v, pools, a.members)
	if code < 300 && (op == contracts.OpCreateUserPool || op == contracts.OpDescribeUserPool) {
		for p := range a.members {
			if !slices.ContainsFunc(fixtureMembers, func(keep string) bool { return p == keep || strings.HasPrefix(p, keep+"[") }) {
				delete(a.members, p)
			}
		}
	}
	return a
}

func flatten(path string, v any, pools map[string]string, out map[string]string) {
	switch t := v.(type) {
	case map[string]any:
		if len(t) == 0 {
			out[orRoot(path)] = "{}"
			return
		}
		for k, sub := range t {
			p := k
			if path != "" {
				p = path + "." + k
			}
			switch {
			case strings.HasSuffix(k, "Date"):
				out[p] = quote("<date>")
			case strings.EqualFold(k, "RequestId"):
				out[p] = quote("<request-id>")
			default:
				flatten(p, sub, pools, out)
			}
		}
	case []any:
		if len(t) == 0 {
			out[orRoot(path)] = "[]"
			return
		}
		if scalars(t) {
			// Lists of enum values (first factors) are sets.
			vals := make([]string, len(t))
			for i, e := range t {
				vals[i] = leaf(e, pools)
			}
			slices.Sort(vals)
			out[orRoot(path)] = "[" + strings.Join(vals, ",") + "]"
			return
		}
		for i, e := range t {
			flatten(fmt.Sprintf("%s[%d]", path, i), e, pools, out)
		}
	default:
		out[orRoot(path)] = leaf(v, pools)
	}
}

func scalars(l []any) bool {
	for _, e := range l {
		switch e.(type) {
		case map[string]any, []any:
			return false
		}
	}
	return true
}

func leaf(v any, pools map[string]string) string {
	if s, ok := v.(string); ok {
		return quote(normString(s, pools))
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func orRoot(p string) string {
	if p == "" {
		return "(body)"
	}
	return p
}

func quote(s string) string { return strconv.Quote(s) }

// normString blanks what differs between any two services for the same
// call: pool IDs (by creation order) and the account IDs in ARNs.
func normString(s string, pools map[string]string) string {
	s = poolToken.ReplaceAllStringFunc(s, func(t string) string {
		if tag, ok := pools[t]; ok {
			return tag
		}
		return t
	})
	return scrub.BlankAccounts(s, "<account>")
}

// renorm applies pool tags learnt after an answer was normalised.
func renorm(members map[string]string, pools map[string]string) map[string]string {
	out := make(map[string]string, len(members))
	for k, v := range members {
		out[k] = poolToken.ReplaceAllStringFunc(v, func(t string) string {
			if tag, ok := pools[t]; ok {
				return tag
			}
			return t
		})
	}
	return out
}

// compare lists the differences between the recorded answer and the
// target's, with the contract's answer (ref) beside each when there is one.
func compare(rec, tgt answer, ref *answer) []Mismatch {
	var ds []Mismatch
	add := func(d Mismatch, contract func(a *answer) string) {
		if ref != nil && ref.err == "" {
			d.Contract = contract(ref)
			switch {
			case d.Contract == d.Recorded:
				d.Agrees = "recorded"
			case d.Contract == d.Target:
				d.Agrees = "target"
			default:
				d.Agrees = "neither"
			}
		}
		ds = append(ds, d.excerpt())
	}
	if tgt.err != "" {
		return []Mismatch{Mismatch{Kind: DiffTransport, Recorded: strconv.Itoa(rec.status), Target: tgt.err}.excerpt()}
	}
	status := func(a *answer) string { return strconv.Itoa(a.status) }
	if rec.status != tgt.status {
		add(Mismatch{Kind: DiffStatus, Recorded: status(&rec), Target: status(&tgt)}, status)
	}
	errType := func(a *answer) string {
		if a.errType == "" {
			return Absent
		}
		return a.errType
	}
	if rec.errType != tgt.errType {
		add(Mismatch{Kind: DiffError, Recorded: errType(&rec), Target: errType(&tgt)}, errType)
	}
	paths := make([]string, 0, len(rec.members)+len(tgt.members))
	for p := range rec.members {
		paths = append(paths, p)
	}
	for p := range tgt.members {
		if _, ok := rec.members[p]; !ok {
			paths = append(paths, p)
		}
	}
	slices.Sort(paths)
	for _, p := range paths {
		r, t := member(&rec, p), member(&tgt, p)
		if r != t {
			add(Mismatch{Kind: DiffMember, Path: p, Recorded: r, Target: t}, func(a *answer) string { return member(a, p) })
		}
	}
	return ds
}

// excerpt bounds what a difference shows of the answers (internal/inert),
// once it has been compared with the contract's whole.
func (d Mismatch) excerpt() Mismatch {
	d.Path, d.Recorded, d.Target, d.Contract = inert.Excerpt(d.Path), inert.Excerpt(d.Recorded), inert.Excerpt(d.Target), inert.Excerpt(d.Contract)
	return d
}

func member(a *answer, p string) string {
	if v, ok := a.members[p]; ok {
		return v
	}
	return Absent
}
