package cassette

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"

	"github.com/mfaconform/mfaconform/internal/capped"
	"github.com/mfaconform/mfaconform/internal/config"
)

// DefaultMaxSize bounds what Load and Parse read of one cassette, unpacked.
// Parsing costs about ten times the YAML's size in memory, so the limit is
// what bounds a replay's memory. A run of 500 checks records about 4.5 MB;
// 64 MiB leaves room for runs of several thousand checks and a few answers
// cut at maxAnswer.
const DefaultMaxSize = config.MaxCassetteBytes

// ErrTooLarge is a cassette larger than the size limit once unpacked. It
// comes wrapped with ErrBadCassette.
var ErrTooLarge = errors.New("cassette too large")

// LoadOption configures Load and Parse.
type LoadOption func(*loadConfig)

type loadConfig struct{ maxSize int64 }

// WithMaxSize sets the size limit in bytes, unpacked; n <= 0 keeps
// DefaultMaxSize.
func WithMaxSize(n int64) LoadOption {
	return func(c *loadConfig) {
		if n > 0 {
			c.maxSize = n
		}
	}
}

func loadConfigOf(opts []LoadOption) loadConfig {
	c := loadConfig{maxSize: DefaultMaxSize}
	for _, o := range opts {
		o(&c)
	}
	return c
}

// gzipMagic starts a gzip stream. A cassette whose name ends in .gz is
// written gzipped (large recordings: boundary values of 128 KiB echoed by
// a permissive emulator), and every reader unpacks it; unpacked it is the
// same go-vcr YAML.
var gzipMagic = []byte{0x1f, 0x8b}

// readBounded reads a cassette's YAML from r, unpacking gzip as a stream,
// and stops one byte past limit: memory follows the limit, never the
// input.
func readBounded(name string, r io.Reader, limit int64) ([]byte, error) {
	br := bufio.NewReader(r)
	src := io.Reader(br)
	packed := false
	if magic, _ := br.Peek(len(gzipMagic)); string(magic) == string(gzipMagic) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, badCassette(name, "not valid gzip: %s", oneLine(err.Error()))
		}
		defer zr.Close()
		src, packed = zr, true
	}
	data, err := capped.ReadAll(src, limit)
	switch {
	case errors.Is(err, capped.ErrTooLarge):
		return nil, tooLarge(name, limit)
	case err != nil && packed:
		return nil, badCassette(name, "gzip cut short: %s", oneLine(err.Error()))
	case err != nil:
		return nil, badCassette(name, "%s", oneLine(err.Error()))
	}
	return data, nil
}

func tooLarge(name string, limit int64) error {
	return fmt.Errorf("%w: %s: %w: larger than %d bytes uncompressed", ErrBadCassette, name, ErrTooLarge, limit)
}
