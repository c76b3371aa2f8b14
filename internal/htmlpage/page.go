// Package htmlpage is the frame every HTML report of mfaconform shares: one
// self-contained page (inline CSS and a little plain JavaScript, nothing
// loaded from anywhere), made with html/template so that every value is
// escaped. A target's answer is untrusted input: it must never become
// markup or script, and the page's Content-Security-Policy runs no script
// but its own, should escaping ever fail.
package htmlpage

import (
	"crypto/sha256"
	"encoding/base64"
	"html/template"
	"io"
	"strings"
)

// CSP is the page's Content-Security-Policy: nothing from the network, and
// no style or script but the page's own (by hash).
var CSP = "default-src 'none'; img-src data:; style-src '" + hash(css) + "'; script-src '" + hash(script) +
	"'; base-uri 'none'; form-action 'none'"

func hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// layout wraps a page's "title" and "main" templates. The CSS and the
// script are literal template text, byte for byte what CSP hashes.
var layout = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="` + CSP + `">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>{{template "title" .}}</title>
<style>` + css + `</style>
</head>
<body>
<main>
{{template "main" .}}
</main>
<output id="announce" class="announce" aria-live="polite"></output>
<script>` + script + `</script>
</body>
</html>
`

// New parses a page: defs must define the templates "title" and "main"
// (and may define others); funcs are added to Funcs. It panics when the
// templates do not parse: they are the program's own, fixed text.
func New(name, defs string, funcs template.FuncMap) *template.Template {
	all := template.FuncMap{"status": Status, "symbol": Symbol}
	for k, f := range funcs {
		all[k] = f
	}
	return template.Must(template.Must(template.New(name).Funcs(all).Parse(layout)).Parse(defs))
}

// Write executes a page made by New.
func Write(w io.Writer, t *template.Template, data any) error { return t.Execute(w, data) }

// Symbol is the mark shown before a status word: the status is always
// said in words as well, never by colour alone.
func Symbol(status string) string {
	switch status {
	case "pass", "same":
		return "✓"
	case "fail", "error", "differ":
		return "✗"
	case "warn":
		return "!"
	case "skip":
		return "–"
	}
	return "·"
}

// Status is a status word with its mark, as a badge.
func Status(status string) template.HTML {
	cls := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' {
			return r
		}
		return '-'
	}, status)
	return template.HTML(`<span class="status status-` + cls + `">` + Symbol(status) + " " +
		template.HTMLEscapeString(status) + `</span>`)
}
