// Package golden compares what tests write with files under the test's
// testdata/golden/ folder: JSON by structure, text byte for byte. Run the
// tests with -update to rewrite the files with what the code writes now,
// then review the change in git.
package golden

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mfaconform/mfaconform/internal/atomicfile"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden/ with what the tests write now")

// Dir is where golden files live, relative to the test's package.
const Dir = "testdata/golden"

// JSON compares got with the golden file name as JSON values, so that
// indentation and member order do not count, and prints a mismatch as a
// (-want +got) diff.
func JSON(t testing.TB, name string, got []byte) {
	t.Helper()
	want, ok := read(t, name, got)
	if !ok {
		return
	}
	var w, g any
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatalf("golden file %s is not JSON: %v; %s", path(name), err, regenerate(t))
	}
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("output for %s is not JSON: %v\n%s", path(name), err, got)
	}
	if d := cmp.Diff(w, g); d != "" {
		t.Errorf("%s mismatch (-want +got):\n%s\n%s", path(name), d, regenerate(t))
	}
}

// Text compares got with the golden file name byte for byte, and prints a
// mismatch as a (-want +got) diff of lines.
func Text(t testing.TB, name string, got []byte) {
	t.Helper()
	want, ok := read(t, name, got)
	if !ok {
		return
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s mismatch (-want +got):\n%s\n%s", path(name), cmp.Diff(string(want), string(got)), regenerate(t))
	}
}

func path(name string) string { return filepath.Join(Dir, name) }

// read returns the golden file, or writes it with -update (and then
// there is nothing to compare).
func read(t testing.TB, name string, got []byte) ([]byte, bool) {
	t.Helper()
	p := path(name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		err := atomicfile.Write(p, func(w io.Writer) error {
			_, err := w.Write(got)
			return err
		}, 0o644)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("updated %s", p)
		return nil, false
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("golden file: %v; %s", err, regenerate(t))
	}
	return want, true
}

func regenerate(t testing.TB) string {
	return "if the change is intended, rewrite the golden files with: go test -run '" + t.Name() + "' -update (in this package's folder), and review the diff"
}
