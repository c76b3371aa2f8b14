package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestOutputsCheckedFirst: a report or cassette path that cannot be
// written is refused before the first call, not found after the run.
func TestOutputsCheckedFirst(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, reason string
		args         []string
		want         string
	}{
		{"missing dir", "the report's folder does not exist", []string{"run", "--report", "json=" + filepath.Join(dir, "no", "such", "r.json")}, "cannot write"},
		{"a directory", "the report path is a folder", []string{"run", "--report", "markdown=" + dir}, "is a directory"},
		{"record into a missing dir", "the cassette's folder does not exist", []string{"run", "--record", filepath.Join(dir, "no", "c.yaml")}, "cannot write"},
		{"replay report", "replay checks its reports the same way", []string{"replay", filepath.Join(dir, "none.yaml"), "--report", "json=" + filepath.Join(dir, "no", "r.json")}, "cannot write"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			start := time.Now()
			if code := dispatch(tc.args, &stdout, &stderr); code != exitSetup {
				t.Errorf("exit %d, want %d (%s)", code, exitSetup, tc.reason)
			}
			if !strings.Contains(stderr.String(), tc.want) || strings.Count(stderr.String(), "\n") != 1 {
				t.Errorf("stderr %q, want one line with %q (%s)", stderr.String(), tc.want, tc.reason)
			}
			if stdout.Len() != 0 || time.Since(start) > 2*time.Second {
				t.Errorf("the run went ahead (stdout %q, %s): it must be refused before the first call", stdout.String(), time.Since(start))
			}
		})
	}
}
