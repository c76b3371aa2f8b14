package cassette

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/mfaconform/mfaconform/internal/config"
)

// maxAnswer bounds what the recorder keeps of one answer: the same cap
// the harness reads answers with, so a recording holds what was judged.
const maxAnswer = config.MaxResponse

// maxDigested bounds how much of a cut answer the recorder reads to give
// its length and digest: past it, the length is marked as a lower bound.
// Reading on costs time, not memory.
const maxDigested = 256 << 20

// The marks of a recorded answer that was cut. cutHeader's value is the
// number of bytes kept; lengthHeader's the length of the whole answer
// (ending in "+" when the recorder stopped reading before its end), and
// digestHeader's the SHA-256 of what was read of it, in hex. Replay and
// rejudging read a marked answer as one whose reading failed after the
// bytes kept, as the recording run saw it. Recordings made before the
// length and digest were kept have cutHeader alone.
const (
	cutHeader    = "X-Mfaconform-Answer-Cut-At"
	lengthHeader = "X-Mfaconform-Answer-Length"
	digestHeader = "X-Mfaconform-Answer-Sha256"
)

var cutHeaders = []string{cutHeader, lengthHeader, digestHeader}

// ErrAnswerCut is an answer longer than the recorder keeps: the recording
// run, its replay and its rejudging all see the answer fail after the
// bytes kept.
var ErrAnswerCut = errors.New("answer cut")

// capAnswers sits between go-vcr's recorder and the real transport: go-vcr
// reads a whole answer into memory, so it is handed at most maxAnswer
// bytes, and the answer is marked when the target had more.
type capAnswers struct{ next http.RoundTripper }

func (c capAnswers) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := c.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if resp.Header == nil {
		resp.Header = http.Header{}
	}
	// A marker is the recorder's word, never the target's.
	for _, h := range cutHeaders {
		resp.Header.Del(h)
	}
	resp.Body = &cappedBody{body: resp.Body, left: maxAnswer, header: resp.Header, sum: sha256.New()}
	return resp, nil
}

// cappedBody passes on up to left bytes, then ends. If the body had more,
// it reads on (to maxDigested) for the whole answer's length and digest,
// and marks the answer's header before it ends: go-vcr reads the body to
// its end before it records the header, so the marks are recorded.
type cappedBody struct {
	body   io.ReadCloser
	left   int64
	header http.Header
	sum    hash.Hash
	read   int64
}

func (b *cappedBody) Read(p []byte) (int, error) {
	if b.left > 0 {
		if int64(len(p)) > b.left {
			p = p[:b.left]
		}
		n, err := b.body.Read(p)
		b.left -= int64(n)
		b.read += int64(n)
		b.sum.Write(p[:n])
		return n, err
	}
	var probe [1]byte
	for {
		n, err := b.body.Read(probe[:])
		if n > 0 {
			b.sum.Write(probe[:n])
			b.read += int64(n)
			b.markCut()
			return 0, io.EOF
		}
		if err != nil {
			return 0, err
		}
	}
}

// markCut reads the rest of the answer into the digest, up to
// maxDigested, and marks the header.
func (b *cappedBody) markCut() {
	n, err := io.Copy(b.sum, io.LimitReader(b.body, maxDigested-b.read))
	b.read += n
	length := strconv.FormatInt(b.read, 10)
	if err != nil || b.read >= maxDigested {
		length += "+"
	}
	b.header.Set(cutHeader, strconv.Itoa(maxAnswer))
	b.header.Set(lengthHeader, length)
	b.header.Set(digestHeader, hex.EncodeToString(b.sum.Sum(nil)))
}

// Close closes the real body; what is left unread is not drained.
func (b *cappedBody) Close() error { return b.body.Close() }

// cutAnswers sits in front of go-vcr's recorder: an answer it recorded cut
// reaches the caller as an answer whose reading fails after the bytes
// kept, exactly as replay will give it.
type cutAnswers struct{ next http.RoundTripper }

func (c cutAnswers) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := c.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	h, body, cut := answerAsRecorded(resp.Header, resp.Body)
	resp.Header, resp.Body = h, body
	if cut {
		resp.ContentLength = -1
	}
	return resp, nil
}

// answerAsRecorded reads a recorded answer's header and body: for one
// marked cut, the header without the marks and a body that fails with
// ErrAnswerCut after the bytes kept. The header given is not modified.
func answerAsRecorded(h http.Header, body io.ReadCloser) (http.Header, io.ReadCloser, bool) {
	err := cutError(h)
	if err == nil {
		return h, body, false
	}
	return unmarked(h), &failAtEnd{ReadCloser: body, err: err}, true
}

// unmarked is a copy of a recorded answer's header without the marks of
// a cut.
func unmarked(h http.Header) http.Header {
	h = h.Clone()
	for _, k := range cutHeaders {
		h.Del(k)
	}
	return h
}

// cutError is the error a recorded answer's reading ends with: nil unless
// the answer is marked cut. It names the whole answer's length and digest
// when the recording has them.
func cutError(h http.Header) error {
	v := h.Get(cutHeader)
	if v == "" {
		return nil
	}
	at, err := strconv.ParseInt(v, 10, 64)
	if err != nil || at < 0 {
		return fmt.Errorf("%w (marked %q)", ErrAnswerCut, v)
	}
	length, digest := h.Get(lengthHeader), h.Get(digestHeader)
	if !wellFormedLength(length) || !wellFormedDigest(digest) {
		return fmt.Errorf("%w at %d bytes by the recorder (the target sent more)", ErrAnswerCut, at)
	}
	return fmt.Errorf("%w at %d of %s bytes by the recorder (sha256 %s)", ErrAnswerCut, at, length, digest)
}

func wellFormedLength(s string) bool {
	_, err := strconv.ParseUint(strings.TrimSuffix(s, "+"), 10, 63)
	return err == nil
}

func wellFormedDigest(s string) bool {
	b, err := hex.DecodeString(s)
	return err == nil && len(b) == sha256.Size
}

// failAtEnd is a body whose end is an error.
type failAtEnd struct {
	io.ReadCloser
	err error
}

func (f *failAtEnd) Read(p []byte) (int, error) {
	n, err := f.ReadCloser.Read(p)
	if err == io.EOF {
		err = f.err
	}
	return n, err
}
