package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/mfaconform/mfaconform/internal/config"
)

// TestHelpIsTheTable: each command's --help, asked alone, after other
// arguments, or as "help COMMAND", is the help config makes from the
// command and flag tables, with the defaults the command really has
// (sweep sets its own rate); the top-level usage is config's. The copies
// written by hand disagreed with each other and with the flags.
func TestHelpIsTheTable(t *testing.T) {
	for _, c := range config.Commands() {
		want := config.Help(c.Name)
		asks := [][]string{{c.Name, "--help"}, {c.Name, "-h"}, {"help", c.Name}}
		if len(c.Flags) > 0 {
			// Parsed by the command's own flag set, not answered by dispatch.
			asks = append(asks, []string{c.Name, "--help", "extra"})
		}
		for _, args := range asks {
			var stdout, stderr bytes.Buffer
			if status := dispatch(args, &stdout, &stderr); status != exitOK {
				t.Errorf("%q: exit %d, want 0; stderr %s", args, status, stderr.String())
				continue
			}
			if stdout.String() != want {
				t.Errorf("%q printed\n%s\nwant the table's help\n%s", args, stdout.String(), want)
			}
		}
	}
	var stdout, stderr bytes.Buffer
	dispatch([]string{"--help"}, &stdout, &stderr)
	if stdout.String() != config.Usage() {
		t.Errorf("--help printed\n%s\nwant config.Usage()", stdout.String())
	}
}

// TestSweepHelpNamesNoLiveFlag: sweep has no --live flag, and its help
// shows no default region (sweep refuses to run without one given).
func TestSweepHelpNamesNoLiveFlag(t *testing.T) {
	var stdout, stderr bytes.Buffer
	dispatch([]string{"sweep", "--help", "extra"}, &stdout, &stderr)
	help := stdout.String()
	if strings.Contains(help, "--live") {
		t.Errorf("sweep --help names --live, a flag sweep does not have:\n%s", help)
	}
	if strings.Contains(help, config.Default().Region) {
		t.Errorf("sweep --help shows the default region %s, which sweep refuses:\n%s", config.Default().Region, help)
	}
}
