package reportfile

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestJUnitAttributes: skipped and time are written when set (the run
// report, even at 0) and left out when nil (the diff report).
func TestJUnitAttributes(t *testing.T) {
	zero, secs := 0, 1.5
	for _, tc := range []struct {
		name, reason string
		suite        Suite
		want, absent string
	}{
		{"set", "a run that skipped nothing says so", Suite{Name: "n", Skipped: &zero, Time: &secs},
			`<testsuite name="n" tests="0" failures="0" skipped="0" time="1.5">`, ""},
		{"nil", "the diff report's suite has neither", Suite{Name: "n"},
			`<testsuite name="n" tests="0" failures="0">`, "skipped="},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteJUnit(&b, tc.suite); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(b.String(), tc.want) || (tc.absent != "" && strings.Contains(b.String(), tc.absent)) {
				t.Errorf("got\n%s\nwant %s (%s)", b.String(), tc.want, tc.reason)
			}
		})
	}
}

// TestWriteFile: a kind picks its writer; an unknown kind is an error
// that writes nothing; a failing writer leaves the old file.
func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	writer := func(s string) func(io.Writer) error {
		return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
	}
	ws := Writers{JSON: writer("json"), JUnit: writer("junit"), Markdown: writer("md"), HTML: writer("html")}
	for kind, want := range map[string]string{"json": "json", "junit": "junit", "markdown": "md", "md": "md", "html": "html"} {
		path := filepath.Join(dir, kind)
		if err := WriteFile(kind, path, ws); err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(path); string(got) != want {
			t.Errorf("%s: wrote %q, want %q", kind, got, want)
		}
	}
	if err := WriteFile("pdf", filepath.Join(dir, "x.pdf"), ws); err == nil || !strings.Contains(err.Error(), `"pdf"`) {
		t.Errorf("unknown kind: error %v, want one naming it", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "x.pdf")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("unknown kind wrote a file: %v", err)
	}
	ws.JSON = func(io.Writer) error { return errors.New("broken") }
	if err := WriteFile("json", filepath.Join(dir, "json"), ws); err == nil {
		t.Error("a failing writer: no error")
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "json")); string(got) != "json" {
		t.Errorf("a failing writer left %q, want the old report", got)
	}
}
