package harness_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/harness/emulator"
)

// poolOps are forwarded to a real emulator so that fixtures can be made.
var poolOps = []string{contracts.OpCreateUserPool, contracts.OpDescribeUserPool, contracts.OpDeleteUserPool}

func opOf(r *http.Request) string {
	t := r.Header.Get("X-Amz-Target")
	return t[strings.LastIndexByte(t, '.')+1:]
}

// garbageServer serves fixture calls from the reference emulator and
// everything else with other.
func garbageServer(t *testing.T, other http.HandlerFunc) harness.Target {
	t.Helper()
	em := emulator.New()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if slices.Contains(poolOps, opOf(r)) {
			em.ServeHTTP(w, r)
			return
		}
		other(w, r)
	}))
	t.Cleanup(srv.Close)
	target, err := harness.Endpoint(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { target.Close() })
	return target
}

func TestGarbageHTML(t *testing.T) {
	target := garbageServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, "<html><body><h1>It works!</h1></body></html>")
	})
	rep, err := harness.Run(context.Background(), target, harness.WithChecks(200), harness.WithParallel(2))
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if rep.Conforms() {
		t.Fatalf("a target answering HTML conforms:\n%s", ruleTable(rep))
	}
	if !slices.Contains(rep.Failing(), contracts.RuleProtocolContentType) {
		t.Errorf("failing %v, want %s among them\n%s", rep.Failing(), contracts.RuleProtocolContentType, ruleTable(rep))
	}
}

// cutBody yields its bytes, then io.ErrUnexpectedEOF.
type cutBody struct{ r io.Reader }

func (c *cutBody) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return n, err
}
func (c *cutBody) Close() error { return nil }

func TestGarbageTruncated(t *testing.T) {
	truncate := func(next http.RoundTripper) http.RoundTripper {
		return rtFunc(func(r *http.Request) (*http.Response, error) {
			resp, err := next.RoundTrip(r)
			if err != nil || slices.Contains(poolOps, opOf(r)) {
				return resp, err
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			resp.Body = &cutBody{bytes.NewReader(b[:len(b)/2])}
			return resp, nil
		})
	}
	target := harness.WrapTarget(harness.Reference(contracts.DefaultWorld()), truncate)
	defer target.Close()
	rep, err := harness.Run(context.Background(), target, harness.WithChecks(200), harness.WithParallel(2))
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if rep.Conforms() {
		t.Fatalf("a target whose answers are cut short conforms:\n%s", ruleTable(rep))
	}
}

func TestGarbageHang(t *testing.T) {
	t.Parallel()
	done := make(chan struct{})
	target := garbageServer(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-done:
		case <-r.Context().Done():
		}
	})
	// Registered after the server's Close, so it runs first: Close waits
	// for the blocked handlers.
	t.Cleanup(func() { close(done) })
	start := time.Now()
	rep, err := harness.Run(context.Background(), target, harness.WithChecks(200), harness.WithParallel(2),
		harness.WithCallTimeout(200*time.Millisecond))
	if !errors.Is(err, harness.ErrSetup) {
		t.Fatalf("Run = %v, %v; want an error wrapping ErrSetup", rep != nil, err)
	}
	if d := time.Since(start); d > 8*time.Second {
		t.Errorf("a hanging target took %v to give up on", d)
	}
}

func TestGarbageUnreachable(t *testing.T) {
	target, err := harness.Endpoint("http://127.0.0.1:1")
	if err != nil {
		t.Fatal(err)
	}
	defer target.Close()
	start := time.Now()
	_, err = harness.Run(context.Background(), target, harness.WithChecks(50))
	if !errors.Is(err, harness.ErrSetup) {
		t.Fatalf("Run = %v; want an error wrapping ErrSetup", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("an unreachable target took %v to give up on", d)
	}
}
