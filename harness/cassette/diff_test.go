package cassette_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/harness/cassette"
	"github.com/mfaconform/mfaconform/internal/config"
)

// TestDiffAgainstLiveReference sends a recording of the reference emulator
// to a fresh one (other pool IDs, other dates, other request IDs): no
// differences.
func TestDiffAgainstLiveReference(t *testing.T) {
	path, _ := record(t, 300, nil)
	c, err := cassette.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	fresh := harness.Reference(contracts.DefaultWorld())
	defer fresh.Close()
	contract := harness.Reference(contracts.DefaultWorld())
	defer contract.Close()
	rep, err := cassette.Diff(context.Background(), c, fresh, contract)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Summary.Sent != len(c.Interactions) || !rep.Same() {
		var b bytes.Buffer
		rep.WriteConsole(&b)
		t.Fatalf("sent %d of %d, %d differ:\n%s", rep.Summary.Sent, len(c.Interactions), rep.Summary.Differ, b.String())
	}
}

// lying rewrites the reference's answers to Get: MfaConfiguration ON
// becomes OPTIONAL, and a missing pool answers 500.
type lying struct{ next http.RoundTripper }

func (l lying) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := l.next.RoundTrip(r)
	if err != nil || r.Header.Get("X-Amz-Target") != contracts.Target(contracts.OpGetUserPoolMfaConfig) {
		return resp, err
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	s := strings.ReplaceAll(string(b), `"MfaConfiguration":"ON"`, `"MfaConfiguration":"OPTIONAL"`)
	if strings.Contains(s, "ResourceNotFoundException") {
		resp.StatusCode = 500
	}
	resp.Body = io.NopCloser(strings.NewReader(s))
	resp.ContentLength = int64(len(s))
	resp.Header.Del("Content-Length")
	return resp, nil
}

// TestDiffFindsDifferences: a target that answers otherwise is caught,
// member by member and by status, and the contract sides with the
// recording.
func TestDiffFindsDifferences(t *testing.T) {
	path, _ := record(t, 300, nil)
	c, err := cassette.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	bad := harness.WrapTarget(harness.Reference(contracts.DefaultWorld()), func(next http.RoundTripper) http.RoundTripper { return lying{next} })
	defer bad.Close()
	contract := harness.Reference(contracts.DefaultWorld())
	defer contract.Close()
	rep, err := cassette.Diff(context.Background(), c, bad, contract)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Same() || rep.Summary.ByKind[cassette.DiffStatus] == 0 || rep.Summary.ByKind[cassette.DiffMember] == 0 {
		t.Fatalf("differences not found: %+v", rep.Summary)
	}
	for _, in := range rep.Interactions {
		if in.Operation != contracts.OpGetUserPoolMfaConfig {
			t.Errorf("#%d %s differs, only Get was altered: %+v", in.Index, in.Operation, in.Differences)
		}
		for _, d := range in.Differences {
			if d.Agrees != "recorded" {
				t.Errorf("#%d %s %s: the contract agrees with %q, want the recording: %+v", in.Index, d.Kind, d.Path, d.Agrees, d)
			}
			if d.Kind == cassette.DiffMember && (d.Path != "MfaConfiguration" || d.Recorded != `"ON"` || d.Target != `"OPTIONAL"`) {
				t.Errorf("unexpected member difference %+v", d)
			}
		}
	}
}

// cancelAt cancels the diff on request number at, which it leaves
// unanswered, as Ctrl-C does to a request in flight.
type cancelAt struct {
	next http.RoundTripper
	n    *atomic.Int64
	at   int64
	stop func()
}

func (c cancelAt) RoundTrip(r *http.Request) (*http.Response, error) {
	if c.n.Add(1) == c.at {
		c.stop()
		<-r.Context().Done()
		return nil, r.Context().Err()
	}
	return c.next.RoundTrip(r)
}

// TestDiffDoesNotListTheCutRequest: a request the diff's own cancellation
// cut is no answer of the target's: it is neither sent nor listed as a
// difference; the diff returns what it compared and the context's error.
func TestDiffDoesNotListTheCutRequest(t *testing.T) {
	path, _ := record(t, 300, nil)
	c, err := cassette.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var n atomic.Int64
	target := harness.WrapTarget(harness.Reference(contracts.DefaultWorld()), func(next http.RoundTripper) http.RoundTripper {
		return cancelAt{next: next, n: &n, at: 50, stop: cancel}
	})
	defer target.Close()
	contract := harness.Reference(contracts.DefaultWorld())
	defer contract.Close()
	rep, err := cassette.Diff(ctx, c, target, contract)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("diff cut short returned %v, want context.Canceled", err)
	}
	if rep.Summary.Sent != 49 || !rep.Same() {
		t.Errorf("sent %d (want the 49 answered before the cut), %d differ: %+v", rep.Summary.Sent, rep.Summary.Differ, rep.Interactions)
	}
}

// silentRT never answers: each request waits for its context.
type silentRT struct{ n *atomic.Int64 }

func (s silentRT) RoundTrip(r *http.Request) (*http.Response, error) {
	s.n.Add(1)
	<-r.Context().Done()
	return nil, r.Context().Err()
}

// TestDiffStopsOnASilentTarget: each request gets the run's per-call
// timeout, and after MaxSilent requests in a row with no answer the diff
// stops with ErrSilent instead of waiting on every recorded request.
func TestDiffStopsOnASilentTarget(t *testing.T) {
	path, _ := record(t, 300, nil)
	c, err := cassette.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	var n atomic.Int64
	target := harness.WrapTarget(harness.Reference(contracts.DefaultWorld()), func(http.RoundTripper) http.RoundTripper { return silentRT{&n} })
	defer target.Close()
	start := time.Now()
	rep, err := cassette.Diff(context.Background(), c, target, nil, harness.WithCallTimeout(50*time.Millisecond))
	if !errors.Is(err, harness.ErrSilent) || !errors.Is(err, harness.ErrSetup) {
		t.Fatalf("diff of a silent target returned %v, want ErrSilent", err)
	}
	if took := time.Since(start); took > 5*time.Second || n.Load() != config.MaxSilent || rep.Summary.Sent != config.MaxSilent {
		t.Errorf("took %v, %d requests sent, %d compared; want %d of each, in well under 5s", took, n.Load(), rep.Summary.Sent, config.MaxSilent)
	}
}

// TestDiffMarkdownKeepsItsTable: values holding the characters Markdown
// gives meaning to in a table ("|", backticks, line breaks) stay inside
// their cell: every row has the five cells of the header. A line break
// shows escaped (internal/inert), as in the run report.
func TestDiffMarkdownKeepsItsTable(t *testing.T) {
	rep := &cassette.DiffReport{Interactions: []cassette.InteractionDiff{{Index: 1, Operation: contracts.OpSetUserPoolMfaConfig,
		Request: map[string]any{"MfaConfiguration": "a|b`c"},
		Differences: []cassette.Mismatch{
			{Kind: cassette.DiffMember, Path: "Sms.Message", Recorded: `"code {####} | ok"`, Target: "`tick` and ``two``", Contract: "line one\nline two", Agrees: "recorded"},
			{Kind: cassette.DiffTransport, Recorded: "200", Target: `dial tcp: a|b`, Agrees: "neither"},
		}}}}
	var b bytes.Buffer
	if err := rep.WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	rows := 0
	for _, line := range strings.Split(b.String(), "\n") {
		if !strings.HasPrefix(line, "|") {
			continue
		}
		rows++
		// Cell borders are the "|" not escaped with a backslash.
		if n := strings.Count(line, "|") - strings.Count(line, `\|`); n != 6 {
			t.Errorf("row with %d cells, want 5: %s", n-1, line)
		}
	}
	if rows != 4 {
		t.Errorf("%d table rows, want a header, its rule and two differences:\n%s", rows, b.String())
	}
	for _, want := range []string{"``` `tick` and ``two`` ```", "`line one\\nline two`", "Request: ``{\"MfaConfiguration\":\"a|b`c\"}``", "| `dial tcp: a\\|b` |  | neither |"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the Markdown lacks %s:\n%s", want, b.String())
		}
	}
}

// TestDiffReportEscapesTargetText: a target's value holding bidi
// overrides and control characters shows them escaped in the diff's
// console, Markdown and HTML.
func TestDiffReportEscapesTargetText(t *testing.T) {
	rep := &cassette.DiffReport{Interactions: []cassette.InteractionDiff{{Index: 1, Operation: contracts.OpSetUserPoolMfaConfig,
		Request: map[string]any{"MfaConfiguration": "ON"},
		Differences: []cassette.Mismatch{{Kind: cassette.DiffMember, Path: "MfaConfiguration", Recorded: `"ON"`,
			Target: "\"\u202eNO\u202c \x1b[2J\"", Agrees: "recorded"}}}}}
	var console, md, page bytes.Buffer
	rep.WriteConsole(&console)
	if err := rep.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	if err := rep.WriteHTML(&page); err != nil {
		t.Fatal(err)
	}
	for kind, b := range map[string]*bytes.Buffer{"console": &console, "markdown": &md, "html": &page} {
		if strings.ContainsAny(b.String(), "\u202e\u202c\x1b") {
			t.Errorf("the %s shows the target's bidi override or escape character unescaped", kind)
		}
		if !strings.Contains(b.String(), `\u202eNO\u202c \x1b[2J`) {
			t.Errorf("the %s does not show the value escaped:\n%s", kind, b.String())
		}
	}
}
