package contracts

import (
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Pattern is a model pattern evaluated as real AWS evaluates it: a Java
// regular expression matched against the whole value (contract.md §1.3).
//
// Java and RE2 differ in two places that these patterns use: Java's "."
// does not match any line terminator (\n, \r, U+0085, U+2028, U+2029) and
// Java's \s includes the vertical tab. Whether AWS compiles the patterns
// with DOTALL is unconfirmed (contract.md §7 item 7), so a value on which
// the strict Java reading and the lenient DOTALL reading disagree is
// reported as uncertain rather than guessed.
type Pattern struct {
	Source  string
	strict  *regexp.Regexp
	lenient *regexp.Regexp
	// fast, when set, gives the same verdict as the two expressions in
	// one pass over the value.
	fast func(string) MatchResult
	memo memo
}

// MatchResult is the verdict of a pattern on one value.
type MatchResult int

// Match results.
const (
	NoMatch MatchResult = iota
	Match
	// Uncertain: the value matches under one reading of the pattern and
	// not under the other.
	Uncertain
)

var patternCache sync.Map // source -> *Pattern

// CompilePattern compiles a model pattern. It panics on a pattern that does
// not compile: the model's patterns are constants of this package.
func CompilePattern(source string) *Pattern {
	if p, ok := patternCache.Load(source); ok {
		return p.(*Pattern)
	}
	p := &Pattern{
		Source:  source,
		strict:  regexp.MustCompile(`^(?:` + javaToRE2(source, false) + `)$`),
		lenient: regexp.MustCompile(`(?s)^(?:` + javaToRE2(source, true) + `)$`),
		fast:    fastPatterns[source],
	}
	patternCache.Store(source, p)
	return p
}

// Match reports whether the whole value matches.
func (p *Pattern) Match(v string) MatchResult {
	if len(v) > memoMaxLen {
		return p.match(v)
	}
	if r, ok := p.memo.get(v); ok {
		return r
	}
	r := p.match(v)
	p.memo.put(v, r)
	return r
}

// The same short values come up again and again (a pool's ID on every
// call, generated cases, fixture ARNs); their verdicts are kept in two
// generations of at most memoGeneration values each: when the newer is
// full it becomes the older and the older is dropped, so that recent
// values stay kept and a server fed arbitrary input does not grow.
const (
	memoMaxLen     = 256
	memoGeneration = 2048
)

type memo struct {
	mu         sync.Mutex
	cur, older map[string]MatchResult
}

func (m *memo) get(v string) (MatchResult, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r, ok := m.cur[v]; ok {
		return r, true
	}
	r, ok := m.older[v]
	if ok {
		m.putLocked(v, r)
	}
	return r, ok
}

func (m *memo) put(v string, r MatchResult) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.putLocked(v, r)
}

func (m *memo) putLocked(v string, r MatchResult) {
	if m.cur == nil || len(m.cur) >= memoGeneration {
		m.older, m.cur = m.cur, make(map[string]MatchResult, memoGeneration)
	}
	m.cur[v] = r
}

func (p *Pattern) match(v string) MatchResult {
	if p.fast != nil {
		return p.fast(v)
	}
	s := p.strict.MatchString(v)
	if !strings.ContainsAny(v, lineTerminators) {
		// The two readings differ only on line terminators.
		if s {
			return Match
		}
		return NoMatch
	}
	l := p.lenient.MatchString(v)
	switch {
	case s && l:
		return Match
	case !s && !l:
		return NoMatch
	default:
		return Uncertain
	}
}

// fastPatterns are one-pass matchers for the patterns RE2 is slow on.
// The email message pattern, [C]*\{####\}[C]*, runs over values of up to
// 20,000 characters, where RE2 takes milliseconds. It matches exactly the
// values whose every character is in C and that contain {####} (whose
// characters are in C too, as \p{P}): split such a value at the literal
// and each side is in C*. It has no "." and so one reading.
// TestFastPatternsAgree checks each against its expressions.
var fastPatterns = map[string]func(string) MatchResult{
	anyChar + `\{####\}` + anyChar: func(v string) MatchResult {
		if !strings.Contains(v, "{####}") {
			return NoMatch
		}
		for _, r := range v {
			if !inAnyChar(r) {
				return NoMatch
			}
		}
		return Match
	},
}

// inAnyChar is the class of anyChar: a letter, mark, symbol, number or
// punctuation (Go's tables, which RE2's \p{} uses too), Java's \s, or '*'.
func inAnyChar(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiAnyChar[r]
	}
	return unicode.In(r, unicode.L, unicode.M, unicode.S, unicode.N, unicode.P)
}

var asciiAnyChar = func() (t [utf8.RuneSelf]bool) {
	for r := range rune(utf8.RuneSelf) {
		t[r] = unicode.In(r, unicode.L, unicode.M, unicode.S, unicode.N, unicode.P) ||
			strings.ContainsRune("\t\n\v\f\r *", r) // Java's \s, and '*'
	}
	return t
}()

// lineTerminators are the characters Java's "." does not match.
const lineTerminators = "\n\r\u0085\u2028\u2029"

const (
	javaDot   = `[^\n\r\x{85}\x{2028}\x{2029}]`
	javaSpace = `\t\n\x0B\f\r `
)

// javaToRE2 rewrites the two constructs whose meaning differs between Java
// and RE2, outside and inside character classes. With dotAll, "." is left
// to match everything (Java's DOTALL); \s is Java's in both readings, so
// that only the unconfirmed DOTALL question makes a value uncertain.
func javaToRE2(src string, dotAll bool) string {
	var b strings.Builder
	inClass := false
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '\\' && i+1 < len(src):
			next := src[i+1]
			if next == 's' {
				if inClass {
					b.WriteString(javaSpace)
				} else {
					b.WriteString("[" + javaSpace + "]")
				}
			} else {
				b.WriteByte(c)
				b.WriteByte(next)
			}
			i++
		case c == '[' && !inClass:
			inClass = true
			b.WriteByte(c)
		case c == ']' && inClass:
			inClass = false
			b.WriteByte(c)
		case c == '.' && !inClass && !dotAll:
			b.WriteString(javaDot)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
