package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/harness/cassette"
	"github.com/mfaconform/mfaconform/internal/clitest"
)

// TestInterruptIsNotADeviation interrupts real runs with SIGINT, as Ctrl-C
// does, between 1.5 and 3 s in: against the in-process reference, and
// against a serve child that gets the signal first (Ctrl-C reaches every
// process of the terminal's group, and the server may drop the run's
// connections before the run sees the signal). An interrupted run that
// found nothing exits 2, says it was interrupted and reports no FAIL.
func TestInterruptIsNotADeviation(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes for about a minute")
	}
	const tries = 5
	after := func(try int) time.Duration { return 1500*time.Millisecond + time.Duration(try)*375*time.Millisecond }

	t.Run("reference", func(t *testing.T) {
		for try := range tries {
			run := clitest.Start(t, nil, "run", "--checks", "20000")
			time.Sleep(after(try))
			_ = run.Cmd.Process.Signal(os.Interrupt)
			checkInterrupted(t, fmt.Sprintf("try %d", try+1), run.Wait(t, 30*time.Second), run)
		}
	})
	t.Run("serve", func(t *testing.T) {
		for try := range tries {
			srv, url := clitest.StartServe(t)
			run := clitest.Start(t, nil, "run", "--checks", "20000", "--endpoint", url)
			time.Sleep(after(try))
			_ = srv.Cmd.Process.Signal(os.Interrupt)
			_ = run.Cmd.Process.Signal(os.Interrupt)
			checkInterrupted(t, fmt.Sprintf("try %d", try+1), run.Wait(t, 30*time.Second), run)
			srv.Wait(t, 10*time.Second)
		}
	})
	// An interrupted recording replays to the run's own verdict: the same
	// failing rules (none: the target is the reference), no false FAIL
	// from the call the interruption cut, and diff finds no difference.
	t.Run("record-replay", func(t *testing.T) {
		for try, endpoint := range []bool{false, true} {
			path := filepath.Join(t.TempDir(), "interrupted.yaml")
			args := []string{"run", "--checks", "20000", "--record", path}
			var srv *clitest.Child
			if endpoint {
				var url string
				srv, url = clitest.StartServe(t)
				args = append(args, "--endpoint", url)
			}
			run := clitest.Start(t, nil, args...)
			time.Sleep(after(2 * try))
			if srv != nil {
				_ = srv.Cmd.Process.Signal(os.Interrupt)
			}
			_ = run.Cmd.Process.Signal(os.Interrupt)
			what := fmt.Sprintf("record (endpoint %v)", endpoint)
			checkInterrupted(t, what, run.Wait(t, 30*time.Second), run)
			if srv != nil {
				srv.Wait(t, 10*time.Second)
			}
			replay := clitest.Start(t, nil, "replay", path)
			code := replay.Wait(t, 60*time.Second)
			if got, want := failLines(replay.Stdout.String()), failLines(run.Stdout.String()); code != exitSetup || !slices.Equal(got, want) {
				t.Errorf("%s: replay exit %d (want %d), FAIL lines %q (the run's: %q)\nstdout:\n%s\nstderr:\n%s",
					what, code, exitSetup, got, want, replay.Stdout, replay.Stderr)
			}
			if !strings.Contains(replay.Stderr.String(), "interrupted") {
				t.Errorf("%s: replay does not say the recording is of an interrupted run; stderr:\n%s", what, replay.Stderr)
			}
			srv2, url := clitest.StartServe(t)
			diff := clitest.Start(t, nil, "diff", "--cassette", path, "--endpoint", url)
			if code := diff.Wait(t, 120*time.Second); code != exitOK || !strings.Contains(diff.Stdout.String(), "no differences") {
				t.Errorf("%s: diff exit %d, want 0 and no differences\nstdout:\n%s\nstderr:\n%s", what, code, diff.Stdout, diff.Stderr)
			}
			_ = srv2.Cmd.Process.Signal(os.Interrupt)
			srv2.Wait(t, 10*time.Second)
		}
	})
}

func checkInterrupted(t *testing.T, what string, code int, c *clitest.Child) {
	t.Helper()
	out, errs := c.Stdout.String(), c.Stderr.String()
	if code != exitSetup || strings.Contains(out, "DEVIATIONS FOUND") || len(failLines(out)) > 0 || !strings.Contains(errs, "interrupted") {
		t.Errorf("%s: exit %d, want %d, no deviation and a word that the run was interrupted\nstdout:\n%s\nstderr:\n%s",
			what, code, exitSetup, out, errs)
	}
}

// TestReplayOfNothingJudged: a recording interrupted before its first
// judged call replays to exit 2 with a line that says nothing was judged,
// not to exit 0 and "conforms".
func TestReplayOfNothingJudged(t *testing.T) {
	path := filepath.Join(t.TempDir(), "empty.yaml")
	rec := cassette.NewRecorder(path, cassette.NewHeader(harness.TargetInfo{Kind: harness.KindReference}, 1,
		cassette.Flags{Region: "us-east-1", Checks: 400, Parallel: 4, Rules: []string{"*"}}, nil), nil)
	if err := rec.Save(); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := replayCmd(context.Background(), []string{path}, &out, &errb)
	if code != exitSetup || !strings.Contains(errb.String(), "judged nothing") || strings.Count(errb.String(), "\n") != 1 {
		t.Errorf("replay of a cassette with nothing to judge: exit %d, want %d and one line saying nothing was judged; stderr %q\nstdout:\n%s",
			code, exitSetup, errb.String(), out.String())
	}
}
