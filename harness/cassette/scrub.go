package cassette

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	vcr "github.com/dnaeon/go-vcr/v2/cassette"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/internal/scrub"
)

// droppedHeaders are never written: SigV4 material, the SDK's per-call
// invocation headers (they differ on every call) and cookies.
var droppedHeaders = []string{
	"Authorization", "X-Amz-Security-Token", "X-Amz-Date", "X-Amz-Content-Sha256",
	"Amz-Sdk-Invocation-Id", "Amz-Sdk-Request", "Cookie", "Set-Cookie", "Proxy-Authorization",
}

// The values a cassette keeps in place of what it must not hold; the
// decision of what that is lives in internal/scrub, shared with reports.
const (
	// DocumentationAccount is the account ID of the AWS documentation, kept
	// as it is: the default world stays the default world in a cassette.
	DocumentationAccount = scrub.DocumentationAccount
	// Redacted replaces a credential found where it should not be.
	Redacted = scrub.Redacted
	// MaskedEmail replaces every email address.
	MaskedEmail = scrub.MaskedEmail
)

// Scrubber removes what a cassette must never hold: internal/scrub's
// values, plus the HTTP material of an interaction (SigV4 headers,
// presigning parameters). It is deterministic: the same input gives the
// same output within one scrubber, so a live request scrubbed at replay
// matches the recorded one.
type Scrubber struct{ values *scrub.Scrubber }

// NewScrubber returns a scrubber that knows the world's accounts (they get
// the first placeholders, in sorted order, so the mapping does not depend
// on which call came first) and redacts the values of the AWS credential
// variables of the environment wherever they appear.
func NewScrubber(w *contracts.World) *Scrubber { return &Scrubber{values: scrub.New(w)} }

// String scrubs one text: credentials, account IDs in ARNs (and the same
// accounts anywhere else), email addresses and phone numbers.
func (s *Scrubber) String(v string) string { return s.values.String(v) }

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
