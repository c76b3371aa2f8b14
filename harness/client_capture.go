package harness

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/mfaconform/mfaconform/internal/config"
	"github.com/mfaconform/mfaconform/internal/judge"
)

type exchangeKey struct{}

// withExchange makes the capturing transport record into x for calls
// made with ctx.
func withExchange(ctx context.Context, x *judge.Exchange) context.Context {
	return context.WithValue(ctx, exchangeKey{}, x)
}

// capture is the http.RoundTripper in the SDK's HTTPClient that keeps the
// bytes of each exchange for the judge. It reads at most
// config.MaxResponse bytes of an answer.
type capture struct{ next http.RoundTripper }

func (c capture) RoundTrip(req *http.Request) (*http.Response, error) {
	x, _ := req.Context().Value(exchangeKey{}).(*judge.Exchange)
	if x == nil {
		return c.next.RoundTrip(req)
	}
	x.Target = req.Header.Get("X-Amz-Target")
	x.ContentType = req.Header.Get("Content-Type")
	b, err := readBody(req)
	if err != nil {
		x.Err = err
		return nil, err
	}
	if b != nil {
		x.RequestBody = b
		// A shallow copy: the header is shared and left as it is.
		r := *req
		req = &r
		req.Body = io.NopCloser(bytes.NewReader(b))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
		req.ContentLength = int64(len(b))
	}
	start := time.Now()
	resp, err := c.next.RoundTrip(req)
	x.Duration = time.Since(start)
	if err != nil {
		x.Err = err
		return nil, err
	}
	body, rerr := readAnswer(resp)
	resp.Body.Close()
	x.Status, x.Header, x.Body = resp.StatusCode, resp.Header, body
	if rerr != nil {
		x.Err = fmt.Errorf("reading the answer: %w", rerr)
	} else if len(body) > config.MaxResponse {
		x.Err = fmt.Errorf("answer larger than %d bytes", config.MaxResponse)
		body = body[:config.MaxResponse]
		x.Body = body
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	return resp, nil
}

// readAnswer reads at most config.MaxResponse+1 bytes of an answer, into
// one buffer of the announced length when there is one.
func readAnswer(resp *http.Response) ([]byte, error) {
	limited := io.LimitReader(resp.Body, config.MaxResponse+1)
	n := resp.ContentLength
	if n < 0 || n > config.MaxResponse {
		return io.ReadAll(limited)
	}
	// One byte more than announced, to see an answer longer than it says.
	buf := make([]byte, 0, n+1)
	for len(buf) < cap(buf) {
		m, err := limited.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+m]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
	rest, err := io.ReadAll(limited)
	return append(buf, rest...), err
}

// readBody reads and closes a request's body: nil when it has none.
func readBody(req *http.Request) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	defer req.Body.Close()
	return io.ReadAll(req.Body)
}

// sendRaw sends a request byte for byte, with the headers the SDK sends,
// and records it in x.
func sendRaw(ctx context.Context, client *http.Client, url, target, contentType string, body []byte, x *judge.Exchange) {
	req, err := http.NewRequestWithContext(withExchange(ctx, x), http.MethodPost, url+"/", bytes.NewReader(body))
	if err != nil {
		x.Err = err
		return
	}
	if target != "" {
		req.Header.Set("X-Amz-Target", target)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("User-Agent", "mfaconform")
	resp, err := client.Do(req)
	if err != nil {
		if x.Err == nil {
			x.Err = err
		}
		return
	}
	resp.Body.Close()
	x.RequestBody = body
}
