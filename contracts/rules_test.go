package contracts_test

import (
	"errors"
	"path"
	"slices"
	"strings"
	"testing"

	c "github.com/mfaconform/mfaconform/contracts"
)

func TestMatchRules(t *testing.T) {
	for _, r := range []struct {
		name, reason string
		globs        []string
		want         []c.RuleID
		// bad is the malformed glob MatchRules must report; "" is none.
		bad string
	}{
		{"exact", "a rule ID is a glob of itself", []string{"set.off-with-factor"}, []c.RuleID{c.RuleOffWithFactor}, ""},
		{"group", "design.md --rules GLOB", []string{"message.*"}, []c.RuleID{c.RuleMessageMfaRules, c.RuleMessageNotFound, c.RuleMessageValidation}, ""},
		{"get prefix", "* stops at nothing but the end", []string{"get.*"}, []c.RuleID{c.RuleFreshPool, c.RuleReadAfterWrite, c.RuleGetUserPoolIDLength, c.RuleGetUserPoolIDPattern, c.RuleGetUserPoolIDRequired}, ""},
		{"middle star", "path.Match: * in the middle", []string{"set.*.length"}, []c.RuleID{c.RuleSetEmailMessageLength, c.RuleSetExternalIDLength, c.RuleSetRelyingPartyIDLength,
			c.RuleSetSmsMessageLength, c.RuleSetSnsCallerArnLength, c.RuleSetSnsRegionLength, c.RuleSetUserPoolIDLength}, ""},
		{"two args", "MatchRules is variadic", []string{"pool.*", "describe.*"}, []c.RuleID{c.RuleDescribeMfaConfigMFA, c.RulePoolNotFound}, ""},
		{"comma separated", "--rules takes a comma-separated list", []string{"pool.*,describe.*"}, []c.RuleID{c.RuleDescribeMfaConfigMFA, c.RulePoolNotFound}, ""},
		{"overlap once", "each ID once", []string{"pool.*", "pool.not-found"}, []c.RuleID{c.RulePoolNotFound}, ""},
		{"question mark", "path.Match: ?", []string{"set.sms-role-?????s"}, []c.RuleID{c.RuleSmsRoleAccess}, ""},
		{"class", "path.Match: [...]", []string{"protocol.[su]*"}, []c.RuleID{c.RuleProtocolStatus, c.RuleProtocolUnknownOperation}, ""},
		{"nothing", "no match is not an error: the caller says so", []string{"nope.*"}, nil, ""},
		{"bad glob", "an unclosed class is malformed", []string{"set.["}, nil, "set.["},
		{"bare bracket", "the glob the command line reports", []string{"["}, nil, "["},
		{"bad glob after a good one", "every glob is checked", []string{"set.*,["}, nil, "["},
		{"bad glob that could match nothing", "malformed even where no rule starts with x", []string{"x\\"}, nil, "x\\"},
	} {
		t.Run(r.name, func(t *testing.T) {
			got, err := c.MatchRules(r.globs...)
			if r.bad != "" {
				var ge *c.GlobError
				if !errors.Is(err, path.ErrBadPattern) || !errors.As(err, &ge) || ge.Glob != r.bad {
					t.Fatalf("MatchRules(%q) err = %v, want a GlobError for %q wrapping path.ErrBadPattern (%s)", r.globs, err, r.bad, r.reason)
				}
				if !strings.Contains(err.Error(), "malformed glob") {
					t.Errorf("err = %q does not say the glob is malformed", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("MatchRules(%q) err = %v (%s)", r.globs, err, r.reason)
			}
			want := slices.Clone(r.want)
			slices.Sort(want)
			if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
				t.Errorf("MatchRules(%q) = %v, want %v (%s)", r.globs, got, want, r.reason)
			}
		})
	}
	all, err := c.MatchRules("*")
	if err != nil || len(all) != len(c.Rules()) {
		t.Errorf("* matched %d of %d rules (%v)", len(all), len(c.Rules()), err)
	}
}

func TestCatalogue(t *testing.T) {
	seen := map[c.RuleID]bool{}
	for _, r := range c.Rules() {
		if seen[r.ID] {
			t.Errorf("%s listed twice", r.ID)
		}
		seen[r.ID] = true
		if r.Source == "" || r.Summary == "" || r.Provenance == "" || r.Confidence == "" {
			t.Errorf("%s lacks source, summary, provenance or confidence", r.ID)
		}
		if !strings.HasPrefix(string(r.ID), strings.SplitN(string(r.ID), ".", 2)[0]+".") {
			t.Errorf("%s has no group prefix", r.ID)
		}
		if c.RuleByID(r.ID) == nil {
			t.Errorf("RuleByID(%s) = nil", r.ID)
		}
	}
	for key, id := range c.ConstraintRules() {
		if r := c.RuleByID(id); r == nil || r.Group != c.GroupModel {
			t.Errorf("%s maps to %s, not a model rule", key, id)
		}
	}
	for _, r := range c.Rules() {
		if r.Group != c.GroupModel {
			continue
		}
		found := false
		for _, id := range c.ConstraintRules() {
			found = found || id == r.ID
		}
		if !found {
			t.Errorf("model rule %s has no constraint in ConstraintRules", r.ID)
		}
	}
}
