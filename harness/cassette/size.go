package cassette

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"

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
	data, err := readAtMost(src, limit)
	switch {
	case errors.Is(err, ErrTooLarge):
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

// readAtMost reads all of r if it holds at most limit bytes, else returns
// ErrTooLarge having read limit+1. It reads in fixed chunks joined once at
// the end: unlike io.ReadAll's growing buffer, reaching the limit holds
// the limit, not up to twice that in discarded buffers.
func readAtMost(r io.Reader, limit int64) ([]byte, error) {
	const chunk = 1 << 20
	r = io.LimitReader(r, limit+1)
	var chunks [][]byte
	total := int64(0)
	b := make([]byte, 0, chunk)
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		total += int64(n)
		if total > limit {
			return nil, ErrTooLarge
		}
		if len(b) == cap(b) || err != nil {
			chunks = append(chunks, b)
			b = make([]byte, 0, chunk)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	data := make([]byte, 0, total)
	for _, c := range chunks {
		data = append(data, c...)
	}
	return data, nil
}
