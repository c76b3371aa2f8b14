package harness

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness/observed"
	"github.com/mfaconform/mfaconform/internal/config"
	"github.com/mfaconform/mfaconform/internal/rate"
)

// Version is the tool version carried by reports and cassettes.
const Version = config.Version

// ErrOption is wrapped by the error of Run and Check when an option was
// given a value it refuses (a negative count, no worker, a rate that is
// not a finite number, rule globs that match no rule...): the error names
// the option and the value. Nothing is sent then.
var ErrOption = errors.New("invalid option")

// Option configures a run. With none, a run is the default one: 500 cases
// of seed 1, four workers, every rule, the default world. Each option
// checks its value: Run refuses a run whose options do not all hold.
type Option struct {
	apply func(*config.Config) error
}

func init() {
	config.RegisterOptions(
		func(f func(*config.Config) error) any { return Option{apply: f} },
		func(opts any) (config.Config, error) { return configure(opts.([]Option)) })
}

// configure is the one place options are applied: the configuration they
// make from the defaults, and every refused value, joined.
func configure(opts []Option) (config.Config, error) {
	c := config.Default()
	var errs []error
	for _, o := range opts {
		if o.apply == nil {
			continue
		}
		if err := o.apply(&c); err != nil {
			errs = append(errs, err)
		}
	}
	return c, errors.Join(errs...)
}

// set makes an option that sets its value, or refuses it with the reason
// check gives (empty when the value holds). name and v make the message:
// WithParallel(0): ...
func set[V any](name string, v V, check func(V) string, assign func(*config.Config, V)) Option {
	return Option{apply: func(c *config.Config) error {
		if check != nil {
			if why := check(v); why != "" {
				return fmt.Errorf("%w: %s(%v): %s", ErrOption, name, v, why)
			}
		}
		assign(c, v)
		return nil
	}}
}

func atLeastOne(n int) string {
	if n < 1 {
		return "must be at least 1"
	}
	return ""
}

func notNegative[N int | int64 | time.Duration](n N) string {
	if n < 0 {
		return "must not be negative"
	}
	return ""
}

func positive(d time.Duration) string {
	if d <= 0 {
		return "must be above 0"
	}
	return ""
}

// WithRegion sets the region the SDK client signs for.
func WithRegion(r string) Option {
	return set("WithRegion", r, func(r string) string {
		if r == "" {
			return "no region"
		}
		return ""
	}, func(c *config.Config, r string) { c.Region = r })
}

// WithChecks sets how many cases a run sends (at least the sweep).
func WithChecks(n int) Option {
	return set("WithChecks", n, atLeastOne, func(c *config.Config, n int) { c.Checks = n })
}

// WithDuration replaces the count of WithChecks by a time: the sweep, then
// seeded random cases until d has passed. 0 goes back to the count.
func WithDuration(d time.Duration) Option {
	return set("WithDuration", d, notNegative, func(c *config.Config, d time.Duration) { c.Duration = d })
}

// WithSeed sets the seed: the same seed gives the same cases.
func WithSeed(s int64) Option {
	return set("WithSeed", s, nil, func(c *config.Config, s int64) { c.Seed = s })
}

// WithParallel sets how many workers send cases at once. Cases run in
// four lanes of fixed order, so that a seed finds the same deviations
// whatever the parallelism: more than four workers are not busier.
func WithParallel(p int) Option {
	return set("WithParallel", p, atLeastOne, func(c *config.Config, p int) { c.Parallel = p })
}

// WithRules limits the report to the rules matching the globs
// (contracts.MatchRules). Globs that are malformed, or that together match
// no rule, are refused: a run that checks nothing would pass.
func WithRules(globs ...string) Option {
	return set("WithRules", globs, func(globs []string) string {
		ids, err := contracts.MatchRules(globs...)
		switch {
		case len(globs) == 0:
			return "no glob"
		case err != nil:
			return err.Error()
		case len(ids) == 0:
			return "matches no rule"
		}
		return ""
	}, func(c *config.Config, globs []string) { c.Rules = globs })
}

// WithShard makes the run shard index (1-based) of total: it sends only
// the cases that shard owns (config.Shard: blocks of whole rounds of
// four cases, one a lane, dealt in turn), with the shard in its pools' names, and its report
// records the shard for Merge. The total shards of one seed and count
// send together each case of the unsharded run once. WithShard(1, 1) is
// the whole run as one shard; the index must be from 1 to total.
func WithShard(index, total int) Option {
	return set("WithShard", config.Shard{Index: index, Total: total}, func(s config.Shard) string {
		if total < 1 {
			return "the number of shards must be at least 1"
		}
		return s.Check()
	}, func(c *config.Config, s config.Shard) { c.Shard = s })
}

// WithStrictMessages makes message findings fail instead of warn.
func WithStrictMessages(b bool) Option {
	return set("WithStrictMessages", b, nil, func(c *config.Config, b bool) { c.StrictMessages = b })
}

// WithWorld replaces the default fixture world; nil means the default.
func WithWorld(w *contracts.World) Option {
	return Option{apply: func(c *config.Config) error { c.World = w; return nil }}
}

// WithCallTimeout bounds each call; it must be above 0.
func WithCallTimeout(d time.Duration) Option {
	return set("WithCallTimeout", d, positive, func(c *config.Config, d time.Duration) { c.CallTimeout = d })
}

// WithRetries sets how often a throttled call is retried, and the first
// back-off (doubled each time). Neither may be negative.
func WithRetries(n int, backoff time.Duration) Option {
	return Option{apply: func(c *config.Config) error {
		if n < 0 || backoff < 0 {
			return fmt.Errorf("%w: WithRetries(%d, %v): must not be negative", ErrOption, n, backoff)
		}
		c.MaxRetries, c.Backoff = n, backoff
		return nil
	}}
}

// WithShrink turns shrinking of failures on or off.
func WithShrink(b bool) Option {
	return set("WithShrink", b, nil, func(c *config.Config, b bool) { c.Shrink = b })
}

// WithReproduce sets the command line reports print to reproduce a
// failure; "--rules <id>" is appended.
func WithReproduce(cmd string) Option {
	return set("WithReproduce", cmd, nil, func(c *config.Config, s string) { c.Reproduce = s })
}

// WithRate bounds the run's calls to perSecond a second, every call of it
// counted (fixtures and cleanup too), all workers sharing one token
// bucket; 0 is no bound. A rate that is negative, not a finite number, or
// under one call every 100 seconds is refused. With a live target it can
// only slow the run: its own rate (LiveRate) still holds.
func WithRate(perSecond float64) Option {
	return set("WithRate", perSecond, func(r float64) string {
		if why := rate.Invalid(r); why != "" && r != 0 {
			return why + " (or 0: no bound)"
		}
		return ""
	}, func(c *config.Config, r float64) { c.Rate = r })
}

// WithMaxCalls is a hard budget of calls: once spent, the run sends no
// further case and shrinks no further, and its report says the budget
// ended it (rules no case reached are skip). The cleanup is never refused
// and is counted apart (Summary.CleanupCalls). 0 is no budget.
func WithMaxCalls(n int64) Option {
	return set("WithMaxCalls", n, notNegative, func(c *config.Config, n int64) { c.MaxCalls = n })
}

// WithTargetName names the target in reports; a named report leaves out
// what changes from run to run (the endpoint's port, pool IDs).
func WithTargetName(name string) Option {
	return set("WithTargetName", name, nil, func(c *config.Config, s string) { c.TargetName = s })
}

// Progress is how far a run has got, as WithProgress tells it.
type Progress struct {
	// Done counts the cases judged; Total is the run's count, 0 with a
	// duration (Left is then the time left).
	Done, Total int
	Left        time.Duration
	// Calls counts the calls sent so far.
	Calls   int64
	Elapsed time.Duration
	// Failing counts the rules failing so far.
	Failing int
}

// WithProgress has f called about four times a second while cases are
// sent, from a goroutine of its own; nil calls nothing.
func WithProgress(f func(Progress)) Option {
	return Option{apply: func(c *config.Config) error {
		c.Progress = nil
		if f != nil {
			c.Progress = func(p config.Progress) { f(Progress(p)) }
		}
		return nil
	}}
}

// WithCleanupContext bounds the cleanup: fixtures are deleted at the end
// of every run, also an interrupted one, until ctx ends (a second
// interrupt, say); what is not deleted by then is reported left over. By
// default the cleanup is not cut short.
func WithCleanupContext(ctx context.Context) Option {
	return Option{apply: func(c *config.Config) error { c.HardStop = ctx; return nil }}
}

// WithObserved narrows the contract to the points an observations file
// settled (harness/observed, written by `mfaconform calibrate` from
// recordings of AWS): at each, the other answers no longer pass, and a
// known message is checked as message rules are. Every finding on a call
// it narrowed says so (Finding.Basis "observed", with the recordings'
// dates). A nil file, or one for another contract revision, is refused.
func WithObserved(f *observed.File) Option {
	return Option{apply: func(c *config.Config) error {
		switch {
		case f == nil:
			return fmt.Errorf("%w: WithObserved(nil): want an observations file (observed.Read)", ErrOption)
		case f.Contract != contracts.Revision:
			return fmt.Errorf("%w: WithObserved: observations of contract %q; this build follows %q", ErrOption, f.Contract, contracts.Revision)
		}
		c.Narrow = f.Narrower()
		return nil
	}}
}
