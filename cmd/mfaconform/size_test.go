package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestInterruptAnySize: a run of 100,000,000 checks, recorded or not,
// stops within a second of SIGINT with status 2: nothing it does first
// (making cases, fingerprinting them for the cassette) grows with --checks
// or keeps the signal waiting.
func TestInterruptAnySize(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes")
	}
	bin := buildBinary(t)
	for _, record := range []bool{false, true} {
		args := []string{"run", "--checks", "100000000"}
		if record {
			args = append(args, "--record", filepath.Join(t.TempDir(), "huge.yaml"))
		}
		run := startChild(t, bin, args...)
		time.Sleep(2 * time.Second)
		rss := run.maxRSS()
		sent := time.Now()
		_ = run.cmd.Process.Signal(os.Interrupt)
		code := run.wait(t, 30*time.Second)
		took := run.exited.Sub(sent)
		t.Logf("%v: peak RSS %d KiB 2s in; exit %d %v after SIGINT", args[1:], rss, code, took.Round(time.Millisecond))
		if code != exitSetup || took > time.Second {
			t.Errorf("%v: exit %d %v after SIGINT, want %d within 1s\nstdout:\n%s\nstderr:\n%s", args[1:], code, took, exitSetup, run.stdout, run.stderr)
		}
		if !strings.Contains(run.stderr.String(), "interrupted") {
			t.Errorf("%v: does not say it was interrupted; stderr:\n%s", args[1:], run.stderr)
		}
	}
}
