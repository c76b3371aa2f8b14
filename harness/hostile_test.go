package harness_test

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/internal/inert"
)

// hostileMessages rewrites every answer of Set and Get into an error whose
// message is msg: an accepted call becomes a rejection, so rules of every
// kind fail with the target's text in their findings.
func hostileMessages(msg string) rewriter {
	return rewriter{after: func(c *call, a *answer) {
		if c.Op != contracts.OpSetUserPoolMfaConfig && c.Op != contracts.OpGetUserPoolMfaConfig {
			return
		}
		code := a.Code
		if code == "" {
			code = contracts.InvalidParameterException().Code
		}
		a.Status, a.Body = 400, map[string]any{}
		a.setCode(code)
		a.Body["message"] = msg
	}}
}

// TestHostileMessagesStaySmall: a target answering a long message (200 kB
// here, a megabyte in the wild) to every call gets a bounded excerpt of it, with its size, in
// every report and on the console, not the whole text.
func TestHostileMessagesStaySmall(t *testing.T) {
	msg := strings.Repeat("M", 200_000) + " the end"
	rep := brokenRun(t, hostileMessages(msg).wrap, harness.WithChecks(60))
	if rep.Conforms() {
		t.Fatal("a target answering every call with an error conforms")
	}
	var js bytes.Buffer
	if err := rep.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(js.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	for _, r := range v.(map[string]any)["rules"].([]any) {
		for _, f := range r.(map[string]any)["failures"].([]any) {
			f := f.(map[string]any)
			// The request and the contract's answer are the run's own text
			// (a boundary value of 131,072 characters), kept whole.
			delete(f, "request")
			delete(f, "want")
			ds, _ := f["differences"].([]any)
			for _, d := range ds {
				delete(d.(map[string]any), "want")
			}
			if long := longestString(f); long > inert.MaxText {
				t.Fatalf("a failure of the JSON report holds a string of %d bytes; want at most %d", long, inert.MaxText)
			}
		}
	}
	if !strings.Contains(js.String(), "[cut: 200008 characters, 200008 bytes, sha256 ") {
		t.Errorf("no excerpt in the JSON report names the message's size")
	}
	if js.Len() > 8<<20 {
		t.Errorf("the JSON report is %d bytes; want under 8 MiB", js.Len())
	}
	var md, junit, page, console bytes.Buffer
	rep.WriteConsole(&console)
	for kind, w := range map[string]func() error{
		"markdown": func() error { return rep.WriteMarkdown(&md) },
		"junit":    func() error { return rep.WriteJUnit(&junit) },
		"html":     func() error { return rep.WriteHTML(&page) },
	} {
		if err := w(); err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
	}
	for kind, b := range map[string]*bytes.Buffer{"console": &console, "markdown": &md, "junit": &junit, "html": &page} {
		if strings.Contains(b.String(), strings.Repeat("M", inert.MaxText+1)) {
			t.Errorf("the %s shows more than %d bytes of the message", kind, inert.MaxText)
		}
	}
	for _, line := range strings.Split(console.String(), "\n") {
		if len(line) > 2000 {
			t.Errorf("a console line of %d bytes: %.200s…", len(line), line)
			break
		}
	}
}

// TestHostileTextStaysInert: a target's message holding HTML, links,
// bidi overrides and control characters stays inside code spans in the
// Markdown, and its bidi overrides and control characters show escaped
// in the console, the Markdown and the HTML.
func TestHostileTextStaysInert(t *testing.T) {
	const msg = "<script>alert(1)</script> [click](javascript:alert(2)) <javascript:alert(3)> " +
		"\u202egnp.exe\u202c \u2066iso\u2069 \x1b[31mred\x1b[0m `tick` ``x`` | end\nnext"
	rep := brokenRun(t, hostileMessages(msg).wrap, harness.WithChecks(60))
	var md, page, console bytes.Buffer
	rep.WriteConsole(&console)
	if err := rep.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	if err := rep.WriteHTML(&page); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "alert(1)") {
		t.Fatalf("the Markdown does not show the message:\n%s", md.String())
	}
	for i, line := range strings.Split(md.String(), "\n") {
		if strings.HasPrefix(line, "  ") { // the request's fenced block, the run's own text
			continue
		}
		prose := outsideCodeSpans(line)
		for _, bad := range []string{"<script", "javascript:", "<javascript"} {
			if strings.Contains(prose, bad) {
				t.Errorf("Markdown line %d has %q outside a code span: %s", i+1, bad, line)
			}
		}
	}
	hiddenRune := regexp.MustCompile("[\u202a-\u202e\u2066-\u2069\x00-\x09\x0b-\x1f\x7f]")
	for kind, b := range map[string]*bytes.Buffer{"console": &console, "markdown": &md, "html": &page} {
		if m := hiddenRune.FindString(b.String()); m != "" {
			t.Errorf("the %s shows %q unescaped", kind, m)
		}
		if !strings.Contains(b.String(), `\u202e`) {
			t.Errorf("the %s does not show the bidi override escaped", kind)
		}
	}
	if strings.Contains(console.String(), "| end\nnext") {
		t.Errorf("the console shows the target's line break as a line of its own")
	}
}

// outsideCodeSpans is a line of Markdown without its code spans: a run of
// n backticks opens one, the next run of exactly n closes it (CommonMark).
func outsideCodeSpans(line string) string {
	var out strings.Builder
	for i := 0; i < len(line); {
		if line[i] != '`' {
			out.WriteByte(line[i])
			i++
			continue
		}
		n := 0
		for i+n < len(line) && line[i+n] == '`' {
			n++
		}
		fence := line[i : i+n]
		closeAt := -1
		for j := i + n; j < len(line); {
			k := strings.Index(line[j:], fence)
			if k < 0 {
				break
			}
			k += j
			if (k+n == len(line) || line[k+n] != '`') && (line[k-1] != '`') {
				closeAt = k
				break
			}
			j = k + 1
			for j < len(line) && line[j] == '`' {
				j++
			}
		}
		if closeAt < 0 {
			out.WriteString(fence)
			i += n
			continue
		}
		i = closeAt + n
	}
	return out.String()
}

func longestString(v any) int {
	switch t := v.(type) {
	case string:
		return len(t)
	case map[string]any:
		n := 0
		for k, x := range t {
			n = max(n, len(k), longestString(x))
		}
		return n
	case []any:
		n := 0
		for _, x := range t {
			n = max(n, longestString(x))
		}
		return n
	}
	return 0
}
