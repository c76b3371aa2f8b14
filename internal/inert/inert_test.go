package inert_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mfaconform/mfaconform/internal/inert"
)

func TestExcerpt(t *testing.T) {
	tests := []struct {
		name, reason, in string
		cut              bool
	}{
		{"short", "a text within the bound is kept", "ok", false},
		{"at the bound", "MaxText bytes are kept whole", strings.Repeat("a", inert.MaxText), false},
		{"one past", "one byte more is cut", strings.Repeat("a", inert.MaxText+1), true},
		{"runes", "a cut never splits a character", strings.Repeat("é", inert.MaxText), true},
		{"tokens", "a cut falls between tokens, not inside a key", strings.Repeat("AKIAABCDEFGHIJKLMNOP ", 1000), true},
	}
	for _, tt := range tests {
		got := inert.Excerpt(tt.in)
		if (got != tt.in) != tt.cut || len(got) > inert.MaxText || !utf8.ValidString(got) {
			t.Errorf("%s (%s): %d bytes, cut %v, valid %v; want at most %d bytes, cut %v", tt.name, tt.reason,
				len(got), got != tt.in, utf8.ValidString(got), inert.MaxText, tt.cut)
		}
		if again := inert.Excerpt(got); again != got {
			t.Errorf("%s: an excerpt's excerpt differs", tt.name)
		}
		if n := inert.Characters(got); n != utf8.RuneCountInString(tt.in) {
			t.Errorf("%s: Characters = %d, want the whole text's %d", tt.name, n, utf8.RuneCountInString(tt.in))
		}
		if tt.name == "tokens" && !strings.HasSuffix(strings.SplitN(got, "…", 2)[0], " ") {
			t.Errorf("%s: the cut is inside a token: …%s", tt.name, got[len(got)-150:])
		}
	}
}

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"plain <b> ok":       "plain <b> ok",
		"\u202egnp.exe":      `\u202egnp.exe`,
		"\u2066a\u2069":      `\u2066a\u2069`,
		"\x1b[31m\x00\x7f":   `\x1b[31m\x00\x7f`,
		"one\ntwo\tthree\r":  `one\ntwo\tthree\r`,
		"\u200fmark\u0085c1": `\u200fmark\u0085c1`,
	} {
		if got := inert.Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCodeSpan(t *testing.T) {
	for in, want := range map[string]string{
		"<script>":         "`<script>`",
		"a`b":              "``a`b``",
		"`x`":              "`` `x` ``",
		"x\u202ey\nz":      "`x\\u202ey\\nz`",
		"[a](javascript:)": "`[a](javascript:)`",
	} {
		if got := inert.CodeSpan(in); got != want {
			t.Errorf("CodeSpan(%q) = %q, want %q", in, got, want)
		}
	}
	if got := inert.CodeCell("a|b"); got != "`a\\|b`" {
		t.Errorf("CodeCell(a|b) = %q", got)
	}
}
