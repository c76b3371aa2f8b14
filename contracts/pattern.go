package contracts

import (
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
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
	Source   string
	strict   *regexp.Regexp
	lenient  *regexp.Regexp
	memo     sync.Map // value -> MatchResult
	memoSize atomic.Int64
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
	}
	patternCache.Store(source, p)
	return p
}

// Match reports whether the whole value matches.
func (p *Pattern) Match(v string) MatchResult {
	if len(v) <= memoMaxLen {
		if r, ok := p.memo.Load(v); ok {
			return r.(MatchResult)
		}
		r := p.match(v)
		if p.memoSize.Add(1) <= memoMaxEntries {
			p.memo.Store(v, r)
		}
		return r
	}
	return p.match(v)
}

// The same short values come up again and again (generated cases, fixture
// ARNs); their verdicts are kept, up to a bound so that a server fed
// arbitrary input does not grow without end.
const (
	memoMaxLen     = 256
	memoMaxEntries = 4096
)

func (p *Pattern) match(v string) MatchResult {
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
