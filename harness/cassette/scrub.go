package cassette

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"

	vcr "github.com/dnaeon/go-vcr/v2/cassette"

	"github.com/mfaconform/mfaconform/contracts"
)

// droppedHeaders are never written: SigV4 material, the SDK's per-call
// invocation headers (they differ on every call) and cookies.
var droppedHeaders = []string{
	"Authorization", "X-Amz-Security-Token", "X-Amz-Date", "X-Amz-Content-Sha256",
	"Amz-Sdk-Invocation-Id", "Amz-Sdk-Request", "Cookie", "Set-Cookie", "Proxy-Authorization",
}

// DocumentationAccount is the account ID of the AWS documentation, used by
// the default fixture world and the contract's own ARNs. It is nobody's
// account, so it is kept as it is: the default world stays the default
// world in a cassette.
const DocumentationAccount = "123456789012"

// Placeholders are 12-digit accounts starting with this prefix, so that a
// scrubbed ARN still matches the ARN pattern, and scrubbing is idempotent.
const placeholderPrefix = "00000000"

// Redacted replaces a credential found where it should not be.
const Redacted = "REDACTED"

var (
	arnAccount = regexp.MustCompile(`(arn:[A-Za-z0-9-]+:[A-Za-z0-9-]*:[A-Za-z0-9-]*:)(\d{12})\b`)
	accessKey  = regexp.MustCompile(`\b(?:AKIA|ASIA|AKID|AIDA|AROA)[A-Z0-9]{16}\b`)
	email      = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`)
	phone      = regexp.MustCompile(`\+[1-9][0-9]{7,14}\b`)
)

// MaskedEmail replaces every email address.
const MaskedEmail = "masked@example.invalid"

// Scrubber removes what a cassette must never hold. It is deterministic:
// the same input gives the same output within one scrubber, so a live
// request scrubbed at replay matches the recorded one.
type Scrubber struct {
	mu       sync.Mutex
	accounts map[string]string // real -> placeholder
	secrets  []string
}

// NewScrubber returns a scrubber that knows the world's accounts (they get
// the first placeholders, in sorted order, so the mapping does not depend
// on which call came first) and redacts the values of the AWS credential
// variables of the environment wherever they appear.
func NewScrubber(w *contracts.World) *Scrubber {
	s := &Scrubber{accounts: map[string]string{}}
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"} {
		if v := os.Getenv(k); len(v) >= 8 {
			s.secrets = append(s.secrets, v)
		}
	}
	if w != nil {
		var accts []string
		for _, r := range w.Roles {
			for _, m := range arnAccount.FindAllStringSubmatch(r.ARN, -1) {
				accts = append(accts, m[2])
			}
		}
		slices.Sort(accts)
		for _, a := range accts {
			s.account(a)
		}
	}
	return s
}

// account returns the placeholder of an account; callers hold no lock.
func (s *Scrubber) account(a string) string {
	if a == DocumentationAccount || strings.HasPrefix(a, placeholderPrefix) {
		return a
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.accounts[a]
	if !ok {
		p = fmt.Sprintf("%s%04d", placeholderPrefix, len(s.accounts)+1)
		s.accounts[a] = p
	}
	return p
}

// String scrubs one text: credentials, account IDs in ARNs (and the same
// accounts anywhere else), email addresses and phone numbers.
func (s *Scrubber) String(v string) string {
	if v == "" {
		return v
	}
	for _, sec := range s.secrets {
		v = strings.ReplaceAll(v, sec, Redacted)
	}
	v = accessKey.ReplaceAllString(v, Redacted)
	v = arnAccount.ReplaceAllStringFunc(v, func(m string) string {
		sub := arnAccount.FindStringSubmatch(m)
		return sub[1] + s.account(sub[2])
	})
	s.mu.Lock()
	known := make([][2]string, 0, len(s.accounts))
	for a, p := range s.accounts {
		known = append(known, [2]string{a, p})
	}
	s.mu.Unlock()
	for _, kp := range known {
		v = strings.ReplaceAll(v, kp[0], kp[1])
	}
	v = email.ReplaceAllString(v, MaskedEmail)
	v = phone.ReplaceAllStringFunc(v, func(m string) string { return "+" + strings.Repeat("0", len(m)-1) })
	return v
}

// Header scrubs a header: the dropped ones go, every value is scrubbed.
func (s *Scrubber) Header(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, vs := range h {
		if slices.ContainsFunc(droppedHeaders, func(d string) bool { return strings.EqualFold(d, k) }) {
			continue
		}
		for _, v := range vs {
			out[k] = append(out[k], s.String(v))
		}
	}
	return out
}

// URL scrubs a URL: presigning query parameters (X-Amz-*) go.
func (s *Scrubber) URL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return s.String(raw)
	}
	q := u.Query()
	for k := range q {
		if strings.HasPrefix(strings.ToLower(k), "x-amz-") {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	u.User = nil
	return s.String(u.String())
}

// Interaction returns a scrubbed copy of an interaction; the original is
// not touched (go-vcr answers the caller from it).
func (s *Scrubber) Interaction(in *vcr.Interaction) *vcr.Interaction {
	return &vcr.Interaction{
		Request: vcr.Request{
			Body:    s.String(in.Request.Body),
			Headers: s.Header(in.Request.Headers),
			URL:     s.URL(in.Request.URL),
			Method:  in.Request.Method,
			// The form duplicates the body; it is left out rather than
			// scrubbed twice.
		},
		Response: vcr.Response{
			Body:     s.String(in.Response.Body),
			Headers:  s.Header(in.Response.Headers),
			Status:   in.Response.Status,
			Code:     in.Response.Code,
			Duration: in.Response.Duration,
		},
	}
}

// World returns the world with its ARNs scrubbed.
func (s *Scrubber) World(w *contracts.World) *contracts.World {
	if w == nil {
		return nil
	}
	out := *w
	out.Roles = slices.Clone(w.Roles)
	for i := range out.Roles {
		out.Roles[i].ARN = s.String(out.Roles[i].ARN)
	}
	out.Pools = slices.Clone(w.Pools)
	for i := range out.Pools {
		if sc := out.Pools[i].SmsConfiguration; sc != nil && sc.SnsCallerArn != nil {
			c := *sc
			c.SnsCallerArn = contracts.String(s.String(*sc.SnsCallerArn))
			out.Pools[i].SmsConfiguration = &c
		}
	}
	return &out
}
