package emulator

import (
	"time"

	"github.com/mfaconform/mfaconform/contracts"
)

// DefaultMaxBody is the largest request body the emulator reads unless
// WithMaxBody says otherwise. Real requests of these operations are a few
// kilobytes; the largest valid one (an ExternalId of 131072 characters)
// stays well below it.
const DefaultMaxBody int64 = 1 << 20

// DefaultMaxPools is how many pools an emulator holds at once unless
// WithMaxPools says otherwise: AWS's default quota of user pools per account
// (and Region), so that a client creating pools in a loop meets the error it
// would meet on AWS instead of filling the emulator's memory.
const DefaultMaxPools = 1000

// DefaultMaxPoolBytes is how many bytes of configuration (names, SMS and
// email configurations, MFA configurations) the pools of an emulator hold
// at once unless WithMaxPoolBytes says otherwise. A pool at the
// contract's largest (an ExternalId of 131,072 characters in its SMS
// configuration and its MFA configuration) holds under 1 MiB, so a client
// may keep at least 64 such pools, and 1,000 (the pool quota) of a
// few kilobytes each, as a run's fixture pools are; past it, a write
// answers LimitExceededException as the pool quota does.
const DefaultMaxPoolBytes int64 = 64 << 20

// DefaultSeed seeds the pool ID generator unless WithSeed says otherwise.
const DefaultSeed int64 = 1

// Option configures an Emulator.
type Option func(*config)

type config struct {
	world    *contracts.World
	maxBody  int64
	maxPools int
	// maxPoolBytes bounds poolRecord.size summed over the pools.
	maxPoolBytes int64
	seed         int64
	now          func() time.Time
	choose       func(*contracts.Expectation)
}

func defaults() config {
	return config{world: contracts.DefaultWorld(), maxBody: DefaultMaxBody, maxPools: DefaultMaxPools,
		maxPoolBytes: DefaultMaxPoolBytes, seed: DefaultSeed, now: time.Now}
}

// WithChoice has choose adjust each Set and Get expectation before the
// emulator answers its preferred outcome (Outcomes[0]): an emulator that
// makes other choices where the contract allows several, as a service the
// contract is unsure about may (an observations file's Narrower, say).
// For tests of calibration; nil keeps the contract's preferences.
func WithChoice(choose func(*contracts.Expectation)) Option {
	return func(c *config) { c.choose = choose }
}

// WithWorld sets the fixture world: its SMS roles decide the SMS role rules,
// its region names the pools created by calls that carry no SigV4 region,
// and its pools exist from the start.
// A nil world keeps the default (contracts.DefaultWorld).
func WithWorld(w *contracts.World) Option {
	return func(c *config) {
		if w != nil {
			c.world = w
		}
	}
}

// WithMaxBody sets the largest request body, in bytes, the emulator reads;
// a larger one is refused with 413 before it is read in full.
func WithMaxBody(n int64) Option { return func(c *config) { c.maxBody = n } }

// WithMaxPools sets how many pools may exist at once, the world's included;
// CreateUserPool beyond it answers LimitExceededException until a pool is
// deleted.
func WithMaxPools(n int) Option { return func(c *config) { c.maxPools = n } }

// WithMaxPoolBytes sets how many bytes of configuration the pools may
// hold at once, the world's included; a CreateUserPool or a
// SetUserPoolMfaConfig that would take them past it answers
// LimitExceededException until a pool is deleted.
func WithMaxPoolBytes(n int64) Option { return func(c *config) { c.maxPoolBytes = n } }

// WithSeed seeds the generator of pool IDs, so that a run's IDs repeat.
func WithSeed(seed int64) Option { return func(c *config) { c.seed = seed } }

// WithClock sets the clock that stamps CreationDate and LastModifiedDate.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now != nil {
			c.now = now
		}
	}
}
