// Package harness runs cases against a target and judges every answer
// against the contract: targets, fixtures, the runner, the judge,
// shrinking and reports.
package harness

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness/emulator"
)

// Target kinds, as the JSON report names them.
const (
	KindReference = "reference"
	KindEndpoint  = "endpoint"
	KindLive      = "live"
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
		return nil, fmt.Errorf("endpoint %q is not an http(s) URL", raw)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	return &endpointTarget{info: TargetInfo{Kind: KindEndpoint, Endpoint: strings.TrimRight(raw, "/")},
		url: strings.TrimRight(raw, "/"), rt: tr, stop: tr.CloseIdleConnections}, nil
}

// Reference starts the reference emulator in process, served over real
// HTTP on a loopback port, with the given world.
func Reference(w *contracts.World) Target {
	srv := httptest.NewServer(emulator.New(emulator.WithWorld(w)))
	tr := srv.Client().Transport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	return &endpointTarget{info: TargetInfo{Kind: KindReference, Endpoint: srv.URL}, url: srv.URL, rt: tr,
		stop: func() { tr.CloseIdleConnections(); srv.Close() }}
}

// WrapTarget returns a target whose calls go through wrap(transport): the
// seam for recording and for tests that break a target on purpose.
func WrapTarget(t Target, wrap func(http.RoundTripper) http.RoundTripper) Target {
	rt := t.Transport()
	if rt == nil {
		rt = http.DefaultTransport
	}
	return &wrapped{Target: t, rt: wrap(rt)}
}

type wrapped struct {
	Target
	rt http.RoundTripper
}

func (w *wrapped) Transport() http.RoundTripper { return w.rt }

// replayURL is where calls to a replayed target claim to go; its
// transport answers them, so nothing is ever dialled (.invalid never
// resolves).
const replayURL = "http://cassette.invalid"

// Replayed is a target whose calls are all answered by rt, with no
// network: a cassette replay. name is the cassette, for reports.
func Replayed(name string, rt http.RoundTripper) Target {
	return &endpointTarget{info: TargetInfo{Kind: KindCassette, Endpoint: name}, url: replayURL, rt: rt}
}
