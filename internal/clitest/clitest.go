// Package clitest builds the mfaconform command and starts it as a child
// process, for the tests that need a process of its own: signals, exit
// statuses, peak memory, a serve that another process talks to. The
// command is built once per test binary; a package that uses it calls
// Main from its TestMain to remove the build when its tests end.
package clitest

import (
	"bytes"
	"errors"
	"fmt"
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

// pkg is the command's import path; go build finds it from any folder of
// the module.
const pkg = "github.com/mfaconform/mfaconform/cmd/mfaconform"

var (
	buildOnce sync.Once
	buildDir  string
	binary    string
	buildErr  error
)

// Binary is the path of the command, built on the first call.
func Binary(tb testing.TB) string {
	tb.Helper()
	buildOnce.Do(func() {
		if buildDir, buildErr = os.MkdirTemp("", "mfaconform-cli-"); buildErr != nil {
			return
		}
		binary = filepath.Join(buildDir, "mfaconform")
		if out, err := exec.Command("go", "build", "-o", binary, pkg).CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build %s: %v\n%s", pkg, err, out)
		}
	})
	if buildErr != nil {
		tb.Fatal(buildErr)
	}
	return binary
}

// Main runs a package's tests and removes the command Binary built.
func Main(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// Env is the test's environment without the flags' twins: a developer's
// MFACONFORM_* settings must not change what a test runs.
func Env() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "MFACONFORM_") {
			env = append(env, kv)
		}
	}
	return env
}

// Buffer is a bytes.Buffer a child writes while the test reads it.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// Child is a started mfaconform process.
type Child struct {
	Cmd            *exec.Cmd
	Stdout, Stderr *Buffer
	done           chan struct{}
	code           int
	exited         time.Time
}

// Start starts the command with args, in env (nil: Env()). The test's
// cleanup kills it if it still runs.
func Start(tb testing.TB, env []string, args ...string) *Child {
	tb.Helper()
	if env == nil {
		env = Env()
	}
	c := &Child{Cmd: exec.Command(Binary(tb), args...), Stdout: &Buffer{}, Stderr: &Buffer{}, done: make(chan struct{})}
	c.Cmd.Stdout, c.Cmd.Stderr, c.Cmd.Env = c.Stdout, c.Stderr, env
	if err := c.Cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	go func() {
		err := c.Cmd.Wait()
		c.exited = time.Now()
		c.code = c.Cmd.ProcessState.ExitCode()
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			c.code = -1
		}
		close(c.done)
	}()
	tb.Cleanup(func() {
		select {
		case <-c.done:
		default:
			_ = c.Cmd.Process.Kill()
			<-c.done
		}
	})
	return c
}

// Done is closed when the process has ended.
func (c *Child) Done() <-chan struct{} { return c.done }

// Code is the exit status once Done is closed (-1 when the process could
// not be waited for).
func (c *Child) Code() int {
	<-c.done
	return c.code
}

// Exited is when the process was seen to end, once Done is closed.
func (c *Child) Exited() time.Time {
	<-c.done
	return c.exited
}

// Wait returns the exit status; the test fails if the process has not
// ended within d.
func (c *Child) Wait(tb testing.TB, d time.Duration) int {
	tb.Helper()
	select {
	case <-c.done:
		return c.code
	case <-time.After(d):
		_ = c.Cmd.Process.Kill()
		<-c.done
		tb.Fatalf("%v did not end within %v; stdout:\n%s\nstderr:\n%s", c.Cmd.Args, d, c.Stdout, c.Stderr)
	}
	return -1
}

// Signal sends sig to the process.
func (c *Child) Signal(tb testing.TB, sig os.Signal) {
	tb.Helper()
	if err := c.Cmd.Process.Signal(sig); err != nil {
		tb.Fatal(err)
	}
}

var vmHWM = regexp.MustCompile(`VmHWM:\s+(\d+) kB`)

// MaxRSS is the process's peak resident set in KiB (VmHWM), 0 if unknown.
func (c *Child) MaxRSS() int {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(c.Cmd.Process.Pid) + "/status")
	if err != nil {
		return 0
	}
	m := vmHWM.FindSubmatch(b)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

var listening = regexp.MustCompile(`^listening on (http://127\.0\.0\.1:\d+)\n`)

// StartServe starts `mfaconform serve` on a free loopback port, with
// args after, and returns it with the URL its first line gives.
func StartServe(tb testing.TB, args ...string) (*Child, string) {
	tb.Helper()
	c := Start(tb, nil, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	deadline := time.After(10 * time.Second)
	for {
		out := c.Stdout.String()
		if strings.Contains(out, "\n") {
			m := listening.FindStringSubmatch(out)
			if m == nil {
				tb.Fatalf("serve's first line %q; stderr %q", out, c.Stderr)
			}
			return c, m[1]
		}
		select {
		case <-c.done:
			tb.Fatalf("serve ended (exit %d) without saying where it listens; stderr %q", c.code, c.Stderr)
		case <-deadline:
			tb.Fatalf("serve printed no address in 10s; stderr %q", c.Stderr)
		case <-time.After(10 * time.Millisecond):
		}
	}
}
