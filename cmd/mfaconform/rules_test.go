package main

import (
	"bytes"
	"path/filepath"
	"testing"
)

// TestRulesGlobErrors: a malformed --rules glob and globs that match no
// rule are both usage errors (exit 2, one line), and the line says which.
func TestRulesGlobErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "none.yaml")
	for _, tc := range []struct {
		name, reason string
		args         []string
		env          string // MFACONFORM_RULES
		want         string // the whole of stderr
	}{
		{"run malformed", "path.ErrBadPattern: an unclosed class", []string{"run", "--rules", "["}, "",
			"mfaconform run: --rules \"[\": malformed glob\n"},
		{"run malformed among several", "name the glob at fault", []string{"run", "--rules", "set.*,["}, "",
			"mfaconform run: --rules \"set.*,[\": malformed glob \"[\"\n"},
		{"run matches nothing", "a well-formed glob with no rule", []string{"run", "--rules", "nope.*"}, "",
			"mfaconform run: --rules \"nope.*\" matches no rule\n"},
		{"run malformed from the environment", "every flag has an environment twin", []string{"run"}, "[",
			"mfaconform run: --rules \"[\": malformed glob\n"},
		{"replay malformed", "replay checks --rules the same way", []string{"replay", missing, "--rules", "["}, "",
			"mfaconform replay: --rules \"[\": malformed glob\n"},
		{"replay matches nothing", "replay checks --rules the same way", []string{"replay", missing, "--rules", "nope.*"}, "",
			"mfaconform replay: --rules \"nope.*\" matches no rule\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("MFACONFORM_RULES", tc.env)
			var stdout, stderr bytes.Buffer
			if code := dispatch(tc.args, &stdout, &stderr); code != exitSetup {
				t.Errorf("exit %d, want %d (%s)", code, exitSetup, tc.reason)
			}
			if stderr.String() != tc.want {
				t.Errorf("stderr %q, want %q (%s)", stderr.String(), tc.want, tc.reason)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout %q, want nothing", stdout.String())
			}
		})
	}
}
