// Package scrub decides what nothing the harness saves or prints may hold:
// credentials, account IDs other than the documentation account, email
// addresses and phone numbers. Cassettes (harness/cassette) and reports
// (harness) both scrub with it, so that they agree on what a secret is.
package scrub

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/mfaconform/mfaconform/contracts"
)

// DocumentationAccount is the account ID of the AWS documentation, used by
// the default fixture world and the contract's own ARNs. It is nobody's
// account, so it is kept as it is: the default world stays the default
// world.
const DocumentationAccount = "123456789012"

// Placeholders are 12-digit accounts starting with this prefix, so that a
// scrubbed ARN still matches the ARN pattern, and scrubbing is idempotent.
const placeholderPrefix = "00000000"

// Redacted replaces a credential found where it should not be.
const Redacted = "REDACTED"

// MaskedEmail replaces every email address.
const MaskedEmail = "masked@example.invalid"

// credentialVariables are the environment variables whose values are
// redacted wherever they appear.
var credentialVariables = []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"}

// minSecret is the shortest value redacted as a secret: a shorter one
// would redact ordinary text.
const minSecret = 8

var (
	arnAccount = regexp.MustCompile(`(arn:[A-Za-z0-9-]+:[A-Za-z0-9-]*:[A-Za-z0-9-]*:)(\d{12})\b`)
	// Access key IDs are 20 characters; user and role IDs (AIDA, AROA,
	// the UserId of an STS answer) 21.
	accessKey = regexp.MustCompile(`\b(?:AKIA|ASIA|AKID|AIDA|AROA)[A-Z0-9]{16,17}\b`)
	email     = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`)
	phone     = regexp.MustCompile(`\+[1-9][0-9]{7,14}\b`)
)

// Scrubber removes what must never be saved or printed. It is
// deterministic: the same input gives the same output within one
// scrubber, so an account has one placeholder wherever it appears, and a
// live request scrubbed at replay matches the recorded one. It is safe
// for concurrent use.
type Scrubber struct {
	mu       sync.Mutex
	accounts map[string]string // real -> placeholder
	secrets  []string
}

// New returns a scrubber that knows the world's accounts (they get the
// first placeholders, in sorted order, so the mapping does not depend on
// which value came first) and redacts the values of the AWS credential
// variables of the environment, and the given secrets, wherever they
// appear.
func New(w *contracts.World, secrets ...string) *Scrubber {
	s := &Scrubber{accounts: map[string]string{}}
	for _, k := range credentialVariables {
		secrets = append(secrets, os.Getenv(k))
	}
	for _, v := range secrets {
		if len(v) >= minSecret && !slices.Contains(s.secrets, v) {
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

// BlankAccounts replaces the account ID of every ARN in v by blank: for
// comparing answers whatever account they come from.
func BlankAccounts(v, blank string) string {
	return arnAccount.ReplaceAllString(v, "${1}"+strings.ReplaceAll(blank, "$", "$$"))
}

// String scrubs one text: credentials, account IDs in ARNs and outside
// them, email addresses and phone numbers.
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
	// Last: a phone number's twelve digits are masked, not an account.
	return s.looseAccounts(v)
}

// Value scrubs a value as JSON shows it: every string in it, object keys
// included. A value that is not what encoding/json decodes into an any
// (a struct, a typed map) is scrubbed as its JSON form, and returned in
// that form. The value given is not changed.
func (s *Scrubber) Value(v any) any {
	switch t := v.(type) {
	case nil, bool, float64, json.Number:
		return v
	case string:
		return s.String(t)
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[s.String(k)] = s.Value(x)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = s.Value(x)
		}
		return out
	}
	b, err := json.Marshal(v)
	if err != nil {
		// Not JSON: shown as text by whoever prints it.
		return s.String(fmt.Sprint(v))
	}
	var plain any
	if err := json.Unmarshal(b, &plain); err != nil {
		return s.String(string(b))
	}
	return s.Value(plain)
}

// Into scrubs a typed value through its JSON form: the result is a new
// value of the same type, with every string scrubbed. A nil pointer stays
// nil, and a value that does not go through JSON is returned as zero.
func Into[T any](s *Scrubber, v *T) *T {
	if v == nil {
		return nil
	}
	b, err := json.Marshal(s.Value(v))
	if err != nil {
		return new(T)
	}
	out := new(T)
	if json.Unmarshal(b, out) != nil {
		return new(T)
	}
	return out
}

// Endpoint is an endpoint URL as reports and messages show it: a user
// name and password in it become Redacted (the URL still names the host
// and says that it has credentials). A URL that does not parse loses
// everything between "://" and its last "@".
func Endpoint(raw string) string {
	u, err := url.Parse(raw)
	if err == nil {
		if u.User == nil {
			return raw
		}
		u.User = url.User(Redacted)
		return u.String()
	}
	scheme := strings.Index(raw, "://")
	at := strings.LastIndex(raw, "@")
	if scheme < 0 || at < scheme {
		return raw
	}
	return raw[:scheme+3] + Redacted + raw[at:]
}

// looseAccounts replaces the account IDs of a text that stand outside an
// ARN ("account 210987654321", "Account":"210987654321"): twelve digits
// that are a word of their own. Twelve digits inside a longer word or
// number are not an account ID, and are kept: a pool ID's suffix, the
// last group of a request ID (a UUID), the digits of a decimal number (a
// date in seconds with its fraction). The documentation account and
// placeholders stay as they are. The run's requests hold no other
// account: the generators write the documentation account, and the
// world's values are scrubbed in a cassette's header, so a replay sends
// what the recording holds.
func (s *Scrubber) looseAccounts(v string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(v); {
		if !isDigit(v[i]) {
			i++
			continue
		}
		j := i
		for j < len(v) && isDigit(v[j]) {
			j++
		}
		if j-i == 12 && looseWord(v, i, j) {
			if p := s.account(v[i:j]); p != v[i:j] {
				b.WriteString(v[last:i])
				b.WriteString(p)
				last = j
			}
		}
		i = j
	}
	if last == 0 {
		return v
	}
	b.WriteString(v[last:])
	return b.String()
}

// uuidHead is a UUID before its last group, which is twelve hex digits
// (all decimal one time in 280).
var uuidHead = regexp.MustCompile(`^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-$`)

// looseWord reports whether v[i:j] stands alone: no letter, digit or
// underscore on either side, no decimal point joining it to digits, and
// not the last group of a UUID.
func looseWord(v string, i, j int) bool {
	if i > 0 && (wordByte(v[i-1]) || v[i-1] == '.' && i > 1 && isDigit(v[i-2])) {
		return false
	}
	if i >= 24 && uuidHead.MatchString(v[i-24:i]) {
		return false
	}
	if j < len(v) && (wordByte(v[j]) || v[j] == '.' && j+1 < len(v) && isDigit(v[j+1])) {
		return false
	}
	return true
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

func wordByte(b byte) bool {
	return isDigit(b) || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '_'
}
