package cassette

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/mfaconform/mfaconform/internal/config"
)

// maxAnswer bounds what the recorder keeps of one answer: the same cap
// the harness reads answers with, so a recording holds what was judged.
const maxAnswer = config.MaxResponse

// cutHeader marks a recorded answer that was cut: its value is the number
// of bytes kept. Replay and rejudging read a marked answer as one whose
// reading failed after those bytes, as the recording run saw it.
const cutHeader = "X-Mfaconform-Answer-Cut-At"

// ErrAnswerCut is an answer longer than the recorder keeps: the recording
// run, its replay and its rejudging all see the answer fail after the
// bytes kept.
var ErrAnswerCut = errors.New("answer cut")

func answerCutError(at int64) error {
	return fmt.Errorf("%w at %d bytes by the recorder (the target sent more)", ErrAnswerCut, at)
}

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
	resp.Header.Del(cutHeader)
	resp.Body = &cappedBody{body: resp.Body, left: maxAnswer, header: resp.Header}
	return resp, nil
}

// cappedBody passes on up to left bytes, then ends. If the body had more,
// it marks the answer's header before it ends: go-vcr reads the body to
// its end before it records the header, so the mark is recorded.
type cappedBody struct {
	body   io.ReadCloser
	left   int64
	header http.Header
}

func (b *cappedBody) Read(p []byte) (int, error) {
	if b.left > 0 {
		if int64(len(p)) > b.left {
			p = p[:b.left]
		}
		n, err := b.body.Read(p)
		b.left -= int64(n)
		return n, err
	}
	var probe [1]byte
	for {
		n, err := b.body.Read(probe[:])
		if n > 0 {
			b.header.Set(cutHeader, strconv.Itoa(maxAnswer))
			return 0, io.EOF
		}
		if err != nil {
			return 0, err
		}
	}
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
// marked cut, the header without the marker and a body that fails with
// ErrAnswerCut after the bytes kept. The header given is not modified.
func answerAsRecorded(h http.Header, body io.ReadCloser) (http.Header, io.ReadCloser, bool) {
	err := cutError(h)
	if err == nil {
		return h, body, false
	}
	h = h.Clone()
	h.Del(cutHeader)
	return h, &failAtEnd{ReadCloser: body, err: err}, true
}

// cutError is the error a recorded answer's reading ends with: nil unless
// the answer is marked cut.
func cutError(h http.Header) error {
	v := h.Get(cutHeader)
	if v == "" {
		return nil
	}
	at, err := strconv.ParseInt(v, 10, 64)
	if err != nil || at < 0 {
		return fmt.Errorf("%w (marked %q)", ErrAnswerCut, v)
	}
	return answerCutError(at)
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
