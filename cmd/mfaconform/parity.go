package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"

	"github.com/mfaconform/mfaconform/cassettes"
	"github.com/mfaconform/mfaconform/harness/cassette"
	"github.com/mfaconform/mfaconform/internal/config"
)

var cmdParity = withSignals(parityCmd)

// parityCmd replays cassettes (those bundled in the binary by default) and
// prints the parity table. Deviations of the recorded targets are the
// table's content, not a failure: it exits 0 unless a cassette is bad.
func parityCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("mfaconform parity", flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	s := config.DefaultSettings()
	s.Define(flags, "max-cassette-bytes")
	maxSize := &s.MaxCassetteBytes
	paths, err := parseInterleaved(flags, args)
	if err == nil {
		err = config.ApplyEnv(flags, lookupEnv)
	}
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, "usage: mfaconform parity [CASSETTE...]  (no argument: the bundled cassettes)")
			return exitOK
		}
		fmt.Fprintf(stderr, "mfaconform parity: %v\n", err)
		return exitSetup
	}
	var cs []*cassette.Cassette
	if len(paths) == 0 {
		cs, err = bundled(*maxSize)
	} else {
		for _, p := range paths {
			c, lerr := loadCassette(p, *maxSize)
			if lerr != nil {
				err = lerr
				break
			}
			cs = append(cs, c)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "mfaconform parity: %v\n", oneLine(err))
		return exitSetup
	}
	if len(cs) == 0 {
		fmt.Fprintln(stderr, "mfaconform parity: no cassette")
		return exitSetup
	}
	cols := cassette.Parity(ctx, cs)
	cassette.WriteParity(stdout, cols)
	for _, c := range cols {
		if c.Err != nil {
			return exitSetup
		}
	}
	return exitOK
}

// bundled loads the cassettes embedded in the binary, in name order.
func bundled(maxSize int64) ([]*cassette.Cassette, error) {
	names, err := fs.Glob(cassettes.FS, "*.yaml*")
	if err != nil {
		return nil, err
	}
	var out []*cassette.Cassette
	for _, n := range names {
		data, err := fs.ReadFile(cassettes.FS, n)
		if err != nil {
			return nil, err
		}
		c, err := cassette.Parse("cassettes/"+n, data, cassette.WithMaxSize(maxSize))
		err = tooLargeHint(err)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}
