package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness/emulator"
	"github.com/mfaconform/mfaconform/internal/config"
	"github.com/mfaconform/mfaconform/internal/inert"
)

// shutdownGrace bounds how long serve waits for calls in flight to finish.
const shutdownGrace = 5 * time.Second

// How long one connection may hold the server. A call is a few kilobytes
// answered in microseconds, so these are generous for any client on a
// working network, yet a client that trickles its request, or keeps a
// connection open and idle, is disconnected instead of piling up.
const (
	// serveReadHeaderTimeout bounds the request line and headers.
	serveReadHeaderTimeout = 5 * time.Second
	// serveReadTimeout bounds the whole request, body included.
	serveReadTimeout = 10 * time.Second
	// serveWriteTimeout runs from the end of the headers to the end of the
	// answer, so it covers reading the body too and must exceed
	// serveReadTimeout.
	serveWriteTimeout = 20 * time.Second
	// serveIdleTimeout bounds a kept-alive connection between calls; SDK
	// clients reconnect when it closes.
	serveIdleTimeout = 60 * time.Second
)

// serverTimeouts are the http.Server timeouts serve sets.
type serverTimeouts struct {
	readHeader, read, write, idle time.Duration
}

var defaultServerTimeouts = serverTimeouts{readHeader: serveReadHeaderTimeout, read: serveReadTimeout,
	write: serveWriteTimeout, idle: serveIdleTimeout}

var cmdServe = withSignals(serve)

// serve runs the reference emulator until ctx is done.
func serve(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return serveWith(ctx, defaultServerTimeouts, args, stdout, stderr)
}

// serveWith is serve with the timeouts given, which tests shorten.
func serveWith(ctx context.Context, timeouts serverTimeouts, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mfaconform serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	s := config.DefaultSettings()
	s.DefineCommand(fs, "serve")
	addr, fixtures := &s.Addr, &s.Fixtures
	if status, done := parseCommand(fs, args, stdout, stderr); done {
		return status
	}

	world := contracts.DefaultWorld()
	if *fixtures != "" {
		w, err := readFixtures(*fixtures)
		if err != nil {
			fmt.Fprintf(stderr, "mfaconform serve: %v\n", oneLine(err))
			return exitSetup
		}
		world = w
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "mfaconform serve: %v\n", oneLine(err))
		return exitSetup
	}
	srv := &http.Server{
		Handler:           emulator.New(emulator.WithWorld(world)),
		ReadHeaderTimeout: timeouts.readHeader,
		ReadTimeout:       timeouts.read,
		WriteTimeout:      timeouts.write,
		IdleTimeout:       timeouts.idle,
	}
	fmt.Fprintf(stdout, "listening on http://%s\n", ln.Addr())

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		fmt.Fprintf(stderr, "mfaconform serve: %v\n", oneLine(err))
		return exitSetup
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		fmt.Fprintf(stderr, "mfaconform serve: shutdown: %v\n", oneLine(err))
		return exitSetup
	}
	<-served
	return exitOK
}

func readFixtures(path string) (*contracts.World, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	w, err := contracts.ReadWorld(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return w, nil
}

// oneLine keeps an error to one line, as exit-2 reasons are: a bounded
// excerpt of it (a setup error may quote a target's answer), with its
// bidi overrides and control characters escaped.
func oneLine(err error) string {
	b := []byte(err.Error())
	for i, c := range b {
		if c == '\n' || c == '\r' {
			b[i] = ' '
		}
	}
	return inert.Escape(inert.Excerpt(string(b)))
}
