package config

import (
	"flag"
	"fmt"
	"strings"
)

// EnvPrefix starts every flag's environment twin: --strict-messages is
// MFACONFORM_STRICT_MESSAGES.
const EnvPrefix = "MFACONFORM_"

// EnvName is the environment twin of a flag.
func EnvName(flagName string) string {
	return EnvPrefix + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// Settings are what the command line sets: the run's Config and the
// commands' own values.
type Settings struct {
	Config
	Endpoint string
	Fixtures string
	Record   string
	Addr     string
	Cassette string
	Rejudge  bool
	Reports  Reports
	// HTML is the page parity writes.
	HTML string
	// Known is a ledger of known deviations; StrictKnown fails on its
	// entries that matched nothing.
	Known       string
	StrictKnown bool
	// From and Expires: the report a ledger is made from, and its entries'
	// expiry date.
	From    string
	Expires string
	// Quiet: no progress line on a terminal.
	Quiet bool
	// MaxCassetteBytes bounds what a command reads of one cassette,
	// unpacked.
	MaxCassetteBytes int64
	// RulesSet: --rules (or its twin) was given.
	RulesSet bool
}

// DefaultSettings are the command line's defaults.
func DefaultSettings() Settings {
	return Settings{Config: Default(), Addr: "127.0.0.1:8642", MaxCassetteBytes: MaxCassetteBytes}
}

// define binds one flag of the table to s.
type define func(fs *flag.FlagSet, s *Settings)

// flags is every flag of the command line, by name. Each has an
// environment twin (EnvName), read by ApplyEnv.
var flags = map[string]define{
	"endpoint": func(fs *flag.FlagSet, s *Settings) {
		fs.StringVar(&s.Endpoint, "endpoint", s.Endpoint, "awsJson1_1 endpoint `URL`")
	},
	"region": func(fs *flag.FlagSet, s *Settings) {
		fs.StringVar(&s.Region, "region", s.Region, "`REGION` the SDK signs for")
	},
	"checks": func(fs *flag.FlagSet, s *Settings) {
		fs.IntVar(&s.Checks, "checks", s.Checks, "cases to send, at least the deterministic sweep")
	},
	"seed": func(fs *flag.FlagSet, s *Settings) {
		fs.Int64Var(&s.Seed, "seed", s.Seed, "seed; the same seed sends the same cases")
	},
	"parallel": func(fs *flag.FlagSet, s *Settings) {
		fs.IntVar(&s.Parallel, "parallel", s.Parallel, fmt.Sprintf("workers sending cases at once (at most %d are busy: cases run in %d lanes of fixed order)", Lanes, Lanes))
	},
	"rules": func(fs *flag.FlagSet, s *Settings) {
		fs.Func("rules", "comma-separated rule `GLOB`s to report (default *)", func(v string) error {
			s.Rules, s.RulesSet = strings.Split(v, ","), true
			return nil
		})
	},
	"duration": func(fs *flag.FlagSet, s *Settings) {
		fs.DurationVar(&s.Duration, "duration", s.Duration, "send the sweep, then seeded random cases until `D` has passed (instead of --checks)")
	},
	"quiet": func(fs *flag.FlagSet, s *Settings) {
		fs.BoolVar(&s.Quiet, "quiet", s.Quiet, "no progress line on a terminal")
	},
	"strict-messages": func(fs *flag.FlagSet, s *Settings) {
		fs.BoolVar(&s.StrictMessages, "strict-messages", s.StrictMessages, "message differences fail instead of warn")
	},
	"fixtures": func(fs *flag.FlagSet, s *Settings) {
		fs.StringVar(&s.Fixtures, "fixtures", s.Fixtures, "JSON `FILE` with the fixture world (docs/fixtures.md)")
	},
	"timeout": func(fs *flag.FlagSet, s *Settings) {
		fs.DurationVar(&s.CallTimeout, "timeout", s.CallTimeout, "per-call timeout")
	},
	"record": func(fs *flag.FlagSet, s *Settings) {
		fs.StringVar(&s.Record, "record", s.Record, "record every call into a go-vcr v2 cassette `FILE`, scrubbed")
	},
	"target-name": func(fs *flag.FlagSet, s *Settings) {
		fs.StringVar(&s.TargetName, "target-name", s.TargetName, "a `NAME` for the target in reports, cassettes and parity tables, e.g. moto-5.2.1")
	},
	"report": func(fs *flag.FlagSet, s *Settings) {
		fs.Var(&s.Reports, "report", "write a report, `KIND=PATH` (json, junit, markdown, html); repeatable")
	},
	"html": func(fs *flag.FlagSet, s *Settings) {
		fs.StringVar(&s.HTML, "html", s.HTML, "write the table as one self-contained HTML page to `PATH`, each cell linking to the target's deviations")
	},
	"addr": func(fs *flag.FlagSet, s *Settings) {
		fs.StringVar(&s.Addr, "addr", s.Addr, "`HOST:PORT` to listen on (port 0 picks a free port)")
	},
	"cassette": func(fs *flag.FlagSet, s *Settings) {
		fs.StringVar(&s.Cassette, "cassette", s.Cassette, "the recorded cassette `FILE`")
	},
	"max-cassette-bytes": func(fs *flag.FlagSet, s *Settings) {
		fs.Int64Var(&s.MaxCassetteBytes, "max-cassette-bytes", s.MaxCassetteBytes, "refuse a cassette larger than `N` bytes unpacked; loading takes about ten times that in memory")
	},
	"known": func(fs *flag.FlagSet, s *Settings) {
		fs.StringVar(&s.Known, "known", s.Known, "YAML `LEDGER` of known deviations: exit 0 when every deviation found is known and unexpired")
	},
	"strict-known": func(fs *flag.FlagSet, s *Settings) {
		fs.BoolVar(&s.StrictKnown, "strict-known", s.StrictKnown, "with --known, fail also on a ledger entry that matched no deviation")
	},
	"from": func(fs *flag.FlagSet, s *Settings) {
		fs.StringVar(&s.From, "from", s.From, "the JSON `REPORT` to make a ledger from")
	},
	"expires": func(fs *flag.FlagSet, s *Settings) {
		fs.StringVar(&s.Expires, "expires", s.Expires, "expiry `DATE` (YYYY-MM-DD) of the ledger's entries (default: 90 days from today)")
	},
	"rejudge": func(fs *flag.FlagSet, s *Settings) {
		fs.BoolVar(&s.Rejudge, "rejudge", s.Rejudge, "judge each recorded interaction in order instead of re-running the recorded run; automatic for cassettes recorded by other generators")
	},
}

// Define defines the named flags on fs, bound to s, each usage line naming
// its environment twin. It panics on a name the table does not have: a
// programming error.
func (s *Settings) Define(fs *flag.FlagSet, names ...string) {
	for _, name := range names {
		d, ok := flags[name]
		if !ok {
			panic("config: no flag " + name + " in the table; add it to flags")
		}
		d(fs, s)
		f := fs.Lookup(name)
		f.Usage += " (env " + EnvName(name) + ")"
	}
}

// ApplyEnv sets every flag of fs that the command line did not set from
// its environment twin, read through lookup (os.LookupEnv). A bad value is
// an error naming the variable, as a bad flag is.
func ApplyEnv(fs *flag.FlagSet, lookup func(string) (string, bool)) error {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if err != nil || set[f.Name] {
			return
		}
		v, ok := lookup(EnvName(f.Name))
		if !ok || v == "" {
			return
		}
		if e := fs.Set(f.Name, v); e != nil {
			err = fmt.Errorf("%s=%q: %v", EnvName(f.Name), v, e)
		}
	})
	return err
}

// Reports collects --report KIND=PATH, repeatable.
type Reports []Report

// Report is one report to write.
type Report struct{ Kind, Path string }

// ReportKinds are the kinds --report knows.
var reportKinds = []string{"json", "junit", "markdown", "md", "html"}

func (r *Reports) String() string {
	parts := make([]string, len(*r))
	for i, x := range *r {
		parts[i] = x.Kind + "=" + x.Path
	}
	return strings.Join(parts, ",")
}

// Set adds one KIND=PATH.
func (r *Reports) Set(v string) error {
	kind, path, ok := strings.Cut(v, "=")
	if !ok || path == "" {
		return fmt.Errorf("--report wants KIND=PATH, got %q", v)
	}
	known := false
	for _, k := range reportKinds {
		known = known || k == kind
	}
	if !known {
		return fmt.Errorf("--report: unknown kind %q (json, junit, markdown, html)", kind)
	}
	*r = append(*r, Report{Kind: kind, Path: path})
	return nil
}
