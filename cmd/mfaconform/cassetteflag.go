package main

import (
	"errors"
	"flag"
	"fmt"

	"github.com/mfaconform/mfaconform/harness/cassette"
)

// maxCassetteFlag adds --max-cassette-bytes to a command that loads
// cassettes: the limit, not the file, bounds the command's memory.
func maxCassetteFlag(fs *flag.FlagSet) *int64 {
	return fs.Int64("max-cassette-bytes", int64(envInt("MFACONFORM_MAX_CASSETTE_BYTES", cassette.DefaultMaxSize)),
		"refuse a cassette larger than `N` bytes unpacked; loading takes about ten times that in memory (env MFACONFORM_MAX_CASSETTE_BYTES)")
}

// loadCassette loads a cassette within the limit, and says how to raise it.
func loadCassette(path string, maxSize int64) (*cassette.Cassette, error) {
	c, err := cassette.Load(path, cassette.WithMaxSize(maxSize))
	return c, tooLargeHint(err)
}

func tooLargeHint(err error) error {
	if errors.Is(err, cassette.ErrTooLarge) {
		return fmt.Errorf("%w (raise the limit with --max-cassette-bytes or MFACONFORM_MAX_CASSETTE_BYTES)", err)
	}
	return err
}
