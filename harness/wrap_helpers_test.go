package harness_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/internal/config"
	"github.com/mfaconform/mfaconform/internal/judge"
)

// rtFunc adapts a function to http.RoundTripper.
type rtFunc func(*http.Request) (*http.Response, error)

func (f rtFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// call is one request as a rewriting wrapper sees it.
type call struct {
	Op   string         // operation name (X-Amz-Target after the dot)
	Raw  []byte         // request body as sent
	Req  map[string]any // decoded request body; nil when not a JSON object
	Pool string         // UserPoolId, when a string
}

// answer is one response as a rewriting wrapper sees it.
type answer struct {
	Status int
	Header http.Header
	Raw    []byte
	Body   map[string]any // decoded; nil when not a JSON object
	Code   string         // error type, from the header or __type
}

// setCode renames an error in both places awsJson1_1 carries it.
func (a *answer) setCode(code string) {
	a.Code = code
	a.Header.Set("X-Amzn-ErrorType", code)
	if a.Body != nil {
		a.Body["__type"] = code
	}
}

// rewriter is a wrapper that may change a request before it is forwarded
// (before; returning an answer short-circuits), and the answer after.
type rewriter struct {
	before func(c *call) *answer
	after  func(c *call, a *answer)
}

func (rw rewriter) wrap(next http.RoundTripper) http.RoundTripper { return rw.wrapWith(next, nil) }

// wrapWith is wrap with a per-call hook that sees the outgoing request
// before it is forwarded and may return a function run on the answer.
func (rw rewriter) wrapWith(next http.RoundTripper, hook func(r *http.Request, c *call) func(a *answer)) http.RoundTripper {
	return rtFunc(func(r *http.Request) (*http.Response, error) {
		c := &call{}
		if r.Body != nil {
			c.Raw, _ = io.ReadAll(r.Body)
			r.Body.Close()
		}
		t := r.Header.Get("X-Amz-Target")
		c.Op = t[strings.LastIndexByte(t, '.')+1:]
		_ = json.Unmarshal(c.Raw, &c.Req)
		if c.Req != nil {
			c.Pool, _ = c.Req["UserPoolId"].(string)
		}
		if rw.before != nil {
			orig := string(mustJSON(c.Req))
			if a := rw.before(c); a != nil {
				return a.response(r), nil
			}
			if c.Req != nil && string(mustJSON(c.Req)) != orig {
				c.Raw = mustJSON(c.Req)
			}
		}
		r = r.Clone(r.Context())
		r.Body = io.NopCloser(bytes.NewReader(c.Raw))
		r.ContentLength = int64(len(c.Raw))
		r.Header.Set("Content-Length", strconv.Itoa(len(c.Raw)))
		var onAnswer func(a *answer)
		if hook != nil {
			onAnswer = hook(r, c)
		}
		resp, err := next.RoundTrip(r)
		if err != nil || (rw.after == nil && onAnswer == nil) {
			return resp, err
		}
		a := &answer{Status: resp.StatusCode, Header: resp.Header.Clone()}
		a.Raw, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		_ = json.Unmarshal(a.Raw, &a.Body)
		a.Code = a.Header.Get("X-Amzn-ErrorType")
		if a.Code == "" && a.Body != nil {
			a.Code, _ = a.Body["__type"].(string)
		}
		before := string(a.Raw)
		bodyBefore := string(mustJSON(a.Body))
		if rw.after != nil {
			rw.after(c, a)
		}
		if onAnswer != nil {
			onAnswer(a)
		}
		if a.Body != nil && string(mustJSON(a.Body)) != bodyBefore && string(a.Raw) == before {
			a.Raw = mustJSON(a.Body)
		}
		return a.response(r), nil
	})
}

func (a *answer) response(r *http.Request) *http.Response {
	h := a.Header
	if a.Raw == nil && a.Body != nil {
		a.Raw = mustJSON(a.Body)
	}
	if h == nil {
		h = http.Header{"Content-Type": {"application/x-amz-json-1.1"}}
	}
	if a.Raw == nil && a.Body != nil {
		a.Raw = mustJSON(a.Body)
	}
	h.Set("Content-Length", strconv.Itoa(len(a.Raw)))
	return &http.Response{Status: http.StatusText(a.Status), StatusCode: a.Status, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: h, Body: io.NopCloser(bytes.NewReader(a.Raw)), ContentLength: int64(len(a.Raw)), Request: r}
}

func mustJSON(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// jsonAnswer is a short-circuit answer with the awsJson1_1 Content-Type.
func jsonAnswer(status int, body map[string]any) *answer {
	return &answer{Status: status, Header: http.Header{"Content-Type": {"application/x-amz-json-1.1"}}, Body: body}
}

// rejudge judges a recording's exchanges again, in order, with no
// network: the path replay takes for cassettes of other generators.
func rejudge(t *testing.T, calls []judge.Exchange) *harness.Report {
	t.Helper()
	rep, err := harness.Run(context.Background(), harness.Handler(http.NotFoundHandler()),
		config.OptionOf[harness.Option](func(c *config.Config) { c.Recorded = calls }))
	if err != nil {
		t.Fatalf("rejudge: %v", err)
	}
	return rep
}
