package cassette_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mfaconform/mfaconform/harness/cassette"
	"github.com/mfaconform/mfaconform/internal/browsertest"
)

// TestDiffHTMLInBrowser opens diff's page in headless Chromium: it lists
// every differing interaction with the summary's counts, an interaction
// opens to its request and its differences, a target's answer holding
// markup shows as text and runs nothing, and the console stays quiet.
func TestDiffHTMLInBrowser(t *testing.T) {
	rep := goldenDiff()
	const hostile = `<script>window.pwned = true</script><img src="x" onerror="window.pwned = true">`
	rep.Interactions[2].Differences[0].Target = hostile
	path := filepath.Join(t.TempDir(), "diff.html")
	if err := rep.WriteFile("html", path); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(path); err != nil || strings.Contains(string(b), "<script>window") {
		t.Fatalf("the page holds the target's markup (%v)", err)
	}
	p := browsertest.Open(t, path)
	if n := browsertest.Eval[int](p, `document.querySelectorAll("details.rule").length`); n != len(rep.Interactions) {
		t.Errorf("the page lists %d interactions, the report %d", n, len(rep.Interactions))
	}
	if got := browsertest.Eval[string](p, `document.querySelector("dl.summary").innerText`); !strings.Contains(got, "12 sent, 9 same, 3 differ") {
		t.Errorf("the summary says %q", got)
	}
	last := "interaction-9"
	p.Click(`[id="` + last + `"] > summary`)
	text := browsertest.Eval[string](p, `document.getElementById("`+last+`").innerText`)
	for _, want := range []string{`"MfaConfiguration": "ON"`, hostile, cassette.DiffTransport} {
		if !strings.Contains(text, want) {
			t.Errorf("the opened interaction does not show %q:\n%s", want, text)
		}
	}
	if browsertest.Eval[bool](p, `window.pwned === true`) || browsertest.Eval[int](p, `document.scripts.length`) != 1 {
		t.Errorf("the target's answer ran or became an element")
	}
	p.ScreenshotOf(`[id="`+last+`"]`, "interaction")
}
