package harness

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/fuzz"
)

// ErrMerge is wrapped by Merge's error for reports that are not the
// shards of one run: unlike runs, a missing or duplicate shard, a report
// that is not a shard.
var ErrMerge = errors.New("cannot merge")

// MergeError is Merge's refusal: why, and which report (1-based, in the
// order given; 0 when it is about none in particular).
type MergeError struct {
	Report int
	Reason string
}

func (e *MergeError) Error() string {
	if e.Report > 0 {
		return fmt.Sprintf("%v: report %d: %s", ErrMerge, e.Report, e.Reason)
	}
	return fmt.Sprintf("%v: %s", ErrMerge, e.Reason)
}

func (e *MergeError) Unwrap() error { return ErrMerge }

// Merge joins the reports of the shards of one run (WithShard) into the
// report the unsharded run gives. Rule statuses are decided from the
// shards' counts as one run decides them, each deviation signature is
// listed once with its counts added and, as its example, the failure of
// the earliest case (the one the unsharded run keeps), and the bound of
// 50 deviations a rule applies to the merged list. Calls and elapsed time
// are summed; Shard.WallS is the slowest shard's time.
//
// What may differ from the unsharded report: calls (each shard makes its
// own fixture pools), times, which shrunk example a deviation shows when
// a shard's lane state made another case fail first, which deviations
// past the 50th are listed, and the reason a skipped rule gives. Ledger
// marks (Known, StaleKnown) are left out: a ledger applies to the merged
// deviations.
func Merge(reports ...*Report) (*Report, error) {
	if err := checkShards(reports); err != nil {
		return nil, err
	}
	// In shard order, whatever the order given: what is taken from one
	// shard (the endpoint, a skip reason) is the same on every merge.
	reports = slices.Clone(reports)
	slices.SortFunc(reports, func(a, b *Report) int { return a.Shard.Index - b.Shard.Index })
	first := reports[0]
	out := &Report{Tool: first.Tool, Version: first.Version, Contract: first.Contract, Target: first.Target,
		Seed: first.Seed, Rules: []RuleReport{}}
	info := *first.Shard
	info.Index, info.Merged = 0, true
	for _, r := range reports {
		out.Cases += r.Cases
		out.Summary.Calls += r.Summary.Calls
		out.Summary.ElapsedS += r.Summary.ElapsedS
		out.Summary.CleanupCalls += r.Summary.CleanupCalls
		info.WallS = max(info.WallS, r.Summary.ElapsedS)
		out.Interrupted = out.Interrupted || r.Interrupted
		out.EndedBy = cmp.Or(out.EndedBy, r.EndedBy)
		out.Leftovers = append(out.Leftovers, r.Leftovers...)
		if out.StartedAt == "" || r.StartedAt != "" && r.StartedAt < out.StartedAt {
			out.StartedAt = r.StartedAt
		}
	}
	out.Shard = &info
	out.RefusedPools = mergeRefused(reports)
	out.Live = mergeLive(reports)
	for i := range first.Rules {
		rr := mergeRule(reports, i, out.RefusedPools)
		switch rr.Status {
		case StatusPass:
			out.Summary.Pass++
		case StatusFail:
			out.Summary.Fail++
		case StatusWarn:
			out.Summary.Warn++
		default:
			out.Summary.Skip++
		}
		out.Rules = append(out.Rules, rr)
	}
	return out, nil
}

// checkShards refuses reports that are not each shard of one run once.
func checkShards(reports []*Report) error {
	if len(reports) == 0 {
		return &MergeError{Reason: "no report"}
	}
	for i, r := range reports {
		if r.Shard == nil || r.Shard.Merged {
			what := "it has no shard member (run it with --shard I/N)"
			if r.Shard != nil {
				what = "it is already a merge of " + r.Shard.String()
			}
			return &MergeError{Report: i + 1, Reason: "not a shard: " + what}
		}
	}
	first := reports[0]
	for i, r := range reports[1:] {
		if u := unlikeShards(first, r); len(u) > 0 {
			return &MergeError{Report: i + 2, Reason: "not of the same run as report 1: " + strings.Join(u, "; ")}
		}
	}
	total := first.Shard.Total
	seen := make([]bool, total+1)
	for i, r := range reports {
		k := r.Shard.Index
		if k < 1 || k > total {
			return &MergeError{Report: i + 1, Reason: fmt.Sprintf("shard %d of %d does not exist", k, total)}
		}
		if seen[k] {
			return &MergeError{Report: i + 1, Reason: fmt.Sprintf("shard %d/%d is given twice", k, total)}
		}
		seen[k] = true
	}
	var missing []string
	for k := 1; k <= total; k++ {
		if !seen[k] {
			missing = append(missing, fmt.Sprintf("%d/%d", k, total))
		}
	}
	if len(missing) > 0 {
		return &MergeError{Reason: fmt.Sprintf("shard %s missing", strings.Join(missing, ", "))}
	}
	return nil
}

// unlikeShards says how two shards' runs differ in what decides their
// cases and verdicts; none when they are shards of one run. The target's
// endpoint may differ: shards may each have an emulator of their own.
func unlikeShards(a, b *Report) []string {
	var u []string
	differ := func(what string, x, y any) {
		if fmt.Sprint(x) != fmt.Sprint(y) {
			u = append(u, fmt.Sprintf("%s %v, not %v", what, y, x))
		}
	}
	differ("shards", a.Shard.Total, b.Shard.Total)
	differ("seed", a.Seed, b.Seed)
	differ("checks", a.Shard.Checks, b.Shard.Checks)
	differ("duration_s", a.Shard.DurationS, b.Shard.DurationS)
	differ("contract", a.Contract, b.Contract)
	differ("version", a.Version, b.Version)
	differ("rules", strings.Join(a.Shard.Rules, ","), strings.Join(b.Shard.Rules, ","))
	differ("rule list", ruleIDs(a), ruleIDs(b))
	differ("strict messages", a.Shard.StrictMessages, b.Shard.StrictMessages)
	differ("target kind", a.Target.Kind, b.Target.Kind)
	differ("target name", strconv.Quote(a.Target.Name), strconv.Quote(b.Target.Name))
	return u
}

func ruleIDs(r *Report) string {
	ids := make([]string, len(r.Rules))
	for i, rr := range r.Rules {
		ids[i] = string(rr.ID)
	}
	return strings.Join(ids, ",")
}

// mergeRule joins the shards' reports of rule i: counts added, the
// status decided as a run's tally decides it (ruleStatus), deviations joined.
func mergeRule(reports []*Report, i int, refused []RefusedPool) RuleReport {
	first := reports[0].Rules[i]
	rr := RuleReport{ID: first.ID, Provenance: first.Provenance, Failures: []Finding{}}
	warned := false
	var deviations []Finding
	for _, r := range reports {
		s := r.Rules[i]
		rr.Checked += s.Checked
		rr.FailedCases += s.FailedCases
		warned = warned || s.Status == StatusWarn
		deviations = append(deviations, s.Failures...)
	}
	rr.Status = ruleStatus(rr.Checked, rr.FailedCases, warned)
	if rr.Status == StatusSkip {
		rr.SkipReason = mergedSkipReason(reports, i, refused)
	}
	rr.Failures = joinDeviations(rr.ID, deviations)
	listed := 0
	for _, f := range rr.Failures {
		listed += f.Count
	}
	rr.Unlisted = max(rr.FailedCases-listed, 0)
	return rr
}

// joinDeviations lists each signature once, its counts added, with the
// example of the earliest case; in case order, at most
// maxDeviationsPerRule.
func joinDeviations(rule contracts.RuleID, fs []Finding) []Finding {
	bySig := map[string]int{}
	var out []Finding
	for _, f := range fs {
		sig := Signature(rule, f)
		f.Signature, f.Known = sig, nil
		k, ok := bySig[sig]
		if !ok {
			bySig[sig] = len(out)
			out = append(out, f)
			continue
		}
		count := out[k].Count + f.Count
		if caseAt(f).before(caseAt(out[k])) {
			out[k] = f
		}
		out[k].Count = count
	}
	slices.SortStableFunc(out, func(a, b Finding) int {
		pa, pb := caseAt(a), caseAt(b)
		switch {
		case pa.before(pb):
			return -1
		case pb.before(pa):
			return 1
		}
		return strings.Compare(a.Signature, b.Signature)
	})
	if len(out) > maxDeviationsPerRule {
		out = out[:maxDeviationsPerRule]
	}
	return out
}

// caseLabel is a finding's Case as a run writes it (lane.runCase), maybe
// marked shrunk.
var caseLabel = regexp.MustCompile(`^#(\d+) .*\(step (\d+)\)`)

// caseAt is the position of a finding's call in the run, from its case
// label; a label of another form comes after every case.
func caseAt(f Finding) position {
	m := caseLabel.FindStringSubmatch(f.Case)
	if m == nil {
		return position{caseIndex: math.MaxInt}
	}
	c, err1 := strconv.Atoi(m[1])
	s, err2 := strconv.Atoi(m[2])
	if err1 != nil || err2 != nil {
		return position{caseIndex: math.MaxInt}
	}
	return position{caseIndex: c, step: s - 1}
}

// mergedSkipReason is a skipped rule's reason: the first shard's that
// says more than that no case reached the rule, else that, naming the
// pools the target refused.
func mergedSkipReason(reports []*Report, i int, refused []RefusedPool) string {
	for _, r := range reports {
		if why := r.Rules[i].SkipReason; why != "" && !strings.HasPrefix(why, noCaseReached) {
			return why
		}
	}
	why := noCaseReached
	for _, p := range refused {
		why += "; " + refusal{fuzz.PoolKind(p.Kind)}.Error()
	}
	return why
}

// mergeRefused lists each pool kind a shard's target refused once, in
// the order of fuzz.PoolKinds, with the cases left unsent added.
func mergeRefused(reports []*Report) []RefusedPool {
	byKind := map[string]*RefusedPool{}
	for _, r := range reports {
		for _, p := range r.RefusedPools {
			if q := byKind[p.Kind]; q != nil {
				q.Cases += p.Cases
			} else {
				byKind[p.Kind] = &p
			}
		}
	}
	var out []RefusedPool
	for _, kind := range fuzz.PoolKinds() {
		if p := byKind[string(kind)]; p != nil {
			out = append(out, *p)
		}
	}
	return out
}

// mergeLive is the live part of a merged report: the longest IAM wait,
// and the run ID when the shards share one.
func mergeLive(reports []*Report) *LiveRun {
	var out *LiveRun
	for _, r := range reports {
		if r.Live == nil {
			continue
		}
		if out == nil {
			l := *r.Live
			out = &l
			continue
		}
		out.IAMWaitS = max(out.IAMWaitS, r.Live.IAMWaitS)
		if out.RunID != r.Live.RunID {
			out.RunID = ""
		}
	}
	return out
}
