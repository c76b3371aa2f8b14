package contracts

import (
	"fmt"
	"strings"
	"testing"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"pgregory.net/rapid"
)

// TestLengthsCountAsUTF16Encode: lengths counts code points and UTF-16
// units as utf8.RuneCountInString and utf16.Encode([]rune(v)) do, on any
// bytes (invalid UTF-8 included) and on points above U+FFFF.
func TestLengthsCountAsUTF16Encode(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		v := rapid.OneOf(rapid.String(), rapid.StringOf(rapid.RuneFrom(nil, unicode.Other, unicode.Symbol)),
			rapid.Map(rapid.SliceOf(rapid.Byte()), func(b []byte) string { return string(b) })).Draw(t, "v")
		points, units := lengths(v)
		if want := utf8.RuneCountInString(v); points != want {
			t.Fatalf("lengths(%q) points = %d, want %d", v, points, want)
		}
		if want := len(utf16.Encode([]rune(v))); units != want {
			t.Fatalf("lengths(%q) units = %d, want %d", v, units, want)
		}
	})
}

// TestPatternMemoIsBounded: verdicts are kept for recent values only, at
// most two generations, and a kept verdict is the one matching gives.
func TestPatternMemoIsBounded(t *testing.T) {
	p := &Pattern{Source: "test"}
	p.strict, p.lenient = CompilePattern(`[\w-]+_[0-9a-zA-Z]+`).strict, CompilePattern(`[\w-]+_[0-9a-zA-Z]+`).lenient
	for i := range 3 * memoGeneration {
		v := fmt.Sprintf("us-east-1_%d", i)
		if i%7 == 0 {
			v += "!" // no match
		}
		if got, want := p.Match(v), p.match(v); got != want {
			t.Fatalf("Match(%q) = %v, want %v", v, got, want)
		}
	}
	if n := len(p.memo.cur) + len(p.memo.older); n > 2*memoGeneration {
		t.Errorf("the memo holds %d values, want at most %d", n, 2*memoGeneration)
	}
	last := fmt.Sprintf("us-east-1_%d", 3*memoGeneration-1)
	if _, ok := p.memo.get(last); !ok {
		t.Errorf("the latest value %q is not kept", last)
	}
	if _, ok := p.memo.get("us-east-1_1"); ok {
		t.Errorf("the first value is still kept after %d others", 3*memoGeneration)
	}
	long := strings.Repeat("a", memoMaxLen) + "_1"
	if _, kept := p.memo.cur[long]; p.Match(long) != p.match(long) || kept {
		t.Errorf("a value longer than %d bytes is judged wrong or kept", memoMaxLen)
	}
}

// TestFastPatternsAgree: each one-pass matcher gives the verdict of its
// pattern's two regular expressions, on values made of the pattern's
// class, the literal, characters outside the class (controls, format
// characters, separators, unassigned points) and invalid UTF-8.
func TestFastPatternsAgree(t *testing.T) {
	pieces := []string{"{####}", "{###}", "a", "Z", "9", "é", "\u0301", "€", "†", "*", " ", "\t", "\n", "\v", "\r", "\f",
		"\u0085", "\u00a0", "\u2028", "\u200b", "\x00", "\x1f", "\x7f", "\ufffd", "\xff", "\xe2\x82", "\U0001F600", "\U000E0001",
		"\U0010FFFF", "\u0378", "{", "#", "}", "\\", "<", "ß"}
	for source, fast := range fastPatterns {
		p := CompilePattern(source)
		rapid.Check(t, func(t *rapid.T) {
			parts := rapid.SliceOfN(rapid.SampledFrom(pieces), 0, 12).Draw(t, "parts")
			v := strings.Join(parts, "")
			if rapid.Bool().Draw(t, "random") {
				v += rapid.String().Draw(t, "tail")
			}
			if got, want := fast(v), regexpMatch(p, v); got != want {
				t.Fatalf("%s on %q: one pass says %v, the expressions %v", source, v, got, want)
			}
		})
	}
}

// regexpMatch is Pattern.match by the two expressions alone.
func regexpMatch(p *Pattern, v string) MatchResult {
	q := &Pattern{Source: p.Source, strict: p.strict, lenient: p.lenient}
	return q.match(v)
}
