package mfatest

import (
	"fmt"
	"slices"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/internal/config"
)

// Known marks rules as known deviations of the handler under test: a
// failure of one of them is logged with its finding, and does not fail
// the test. A known rule that passes is logged too, so that the list can
// be trimmed. Options accumulate: Known(a), Known(b) knows both.
//
// Only this package reads the list: harness.Run and harness.Check report
// known rules as any other.
func Known(ids ...contracts.RuleID) harness.Option {
	ids = slices.Clone(ids)
	return config.OptionOf[harness.Option](func(c *config.Config) { c.Known = append(c.Known, ids...) })
}

// settings is the configuration the options make: the package reads the
// known rules from it; the run itself applies the options again (and
// reports a refused option).
func settings(opts []harness.Option) config.Config {
	c, _ := config.Resolve(opts)
	return c
}

// unknownIDs returns an error for each listed ID the catalogue does not
// have: a typo would otherwise silently fail the rule it meant to excuse.
func unknownIDs(known []contracts.RuleID) []error {
	var errs []error
	for _, id := range known {
		if contracts.RuleByID(id) == nil {
			errs = append(errs, fmt.Errorf("mfatest.Known: no rule %q in the catalogue (contracts.Rules lists them)", id))
		}
	}
	return errs
}
