package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/mfaconform/mfaconform/cassettes"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/harness/cassette"
	"github.com/mfaconform/mfaconform/internal/atomicfile"
	"github.com/mfaconform/mfaconform/internal/config"
)

var cmdParity = withSignals(parityCmd)

// parityCmd replays cassettes (those bundled in the binary by default) and
// reads JSON reports (a name ending in .json), and prints the parity
// table, and with --html writes it as a page. Deviations of the targets
// are the table's content, not a failure: it exits 0 unless a cassette or
// report is bad.
func parityCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("mfaconform parity", flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	s := config.DefaultSettings()
	s.DefineCommand(flags, "parity")
	maxSize := &s.MaxCassetteBytes
	paths, err := parseInterleaved(flags, args)
	if err == nil {
		err = config.ApplyEnv(flags, lookupEnv)
	}
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			config.WriteHelp(stdout, flags)
			return exitOK
		}
		fmt.Fprintf(stderr, "mfaconform parity: %v\n", err)
		return exitSetup
	}
	if s.HTML != "" {
		if err := checkOutputs("", config.Reports{{Kind: "html", Path: s.HTML}}); err != nil {
			fmt.Fprintf(stderr, "mfaconform parity: --html: %v\n", oneLine(err))
			return exitSetup
		}
	}
	cols, err := parityColumns(ctx, paths, *maxSize)
	if err != nil {
		fmt.Fprintf(stderr, "mfaconform parity: %v\n", oneLine(err))
		return exitSetup
	}
	if len(cols) == 0 {
		fmt.Fprintln(stderr, "mfaconform parity: no cassette")
		return exitSetup
	}
	cols = harness.ParityByDate(cols)
	harness.WriteParity(stdout, cols)
	if s.HTML != "" {
		err := atomicfile.Write(s.HTML, func(w io.Writer) error { return harness.WriteParityHTML(w, cols) }, 0o644)
		if err != nil {
			fmt.Fprintf(stderr, "mfaconform parity: writing %s: %v\n", s.HTML, oneLine(err))
			return exitSetup
		}
	}
	for _, c := range cols {
		if c.Err != "" {
			return exitSetup
		}
	}
	return exitOK
}

// parityColumns makes a column of each path, in order: a JSON report as
// it is, a cassette replayed. No path: the bundled cassettes.
func parityColumns(ctx context.Context, paths []string, maxSize int64) ([]harness.ParityColumn, error) {
	if len(paths) == 0 {
		cs, err := bundled(maxSize)
		if err != nil {
			return nil, err
		}
		return cassette.Parity(ctx, cs), nil
	}
	var cols []harness.ParityColumn
	for _, p := range paths {
		if strings.HasSuffix(p, ".json") {
			rep, err := readReport(p)
			if err != nil {
				return nil, err
			}
			cols = append(cols, harness.ReportParityColumn(p, rep))
			continue
		}
		c, err := loadCassette(p, maxSize)
		if err != nil {
			return nil, err
		}
		cols = append(cols, cassette.ParityColumn(ctx, c))
	}
	return cols, nil
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
