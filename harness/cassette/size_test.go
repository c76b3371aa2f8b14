package cassette_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mfaconform/mfaconform/harness/cassette"
)

// gzipBomb writes a small gzip file that unpacks to unpacked bytes of
// YAML comment lines: one gzip member of 1 MiB, repeated (a gzip reader
// reads concatenated members as one stream).
func gzipBomb(t *testing.T, unpacked int) string {
	t.Helper()
	var member bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&member, gzip.BestCompression)
	zw.Write(bytes.Repeat([]byte("#"+strings.Repeat("x", 62)+"\n"), 1<<20/64))
	zw.Close()
	path := filepath.Join(t.TempDir(), "bomb.yaml.gz")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for range unpacked >> 20 {
		if _, err := f.Write(member.Bytes()); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

// TestGzipBombIsRefusedInBoundedMemory: a few MB of gzip that unpack to
// 2 GiB are refused with a clear error once the size limit is read, and
// memory follows the limit, not the input.
func TestGzipBombIsRefusedInBoundedMemory(t *testing.T) {
	path := gzipBomb(t, 2<<30)
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	var loadErr error
	before, peak, after := heapDuring(func() { _, loadErr = cassette.Load(path) })
	t.Logf("bomb of %d bytes (2 GiB unpacked): heap in use %d MiB before, %d MiB at most while loading, %d MiB after",
		st.Size(), before>>20, peak>>20, after>>20)
	if loadErr == nil {
		t.Fatal("a gzip bomb loaded")
	}
	if !errors.Is(loadErr, cassette.ErrBadCassette) || !strings.Contains(loadErr.Error(), "bytes uncompressed") ||
		!strings.Contains(loadErr.Error(), path) {
		t.Errorf("want a bad-cassette error naming the file and the limit, got %v", loadErr)
	}
	const limit = 200 << 20
	if peak-before > limit {
		t.Errorf("loading the bomb took %d MiB of heap; want under %d MiB", (peak-before)>>20, limit>>20)
	}
}

// TestSizeLimit: the limit counts unpacked bytes, for plain and gzipped
// cassettes alike, through Load and Parse; a cassette of exactly the limit
// loads.
func TestSizeLimit(t *testing.T) {
	plain := good(t)
	var packed bytes.Buffer
	zw := gzip.NewWriter(&packed)
	zw.Write(plain)
	zw.Close()
	n := int64(len(plain))
	tests := []struct {
		name, reason string
		data         []byte
		limit        int64
		want         string // "" loads
	}{
		{"plain at the limit", "the limit is inclusive", plain, n, ""},
		{"plain past the limit", "plain files are bounded too", plain, n - 1, "larger than"},
		{"gzip at the limit", "the limit counts unpacked bytes", packed.Bytes(), n, ""},
		{"gzip past the limit", "unpacked, not packed, size decides", packed.Bytes(), n - 1, "larger than"},
		{"gzip cut short", "a truncated stream is not a smaller cassette", packed.Bytes()[:packed.Len()/2], n, "gzip cut short"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "c.yaml")
			if err := os.WriteFile(path, tt.data, 0o644); err != nil {
				t.Fatal(err)
			}
			_, lerr := cassette.Load(path, cassette.WithMaxSize(tt.limit))
			_, perr := cassette.Parse(path, tt.data, cassette.WithMaxSize(tt.limit))
			for how, err := range map[string]error{"Load": lerr, "Parse": perr} {
				switch {
				case tt.want == "" && err != nil:
					t.Errorf("%s (%s): %v", how, tt.reason, err)
				case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, cassette.ErrBadCassette)):
					t.Errorf("%s (%s): want a bad-cassette error saying %q, got %v", how, tt.reason, tt.want, err)
				case tt.want == "larger than" && !errors.Is(err, cassette.ErrTooLarge):
					t.Errorf("%s: %v does not wrap ErrTooLarge", how, err)
				}
			}
		})
	}
}
