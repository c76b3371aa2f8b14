package config

import (
	"flag"
	"io"
	"strings"
	"testing"
	"time"
)

// TestEnvTwins: every flag is also read from its environment twin; the
// command line wins; a bad value is an error that names the variable, as a
// bad flag is (exit 2 on the command line).
func TestEnvTwins(t *testing.T) {
	for _, tc := range []struct {
		name, reason string
		args         []string
		env          map[string]string
		check        func(s Settings) bool
		wantErr      string
	}{
		{"checks", "an int twin", nil, map[string]string{"MFACONFORM_CHECKS": "7"},
			func(s Settings) bool { return s.Checks == 7 }, ""},
		{"strict as 1", "any form strconv.ParseBool takes, not only \"true\"", nil, map[string]string{"MFACONFORM_STRICT_MESSAGES": "1"},
			func(s Settings) bool { return s.StrictMessages }, ""},
		{"timeout", "--timeout has a twin too", nil, map[string]string{"MFACONFORM_TIMEOUT": "250ms"},
			func(s Settings) bool { return s.CallTimeout == 250*time.Millisecond }, ""},
		{"rules", "a list twin", nil, map[string]string{"MFACONFORM_RULES": "set.*,get.*"},
			func(s Settings) bool { return strings.Join(s.Rules, "|") == "set.*|get.*" && s.RulesSet }, ""},
		{"report", "a repeatable flag's twin gives one", nil, map[string]string{"MFACONFORM_REPORT": "json=out.json"},
			func(s Settings) bool { return len(s.Reports) == 1 && s.Reports[0].Path == "out.json" }, ""},
		{"flag wins", "the command line beats the environment", []string{"--checks", "9"}, map[string]string{"MFACONFORM_CHECKS": "7"},
			func(s Settings) bool { return s.Checks == 9 }, ""},
		{"empty is unset", "an empty variable keeps the default", nil, map[string]string{"MFACONFORM_CHECKS": ""},
			func(s Settings) bool { return s.Checks == Default().Checks }, ""},
		{"bad int", "no silent fallback to the default", nil, map[string]string{"MFACONFORM_CHECKS": "many"},
			nil, `MFACONFORM_CHECKS="many"`},
		{"bad bool", "no silent fallback to false", nil, map[string]string{"MFACONFORM_STRICT_MESSAGES": "yes please"},
			nil, `MFACONFORM_STRICT_MESSAGES="yes please"`},
		{"bad duration", "a duration needs a unit", nil, map[string]string{"MFACONFORM_TIMEOUT": "10"},
			nil, `MFACONFORM_TIMEOUT="10"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := flag.NewFlagSet("t", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			s := DefaultSettings()
			s.Define(fs, "checks", "strict-messages", "timeout", "rules", "report")
			if err := fs.Parse(tc.args); err != nil {
				t.Fatal(err)
			}
			err := ApplyEnv(fs, func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok })
			switch {
			case tc.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("error %v, want one naming %s (%s)", err, tc.wantErr, tc.reason)
				}
			case err != nil:
				t.Errorf("error %v (%s)", err, tc.reason)
			case !tc.check(s):
				t.Errorf("settings %+v do not show the twin (%s)", s, tc.reason)
			}
		})
	}
}

// TestEveryFlagHasATwin: the usage of every flag names its twin.
func TestEveryFlagHasATwin(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	s := DefaultSettings()
	for name := range flags {
		s.Define(fs, name)
	}
	fs.VisitAll(func(f *flag.Flag) {
		if !strings.Contains(f.Usage, EnvName(f.Name)) {
			t.Errorf("--%s: usage %q does not name %s", f.Name, f.Usage, EnvName(f.Name))
		}
	})
}

// TestAllowAccounts: the allowlist is a comma-separated, repeatable list
// of twelve-digit IDs, read from MFACONFORM_ALLOW_ACCOUNTS (the issue's
// name for it) or the flag's own twin; anything else is refused.
func TestAllowAccounts(t *testing.T) {
	for _, tc := range []struct {
		name    string
		args    []string
		env     map[string]string
		want    string
		wantErr string
	}{
		{"list and repeat", []string{"--allow-account", "111122223333,444455556666", "--allow-account", "777788889999"}, nil,
			"111122223333,444455556666,777788889999", ""},
		{"plural twin", nil, map[string]string{"MFACONFORM_ALLOW_ACCOUNTS": "111122223333"}, "111122223333", ""},
		{"flag's own twin", nil, map[string]string{"MFACONFORM_ALLOW_ACCOUNT": "111122223333"}, "111122223333", ""},
		{"plural first", nil, map[string]string{"MFACONFORM_ALLOW_ACCOUNTS": "111122223333", "MFACONFORM_ALLOW_ACCOUNT": "444455556666"}, "111122223333", ""},
		{"flag wins", []string{"--allow-account", "444455556666"}, map[string]string{"MFACONFORM_ALLOW_ACCOUNTS": "111122223333"}, "444455556666", ""},
		{"not an ID", []string{"--allow-account", "1234"}, nil, "", "twelve digits"},
		{"bad twin", nil, map[string]string{"MFACONFORM_ALLOW_ACCOUNTS": "prod"}, "", `MFACONFORM_ALLOW_ACCOUNTS="prod"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := flag.NewFlagSet("t", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			s := DefaultSettings()
			s.Define(fs, "allow-account", "live", "rate", "max-calls")
			err := fs.Parse(tc.args)
			if err == nil {
				err = ApplyEnv(fs, func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok })
			}
			switch {
			case tc.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("error %v, want one with %q", err, tc.wantErr)
				}
			case err != nil:
				t.Error(err)
			case s.AllowAccounts.String() != tc.want:
				t.Errorf("allowlist %q, want %q", s.AllowAccounts.String(), tc.want)
			}
		})
	}
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	s := DefaultSettings()
	s.Define(fs, "allow-account")
	if u := fs.Lookup("allow-account").Usage; !strings.Contains(u, "MFACONFORM_ALLOW_ACCOUNTS") {
		t.Errorf("usage %q does not name MFACONFORM_ALLOW_ACCOUNTS", u)
	}
}
