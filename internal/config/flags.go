package config

import (
	"flag"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// EnvPrefix starts every flag's environment twin: --strict-messages is
// MFACONFORM_STRICT_MESSAGES.
const EnvPrefix = "MFACONFORM_"

// EnvName is the environment twin of a flag.
func EnvName(flagName string) string {
	return EnvPrefix + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// envAliases are twins under another name than EnvName's, read first: the
// allowlist is a list, and its variable is named so.
var envAliases = map[string]string{"allow-account": EnvPrefix + "ALLOW_ACCOUNTS"}

// envNames are the variables that are a flag's twin, the one usage names
// first.
func envNames(flagName string) []string {
	if alias, ok := envAliases[flagName]; ok {
		return []string{alias, EnvName(flagName)}
	}
	return []string{EnvName(flagName)}
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
	// Out is where calibrate writes the observations file; Observed is an
	// observations file that narrows the contract.
	Out      string
	Observed string
	// MaxCassetteBytes bounds what a command reads of one cassette,
	// unpacked.
	MaxCassetteBytes int64
	// RulesSet: --rules (or its twin) was given.
	RulesSet bool
	// Live: run against AWS through the SDK's default credential chain,
	// in an account of AllowAccounts only.
	Live          bool
	AllowAccounts Accounts
	// OlderThan and DryRun: what sweep deletes, and whether it only says.
	OlderThan time.Duration
	DryRun    bool
}

// Accounts collects --allow-account ID[,ID...], repeatable.
type Accounts []string

var accountID = regexp.MustCompile(`^[0-9]{12}$`)

func (a *Accounts) String() string { return strings.Join(*a, ",") }

// Set adds each comma-separated account ID; each must be twelve digits.
func (a *Accounts) Set(v string) error {
	for _, id := range strings.Split(v, ",") {
		id = strings.TrimSpace(id)
		if id == "" {
			continue
		}
		if !accountID.MatchString(id) {
			return fmt.Errorf("%q is not an AWS account ID (twelve digits)", id)
		}
		*a = append(*a, id)
	}
	return nil
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
		fs.StringVar(&s.Region, "region", s.Region, "`REGION` the SDK signs for; the default serves emulators, and a live run (run --live, sweep) needs it given")
	},
	"checks": func(fs *flag.FlagSet, s *Settings) {
		fs.IntVar(&s.Checks, "checks", s.Checks, "send `N` cases, at least the deterministic sweep")
	},
	"seed": func(fs *flag.FlagSet, s *Settings) {
		fs.Int64Var(&s.Seed, "seed", s.Seed, "`SEED` of the random cases; the same seed sends the same cases")
	},
	"parallel": func(fs *flag.FlagSet, s *Settings) {
		fs.IntVar(&s.Parallel, "parallel", s.Parallel, fmt.Sprintf("`P` workers sending cases at once (at most %d are busy: cases run in %d lanes of fixed order)", Lanes, Lanes))
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
	"shard": func(fs *flag.FlagSet, s *Settings) {
		fs.Func("shard", "send only shard `I/N` (1-based) of the seed's cases, for N machines that `merge` joins; its pools carry the shard in their names", func(v string) error {
			sh, err := ParseShard(v)
			s.Shard = sh
			return err
		})
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
		fs.DurationVar(&s.CallTimeout, "timeout", s.CallTimeout, "per-call timeout `D`")
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
	"out": func(fs *flag.FlagSet, s *Settings) {
		fs.StringVar(&s.Out, "out", s.Out, "write the observations of the settled and mixed points to `OBSERVED.yaml`, for review")
	},
	"observed": func(fs *flag.FlagSet, s *Settings) {
		fs.StringVar(&s.Observed, "observed", s.Observed, "narrow the contract to the points settled in `OBSERVED.yaml` (written by calibrate); findings there say basis observed")
	},
	"from": func(fs *flag.FlagSet, s *Settings) {
		fs.StringVar(&s.From, "from", s.From, "the JSON `REPORT` to make a ledger from")
	},
	"expires": func(fs *flag.FlagSet, s *Settings) {
		fs.StringVar(&s.Expires, "expires", s.Expires, "expiry `DATE` (YYYY-MM-DD) of the ledger's entries (default: 90 days from today)")
	},
	"live": func(fs *flag.FlagSet, s *Settings) {
		fs.BoolVar(&s.Live, "live", s.Live, "run against AWS with the SDK's default credentials and endpoint resolution (AWS_PROFILE, AWS_ENDPOINT_URL); needs --region and --allow-account")
	},
	"allow-account": func(fs *flag.FlagSet, s *Settings) {
		fs.Var(&s.AllowAccounts, "allow-account", "AWS account `ID`s this command may write to, comma-separated; repeatable")
	},
	"rate": func(fs *flag.FlagSet, s *Settings) {
		fs.Float64Var(&s.Rate, "rate", s.Rate, fmt.Sprintf("at most `R` calls a second, every call of the run counted (0: no bound, which live commands, run --live and sweep, refuse; their default is %g)", LiveRate))
	},
	"max-calls": func(fs *flag.FlagSet, s *Settings) {
		fs.Int64Var(&s.MaxCalls, "max-calls", s.MaxCalls, fmt.Sprintf("a budget of `N` calls: once spent no case is sent, the cleanup apart (0: none, which run --live refuses; its default is %d)", LiveMaxCalls))
	},
	"older-than": func(fs *flag.FlagSet, s *Settings) {
		fs.DurationVar(&s.OlderThan, "older-than", s.OlderThan, "delete only what a run created at least `D` ago (by its mfaconform:created tag)")
	},
	"dry-run": func(fs *flag.FlagSet, s *Settings) {
		fs.BoolVar(&s.DryRun, "dry-run", s.DryRun, "list what would be deleted, delete nothing")
	},
	"rejudge": func(fs *flag.FlagSet, s *Settings) {
		fs.BoolVar(&s.Rejudge, "rejudge", s.Rejudge, "judge each recorded interaction in order instead of re-running the recorded run; automatic for cassettes recorded by other generators")
	},
}

// Define defines the named flags on fs, bound to s, each usage line naming
// its environment twin. It panics on a name the table does not have: a
// programming error. A command defines its flags with DefineCommand.
func (s *Settings) Define(fs *flag.FlagSet, names ...string) {
	for _, name := range names {
		s.define(fs, name, "")
	}
}

// define defines one flag; meaning, when not "", replaces the table's.
func (s *Settings) define(fs *flag.FlagSet, name, meaning string) {
	d, ok := flags[name]
	if !ok {
		panic("config: no flag " + name + " in the table; add it to flags")
	}
	d(fs, s)
	f := fs.Lookup(name)
	if meaning != "" {
		f.Usage = meaning
	}
	f.Usage += " (env " + strings.Join(envNames(name), " or ") + ")"
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
		for _, name := range envNames(f.Name) {
			v, ok := lookup(name)
			if !ok || v == "" {
				continue
			}
			if e := fs.Set(f.Name, v); e != nil {
				err = fmt.Errorf("%s=%q: %v", name, v, e)
			}
			return
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
