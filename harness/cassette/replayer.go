package cassette

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	vcr "github.com/dnaeon/go-vcr/v2/cassette"
)

// ErrNoInteraction is a request the cassette has no (more) answers for.
// The replayer never falls back to the network.
var ErrNoInteraction = errors.New("no recorded interaction matches the request")

// Replayer is an http.RoundTripper that answers from a cassette with no
// network. Interactions are indexed once by Key, then by media type, each a
// FIFO queue: a request costs one map look-up, and identical requests
// recorded several times are answered in recorded order. go-vcr's own
// Cassette.GetInteraction scans every interaction per request, which makes
// a replay quadratic in the cassette's size.
type Replayer struct {
	scrub *Scrubber
	// OnMiss, if set, is called on a request with no answer left.
	OnMiss func(Key)

	mu        sync.Mutex
	index     map[Key]map[string]*queue
	remaining int
	served    int
	missed    int
	firstMiss *Key
}

type queue struct{ items []*vcr.Interaction }

func (q *queue) pop() *vcr.Interaction {
	in := q.items[0]
	q.items[0] = nil
	q.items = q.items[1:]
	return in
}

// NewReplayer indexes a cassette's interactions. Live requests are
// scrubbed with s before they are matched, as they were when recorded.
func NewReplayer(c *Cassette, s *Scrubber) *Replayer {
	r := &Replayer{scrub: s, index: make(map[Key]map[string]*queue, len(c.Interactions))}
	for _, in := range c.Interactions {
		k := KeyOf(in.Request.Headers.Get("X-Amz-Target"), []byte(in.Request.Body))
		byType := r.index[k]
		if byType == nil {
			byType = map[string]*queue{}
			r.index[k] = byType
		}
		mt := mediaType(in.Request.Headers.Get("Content-Type"))
		q := byType[mt]
		if q == nil {
			q = &queue{}
			byType[mt] = q
		}
		q.items = append(q.items, in)
		r.remaining++
	}
	return r
}

// RoundTrip answers a request from the cassette.
func (r *Replayer) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	var body []byte
	if req.Body != nil && req.Body != http.NoBody {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		body = b
	}
	k := KeyOf(req.Header.Get("X-Amz-Target"), []byte(r.scrub.String(string(body))))
	in := r.take(k, mediaType(req.Header.Get("Content-Type")))
	if in == nil {
		if r.OnMiss != nil {
			r.OnMiss(k)
		}
		return nil, fmt.Errorf("%w: %s %s", ErrNoInteraction, k.Target, short(k.Body))
	}
	h := in.Response.Headers.Clone()
	if h == nil {
		h = http.Header{}
	}
	status := in.Response.Status
	if status == "" {
		status = strconv.Itoa(in.Response.Code) + " " + http.StatusText(in.Response.Code)
	}
	h, answer, cut := answerAsRecorded(h, io.NopCloser(strings.NewReader(in.Response.Body)))
	length := int64(len(in.Response.Body))
	if cut {
		length = -1
	}
	return &http.Response{
		Status: status, StatusCode: in.Response.Code,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: h, Body: answer, ContentLength: length, Request: req,
	}, nil
}

func (r *Replayer) take(k Key, mt string) *vcr.Interaction {
	r.mu.Lock()
	defer r.mu.Unlock()
	byType := r.index[k]
	q := byType[mt]
	if q == nil || len(q.items) == 0 {
		// The same body under another content type: still the same
		// request by the matching rule.
		q = nil
		for _, other := range byType {
			if len(other.items) > 0 {
				q = other
				break
			}
		}
	}
	if q == nil {
		r.missed++
		if r.firstMiss == nil {
			r.firstMiss = &k
		}
		return nil
	}
	r.remaining--
	r.served++
	return q.pop()
}

// Stats is what a replay used of its cassette.
type Stats struct {
	Served    int // requests answered
	Missed    int // requests with no answer left
	Unused    int // recorded interactions no request asked for
	FirstMiss string
	// Rejudged: the interactions were judged one by one from the
	// recording, not by re-running the recorded run.
	Rejudged bool
}

// Stats returns the replay's counts so far.
func (r *Replayer) Stats() Stats {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := Stats{Served: r.served, Missed: r.missed, Unused: r.remaining}
	if r.firstMiss != nil {
		s.FirstMiss = r.firstMiss.Target + " " + short(r.firstMiss.Body)
	}
	return s
}

func short(s string) string {
	if len(s) > 120 {
		return s[:120] + "…"
	}
	return s
}
