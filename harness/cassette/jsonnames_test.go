package cassette_test

import (
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/harness/cassette"
)

var snakeCase = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// wireShapes are Cognito's own shapes, embedded in reports as AWS spells
// them (PascalCase): their names are AWS's, not ours.
var wireShapes = map[reflect.Type]bool{
	reflect.TypeFor[contracts.MfaConfig]():        true,
	reflect.TypeFor[contracts.SmsConfiguration](): true,
}

// TestJSONNamesAreSnakeCase walks the types of every JSON the tool writes
// and checks each member name is snake_case, as design.md's report is.
// A struct field without a json tag fails too: it is written under its Go
// name.
func TestJSONNamesAreSnakeCase(t *testing.T) {
	for _, r := range []struct {
		name, reason string
		v            any
	}{
		{"run report", "design.md's JSON report (run --report json=FILE), a stable interface", harness.Report{}},
		{"diff report", "diff --report json=FILE; its recorded target once had no json tags (Kind, Endpoint)", cassette.DiffReport{}},
		{"fixture world", "--fixtures FILE, and the world in every cassette header", contracts.World{}},
	} {
		t.Run(r.name, func(t *testing.T) {
			walkJSON(reflect.TypeOf(r.v), reflect.TypeOf(r.v).Name(), map[reflect.Type]bool{}, func(path, name string) {
				if !snakeCase.MatchString(name) {
					t.Errorf("%s: JSON name %q is not snake_case (%s)", path, name, r.reason)
				}
			})
		})
	}
}

func walkJSON(typ reflect.Type, path string, seen map[reflect.Type]bool, check func(path, name string)) {
	for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice || typ.Kind() == reflect.Array || typ.Kind() == reflect.Map {
		typ = typ.Elem()
	}
	if typ.Kind() != reflect.Struct || seen[typ] || wireShapes[typ] {
		return
	}
	seen[typ] = true
	for i := range typ.NumField() {
		f := typ.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if f.Anonymous && name == "" {
			walkJSON(f.Type, path, seen, check)
			continue
		}
		if name == "" {
			name = f.Name
		}
		check(path+"."+f.Name, name)
		walkJSON(f.Type, path+"."+f.Name, seen, check)
	}
}

// TestDiffReportReadsOldNames reads a diff report as earlier versions
// wrote it: the recorded target under its Go names.
func TestDiffReportReadsOldNames(t *testing.T) {
	const old = `{"tool":"mfaconform","version":"0.1.0","cassette":"moto.yaml",
		"recorded":{"Kind":"endpoint","Endpoint":"http://127.0.0.1:5000","Name":"moto-5.2.1"},
		"recorded_at":"2026-01-02T03:04:05Z","target":{"kind":"endpoint","endpoint":"http://127.0.0.1:9229"},
		"interactions":[],"summary":{"sent":3,"same":3,"differ":0,"by_kind":{},"elapsed_s":0.5}}`
	var rep cassette.DiffReport
	if err := json.Unmarshal([]byte(old), &rep); err != nil {
		t.Fatal(err)
	}
	want := cassette.Origin{Kind: "endpoint", Endpoint: "http://127.0.0.1:5000", Name: "moto-5.2.1"}
	if rep.Recorded != want {
		t.Errorf("recorded = %+v, want %+v", rep.Recorded, want)
	}
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"recorded":{"kind":"endpoint","endpoint":"http://127.0.0.1:5000","name":"moto-5.2.1"}`) {
		t.Errorf("written again as %s, want the recorded target in snake_case", b)
	}
}
