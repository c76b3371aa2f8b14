// Package calibrate reads recordings of a service taken as ground truth (a
// nightly live run of AWS) and says, for each uncertain point of the
// contract the recorded calls reached, what was observed: settled (one
// answer every time), mixed (several), contradicts (the service did what
// the contract does not allow), or unobserved. Each recording is rejudged
// interaction by interaction through the one judging session, which tells
// what each call showed at the points its expectation asks.
package calibrate

import (
	"fmt"
	"slices"
	"sort"
	"sync"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/harness/cassette"
	"github.com/mfaconform/mfaconform/harness/observed"
	"github.com/mfaconform/mfaconform/internal/config"
	"github.com/mfaconform/mfaconform/internal/judge"
)

// MaxExamples is how many calls a contradiction keeps as evidence.
const MaxExamples = 3

// Report is what a calibration found.
type Report struct {
	Tool       string      `json:"tool"`
	Version    string      `json:"version"`
	Contract   string      `json:"contract"`
	Recordings []Recording `json:"recordings"`
	Points     []Point     `json:"points"`
	Summary    Summary     `json:"summary"`
}

// Recording is one recording read, as its header names it.
type Recording struct {
	File string `json:"file"`
	observed.Recording
	Interactions int `json:"interactions"`
}

// Point is what the recordings showed at one point.
type Point struct {
	ID       string              `json:"id"`
	Rule     contracts.RuleID    `json:"rule"`
	Kind     contracts.PointKind `json:"kind"`
	Question string              `json:"question,omitempty"`
	Verdict  string              `json:"verdict"`
	// Answer is a settled point's one answer.
	Answer string           `json:"answer,omitempty"`
	Seen   []observed.Count `json:"seen,omitempty"`
	// Recordings are the files that reached the point.
	Recordings []string `json:"recordings,omitempty"`
	// Contradictions are calls that show a contradiction.
	Contradictions []Example `json:"contradictions,omitempty"`
	// Deviations counts the calls that contradict.
	Deviations int `json:"deviations,omitempty"`
}

// Example is one call that contradicts the contract.
type Example struct {
	Recording string     `json:"recording"`
	Operation string     `json:"operation"`
	Request   any        `json:"request"`
	Want      judge.Want `json:"want"`
	Got       judge.Got  `json:"got"`
	Detail    string     `json:"detail"`
}

// Summary counts the points by verdict, and the points the contract has
// by kind.
type Summary struct {
	Settled     int `json:"settled"`
	Mixed       int `json:"mixed"`
	Contradicts int `json:"contradicts"`
	Unobserved  int `json:"unobserved"`
	// Known counts the contract's points by kind: those its default run
	// reaches on the reference emulator, and those of the recordings.
	Known map[contracts.PointKind]int `json:"known"`
}

// Contradicted reports whether a recording contradicts the contract.
func (r *Report) Contradicted() bool { return r.Summary.Contradicts > 0 }

// tally gathers what the recordings showed, point by point.
type tally struct {
	mu     sync.Mutex
	points map[string]*Point
	counts map[string]map[string]int
}

func newTally() *tally {
	return &tally{points: map[string]*Point{}, counts: map[string]map[string]int{}}
}

func (t *tally) point(p contracts.Point) *Point {
	id := p.ID()
	if pt := t.points[id]; pt != nil {
		return pt
	}
	pt := &Point{ID: id, Rule: p.Rule, Kind: p.Kind, Question: p.Question}
	t.points[id] = pt
	t.counts[id] = map[string]int{}
	return pt
}

// watch is the session's watcher for one recording.
func (t *tally) watch(file string) func([]judge.Seen) {
	return func(seen []judge.Seen) {
		t.mu.Lock()
		defer t.mu.Unlock()
		for _, s := range seen {
			pt := t.point(s.Point)
			if !slices.Contains(pt.Recordings, file) {
				pt.Recordings = append(pt.Recordings, file)
			}
			if !s.Contradicts {
				t.counts[pt.ID][s.Answer]++
				continue
			}
			pt.Deviations++
			if len(pt.Contradictions) < MaxExamples {
				f := s.Finding
				pt.Contradictions = append(pt.Contradictions, Example{Recording: file, Operation: f.Operation,
					Request: f.Request, Want: f.Want, Got: f.Got, Detail: f.Detail})
			}
		}
	}
}

// Calibrate rejudges each recording against the current contract and
// says what it showed at each uncertain point. reference is a recording
// of the contract's own default run on the reference emulator: the
// points it reaches that no recording reached are unobserved (nil lists
// none).
func Calibrate(recordings []*cassette.Cassette, reference *cassette.Cassette) (*Report, error) {
	t := newTally()
	rep := &Report{Tool: "mfaconform", Version: harness.Version, Contract: contracts.Revision}
	for _, c := range recordings {
		rec := observed.Recording{Target: c.Header.Target.Name, Date: c.Header.RecordedAt, Region: c.Header.Flags.Region}
		if rec.Target == "" {
			rec.Target = c.Header.Target.Kind
		}
		if _, _, err := cassette.Rejudge(c, watching(t.watch(c.Name))); err != nil {
			return nil, fmt.Errorf("%s: %w", c.Name, err)
		}
		rep.Recordings = append(rep.Recordings, Recording{File: c.Name, Recording: rec, Interactions: len(c.Interactions)})
	}
	known := map[string]contracts.Point{}
	for id, p := range t.points {
		if p.Deviations == 0 || p.Kind != contracts.PointRule {
			known[id] = contracts.Point{Rule: p.Rule, Kind: p.Kind, Question: p.Question}
		}
	}
	if reference != nil {
		ref := newTally()
		if _, _, err := cassette.Rejudge(reference, watching(ref.watch(reference.Name))); err != nil {
			return nil, fmt.Errorf("%s: %w", reference.Name, err)
		}
		for id, p := range ref.points {
			if p.Deviations == 0 {
				known[id] = contracts.Point{Rule: p.Rule, Kind: p.Kind, Question: p.Question}
			}
		}
	}
	for _, r := range contracts.Rules() {
		if p, ok := contracts.RulePoint(r.ID); ok {
			known[p.ID()] = p
		}
	}
	rep.Summary.Known = map[contracts.PointKind]int{}
	for _, p := range known {
		rep.Summary.Known[p.Kind]++
	}
	rep.Points = t.verdicts(known)
	for _, p := range rep.Points {
		switch p.Verdict {
		case observed.Settled:
			rep.Summary.Settled++
		case observed.Mixed:
			rep.Summary.Mixed++
		case observed.Contradicts:
			rep.Summary.Contradicts++
		case observed.Unobserved:
			rep.Summary.Unobserved++
		}
	}
	return rep, nil
}

func watching(fn func([]judge.Seen)) harness.Option {
	return config.OptionOf[harness.Option](func(cfg *config.Config) { cfg.Watch = fn })
}

// verdicts gives each point its verdict, contradictions first, then by ID;
// the known points no recording reached are unobserved.
func (t *tally) verdicts(known map[string]contracts.Point) []Point {
	var out []Point
	for id, p := range t.points {
		for a, n := range t.counts[id] {
			p.Seen = append(p.Seen, observed.Count{Answer: a, Count: n})
		}
		sort.Slice(p.Seen, func(i, j int) bool {
			if p.Seen[i].Count != p.Seen[j].Count {
				return p.Seen[i].Count > p.Seen[j].Count
			}
			return p.Seen[i].Answer < p.Seen[j].Answer
		})
		switch {
		case p.Deviations > 0:
			p.Verdict = observed.Contradicts
		case len(p.Seen) == 1:
			p.Verdict, p.Answer = observed.Settled, p.Seen[0].Answer
		default:
			p.Verdict = observed.Mixed
		}
		out = append(out, *p)
	}
	for id, p := range known {
		if t.points[id] == nil {
			out = append(out, Point{ID: id, Rule: p.Rule, Kind: p.Kind, Question: p.Question, Verdict: observed.Unobserved})
		}
	}
	order := map[string]int{observed.Contradicts: 0, observed.Mixed: 1, observed.Settled: 2, observed.Unobserved: 3}
	sort.Slice(out, func(i, j int) bool {
		if order[out[i].Verdict] != order[out[j].Verdict] {
			return order[out[i].Verdict] < order[out[j].Verdict]
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// Observations is the observations file of the settled and mixed points,
// for a person to review and commit.
func (r *Report) Observations() *observed.File {
	f := &observed.File{Contract: r.Contract}
	where := map[string]observed.Recording{}
	for _, rec := range r.Recordings {
		where[rec.File] = rec.Recording
	}
	for _, p := range r.Points {
		if p.Verdict != observed.Settled && p.Verdict != observed.Mixed {
			continue
		}
		o := observed.Point{ID: p.ID, Verdict: p.Verdict, Answer: p.Answer, Seen: p.Seen}
		for _, file := range p.Recordings {
			if rec := where[file]; !slices.Contains(o.Recordings, rec) {
				o.Recordings = append(o.Recordings, rec)
			}
		}
		f.Points = append(f.Points, o)
	}
	return f
}
