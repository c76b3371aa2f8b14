package judge

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/mfaconform/mfaconform/contracts"
)

// compareOptions is the one option set every comparison of SDK values uses:
// unexported fields (document.NoSerde) and ResultMetadata
// (middleware.Metadata) are not part of a response.
var compareOptions = cmp.Options{
	cmp.FilterPath(func(p cmp.Path) bool {
		sf, ok := p.Last().(cmp.StructField)
		if !ok {
			return false
		}
		r, _ := utf8.DecodeRuneInString(sf.Name())
		return !unicode.IsUpper(r) || sf.Name() == "ResultMetadata"
	}, cmp.Ignore()),
}

// Difference is one member where a response differs from the contract:
// structured, so reports never carry go-cmp's unstable diff text.
type Difference struct {
	Path string `json:"path"`
	Want any    `json:"want"`
	Got  any    `json:"got"`
}

func (d Difference) String() string {
	return fmt.Sprintf("%s: want %s, got %s", d.Path, show(d.Want), show(d.Got))
}

func show(v any) string {
	if v == nil {
		return "(absent)"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

type diffReporter struct {
	path  cmp.Path
	diffs []Difference
}

func (r *diffReporter) PushStep(ps cmp.PathStep) { r.path = append(r.path, ps) }
func (r *diffReporter) PopStep()                 { r.path = r.path[:len(r.path)-1] }
func (r *diffReporter) Report(rs cmp.Result) {
	if rs.Equal() {
		return
	}
	vx, vy := r.path.Last().Values()
	var want, got any
	if vx.IsValid() && vx.CanInterface() {
		want = vx.Interface()
	}
	if vy.IsValid() && vy.CanInterface() {
		got = vy.Interface()
	}
	r.diffs = append(r.diffs, Difference{Path: memberPath(r.path), Want: unwrap(want), Got: unwrap(got)})
}

// memberPath renders a cmp path as dotted member names.
func memberPath(p cmp.Path) string {
	var parts []string
	for _, s := range p {
		if sf, ok := s.(cmp.StructField); ok {
			parts = append(parts, sf.Name())
		}
	}
	return strings.Join(parts, ".")
}

// unwrap turns nil pointers into absent and pointers into their values.
func unwrap(v any) any {
	b, err := json.Marshal(v)
	if err != nil || string(b) == "null" {
		return nil
	}
	var out any
	if json.Unmarshal(b, &out) != nil {
		return nil
	}
	return out
}

// CompareConfig compares a received MFA configuration with the contract's,
// leaving out the optional members (present on one side only), as typed SDK
// values with compareOptions. It returns every difference.
func CompareConfig(want, got *contracts.MfaConfig, optional []string) []Difference {
	want, got = prune(want, got, optional)
	if want.Equal(got) {
		return nil
	}
	r := &diffReporter{}
	cmp.Equal(SDKConfig(want), SDKConfig(got), compareOptions, cmp.Reporter(r))
	// Show each side as the wire has it: the SDK structs would print unset
	// members as null or "" (an empty block as {"Message":null,...}).
	w, g := contracts.ValueOf(want), contracts.ValueOf(got)
	for i := range r.diffs {
		r.diffs[i].Want, _ = lookup(w, r.diffs[i].Path)
		r.diffs[i].Got, _ = lookup(g, r.diffs[i].Path)
	}
	return r.diffs
}

// prune drops each optional member that only one side has.
func prune(want, got *contracts.MfaConfig, optional []string) (*contracts.MfaConfig, *contracts.MfaConfig) {
	if len(optional) == 0 {
		return want, got
	}
	w, g := contracts.ValueOf(want), contracts.ValueOf(got)
	for _, p := range optional {
		_, inW := lookup(w, p)
		_, inG := lookup(g, p)
		switch {
		case inW && !inG:
			remove(w, p)
		case inG && !inW:
			remove(g, p)
		}
	}
	return contracts.MfaConfigFrom(w), contracts.MfaConfigFrom(g)
}

func lookup(m map[string]any, path string) (any, bool) {
	parts := strings.Split(path, ".")
	var cur any = m
	for _, p := range parts {
		obj, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = obj[p]; !ok {
			return nil, false
		}
	}
	return cur, true
}

func remove(m map[string]any, path string) {
	parts := strings.Split(path, ".")
	cur := m
	for _, p := range parts[:len(parts)-1] {
		next, ok := cur[p].(map[string]any)
		if !ok {
			return
		}
		cur = next
	}
	delete(cur, parts[len(parts)-1])
}
