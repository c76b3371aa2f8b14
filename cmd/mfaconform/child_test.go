package main

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// buildBinary builds the command once into t's temporary directory: the
// tests that signal a real process need a process of their own.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "mfaconform")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// child is a started mfaconform process.
type child struct {
	cmd            *exec.Cmd
	stdout, stderr *syncBuffer
	done           chan struct{}
	code           int
	exited         time.Time
}

func startChild(t *testing.T, bin string, args ...string) *child {
	t.Helper()
	c := &child{cmd: exec.Command(bin, args...), stdout: &syncBuffer{}, stderr: &syncBuffer{}, done: make(chan struct{})}
	c.cmd.Stdout, c.cmd.Stderr = c.stdout, c.stderr
	c.cmd.Env = childEnv()
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		err := c.cmd.Wait()
		c.exited = time.Now()
		c.code = c.cmd.ProcessState.ExitCode()
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			c.code = -1
		}
		close(c.done)
	}()
	t.Cleanup(func() {
		select {
		case <-c.done:
		default:
			_ = c.cmd.Process.Kill()
			<-c.done
		}
	})
	return c
}

// childEnv is the environment without the flags' twins: a developer's
// MFACONFORM_* settings must not change what the test runs.
func childEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "MFACONFORM_") {
			env = append(env, kv)
		}
	}
	return env
}

// wait returns the exit status, failing the test if the process has not
// ended within d.
func (c *child) wait(t *testing.T, d time.Duration) int {
	t.Helper()
	select {
	case <-c.done:
		return c.code
	case <-time.After(d):
		_ = c.cmd.Process.Kill()
		<-c.done
		t.Fatalf("%v did not end within %v; stdout:\n%s\nstderr:\n%s", c.cmd.Args, d, c.stdout, c.stderr)
	}
	return -1
}

// maxRSS is the child's peak resident set in KiB (VmHWM), 0 if unknown.
func (c *child) maxRSS() int {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(c.cmd.Process.Pid) + "/status")
	if err != nil {
		return 0
	}
	m := regexp.MustCompile(`VmHWM:\s+(\d+) kB`).FindSubmatch(b)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

// startServeChild starts `mfaconform serve` on a free loopback port and
// returns it with its URL.
func startServeChild(t *testing.T, bin string) (*child, string) {
	t.Helper()
	c := &child{cmd: exec.Command(bin, "serve", "--addr", "127.0.0.1:0"), stderr: &syncBuffer{}, stdout: &syncBuffer{}, done: make(chan struct{})}
	c.cmd.Stderr = c.stderr
	c.cmd.Env = childEnv()
	pr, err := c.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 1)
	var copied sync.WaitGroup
	copied.Add(1)
	go func() {
		defer copied.Done()
		sc := bufio.NewScanner(pr)
		if sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		_, _ = io.Copy(c.stdout, pr)
	}()
	go func() {
		copied.Wait()
		err := c.cmd.Wait()
		c.exited = time.Now()
		c.code = c.cmd.ProcessState.ExitCode()
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			c.code = -1
		}
		close(c.done)
	}()
	t.Cleanup(func() {
		select {
		case <-c.done:
		default:
			_ = c.cmd.Process.Kill()
			<-c.done
		}
	})
	select {
	case line := <-lines:
		m := regexp.MustCompile(`^listening on (http://127\.0\.0\.1:\d+)$`).FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("serve's first line %q; stderr %q", line, c.stderr)
		}
		return c, m[1]
	case <-time.After(10 * time.Second):
		t.Fatalf("serve printed no address in 10s; stderr %q", c.stderr)
	}
	return nil, ""
}

// failLines are the FAIL lines of a console summary.
func failLines(stdout string) []string {
	var out []string
	sc := bufio.NewScanner(bytes.NewReader([]byte(stdout)))
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "FAIL ") {
			out = append(out, sc.Text())
		}
	}
	return out
}
