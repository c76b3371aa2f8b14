package config

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Command is one command of the command line. Its usage (the top-level
// usage, its --help and docs/cli.md) is made from this and the flag
// table, so that the three cannot disagree.
type Command struct {
	Name string
	// Args are the positional arguments as the synopsis shows them.
	Args string
	// Flags are names in the flag table, in the order usage lists them.
	Flags []string
	// Required are flags the command refuses to run without: usage
	// shows them unbracketed and with no default.
	Required []string
	// Meaning replaces a flag's meaning for this command.
	Meaning map[string]string
	// Defaults sets the command's own defaults, before its flags are
	// defined.
	Defaults func(*Settings)
	Summary  string
	// Exit says what the command's exit statuses mean.
	Exit string
}

// repeatable flags add a value each time they are given.
var repeatable = map[string]bool{"report": true, "allow-account": true}

// commands are every command, in the order usage lists them.
var commands = []Command{
	{Name: "run",
		Flags: []string{"endpoint", "live", "region", "allow-account", "checks", "duration", "seed", "parallel",
			"rules", "strict-messages", "fixtures", "timeout", "rate", "max-calls", "known", "strict-known",
			"record", "target-name", "shard", "report", "quiet", "observed"},
		Summary: "Send cases to a target and judge its answers against the contract. " +
			"The target is the in-process reference emulator, an awsJson1_1 endpoint (--endpoint), " +
			"or AWS itself (--live, which needs --region and --allow-account).",
		Exit: "0 the target conforms (with --known: every deviation found is in the ledger and unexpired); " +
			"1 deviations found (with --known: a new deviation or an expired entry, and with --strict-known an entry that matched nothing); " +
			"2 usage error, unreachable target, failed setup, a run that judged nothing or was interrupted."},
	{Name: "serve", Flags: []string{"addr", "fixtures"},
		Summary: "Serve the reference emulator over HTTP. The first line on stdout is `listening on http://HOST:PORT`; it serves until signalled.",
		Exit:    "0 stopped by a signal; 2 usage error, a bad fixture file, or the address cannot be listened on."},
	{Name: "replay", Args: "CASSETTE...",
		Flags: []string{"rules", "rejudge", "known", "strict-known", "max-cassette-bytes", "report", "observed"},
		Meaning: map[string]string{
			"rules":  "comma-separated rule `GLOB`s to report; default the recorded run's",
			"report": "write a report, `KIND=PATH` (json, junit, markdown, html); repeatable; with several cassettes PATH gets each cassette's name",
		},
		Summary: "Replay recorded cassettes with no network and judge them against the current contract.",
		Exit:    "the worst of the cassettes' statuses, each as run's: 0 conforms, 1 deviations found, 2 a bad cassette, usage error, or a replay that judged nothing."},
	{Name: "diff", Required: []string{"cassette", "endpoint"},
		Flags:   []string{"cassette", "endpoint", "timeout", "max-cassette-bytes", "report", "observed"},
		Summary: "Send a cassette's requests to another endpoint and report where its answers differ from the recorded ones, next to the contract's (narrowed by --observed).",
		Exit:    "0 no difference; 1 differences found; 2 usage error, a bad cassette or an unreachable endpoint."},
	{Name: "calibrate", Args: "CASSETTE...", Flags: []string{"out", "max-cassette-bytes", "report"},
		Summary: "Read recordings of a target taken as ground truth (a nightly live run of AWS) and say, for each uncertain point of the contract, " +
			"what was observed: settled, mixed, contradicts or unobserved. With --out, write the observations file that --observed reads.",
		Exit: "0 nothing contradicts the contract; 1 a recording contradicts it (the contract or the recording is wrong); 2 usage error or a bad cassette."},
	{Name: "parity", Args: "[CASSETTE|REPORT.json ...]", Flags: []string{"html", "max-cassette-bytes"},
		Summary: "Print the parity table of cassettes (no argument: those bundled in the binary) and JSON reports, one column a target.",
		Exit:    "0 the table was printed (deviations are its content); 2 usage error or a bad cassette or report."},
	{Name: "known", Required: []string{"from"}, Flags: []string{"from", "expires"},
		Summary: "Print on stdout a ledger of known deviations accepting every deviation of a JSON report, for a person to review and give reasons.",
		Exit:    "0 the ledger was written; 2 usage error or a bad report."},
	{Name: "compare", Args: "OLD.json NEW.json",
		Summary: "Compare two JSON reports: new, fixed and still-failing deviations, rules whose status changed, calls and time side by side.",
		Exit:    "0 NEW has no deviation OLD did not; 1 NEW has a new deviation; 2 usage error or a bad report."},
	{Name: "merge", Args: "REPORT.json...", Flags: []string{"known", "strict-known", "report"},
		Meaning: map[string]string{
			"known": "YAML `LEDGER` of known deviations, applied to the merged deviations: exit 0 when every one is known and unexpired",
		},
		Summary: "Join the JSON reports of the N shards of one run (run --shard I/N) into the report the unsharded run gives, " +
			"in every format: rule statuses and deviation signatures as one run finds them, counts added, calls and time summed. " +
			"Shards of unlike runs, a missing or duplicate shard, or a report that is not a shard are refused.",
		Exit: "as run's: 0 the target conforms (with --known: every deviation is in the ledger and unexpired); 1 deviations found; " +
			"2 usage error, a bad report, shards that do not make one run, or shards that judged nothing, were interrupted or left resources behind."},
	{Name: "sweep", Required: []string{"region", "allow-account"},
		Flags: []string{"region", "allow-account", "older-than", "dry-run", "rate"},
		Meaning: map[string]string{
			"region": "`REGION` to sweep",
			"rate":   "at most `R` calls a second (at least 0.01; 0, no bound, is refused)",
		},
		Defaults: func(s *Settings) {
			s.Rate = LiveRate
		},
		Summary: "Delete what live runs left in an allowed AWS account (a killed run cannot clean up): user pools and IAM roles with a run's marks only.",
		Exit:    "0 everything found was deleted (or, with --dry-run, listed); 2 usage error, or something could not be deleted."},
	{Name: "version", Summary: "Print the version.", Exit: "0."},
}

// Commands are every command of the command line, in usage order.
func Commands() []Command { return slices.Clone(commands) }

// LookupCommand is the command named name.
func LookupCommand(name string) (Command, bool) {
	for _, c := range commands {
		if c.Name == name {
			return c, true
		}
	}
	return Command{}, false
}

func mustCommand(name string) Command {
	c, ok := LookupCommand(name)
	if !ok {
		panic("config: no command " + name + " in the table; add it to commands")
	}
	return c
}

// DefineCommand sets the named command's defaults on s and defines its
// flags on fs, bound to s. It panics on a name the table does not have: a
// programming error.
func (s *Settings) DefineCommand(fs *flag.FlagSet, name string) {
	c := mustCommand(name)
	if c.Defaults != nil {
		c.Defaults(s)
	}
	for _, f := range c.Flags {
		s.define(fs, f, c.Meaning[f])
	}
}

// flagSet is the command's flags with the command's defaults.
func (c Command) flagSet() *flag.FlagSet {
	fs := flag.NewFlagSet("mfaconform "+c.Name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	s := DefaultSettings()
	s.DefineCommand(fs, c.Name)
	return fs
}

// Synopsis is the command's one-line usage: mfaconform, its name, its
// arguments and its flags.
func (c Command) Synopsis() string {
	return strings.Join(c.synopsisWords(), " ")
}

// Synopsis is the named command's synopsis, for an error that repeats
// it.
func Synopsis(name string) string { return mustCommand(name).Synopsis() }

func (c Command) synopsisWords() []string {
	words := []string{"mfaconform", c.Name}
	if c.Args != "" {
		words = append(words, c.Args)
	}
	fs := c.flagSet()
	for _, name := range c.Flags {
		w := "--" + name
		if meta := metavar(fs.Lookup(name)); meta != "" {
			w += " " + meta
		}
		if !slices.Contains(c.Required, name) {
			w = "[" + w + "]"
		}
		if repeatable[name] {
			w += "..."
		}
		words = append(words, w)
	}
	return words
}

// metavar is the name a flag's value goes by in usage: the back-quoted
// word of its meaning, or the kind of value; "" for a switch.
func metavar(f *flag.Flag) string {
	if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
		return ""
	}
	name, _ := flag.UnquoteUsage(f)
	return strings.ToUpper(name)
}

// meaning is a flag's meaning as usage prints it, without back quotes or
// its environment twin.
func meaning(f *flag.Flag) string {
	_, usage := flag.UnquoteUsage(f)
	usage, _, _ = strings.Cut(usage, " (env ")
	return usage
}

// defaultText is what usage says of a flag's default: "" when it has
// none worth saying.
func (c Command) defaultText(f *flag.Flag) string {
	if slices.Contains(c.Required, f.Name) {
		return "required"
	}
	switch f.DefValue {
	case "", "0", "false", "0s", "[]":
		return ""
	}
	return f.DefValue
}

// wrap joins words into lines of at most width columns, each line after
// the first starting with indent.
func wrap(words []string, indent string, width int) string {
	var b strings.Builder
	line := len(indent)
	for i, w := range words {
		switch {
		case i == 0:
		case line+1+len(w) > width:
			b.WriteString("\n" + indent)
			line = len(indent)
		default:
			b.WriteString(" ")
			line++
		}
		b.WriteString(w)
		line += len(w)
	}
	return b.String()
}

// Usage is the command line's top-level usage: every command's synopsis.
func Usage() string {
	var b strings.Builder
	b.WriteString("usage:\n")
	width := 0
	for _, c := range commands {
		width = max(width, len(c.Name))
	}
	for _, c := range commands {
		words := c.synopsisWords()
		words[1] = fmt.Sprintf("%-*s", width, words[1])
		b.WriteString("  " + wrap(words, strings.Repeat(" ", 2+len("mfaconform ")+width+1), 100) + "\n")
	}
	b.WriteString("Run mfaconform COMMAND --help for what a command and its flags do (docs/cli.md has them all).\n")
	b.WriteString("Every flag has an environment twin: " + EnvPrefix + " and the flag's name, e.g. " + EnvName("checks") + ".\n")
	return b.String()
}

// Help is the named command's --help: synopsis, summary, flags with their
// defaults and environment twins, and exit statuses.
func Help(name string) string {
	c := mustCommand(name)
	return c.help(c.flagSet())
}

// WriteHelp writes the --help of the command fs is for (named "mfaconform
// NAME"), with the defaults fs has: a command that sets its own defaults
// shows them.
func WriteHelp(w io.Writer, fs *flag.FlagSet) {
	c := mustCommand(strings.TrimPrefix(fs.Name(), "mfaconform "))
	fmt.Fprint(w, c.help(fs))
}

// help is the command's help, with the meanings of the table and the
// defaults of fs.
func (c Command) help(fs *flag.FlagSet) string {
	table := c.flagSet()
	var b strings.Builder
	b.WriteString("usage: " + wrap(c.synopsisWords(), "         ", 100) + "\n\n")
	b.WriteString(paragraph(c.Summary, "") + "\n")
	if len(c.Flags) > 0 {
		b.WriteString("\nflags:\n")
	}
	for _, name := range c.Flags {
		f := table.Lookup(name)
		if got := fs.Lookup(name); got != nil {
			f.DefValue = got.DefValue
		}
		head := "  --" + name
		if meta := metavar(f); meta != "" {
			head += " " + meta
		}
		text := meaning(f)
		if d := c.defaultText(f); d == "required" {
			text += " (required)"
		} else if d != "" {
			text += " (default " + d + ")"
		}
		text += " (env " + strings.Join(envNames(name), " or ") + ")"
		b.WriteString(head + "\n" + paragraph(text, "      ") + "\n")
	}
	b.WriteString("\n" + paragraph("exit status: "+c.Exit, "") + "\n")
	return b.String()
}

// paragraph is text wrapped at 100 columns, every line starting with
// indent.
func paragraph(text, indent string) string {
	return indent + wrap(strings.Fields(text), indent, 100)
}
