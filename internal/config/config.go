// Package config is the one place for mfaconform's defaults, its version,
// and the command line's flags with their environment twins: the library
// (harness options), the command line and the cassette header all read
// the same struct.
package config

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/fuzz"
	"github.com/mfaconform/mfaconform/internal/judge"
)

// Version is the tool version carried by reports and cassettes.
const Version = "0.1.0"

// Lanes is how many independent sequences of cases a run has. Case i
// runs in lane i mod Lanes, on that lane's pools, after the lane's earlier
// cases: what a case finds on a target that keeps state between calls
// depends on the cases before it on the same pools, so a fixed schedule
// makes the same seed find the same deviations whatever the parallelism.
// More workers than lanes have nothing to do.
const Lanes = 4

// MaxResponse bounds what the harness reads or records of one answer: a
// target that answers without end is cut, not read into memory. The
// longest answer of a conforming target echoes an ExternalId of 131,072
// characters; a recording of 20 answers of 50 MB each holds 20 MiB of
// them (and the size and digest of each whole answer).
const MaxResponse = 1 << 20

// MaxSilent is how many calls in a row may go unanswered before a run (or
// a diff) stops: the target stopped answering, and every further call
// would only wait for its timeout. A run also stops once that many calls
// of one operation had no answer, in a row or not: a target that hangs on
// one operation while it answers the others.
const MaxSilent = 5

// Live runs' defaults: well under Cognito's per-account quotas of 15
// calls a second per category (contract.md §5), and a budget that a
// default run (about 1,900 calls) fits in. A live command always has a
// rate and a budget: 0 (no bound) is refused.
const (
	LiveRate     = 5.0
	LiveMaxCalls = 3000
)

// PoolPrefix starts the name of every pool a run creates; a live run adds
// its run ID (mfaconform-<runID>-).
const PoolPrefix = "mfaconform-"

// MaxCassetteBytes is the default bound on what is read of one cassette,
// unpacked.
const MaxCassetteBytes = 64 << 20

// Config is a run's configuration.
type Config struct {
	Region         string
	Checks         int
	Seed           int64
	Parallel       int
	Rules          []string
	StrictMessages bool
	// World is the fixture world; nil is the default world.
	World       *contracts.World
	CallTimeout time.Duration
	// MaxRetries and Backoff: how often a throttled call is retried, and
	// the first back-off (doubled each time).
	MaxRetries int
	Backoff    time.Duration
	Shrink     bool
	// Reproduce is the command line reports print to reproduce a failure;
	// "--rules <id>" is appended.
	Reproduce  string
	TargetName string
	// Duration, when above 0, replaces Checks: the sweep, then seeded
	// random cases until it has passed.
	Duration time.Duration
	// Progress, when set, is called a few times a second while cases are
	// sent.
	Progress func(Progress)
	// Shard, when set (Total above 0), is the part of the seed's cases
	// this run sends (see Shard).
	Shard Shard
	// Known lists rules, by ID, whose failures are known deviations of the
	// handler a go test checks (mfatest.Known). harness/mfatest logs their
	// failures instead of failing the test. Run and Check report them as
	// any other failure. The command line's ledger (--known,
	// harness/ledger) is another thing: reviewed entries matched on each
	// deviation's signature after the run, with reasons and expiry dates.
	Known []contracts.RuleID

	// Rate bounds the run's calls per second, every call of it (cases,
	// fixtures, IAM, cleanup), with one token bucket that every worker
	// shares; 0 is no bound.
	Rate float64
	// MaxCalls is a hard budget of calls: once spent, the run sends no
	// further case and shrinks no further. The cleanup is never refused
	// and is counted apart. 0 is no budget.
	MaxCalls int64

	// Seams for the project's own packages (harness.Option is a func over
	// this struct, and only this module can name it).

	// Cases, when set, are run instead of the generated ones.
	Cases []fuzz.Case
	// Recorded, when set, are judged in order instead of sending anything:
	// a recording made by other generators (replay --rejudge).
	Recorded []judge.Exchange
	// Watch, when set, is told what each judged Set and Get showed at the
	// contract's uncertain points (calibrate); it must be safe for
	// concurrent use. Narrow, when set, narrows each expectation to what
	// observations of the service settled (--observed).
	Watch  func([]judge.Seen)
	Narrow func(*contracts.Expectation)

	// Live runs: harness.Run sets these from a harness.LiveTarget, and
	// nothing else does.

	// RunID names a live run: its pools are PoolPrefix+RunID+"-..." and
	// its reports say it.
	RunID string
	// PoolPrefix starts every pool name; PoolTags are put on every pool.
	PoolPrefix string
	PoolTags   map[string]string
	// Account, when set, is the AWS account of a live run: its fixtures
	// outside Cognito, made before the first case and deleted at the end.
	// The world's roles that trust cognito-idp are then waited for (IAM is
	// eventually consistent), from RoleBackoff doubling, for at most
	// RoleWait.
	Account     Account
	RoleWait    time.Duration
	RoleBackoff time.Duration
	// HardStop, when it ends, stops the cleanup (a second interrupt): what
	// is not deleted by then is reported as left.
	HardStop context.Context
}

// Shard is part Index (1-based) of Total of a run's cases. A run's
// cases are cut into blocks of whole rounds (Lanes cases, one a lane),
// dealt to the shards in turn: with a count of cases, one block a shard,
// so that each lane's cases follow each other as in the unsharded run
// but at the start of a shard's block (where the lane's pools are new);
// with a duration, blocks of DurationBlock rounds. The Total shards
// together send each case of the unsharded run once, and each shard
// keeps every lane busy. The zero Shard is the whole run.
type Shard struct {
	Index int `json:"index" yaml:"index"`
	Total int `json:"total" yaml:"total"`
}

// DurationBlock is how many rounds of cases a block of a sharded run
// with a duration holds (its count of cases is not known).
const DurationBlock = 16

// Sharded reports whether s is part of a run rather than the whole.
func (s Shard) Sharded() bool { return s.Total > 0 }

// blockCases is how many cases a block of a run of n cases holds; n is
// math.MaxInt for a run with a duration.
func (s Shard) blockCases(n int) int {
	if n == math.MaxInt {
		return DurationBlock * Lanes
	}
	rounds := (n + Lanes - 1) / Lanes
	return max(1, (rounds+s.Total-1)/s.Total) * Lanes
}

// Owns reports whether case i of a run of n cases is in the shard.
func (s Shard) Owns(i, n int) bool {
	return !s.Sharded() || (i/s.blockCases(n))%s.Total == s.Index-1
}

// Cases counts the cases of a run of n cases that the shard owns.
func (s Shard) Cases(n int) int {
	if !s.Sharded() {
		return n
	}
	size := s.blockCases(n)
	blocks, rest := n/size, n%size
	owned := (blocks / s.Total) * size
	if b := blocks % s.Total; s.Index-1 < b {
		owned += size
	} else if s.Index-1 == b {
		owned += rest
	}
	return owned
}

// String is the shard as --shard takes it: "I/N".
func (s Shard) String() string {
	return fmt.Sprintf("%d/%d", s.Index, s.Total)
}

// Check says what is wrong with a shard; "" when it holds.
func (s Shard) Check() string {
	switch {
	case s == Shard{}:
		return ""
	case s.Total < 1:
		return "the number of shards must be at least 1"
	case s.Index < 1 || s.Index > s.Total:
		return fmt.Sprintf("the shard must be from 1 to %d", s.Total)
	}
	return ""
}

// ParseShard reads "I/N" (1-based, as Playwright's --shard).
func ParseShard(v string) (Shard, error) {
	i, n, ok := strings.Cut(strings.TrimSpace(v), "/")
	if !ok {
		return Shard{}, fmt.Errorf("%q is not a shard: want I/N, e.g. 2/4", v)
	}
	var s Shard
	var err1, err2 error
	s.Index, err1 = strconv.Atoi(i)
	s.Total, err2 = strconv.Atoi(n)
	if err1 != nil || err2 != nil {
		return Shard{}, fmt.Errorf("%q is not a shard: want I/N, e.g. 2/4", v)
	}
	if why := s.Check(); why != "" || s.Total == 0 {
		return Shard{}, fmt.Errorf("shard %q: %s", v, cmp.Or(why, "the number of shards must be at least 1"))
	}
	return s, nil
}

// Progress is how far a run has got.
type Progress struct {
	// Done counts the cases judged; Total is the run's count, 0 with a
	// duration (Left is then the time left).
	Done, Total int
	Left        time.Duration
	Calls       int64
	Elapsed     time.Duration
	// Failing counts the rules failing so far.
	Failing int
}

// Account is what a live run does in its AWS account besides the Cognito
// calls it judges: harness/live makes the world's SMS roles in IAM. Every
// call it makes first passes gate: the run's token bucket and call budget
// (a call of Teardown is never refused by the budget).
type Account interface {
	Provision(ctx context.Context, gate func(context.Context) error) error
	// Teardown deletes what Provision made and returns what it could not.
	Teardown(ctx context.Context, gate func(context.Context) error) []Undeleted
}

// Undeleted is something a run made and could not delete, and why.
type Undeleted struct{ Name, Why string }

// Default is the configuration of a run given no options.
func Default() Config {
	return Config{Region: "us-east-1", Checks: 500, Seed: 1, Parallel: 4, Rules: []string{"*"},
		CallTimeout: 10 * time.Second, MaxRetries: 8, Backoff: 20 * time.Millisecond, Shrink: true,
		PoolPrefix: PoolPrefix, RoleWait: 2 * time.Minute, RoleBackoff: time.Second}
}

// WorldOrDefault is the run's world: nil means the default world.
func (c *Config) WorldOrDefault() *contracts.World {
	if c.World == nil {
		return contracts.DefaultWorld()
	}
	return c.World
}

// Recorded is what a cassette header keeps of a run's configuration: the
// settings that decide which calls it sends and how they are judged.
type Recorded struct {
	Region         string   `yaml:"region"`
	Checks         int      `yaml:"checks"`
	Parallel       int      `yaml:"parallel"`
	Rules          []string `yaml:"rules"`
	StrictMessages bool     `yaml:"strict_messages"`
	Fixtures       string   `yaml:"fixtures,omitempty"`
	Timeout        string   `yaml:"timeout,omitempty"`
	// Shard is the part of the run a shard recorded; replaying it sends
	// that part again.
	Shard *Shard `yaml:"shard,omitempty"`
}

// Record is the part of c a cassette header keeps; fixtures names the
// world's file.
func (c *Config) Record(fixtures string) Recorded {
	return Recorded{Region: c.Region, Checks: c.Checks, Parallel: c.Parallel, Rules: c.Rules,
		StrictMessages: c.StrictMessages, Fixtures: fixtures, Timeout: c.CallTimeout.String(), Shard: shardOrNil(c.Shard)}
}

func shardOrNil(s Shard) *Shard {
	if !s.Sharded() {
		return nil
	}
	return &s
}

// Apply sets the recorded settings on c; zero values keep c's.
func (r Recorded) Apply(c *Config) {
	if r.Region != "" {
		c.Region = r.Region
	}
	if r.Checks > 0 {
		c.Checks = r.Checks
	}
	if r.Parallel > 0 {
		c.Parallel = r.Parallel
	}
	if len(r.Rules) > 0 {
		c.Rules = r.Rules
	}
	c.StrictMessages = r.StrictMessages
	if d, err := time.ParseDuration(r.Timeout); err == nil && d > 0 {
		c.CallTimeout = d
	}
	if r.Shard != nil && r.Shard.Check() == "" {
		c.Shard = *r.Shard
	}
}
