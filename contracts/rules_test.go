package contracts_test

import (
	"slices"
	"strings"
	"testing"

	c "github.com/mfaconform/mfaconform/contracts"
)

func TestMatchRules(t *testing.T) {
	for _, r := range []struct {
		name  string
		globs []string
		want  []c.RuleID
		err   bool
	}{
		{"exact", []string{"set.off-with-factor"}, []c.RuleID{c.RuleOffWithFactor}, false},
		{"group", []string{"message.*"}, []c.RuleID{c.RuleMessageMfaRules, c.RuleMessageNotFound, c.RuleMessageValidation}, false},
		{"get prefix", []string{"get.*"}, []c.RuleID{c.RuleFreshPool, c.RuleReadAfterWrite, c.RuleGetUserPoolIDLength, c.RuleGetUserPoolIDPattern, c.RuleGetUserPoolIDRequired}, false},
		{"middle star", []string{"set.*.length"}, []c.RuleID{c.RuleSetEmailMessageLength, c.RuleSetExternalIDLength, c.RuleSetRelyingPartyIDLength,
			c.RuleSetSmsMessageLength, c.RuleSetSnsCallerArnLength, c.RuleSetSnsRegionLength, c.RuleSetUserPoolIDLength}, false},
		{"two args", []string{"pool.*", "describe.*"}, []c.RuleID{c.RuleDescribeMfaConfigMFA, c.RulePoolNotFound}, false},
		{"comma separated", []string{"pool.*,describe.*"}, []c.RuleID{c.RuleDescribeMfaConfigMFA, c.RulePoolNotFound}, false},
		{"overlap once", []string{"pool.*", "pool.not-found"}, []c.RuleID{c.RulePoolNotFound}, false},
		{"question mark", []string{"set.sms-role-?????s"}, []c.RuleID{c.RuleSmsRoleAccess}, false},
		{"class", []string{"protocol.[su]*"}, []c.RuleID{c.RuleProtocolStatus, c.RuleProtocolUnknownOperation}, false},
		{"nothing", []string{"nope.*"}, nil, false},
		{"bad glob", []string{"set.["}, nil, true},
	} {
		t.Run(r.name, func(t *testing.T) {
			got, err := c.MatchRules(r.globs...)
			if (err != nil) != r.err {
				t.Fatalf("err = %v, want error %t", err, r.err)
			}
			want := slices.Clone(r.want)
			slices.Sort(want)
			if !r.err && !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
				t.Errorf("MatchRules(%q) = %v, want %v", r.globs, got, want)
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
