package main

import (
	"bytes"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/mfaconform/mfaconform/internal/clitest"
)

// progressPattern is one progress line of a --duration run.
var progressPattern = regexp.MustCompile(`\r\x1b\[K\d+ cases, \d+s left, \d+ calls/s, \d+ failing rules`)

// TestProgressOnATerminal: a run longer than two seconds shows a progress
// line on a terminal's stderr (checked under a pseudo-terminal made by
// script(1)), rewritten in place and erased before the summary; none with
// --quiet, none when stderr is not a terminal. --duration sends the sweep
// and then random cases until the time has passed.
func TestProgressOnATerminal(t *testing.T) {
	if _, err := exec.LookPath("script"); err != nil {
		t.Skip("script(1) is not installed: no pseudo-terminal to test under")
	}
	t.Parallel()
	bin := clitest.Binary(t)
	underTerminal := func(args string) string {
		t.Helper()
		cmd := exec.Command("script", "-q", "-e", "-c", bin+" run --seed 1 --duration 3s "+args, "/dev/null")
		cmd.Env = clitest.Env()
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", args, err, out)
		}
		return string(out)
	}
	out := underTerminal("")
	lines := progressPattern.FindAllString(out, -1)
	if len(lines) < 2 {
		t.Fatalf("a 3 s run under a terminal showed %d progress lines, want at least 2 (after 2 s, four a second):\n%q", len(lines), out)
	}
	if len(lines) > 8 {
		t.Errorf("%d progress lines in about a second: more than a few a second", len(lines))
	}
	summary := strings.Index(out, "pass, ")
	if last := strings.LastIndex(out, "\r\x1b[K"); summary < 0 || last > summary {
		t.Errorf("the progress line is not erased before the summary:\n%q", out)
	}
	if q := underTerminal("--quiet"); progressPattern.MatchString(q) {
		t.Errorf("--quiet still shows progress:\n%q", q)
	}
	// stderr a pipe: no progress, and the run's report counts the cases
	// the duration allowed (more than the sweep).
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(bin, "run", "--seed", "1", "--duration", "3s")
	cmd.Env, cmd.Stdout, cmd.Stderr = clitest.Env(), &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	if strings.Contains(stderr.String(), "calls/s") {
		t.Errorf("progress on a pipe:\n%q", stderr.String())
	}
	m := regexp.MustCompile(`seed 1, (\d+) cases`).FindStringSubmatch(stdout.String())
	if m == nil || len(m[1]) < 4 {
		t.Errorf("a 3 s --duration run reports %v cases, want thousands:\n%s", m, stdout.String())
	}
}
