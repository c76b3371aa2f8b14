package harness

import (
	"testing"
	"unicode/utf8"
)

// TestCandidatesKeepRunesWhole: a shortened string is cut at a rune
// boundary. Halving by bytes split "é" and sent invalid UTF-8, a
// different request from any the target was sent before, so the shrunk
// example no longer showed the deviation found.
func TestCandidatesKeepRunesWhole(t *testing.T) {
	msg := "aéééééééé {####}"
	req := map[string]any{"UserPoolId": "us-east-1_abc",
		"SmsMfaConfiguration": map[string]any{"SmsAuthenticationMessage": msg}}
	shortened := 0
	for _, c := range candidates(req) {
		sms, ok := c["SmsMfaConfiguration"].(map[string]any)
		if !ok {
			continue
		}
		s, ok := sms["SmsAuthenticationMessage"].(string)
		if !ok || s == msg {
			continue
		}
		shortened++
		if !utf8.ValidString(s) {
			t.Errorf("candidate %q is not valid UTF-8: a rune of %q was split", s, msg)
		}
		if len(s) == 0 || len(s) >= len(msg) {
			t.Errorf("candidate %q is not a shorter prefix of %q", s, msg)
		}
	}
	if shortened != 1 {
		t.Errorf("%d shortened candidates of the message, want 1", shortened)
	}
}
