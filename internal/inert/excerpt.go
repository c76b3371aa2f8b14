package inert

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxText bounds a text a report keeps of a target's answer: a message, an
// error type, a string in a body. The longest text of a conforming answer
// is an echoed ExternalId (131,072 characters, the request's own); a
// report shows what differs, and 4 KiB of it says as much as the rest.
const MaxText = 4 << 10

// tokenRun is how far back a cut may move to fall between two tokens
// rather than inside one: a credential or an account ID cut in half
// would escape the scrubber, which finds them whole.
const tokenRun = 128

// Excerpt returns s when it is at most MaxText bytes long; else its first
// bytes (cut between runes, and between tokens where one is near) and a
// marker with the size and the SHA-256 of the whole text, MaxText bytes
// at most in all. An excerpt is its own excerpt.
func Excerpt(s string) string {
	if len(s) <= MaxText {
		return s
	}
	sum := sha256.Sum256([]byte(s))
	marker := fmt.Sprintf(markerFormat, utf8.RuneCountInString(s), len(s), hex.EncodeToString(sum[:]))
	return prefix(s, MaxText-len(marker)) + marker
}

// markerFormat ends an excerpt: the whole text's characters, bytes and
// SHA-256.
const markerFormat = "… [cut: %d characters, %d bytes, sha256 %s]"

var marker = regexp.MustCompile(`… \[cut: (\d+) characters, \d+ bytes, sha256 [0-9a-f]{64}\]$`)

// Characters is the length in characters of the text s shows: of the
// whole text for an excerpt, so that a shorter view of it (the Markdown's
// and the HTML's 40 characters) still says how long the answer was.
func Characters(s string) int {
	if strings.HasSuffix(s, "]") {
		if m := marker.FindStringSubmatch(s); m != nil {
			if n, err := strconv.Atoi(m[1]); err == nil {
				return n
			}
		}
	}
	return utf8.RuneCountInString(s)
}

// prefix is at most n bytes of s, cut at a rune boundary and, within
// tokenRun bytes of n, after the last byte that cannot be inside a token.
func prefix(s string, n int) string {
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	for i := n; i > 0 && i > n-tokenRun; i-- {
		if !tokenByte(s[i-1]) {
			return s[:i]
		}
	}
	return s[:n]
}

// tokenByte is a byte that can be part of an account ID, an access key, a
// secret key or a session token.
func tokenByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '+' || b == '/' || b == '=' || b == '_' || b == '-'
}

// Value returns v, a value as encoding/json decodes it into an any, with
// every string in it (object keys included) an excerpt. A value that
// holds no long string is returned as it is, not copied.
func Value(v any) any {
	switch t := v.(type) {
	case string:
		return Excerpt(t)
	case map[string]any:
		if !longIn(t) {
			return v
		}
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[Excerpt(k)] = Value(x)
		}
		return out
	case []any:
		if !longIn(t) {
			return v
		}
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = Value(x)
		}
		return out
	}
	return v
}

// longIn reports whether a value holds a string longer than MaxText.
func longIn(v any) bool {
	switch t := v.(type) {
	case string:
		return len(t) > MaxText
	case map[string]any:
		for k, x := range t {
			if len(k) > MaxText || longIn(x) {
				return true
			}
		}
	case []any:
		for _, x := range t {
			if longIn(x) {
				return true
			}
		}
	}
	return false
}

// Typed returns a typed value (a struct, a typed map or slice) with every
// string in it an excerpt, through its JSON form: a new value of the same
// type. A value whose JSON is short holds no long string and is returned
// as it is; so is one that does not go through JSON.
func Typed[T any](v *T) *T {
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil || len(b) <= MaxText {
		return v
	}
	var plain any
	if json.Unmarshal(b, &plain) != nil {
		return v
	}
	b, err = json.Marshal(Value(plain))
	out := new(T)
	if err != nil || json.Unmarshal(b, out) != nil {
		return v
	}
	return out
}
