package config

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite docs/cli.md from the flag table")

// cliReference is docs/cli.md from this package's directory.
var cliReference = filepath.Join("..", "..", "docs", "cli.md")

// TestCLIReference: docs/cli.md is what the command and flag tables
// make; it fails when one of them changed and the page was not
// regenerated (go test ./internal/config -run TestCLIReference -update).
func TestCLIReference(t *testing.T) {
	got := Reference()
	if *update {
		if err := os.WriteFile(cliReference, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(cliReference)
	if err != nil {
		t.Fatalf("%v (make it with go test ./internal/config -run TestCLIReference -update)", err)
	}
	if string(want) != got {
		t.Errorf("docs/cli.md is not what the flag table makes: regenerate it with\n\tgo test ./internal/config -run TestCLIReference -update\nfirst difference at line %d", firstDiffLine(string(want), got))
	}
}

func firstDiffLine(a, b string) int {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return i + 1
		}
	}
	return min(len(al), len(bl)) + 1
}

// TestCommandTable: every command's flags are in the flag table, every
// flag of the table is some command's, and a required or re-explained
// flag is one the command has.
func TestCommandTable(t *testing.T) {
	used := map[string]bool{}
	for _, c := range Commands() {
		has := map[string]bool{}
		for _, f := range c.Flags {
			if _, ok := flags[f]; !ok {
				t.Errorf("%s: flag --%s is not in the flag table", c.Name, f)
			}
			if has[f] {
				t.Errorf("%s: flag --%s listed twice", c.Name, f)
			}
			has[f], used[f] = true, true
		}
		for _, f := range c.Required {
			if !has[f] {
				t.Errorf("%s: required --%s is not among its flags", c.Name, f)
			}
		}
		for f := range c.Meaning {
			if !has[f] {
				t.Errorf("%s: a meaning for --%s, which it does not have", c.Name, f)
			}
		}
		if c.Summary == "" || c.Exit == "" {
			t.Errorf("%s: no summary or no exit statuses", c.Name)
		}
	}
	for name := range flags {
		if !used[name] {
			t.Errorf("flag --%s is in the table but no command takes it", name)
		}
	}
}

// TestUsageNamesEveryFlag: the top-level usage shows every command and,
// for each, every flag it takes (the copies that disagreed were written
// by hand).
func TestUsageNamesEveryFlag(t *testing.T) {
	u := Usage()
	for _, c := range Commands() {
		syn := c.Synopsis()
		if !strings.Contains(strings.Join(strings.Fields(u), " "), syn) {
			t.Errorf("usage does not show %q", syn)
		}
		for _, f := range c.Flags {
			if !strings.Contains(syn, "--"+f) {
				t.Errorf("%s: synopsis %q does not name --%s", c.Name, syn, f)
			}
		}
	}
}
