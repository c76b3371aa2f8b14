// Package capped reads an input whole or not at all: a file with a size
// cap (a ledger, a report, a cassette) that is larger than its cap is
// refused, never read in part. A ledger cut at its cap would lose the end
// of an entry, and a gate would then accept what the entry did not.
package capped

import (
	"errors"
	"fmt"
	"io"
)

// ErrTooLarge is wrapped by the error of an input larger than its cap.
var ErrTooLarge = errors.New("larger than its cap")

// ReadAll reads all of r if it holds at most limit bytes; otherwise it
// returns an error wrapping ErrTooLarge, having read limit+1 bytes. It
// reads in fixed chunks joined once at the end: unlike io.ReadAll's
// growing buffer, reaching the cap holds the cap, not up to twice that in
// discarded buffers.
func ReadAll(r io.Reader, limit int64) ([]byte, error) {
	const chunk = 1 << 20
	r = io.LimitReader(r, limit+1)
	var chunks [][]byte
	total := int64(0)
	b := make([]byte, 0, min(chunk, limit+1))
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		total += int64(n)
		if total > limit {
			return nil, fmt.Errorf("%w of %s", ErrTooLarge, Size(limit))
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

// Size says a cap in the unit it is written in: 8 MiB, 1500 bytes.
func Size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
