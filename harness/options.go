package harness

import (
	"time"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/internal/config"
)

// Version is the tool version carried by reports and cassettes.
const Version = config.Version

// Option configures a run. The zero configuration is a default run: 500
// cases of seed 1, four workers, every rule, the default world.
type Option func(*config.Config)

func configure(opts []Option) config.Config {
	c := config.Default()
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	if c.Parallel < 1 {
		c.Parallel = 1
	}
	if len(c.Rules) == 0 {
		c.Rules = []string{"*"}
	}
	def := config.Default()
	if c.PoolPrefix == "" {
		c.PoolPrefix = def.PoolPrefix
	}
	if c.RoleWait <= 0 {
		c.RoleWait = def.RoleWait
	}
	if c.RoleBackoff <= 0 {
		c.RoleBackoff = def.RoleBackoff
	}
	return c
}

// WithRegion sets the region the SDK client signs for.
func WithRegion(r string) Option { return func(c *config.Config) { c.Region = r } }

// WithChecks sets how many cases a run sends (at least the sweep).
func WithChecks(n int) Option { return func(c *config.Config) { c.Checks = n } }

// WithSeed sets the seed: the same seed gives the same cases.
func WithSeed(s int64) Option { return func(c *config.Config) { c.Seed = s } }

// WithParallel sets how many workers send cases at once. Cases run in
// four lanes of fixed order, so that a seed finds the same deviations
// whatever the parallelism: more than four workers are not busier.
func WithParallel(p int) Option { return func(c *config.Config) { c.Parallel = max(p, 1) } }

// WithRules limits the report to the rules matching the globs.
func WithRules(globs ...string) Option { return func(c *config.Config) { c.Rules = globs } }

// WithStrictMessages makes message findings fail instead of warn.
func WithStrictMessages(b bool) Option { return func(c *config.Config) { c.StrictMessages = b } }

// WithWorld replaces the default fixture world; nil means the default.
func WithWorld(w *contracts.World) Option { return func(c *config.Config) { c.World = w } }

// WithCallTimeout bounds each call.
func WithCallTimeout(d time.Duration) Option { return func(c *config.Config) { c.CallTimeout = d } }

// WithRetries sets how often a throttled call is retried, and the first
// back-off (doubled each time).
func WithRetries(n int, backoff time.Duration) Option {
	return func(c *config.Config) { c.MaxRetries, c.Backoff = n, backoff }
}

// WithShrink turns shrinking of failures on or off.
func WithShrink(b bool) Option { return func(c *config.Config) { c.Shrink = b } }

// WithReproduce sets the command line reports print to reproduce a
// failure; "--rules <id>" is appended.
func WithReproduce(cmd string) Option { return func(c *config.Config) { c.Reproduce = cmd } }

// WithRate bounds the run's calls to perSecond a second, every call of it
// counted (fixtures and cleanup too), all workers sharing one token
// bucket; 0 is no bound.
func WithRate(perSecond float64) Option { return func(c *config.Config) { c.Rate = perSecond } }

// WithMaxCalls is a hard budget of calls: once spent, the run sends no
// further case and shrinks no further, and its report says the budget
// ended it (rules no case reached are skip). The cleanup is never refused
// and is counted apart (Summary.CleanupCalls). 0 is no budget.
func WithMaxCalls(n int64) Option { return func(c *config.Config) { c.MaxCalls = n } }

// WithTargetName names the target in reports; a named report leaves out
// what changes from run to run (the endpoint's port, pool IDs).
func WithTargetName(name string) Option { return func(c *config.Config) { c.TargetName = name } }
