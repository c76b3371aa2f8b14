package main

import (
	"bytes"
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// silentListener accepts connections on loopback and never answers; its
// connections are closed with it.
func silentListener(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return "http://" + ln.Addr().String()
}

// TestDiffGivesUpOnASilentEndpoint: diff gives each request --timeout and
// stops after five requests in a row with no answer, with exit 2 and one
// line on stderr, instead of waiting on each of the cassette's requests.
func TestDiffGivesUpOnASilentEndpoint(t *testing.T) {
	url := silentListener(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb bytes.Buffer
	done := make(chan int, 1)
	start := time.Now()
	go func() {
		done <- diffCmd(ctx, []string{"--cassette", "../../cassettes/reference.yaml", "--endpoint", url, "--timeout", "200ms"}, &out, &errb)
	}()
	select {
	case code := <-done:
		took := time.Since(start)
		msg := errb.String()
		if code != exitSetup || took > 5*time.Second || strings.Count(msg, "\n") != 1 || !strings.Contains(msg, "stopped answering") {
			t.Errorf("exit %d after %v, want %d within 5s and one line saying the endpoint stopped answering; stderr %q", code, took, exitSetup, msg)
		}
	case <-time.After(20 * time.Second):
		cancel()
		<-done
		t.Fatal("diff against an endpoint that never answers was still waiting after 20s")
	}
}
