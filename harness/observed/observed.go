// Package observed reads and writes an observations file: what recordings
// of a service taken as ground truth (a nightly live run of AWS) showed at
// the contract's uncertain points. `mfaconform calibrate` writes it; a
// person reviews and commits it; `--observed` narrows the contract to the
// points it settles. It is keyed by the contract revision and by stable
// point IDs (rule/kind/question, never a line of code).
//
//	contract: cognito-idp/2016-04-18 botocore-1.43.11 (model of 2026-04-16)
//	points:
//	  - id: set.feature-tier/outcome/FeatureUnavailableInTierException | success
//	    verdict: settled
//	    answer: FeatureUnavailableInTierException
//	    seen:
//	      - answer: FeatureUnavailableInTierException
//	        count: 4
//	    recordings:
//	      - target: aws
//	        date: 2026-12-01T02:00:00Z
//	        region: eu-west-1
package observed

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/internal/capped"
)

// Verdicts of a point.
const (
	// Settled: one answer seen every time.
	Settled = "settled"
	// Mixed: more than one answer seen.
	Mixed = "mixed"
	// Contradicts: the service did what the contract does not allow.
	Contradicts = "contradicts"
	// Unobserved: no recording reached the point.
	Unobserved = "unobserved"
)

// File is an observations file.
type File struct {
	// Contract is the contract revision the point IDs belong to.
	Contract string  `yaml:"contract"`
	Points   []Point `yaml:"points"`
	// Stale lists the points of the file that the contract no longer
	// asks (a rule retired, an error no longer modeled): they narrow
	// nothing.
	Stale []Point `yaml:"-"`
}

// Point is what the recordings showed at one uncertain point.
type Point struct {
	ID      string `yaml:"id"`
	Verdict string `yaml:"verdict"`
	// Answer is the one answer of a settled point.
	Answer     string      `yaml:"answer,omitempty"`
	Seen       []Count     `yaml:"seen"`
	Recordings []Recording `yaml:"recordings"`
	// Line is where the point starts in its file.
	Line int `yaml:"-"`
}

// Count is how many times an answer was seen.
type Count struct {
	Answer string `yaml:"answer"`
	Count  int    `yaml:"count"`
}

// Recording is where and when a point was observed, as the recording's
// header says: never an account.
type Recording struct {
	Target string `yaml:"target"`
	Date   string `yaml:"date"`
	Region string `yaml:"region,omitempty"`
}

// Error is a malformed observations file: the line at fault and what is
// wrong.
type Error struct {
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

// MaxSize is the most an observations file may hold; a larger one is
// refused whole.
const MaxSize = 8 << 20

var (
	fileFields      = []string{"contract", "points"}
	pointFields     = []string{"id", "verdict", "answer", "seen", "recordings"}
	countFields     = []string{"answer", "count"}
	recordingFields = []string{"target", "date", "region"}
)

// Read reads an observations file and checks it: known keys only, the
// contract revision this build follows, point IDs of the right form,
// verdicts and counts that agree. Points the contract no longer asks are
// kept apart in Stale. The error names the line at fault.
func Read(r io.Reader) (*File, error) {
	b, err := capped.ReadAll(r, MaxSize)
	if errors.Is(err, capped.ErrTooLarge) {
		return nil, &Error{Msg: fmt.Sprintf("the observations file is %v: refused, not read in part", err)}
	}
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, &Error{Msg: "not YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	if len(doc.Content) == 0 {
		return nil, &Error{Msg: "empty: an observations file has contract: and points:"}
	}
	root := doc.Content[0]
	if err := fields(root, fileFields, "an observations file"); err != nil {
		return nil, err
	}
	var f File
	if err := root.Decode(&f); err != nil {
		return nil, &Error{Line: root.Line, Msg: strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	if f.Contract != contracts.Revision {
		line := root.Line
		if n := value(root, "contract"); n != nil {
			line = n.Line
		}
		return nil, &Error{Line: line, Msg: fmt.Sprintf("observations of contract %q; this build follows %q: calibrate the recordings again", f.Contract, contracts.Revision)}
	}
	f.Points = nil
	seq := value(root, "points")
	if seq == nil || seq.Kind != yaml.SequenceNode {
		return nil, &Error{Line: root.Line, Msg: "points: is a list of points"}
	}
	seen := map[string]int{}
	for _, n := range seq.Content {
		p, err := readPoint(n)
		if err != nil {
			return nil, err
		}
		if first, dup := seen[p.ID]; dup {
			return nil, &Error{Line: n.Line, Msg: fmt.Sprintf("point %q again (first on line %d)", p.ID, first)}
		}
		seen[p.ID] = n.Line
		if pt, _ := contracts.ParsePoint(p.ID); !pt.Exists() {
			f.Stale = append(f.Stale, p)
			continue
		}
		f.Points = append(f.Points, p)
	}
	return &f, nil
}

func readPoint(n *yaml.Node) (Point, error) {
	if err := fields(n, pointFields, "a point"); err != nil {
		return Point{}, err
	}
	for _, list := range []struct {
		key    string
		fields []string
	}{{"seen", countFields}, {"recordings", recordingFields}} {
		if v := value(n, list.key); v != nil {
			if v.Kind != yaml.SequenceNode {
				return Point{}, &Error{Line: v.Line, Msg: list.key + ": is a list"}
			}
			for _, item := range v.Content {
				if err := fields(item, list.fields, "an item of "+list.key+":"); err != nil {
					return Point{}, err
				}
			}
		}
	}
	var p Point
	if err := n.Decode(&p); err != nil {
		return Point{}, &Error{Line: n.Line, Msg: strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	p.Line = n.Line
	bad := func(msg string) (Point, error) {
		return Point{}, &Error{Line: n.Line, Msg: fmt.Sprintf("point %q: %s", p.ID, msg)}
	}
	if _, ok := contracts.ParsePoint(p.ID); !ok {
		return bad("not a point ID (rule/kind/question, kinds " + kindList() + ")")
	}
	total := 0
	for _, c := range p.Seen {
		if c.Count < 1 {
			return bad(fmt.Sprintf("answer %q seen %d times", c.Answer, c.Count))
		}
		total += c.Count
	}
	switch {
	case p.Verdict != Settled && p.Verdict != Mixed:
		return bad(fmt.Sprintf("verdict %q (a file holds %s or %s points)", p.Verdict, Settled, Mixed))
	case total == 0:
		return bad("seen: lists no answer")
	case p.Verdict == Settled && (len(p.Seen) != 1 || p.Seen[0].Answer != p.Answer):
		return bad("settled, but answer: is not the one answer seen")
	case p.Verdict == Mixed && len(p.Seen) < 2:
		return bad("mixed, but seen: lists one answer")
	case len(p.Recordings) == 0:
		return bad("recordings: names none (where and when was it observed?)")
	}
	return p, nil
}

func kindList() string {
	var ks []string
	for _, k := range contracts.PointKinds() {
		ks = append(ks, string(k))
	}
	return strings.Join(ks, ", ")
}

// fields refuses a node that is not a mapping of the known keys.
func fields(n *yaml.Node, known []string, what string) error {
	if n.Kind != yaml.MappingNode {
		return &Error{Line: n.Line, Msg: fmt.Sprintf("%s is a mapping (%s)", what, strings.Join(known, ", "))}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; !slices.Contains(known, k.Value) {
			return &Error{Line: k.Line, Msg: fmt.Sprintf("unknown field %q (%s has %s)", k.Value, what, strings.Join(known, ", "))}
		}
	}
	return nil
}

func value(n *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// Marshal writes the file as YAML, its points in ID order.
func (f *File) Marshal() ([]byte, error) {
	out := File{Contract: f.Contract, Points: slices.Clone(f.Points)}
	sort.Slice(out.Points, func(i, j int) bool { return out.Points[i].ID < out.Points[j].ID })
	b, err := yaml.Marshal(out)
	if err != nil {
		return nil, err
	}
	head := "# Observations of the contract's uncertain points (mfaconform calibrate).\n" +
		"# Review before committing: --observed narrows the contract to every settled point.\n"
	return append([]byte(head), b...), nil
}

// Narrower is the narrowing the file's settled points make: each
// expectation that asks a settled point allows only the answer observed,
// and names the recordings' dates.
func (f *File) Narrower() func(*contracts.Expectation) {
	settled := map[string]Point{}
	for _, p := range f.Points {
		if p.Verdict == Settled {
			settled[p.ID] = p
		}
	}
	return func(e *contracts.Expectation) {
		var asked []contracts.Point
		if p, ok := e.OutcomePoint(); ok {
			asked = append(asked, p)
		}
		asked = append(asked, e.OptionalPoints()...)
		asked = append(asked, e.MessagePoints()...)
		var dates []string
		for _, p := range asked {
			o, ok := settled[p.ID()]
			if !ok || !e.Narrow(p, o.Answer) {
				continue
			}
			for _, r := range o.Recordings {
				if !slices.Contains(dates, r.Date) {
					dates = append(dates, r.Date)
				}
			}
		}
		if len(dates) > 0 {
			slices.Sort(dates)
			e.Observed = strings.Join(dates, ", ")
			if _, open := e.OutcomePoint(); !open {
				// One outcome is left: the observation settled it.
				e.Certain = true
			}
		}
	}
}

// Load reads the observations file at path (Read).
func Load(path string) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	o, err := Read(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return o, nil
}
