package config

import (
	"fmt"
	"strings"
)

// Reference is docs/cli.md, the command line's reference: every command
// with its synopsis, its flags (each with its environment twin, default
// and meaning) and its exit statuses, made from the same tables as usage.
func Reference() string {
	var b strings.Builder
	b.WriteString("# Command line reference\n\n")
	b.WriteString("<!-- Generated from internal/config (commands.go, flags.go). Do not edit: run\n" +
		"     go test ./internal/config -run TestCLIReference -update -->\n\n")
	b.WriteString("The command line is a stable interface (docs/design.md): flags are added, never renamed or removed.\n")
	b.WriteString("Every flag has an environment twin, `" + EnvPrefix + "` and the flag's name in capitals with `_` for `-`.\n")
	b.WriteString("A flag given on the command line wins over its twin; an empty twin is unset.\n")
	b.WriteString("`mfaconform COMMAND --help` (or `mfaconform help COMMAND`) prints what this page says of the command.\n\n")
	b.WriteString("## Exit statuses\n\n")
	b.WriteString("| status | meaning |\n|---|---|\n")
	b.WriteString("| 0 | the target conforms, or the command did what it was asked |\n")
	b.WriteString("| 1 | deviations found |\n")
	b.WriteString("| 2 | usage error, unreachable target or failed setup, with a one-line reason on stderr |\n\n")
	b.WriteString("Each command says below what its statuses mean.\n\n")
	b.WriteString("## Commands\n\n")
	for _, c := range commands {
		fmt.Fprintf(&b, "- [`%s`](#%s): %s\n", c.Name, c.Name, firstSentence(c.Summary))
	}
	for _, c := range commands {
		b.WriteString("\n" + c.reference())
	}
	return b.String()
}

func (c Command) reference() string {
	var b strings.Builder
	fmt.Fprintf(&b, "### %s\n\n```\n%s\n```\n\n%s\n\n", c.Name, wrap(c.synopsisWords(), "    ", 100), c.Summary)
	if len(c.Flags) > 0 {
		b.WriteString("| flag | environment | default | meaning |\n|---|---|---|---|\n")
		fs := c.flagSet()
		for _, name := range c.Flags {
			f := fs.Lookup(name)
			head := "--" + name
			if meta := metavar(f); meta != "" {
				head += " " + meta
			}
			envs := make([]string, 0, 2)
			for _, e := range envNames(name) {
				envs = append(envs, "`"+e+"`")
			}
			def := c.defaultText(f)
			if def != "" && def != "required" {
				def = "`" + def + "`"
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", head, strings.Join(envs, " or "), def, cell(meaning(f)))
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "Exit status: %s\n", c.Exit)
	return b.String()
}

// cell escapes what would end a Markdown table cell.
func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}
