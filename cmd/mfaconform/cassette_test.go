package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness"
)

// TestRecordReplayDiff drives the command line: run --record, replay the
// cassette (same verdict, exit 0), diff it against a live reference (no
// differences, exit 0), with reports written.
func TestRecordReplayDiff(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ref.yaml")
	var out, errb bytes.Buffer
	if code := runCmd(context.Background(), []string{"--checks", "200", "--record", path}, &out, &errb); code != exitOK {
		t.Fatalf("run --record exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "interactions into "+path) {
		t.Errorf("run does not say where it recorded:\n%s", out.String())
	}
	out.Reset()
	if code := replayCmd(context.Background(), []string{path, "--report", "json=" + filepath.Join(dir, "r.json")}, &out, &errb); code != exitOK {
		t.Fatalf("replay exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "44 pass, 0 fail") || !strings.Contains(out.String(), "against cassette") {
		t.Errorf("replay output:\n%s", out.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "r.json")); err != nil {
		t.Error(err)
	}
	ref := harness.Reference(contracts.DefaultWorld())
	defer ref.Close()
	out.Reset()
	if code := diffCmd(context.Background(), []string{"--cassette", path, "--endpoint", ref.Info().Endpoint, "--report", "markdown=" + filepath.Join(dir, "d.md")}, &out, &errb); code != exitOK {
		t.Fatalf("diff exit %d: %s\n%s", code, errb.String(), out.String())
	}
	if !strings.Contains(out.String(), "no differences") {
		t.Errorf("diff output:\n%s", out.String())
	}
}

// TestBadCassetteExits2: a bad cassette is one line on stderr and exit 2,
// for replay, diff and parity alike.
func TestBadCassetteExits2(t *testing.T) {
	dir := t.TempDir()
	bad := map[string]string{
		"empty.yaml":   "",
		"cut.yaml":     "---\nmfaconform:\n  format_version: 1\n  operations: ['a\n",
		"future.yaml":  "---\nmfaconform:\n  format_version: 99\nversion: 1\ninteractions: []\n",
		"missing.yaml": "",
	}
	for name, data := range bad {
		if name != "missing.yaml" {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		p := filepath.Join(dir, name)
		for cmd, run := range map[string]func() int{
			"replay": func() int { return dispatch([]string{"replay", p}, &bytes.Buffer{}, errOut(t, name, "replay")) },
			"diff": func() int {
				return dispatch([]string{"diff", "--cassette", p, "--endpoint", "http://127.0.0.1:1"}, &bytes.Buffer{}, errOut(t, name, "diff"))
			},
			"parity": func() int { return dispatch([]string{"parity", p}, &bytes.Buffer{}, errOut(t, name, "parity")) },
		} {
			if code := run(); code != exitSetup {
				t.Errorf("%s %s: exit %d, want %d", cmd, name, code, exitSetup)
			}
		}
	}
}

// oneLineWriter fails the test unless exactly one line is written.
type oneLineWriter struct {
	t    *testing.T
	what string
	b    bytes.Buffer
}

func errOut(t *testing.T, name, cmd string) *oneLineWriter {
	w := &oneLineWriter{t: t, what: cmd + " " + name}
	t.Cleanup(func() {
		s := w.b.String()
		if strings.Count(s, "\n") != 1 || !strings.HasSuffix(s, "\n") || !strings.Contains(s, "mfaconform") {
			t.Errorf("%s: want one line on stderr, got %q", w.what, s)
		}
	})
	return w
}

func (w *oneLineWriter) Write(p []byte) (int, error) { return w.b.Write(p) }

// TestParityOfBundledCassettes prints the table of the bundled cassettes.
func TestParityOfBundledCassettes(t *testing.T) {
	var out, errb bytes.Buffer
	if code := parityCmd(context.Background(), nil, &out, &errb); code != exitOK {
		t.Fatalf("parity exit %d: %s\n%s", code, errb.String(), out.String())
	}
	for _, want := range []string{"reference", "moto-5.2.1", "cognito-local-5.3.0", "set.sms-role-trust", "same verdict as when recorded"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("parity output lacks %q:\n%s", want, out.String())
		}
	}
}

// recordSmall records a one-check run of the reference emulator.
func recordSmall(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "small.yaml")
	var errb bytes.Buffer
	if code := runCmd(context.Background(), []string{"--checks", "1", "--record", path}, &bytes.Buffer{}, &errb); code != exitOK {
		t.Fatalf("run --record exit %d: %s", code, errb.String())
	}
	return path
}

// TestCassetteSizeLimit: a cassette over --max-cassette-bytes (or its
// environment twin) is one line on stderr that says how to raise the
// limit, and exit 2, for replay, diff and parity.
func TestCassetteSizeLimit(t *testing.T) {
	p := recordSmall(t)
	for name, args := range map[string][]string{
		"replay flag": {"replay", "--max-cassette-bytes", "1000", p},
		"diff flag":   {"diff", "--max-cassette-bytes", "1000", "--cassette", p, "--endpoint", "http://127.0.0.1:1"},
		"parity flag": {"parity", "--max-cassette-bytes", "1000", p},
		"replay env":  {"replay", p},
	} {
		t.Run(name, func(t *testing.T) {
			if strings.HasSuffix(name, "env") {
				t.Setenv("MFACONFORM_MAX_CASSETTE_BYTES", "1000")
			}
			var errb bytes.Buffer
			if code := dispatch(args, &bytes.Buffer{}, &errb); code != exitSetup {
				t.Errorf("exit %d, want %d", code, exitSetup)
			}
			if s := errb.String(); strings.Count(s, "\n") != 1 || !strings.Contains(s, "larger than 1000 bytes uncompressed") ||
				!strings.Contains(s, "--max-cassette-bytes") {
				t.Errorf("want one line saying the limit and how to raise it, got %q", s)
			}
		})
	}
}

// TestReplayWarnsOfAnotherContract: a cassette recorded under another
// contract revision replays, judged against the current contract, with one
// line on stderr that says so; the exit status is the verdict's.
func TestReplayWarnsOfAnotherContract(t *testing.T) {
	p := recordSmall(t)
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	const old = "cognito-idp/2016-04-18 botocore-1.30.0 (model of 2023-01-01)"
	cur := "contract: " + contracts.Revision + "\n"
	if !bytes.Contains(data, []byte(cur)) {
		t.Fatalf("the recording does not carry %q", cur)
	}
	older := filepath.Join(t.TempDir(), "older.yaml")
	if err := os.WriteFile(older, bytes.Replace(data, []byte(cur), []byte("contract: "+old+"\n"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	warning := `mfaconform replay: cassette ` + older + ` was recorded under contract "` + old + `", this build follows "` +
		contracts.Revision + `"; verdicts follow the current contract` + "\n"
	tests := []struct {
		name, reason string
		args         []string
		want         string
	}{
		{"same contract", "no warning when nothing changed", []string{"replay", p}, ""},
		{"older contract", "a recording outlives a build: warn and judge", []string{"replay", older}, warning},
		{"older contract, rejudged", "rejudging judges against the current contract too", []string{"replay", "--rejudge", older}, warning},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := dispatch(tt.args, &out, &errb); code != exitOK {
				t.Fatalf("exit %d, want %d (%s): %s", code, exitOK, tt.reason, errb.String())
			}
			if errb.String() != tt.want {
				t.Errorf("%s: stderr\n%q\nwant\n%q", tt.reason, errb.String(), tt.want)
			}
			if !strings.Contains(out.String(), "44 pass, 0 fail") {
				t.Errorf("no verdict on stdout:\n%s", out.String())
			}
		})
	}
}
