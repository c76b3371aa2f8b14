package main

import (
	"errors"
	"fmt"

	"github.com/mfaconform/mfaconform/harness/cassette"
)

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
