package harness

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness/emulator"
	"github.com/mfaconform/mfaconform/internal/scrub"
)

// Target kinds, as the JSON report names them.
const (
	KindReference = "reference"
	KindEndpoint  = "endpoint"
	KindCassette  = "cassette"
)

// TargetInfo describes a target in reports.
type TargetInfo struct {
	Kind     string `json:"kind"`
	Endpoint string `json:"endpoint,omitempty"`
	// Name names the target in reports (e.g. "moto 5.2.1"); set with
	// WithTargetName.
	Name string `json:"name,omitempty"`
}

// Target is a service the harness sends calls to over HTTP.
type Target interface {
	Info() TargetInfo
	// URL is the base URL calls are sent to.
	URL() string
	// Transport carries the calls; nil means http.DefaultTransport.
	Transport() http.RoundTripper
	Close() error
}

type endpointTarget struct {
	info TargetInfo
	url  string
	rt   http.RoundTripper
	stop func()
}

var _ Target = (*endpointTarget)(nil)

func (t *endpointTarget) Info() TargetInfo             { return t.info }
func (t *endpointTarget) URL() string                  { return t.url }
func (t *endpointTarget) Transport() http.RoundTripper { return t.rt }
func (t *endpointTarget) Close() error {
	if t.stop != nil {
		t.stop()
	}
	return nil
}

// Endpoint is any awsJson1_1 endpoint, e.g. an emulator on loopback.
func Endpoint(raw string) (Target, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("endpoint %q is not an http(s) URL", scrub.Endpoint(raw))
	}
	tr := newTransport()
	// Reports show the URL without a user name or password in it.
	return &endpointTarget{info: TargetInfo{Kind: KindEndpoint, Endpoint: scrub.Endpoint(strings.TrimRight(raw, "/"))},
		url: strings.TrimRight(raw, "/"), rt: tr, stop: tr.CloseIdleConnections}, nil
}

// Reference starts the reference emulator in process, served over real
// HTTP on a loopback port, with the given world (nil: the default).
func Reference(w *contracts.World) Target {
	if w == nil {
		w = contracts.DefaultWorld()
	}
	srv := httptest.NewServer(emulator.New(emulator.WithWorld(w)))
	tr := newTransport()
	return &endpointTarget{info: TargetInfo{Kind: KindReference, Endpoint: srv.URL}, url: srv.URL, rt: tr,
		stop: func() { tr.CloseIdleConnections(); srv.Close() }}
}

// inProcessURL is where calls to a Handler target claim to go; its
// transport calls the handler, so nothing is dialled (.invalid never
// resolves).
const inProcessURL = "http://in-process.invalid"

// Handler is a target that calls h in process, with no socket: each call
// is served by h.ServeHTTP on the caller's request. A handler that panics
// answers as a transport error, and a call whose context ends while h is
// still serving it returns at once.
func Handler(h http.Handler) Target {
	return &endpointTarget{info: TargetInfo{Kind: KindEndpoint, Endpoint: "in-process"}, url: inProcessURL,
		rt: handlerTransport{h}}
}

type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	type served struct {
		resp *http.Response
		err  error
	}
	done := make(chan served, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- served{err: fmt.Errorf("handler panicked: %v", p)}
			}
		}()
		// The handler gets its own Request value (a server would parse
		// one), sharing the header map and body: a handler may read both
		// and should modify neither, as net/http asks of handlers.
		r := *req
		r.RequestURI, r.RemoteAddr = req.URL.RequestURI(), "127.0.0.1:1"
		if r.Host == "" {
			r.Host = req.URL.Host
		}
		w := &answer{header: make(http.Header, 4)}
		t.h.ServeHTTP(w, &r)
		done <- served{resp: w.response(req)}
	}()
	select {
	case s := <-done:
		return s.resp, s.err
	case <-req.Context().Done():
		return nil, context.Cause(req.Context())
	}
}

// answer is the http.ResponseWriter of an in-process call: what the
// handler wrote, made into the client's *http.Response without copies.
type answer struct {
	header http.Header
	sent   http.Header // the header as it was when the status was written
	status int
	body   bytes.Buffer
}

func (a *answer) Header() http.Header { return a.header }

// WriteHeader fixes the status and the header: later changes to the
// header are not sent, as with a server. A code that is no HTTP status
// panics, as net/http's server does (the call fails with the panic).
func (a *answer) WriteHeader(code int) {
	if code < 100 || code > 999 {
		panic(fmt.Sprintf("invalid WriteHeader code %v", code))
	}
	if a.status != 0 {
		return
	}
	a.status = code
	a.sent = a.header.Clone()
}

func (a *answer) Write(b []byte) (int, error) {
	if a.status == 0 {
		if a.header.Get("Content-Type") == "" {
			a.header.Set("Content-Type", http.DetectContentType(b))
		}
		a.WriteHeader(http.StatusOK)
	}
	return a.body.Write(b)
}

// Flush is a no-op: the whole answer is handed over when the handler returns.
func (a *answer) Flush() {}

func (a *answer) response(req *http.Request) *http.Response {
	a.WriteHeader(http.StatusOK)
	return &http.Response{
		Status:        fmt.Sprintf("%03d %s", a.status, http.StatusText(a.status)),
		StatusCode:    a.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        a.sent,
		Body:          io.NopCloser(bytes.NewReader(a.body.Bytes())),
		ContentLength: int64(a.body.Len()),
		Request:       req,
	}
}

// WrapTarget returns a target whose calls go through wrap(transport): the
// seam for recording and for tests that break a target on purpose.
func WrapTarget(t Target, wrap func(http.RoundTripper) http.RoundTripper) Target {
	rt := t.Transport()
	if rt == nil {
		rt = http.DefaultTransport
	}
	next := wrap(rt)
	if next == nil {
		next = rt
	}
	return &wrapped{Target: t, rt: next}
}

type wrapped struct {
	Target
	rt http.RoundTripper
}

func (w *wrapped) Transport() http.RoundTripper { return w.rt }

// newTransport is a transport of the run's own (a program that replaced
// http.DefaultTransport keeps its own), with idle connections for every
// worker.
func newTransport() *http.Transport {
	var tr *http.Transport
	if d, ok := http.DefaultTransport.(*http.Transport); ok {
		tr = d.Clone()
	} else {
		tr = &http.Transport{Proxy: http.ProxyFromEnvironment}
	}
	tr.MaxIdleConnsPerHost = 64
	return tr
}
