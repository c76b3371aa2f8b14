package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mfaconform/mfaconform/internal/clitest"
)

// TestInterruptAnySize: a run of 100,000,000 checks, recorded or not,
// stops within a second of SIGINT with status 2: nothing it does first
// (making cases, fingerprinting them for the cassette) grows with --checks
// or keeps the signal waiting.
func TestInterruptAnySize(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes")
	}
	for _, record := range []bool{false, true} {
		args := []string{"run", "--checks", "100000000"}
		if record {
			args = append(args, "--record", filepath.Join(t.TempDir(), "huge.yaml"))
		}
		run := clitest.Start(t, nil, args...)
		time.Sleep(2 * time.Second)
		rss := run.MaxRSS()
		sent := time.Now()
		_ = run.Cmd.Process.Signal(os.Interrupt)
		code := run.Wait(t, 30*time.Second)
		took := run.Exited().Sub(sent)
		t.Logf("%v: peak RSS %d KiB 2s in; exit %d %v after SIGINT", args[1:], rss, code, took.Round(time.Millisecond))
		if code != exitSetup || took > time.Second {
			t.Errorf("%v: exit %d %v after SIGINT, want %d within 1s\nstdout:\n%s\nstderr:\n%s", args[1:], code, took, exitSetup, run.Stdout, run.Stderr)
		}
		if !strings.Contains(run.Stderr.String(), "interrupted") {
			t.Errorf("%v: does not say it was interrupted; stderr:\n%s", args[1:], run.Stderr)
		}
	}
}
