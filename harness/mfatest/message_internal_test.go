package mfatest

import (
	"strings"
	"testing"

	"github.com/mfaconform/mfaconform/harness"
)

// TestMessageEscapesTargetText: what go test prints of a finding shows
// the target's bidi overrides and control characters escaped: in its
// error type, its body, the signature and the judge's detail.
func TestMessageEscapesTargetText(t *testing.T) {
	const nasty = "\u202eNO\u202c\x1b[2J"
	f := harness.Finding{Operation: "SetUserPoolMfaConfig", Detail: "rejected with " + nasty,
		Signature: "set.echo/SetUserPoolMfaConfig/rejected/" + nasty + "/-",
		Got:       harness.Got{Status: 400, Error: nasty, Message: nasty, Body: map[string]any{"x": nasty}}}
	got := message(f, nil, "")
	if strings.ContainsAny(got, "\u202e\u202c\x1b") {
		t.Errorf("the message shows the target's text unescaped: %q", got)
	}
	if !strings.Contains(got, `\u202eNO\u202c`) {
		t.Errorf("the message does not show the target's text escaped: %q", got)
	}
}
