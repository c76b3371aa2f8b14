package harness

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/mfaconform/mfaconform/contracts"
)

// ErrNotComparable is wrapped by Compare's error for two reports that do
// not judge the same thing: another target, or another contract.
var ErrNotComparable = errors.New("reports not comparable")

// Comparison is what changed from one report of a target (Old) to a later
// one (New), by deviation (Signature).
type Comparison struct {
	Old, New *Report
	// Added are the deviations New found and Old did not.
	Added []Deviation
	// Fixed are Old's deviations New did not find, of rules New checked:
	// "fixed" is said only of what was looked for.
	Fixed []Deviation
	// Still are the deviations both found.
	Still []Deviation
	// Unchecked are Old's deviations of rules New did not check (left out
	// by its rules, skipped, or not reached): neither fixed nor failing.
	Unchecked []Deviation
	// Changes are the rules whose status changed ("absent" when a report
	// does not list the rule).
	Changes []StatusChange
	// Unlike says how the runs differ in what they sent (seed, cases,
	// tool version): they are compared all the same, and a reader is told.
	Unlike []string
	// Partial says why New is partial: interrupted, ended by its budget,
	// or skipping rules Old checked.
	Partial []string
}

// Deviation is one deviation of a comparison, with its failing calls in
// each report (0 where it was not found).
type Deviation struct {
	Rule               contracts.RuleID
	Signature          string
	OldCount, NewCount int
}

// StatusChange is a rule whose status changed.
type StatusChange struct {
	Rule     contracts.RuleID
	Old, New string
}

// Comparable reports whether the comparison may be trusted whole: the
// runs sent the same cases and New is complete.
func (c *Comparison) Comparable() bool { return len(c.Unlike) == 0 && len(c.Partial) == 0 }

// Compare compares two reports of the same target and contract; it
// refuses (ErrNotComparable) reports of another target or contract
// revision, whose deviations would not mean the same.
func Compare(old, cur *Report) (*Comparison, error) {
	if a, b := targetOf(old), targetOf(cur); a != b {
		return nil, fmt.Errorf("%w: another target (%s, then %s)", ErrNotComparable, a, b)
	}
	if old.Contract != cur.Contract {
		return nil, fmt.Errorf("%w: another contract revision (%s, then %s)", ErrNotComparable, old.Contract, cur.Contract)
	}
	c := &Comparison{Old: old, New: cur, Unlike: unlike(old, cur), Partial: partial(old, cur)}
	oldDev, newDev := deviationsOf(old), deviationsOf(cur)
	for _, d := range newDev {
		if o, ok := find(oldDev, d.Signature); ok {
			d.OldCount = o.NewCount
			c.Still = append(c.Still, d)
		} else {
			c.Added = append(c.Added, d)
		}
	}
	for _, o := range oldDev {
		if _, ok := find(newDev, o.Signature); ok {
			continue
		}
		d := Deviation{Rule: o.Rule, Signature: o.Signature, OldCount: o.NewCount}
		if cur.Checked(o.Rule) {
			c.Fixed = append(c.Fixed, d)
		} else {
			c.Unchecked = append(c.Unchecked, d)
		}
	}
	c.Changes = statusChanges(old, cur)
	return c, nil
}

// targetOf names a report's target: its name, or its kind and endpoint.
func targetOf(r *Report) string {
	if r.Target.Name != "" {
		return fmt.Sprintf("%q", r.Target.Name)
	}
	if r.Target.Endpoint != "" {
		return r.Target.Kind + " " + r.Target.Endpoint
	}
	return r.Target.Kind
}

func unlike(old, cur *Report) []string {
	var u []string
	if old.Seed != cur.Seed {
		u = append(u, fmt.Sprintf("seed %d, then %d", old.Seed, cur.Seed))
	}
	if old.Cases != cur.Cases {
		u = append(u, fmt.Sprintf("%d cases, then %d", old.Cases, cur.Cases))
	}
	if old.Version != cur.Version {
		u = append(u, fmt.Sprintf("mfaconform %s, then %s", old.Version, cur.Version))
	}
	return u
}

func partial(old, cur *Report) []string {
	var p []string
	if cur.Interrupted {
		p = append(p, "the new run was interrupted")
	}
	if cur.EndedBy != "" {
		p = append(p, "the new run was ended by its "+cur.EndedBy)
	}
	var skipped []string
	for _, rr := range old.Rules {
		if rr.Status != StatusSkip && !cur.Checked(rr.ID) {
			skipped = append(skipped, string(rr.ID))
		}
	}
	if len(skipped) > 0 {
		p = append(p, fmt.Sprintf("the new run did not check %d rules the old one did: %v", len(skipped), skipped))
	}
	return p
}

// deviationsOf lists a report's deviations of failing rules by signature
// (Signature makes one for a report that predates them), in order, each
// with its count in NewCount.
func deviationsOf(r *Report) []Deviation {
	var ds []Deviation
	for _, rr := range r.Rules {
		if rr.Status != StatusFail {
			continue
		}
		for _, f := range rr.Failures {
			sig := Signature(rr.ID, f)
			if i := slices.IndexFunc(ds, func(d Deviation) bool { return d.Signature == sig }); i >= 0 {
				ds[i].NewCount += max(f.Count, 1)
				continue
			}
			ds = append(ds, Deviation{Rule: rr.ID, Signature: sig, NewCount: max(f.Count, 1)})
		}
	}
	slices.SortFunc(ds, func(a, b Deviation) int { return strings.Compare(a.Signature, b.Signature) })
	return ds
}

func find(ds []Deviation, sig string) (Deviation, bool) {
	i, ok := slices.BinarySearchFunc(ds, sig, func(d Deviation, s string) int { return strings.Compare(d.Signature, s) })
	if !ok {
		return Deviation{}, false
	}
	return ds[i], true
}

func statusChanges(old, cur *Report) []StatusChange {
	var ch []StatusChange
	for _, nr := range cur.Rules {
		was := "absent"
		if or := old.Rule(nr.ID); or != nil {
			was = or.Status
		}
		if was != nr.Status {
			ch = append(ch, StatusChange{Rule: nr.ID, Old: was, New: nr.Status})
		}
	}
	for _, or := range old.Rules {
		if cur.Rule(or.ID) == nil {
			ch = append(ch, StatusChange{Rule: or.ID, Old: or.Status, New: "absent"})
		}
	}
	return ch
}
