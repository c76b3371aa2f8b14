package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness/emulator"
)

// TestRunEndsOnAHungOperation: run against an endpoint that answers every
// call but GetUserPoolMfaConfig, which it never answers, exits 2 within
// seconds, with one line on stderr naming the operation, instead of
// waiting --timeout on every Get of the run.
func TestRunEndsOnAHungOperation(t *testing.T) {
	emu := emulator.New()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Amz-Target") == contracts.Target(contracts.OpGetUserPoolMfaConfig) {
			_, _ = io.Copy(io.Discard, r.Body)
			select {
			case <-r.Context().Done():
			case <-release:
			}
			return
		}
		emu.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var out, errb bytes.Buffer
	start := time.Now()
	code := runCmd(ctx, []string{"--endpoint", srv.URL, "--timeout", "300ms", "--quiet"}, &out, &errb)
	took := time.Since(start)
	msg := errb.String()
	if code != exitSetup || took > 8*time.Second || strings.Count(msg, "\n") != 1 || !strings.Contains(msg, "GetUserPoolMfaConfig had no answer") {
		t.Errorf("exit %d after %v, want %d within 8s and one line naming the hung operation; stderr %q", code, took, exitSetup, msg)
	}
	if ids := emu.PoolIDs(); len(ids) != 0 {
		t.Errorf("the run left %d pools", len(ids))
	}
}
