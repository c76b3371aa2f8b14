package harness

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/mfaconform/mfaconform/internal/config"
)

// TestReadAnswer: an answer is read whole whatever length it announces
// (right, too short, too long, none), never past the cap, and a read error
// is returned with what came before it.
func TestReadAnswer(t *testing.T) {
	body := `{"MfaConfiguration":"OFF"}`
	broken := errors.New("connection reset")
	for _, c := range []struct {
		name    string
		r       io.Reader
		length  int64
		want    string
		wantErr error
	}{
		{"announced", strings.NewReader(body), int64(len(body)), body, nil},
		{"longer than announced", strings.NewReader(body), 5, body, nil},
		{"shorter than announced", strings.NewReader(body), 100, body, nil},
		{"not announced", strings.NewReader(body), -1, body, nil},
		{"empty", strings.NewReader(""), 0, "", nil},
		{"one byte at a time", iotest.OneByteReader(strings.NewReader(body)), int64(len(body)), body, nil},
		{"broken", io.MultiReader(strings.NewReader(body[:4]), iotest.ErrReader(broken)), int64(len(body)), body[:4], broken},
	} {
		got, err := readAnswer(&http.Response{Body: io.NopCloser(c.r), ContentLength: c.length})
		if string(got) != c.want || !errors.Is(err, c.wantErr) {
			t.Errorf("%s: readAnswer = %q, %v; want %q, %v", c.name, got, err, c.want, c.wantErr)
		}
	}
	huge := bytes.Repeat([]byte("x"), config.MaxResponse+10)
	for _, length := range []int64{-1, 10, int64(len(huge))} {
		got, err := readAnswer(&http.Response{Body: io.NopCloser(bytes.NewReader(huge)), ContentLength: length})
		if err != nil || len(got) != config.MaxResponse+1 {
			t.Errorf("an answer over the cap announced as %d: read %d bytes, %v; want %d (the cap and one)", length, len(got), err, config.MaxResponse+1)
		}
	}
}
