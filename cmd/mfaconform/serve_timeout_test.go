package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/mfaconform/mfaconform/contracts"
)

// shortTimeouts keep TestServeTimeouts fast; the production values are
// checked by TestServeDefaultTimeouts.
var shortTimeouts = serverTimeouts{readHeader: 200 * time.Millisecond, read: 400 * time.Millisecond,
	write: time.Second, idle: 300 * time.Millisecond}

// trickleLimit bounds each connection of TestServeTimeouts: well above
// shortTimeouts, well below anything a slow machine needs to notice a close.
const trickleLimit = 5 * time.Second

// A client that trickles its request, or keeps a connection idle, is
// disconnected within the server's timeouts instead of holding it.
func TestServeTimeouts(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	run := func(args []string, stdout, stderr io.Writer) int {
		return serveWith(ctx, shortTimeouts, args, stdout, stderr)
	}
	url, done, stderr := startServe(t, run, "--addr", "127.0.0.1:0")
	defer func() { cancel(); waitExit(t, done, stderr) }()
	addr := strings.TrimPrefix(url, "http://")

	const headers = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + contracts.ContentType + "\r\n"
	get := "X-Amz-Target: " + contracts.Target(contracts.OpGetUserPoolMfaConfig) + "\r\n"
	body := `{"UserPoolId":"us-east-1_NoSuchPool0"}`
	for _, tc := range []struct {
		name, head, drip string
		bound            time.Duration // the connection must end before this
		answer           string        // how the server's answer starts, if it is ours to say
	}{
		// net/http closes, or answers 400, as its version decides.
		{name: "slow headers", head: headers, drip: "X-Slow: 1\r\n",
			bound: shortTimeouts.readHeader},
		{name: "slow body", head: headers + get + "Content-Length: 1000\r\n\r\n", drip: " ",
			bound: shortTimeouts.read, answer: "HTTP/1.1 400 "},
		{name: "idle after a call", head: headers + get + fmt.Sprintf("Content-Length: %d\r\n\r\n", len(body)) + body,
			bound: shortTimeouts.idle, answer: "HTTP/1.1 400 "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, lived, closed := trickle(t, addr, tc.head, tc.drip)
			if !closed {
				t.Fatalf("the connection was still open after %v; the timeout is %v", trickleLimit, tc.bound)
			}
			// Slack for a loaded machine; the trickle alone would last trickleLimit.
			if lived > tc.bound+time.Second {
				t.Errorf("the connection lived %v, want about %v", lived, tc.bound)
			}
			if lived < tc.bound {
				t.Errorf("the connection ended after %v, before the timeout of %v: %q", lived, tc.bound, got)
			}
			if !strings.HasPrefix(string(got), tc.answer) {
				t.Errorf("the server answered %q, want it to start with %q", got, tc.answer)
			}
		})
	}
}

// trickle dials addr, sends head, then one byte of drip every 50 ms until
// the server ends the connection or trickleLimit passes. It returns what
// the server sent, how long the connection lived, and whether the server
// ended it.
func trickle(t *testing.T, addr, head, drip string) (got []byte, lived time.Duration, closed bool) {
	t.Helper()
	const every = 50 * time.Millisecond
	start := time.Now()
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	read := make(chan []byte, 1)
	go func() {
		b, _ := io.ReadAll(conn) // EOF or reset: the server is done with us
		read <- b
	}()
	if _, err := io.WriteString(conn, head); err != nil {
		t.Fatal(err)
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for i := 0; i < int(trickleLimit/every); i++ {
		select {
		case b := <-read:
			return b, time.Since(start), true
		case <-tick.C:
			if drip != "" {
				conn.Write([]byte{drip[i%len(drip)]}) // fails once the server is gone; the read says so
			}
		}
	}
	conn.Close()
	return <-read, time.Since(start), false
}

// The production timeouts are set, in the range the design asks (seconds to
// tens of seconds), and the write timeout, which starts once the headers are
// read, outlasts reading the body.
func TestServeDefaultTimeouts(t *testing.T) {
	d := defaultServerTimeouts
	for name, v := range map[string]time.Duration{"ReadHeaderTimeout": d.readHeader, "ReadTimeout": d.read,
		"WriteTimeout": d.write, "IdleTimeout": d.idle} {
		if v < time.Second || v > 2*time.Minute {
			t.Errorf("%s %v, want between 1s and 2m", name, v)
		}
	}
	if !(d.readHeader <= d.read && d.read < d.write) {
		t.Errorf("want ReadHeaderTimeout %v <= ReadTimeout %v < WriteTimeout %v", d.readHeader, d.read, d.write)
	}
}
