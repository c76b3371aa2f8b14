package cassette

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	vcr "github.com/dnaeon/go-vcr/v2/cassette"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/internal/config"
	"github.com/mfaconform/mfaconform/internal/scrub"
)

// Difference kinds.
const (
	DiffStatus    = "status"
	DiffError     = "error"
	DiffMember    = "member"
	DiffTransport = "transport"
)

// Absent stands for a member an answer does not have.
const Absent = "(absent)"

// Difference is one way two answers to the same request differ. Values
// are compact JSON, or Absent. Contract is what the contract's executable
// form (the reference emulator) answered at the same place, and Agrees
// which answer it agrees with: recorded, target, both or neither.
type Difference struct {
	Kind     string `json:"kind"`
	Path     string `json:"path,omitempty"`
	Recorded string `json:"recorded"`
	Target   string `json:"target"`
	Contract string `json:"contract,omitempty"`
	Agrees   string `json:"agrees,omitempty"`
}

// InteractionDiff is a recorded interaction whose answer the target gave
// differently.
type InteractionDiff struct {
	Index       int          `json:"index"`
	Operation   string       `json:"operation"`
	Request     any          `json:"request"`
	Differences []Difference `json:"differences"`
}

// DiffReport is the outcome of sending a cassette's requests to another
// target.
type DiffReport struct {
	Tool         string             `json:"tool"`
	Version      string             `json:"version"`
	Contract     string             `json:"contract"`
	Cassette     string             `json:"cassette"`
	Recorded     Target             `json:"recorded"`
	RecordedAt   string             `json:"recorded_at"`
	Target       harness.TargetInfo `json:"target"`
	Interactions []InteractionDiff  `json:"interactions"`
	Summary      DiffSummary        `json:"summary"`
}

// DiffSummary counts the comparison.
type DiffSummary struct {
	Sent     int            `json:"sent"`
	Same     int            `json:"same"`
	Differ   int            `json:"differ"`
	ByKind   map[string]int `json:"by_kind"`
	ElapsedS float64        `json:"elapsed_s"`
}

// Same reports whether every answer matched the recording.
func (r *DiffReport) Same() bool { return r.Summary.Differ == 0 }

// leg is a target the recorded requests are sent to, with its own pool IDs.
type leg struct {
	target  harness.Target
	client  *http.Client
	timeout time.Duration     // each request's
	ids     map[string]string // recorded pool ID -> this target's
	norm    map[string]string // this target's pool ID -> <pool-N>
	created []string
}

func newLeg(t harness.Target, timeout time.Duration) *leg {
	rt := t.Transport()
	if rt == nil {
		rt = http.DefaultTransport
	}
	return &leg{target: t, client: &http.Client{Transport: rt, Timeout: timeout}, timeout: timeout,
		ids: map[string]string{}, norm: map[string]string{}}
}

// answer is one response, normalised for comparison.
type answer struct {
	status  int
	errType string
	members map[string]string
	err     string
}

// poolToken finds the strings that may be pool IDs (region or "local",
// underscore, alphanumerics); only those a run created are replaced.
var poolToken = regexp.MustCompile(`[A-Za-z0-9-]+_[A-Za-z0-9]+`)

// Diff sends each recorded request, in recorded order, to target, with the
// recorded pool IDs replaced by the pools its own CreateUserPool calls
// make, and compares each answer with the recorded one: status, error
// type, and the body member by member, after request IDs, pool IDs, dates
// and account IDs are normalised. When contract is not nil (the reference
// emulator), each request is sent there too, and each difference says
// what the contract answers.
//
// Of opts, Diff reads the per-call timeout (harness.WithCallTimeout), as a
// run does. A request cut by ctx is not compared: the diff stops there and
// returns ctx's error with what it compared. A target that answers none of
// config.MaxSilent requests in a row has stopped answering: the diff stops
// with an error wrapping harness.ErrSilent.
func Diff(ctx context.Context, c *Cassette, target, contract harness.Target, opts ...harness.Option) (*DiffReport, error) {
	start := time.Now()
	cfg, err := config.Resolve(opts)
	if err != nil {
		return nil, err
	}
	rep := &DiffReport{Tool: "mfaconform", Version: harness.Version, Contract: contracts.Revision, Cassette: c.Name,
		Recorded: c.Header.Target, RecordedAt: c.Header.RecordedAt, Target: target.Info(),
		Interactions: []InteractionDiff{}, Summary: DiffSummary{ByKind: map[string]int{}}}
	legs := []*leg{newLeg(target, cfg.CallTimeout)}
	if contract != nil {
		legs = append(legs, newLeg(contract, cfg.CallTimeout))
	}
	defer func() {
		for _, l := range legs {
			l.cleanup()
		}
	}()
	// What the target answered is shown scrubbed, as a run's report is:
	// a target may echo credentials, accounts, addresses.
	world, _ := c.World()
	sc := scrub.New(world)
	recNorm := map[string]string{}
	pools, silent := 0, 0
	for i, in := range c.Interactions {
		if err := ctx.Err(); err != nil {
			break
		}
		if silent >= config.MaxSilent {
			rep.Summary.ElapsedS = time.Since(start).Seconds()
			return rep, fmt.Errorf("%w: %w (%d requests in a row had no answer within %v)",
				harness.ErrSetup, harness.ErrSilent, silent, cfg.CallTimeout)
		}
		op := strings.TrimPrefix(in.Request.Headers.Get("X-Amz-Target"), contracts.TargetPrefix+".")
		recorded := normalise(in.Response.Code, http.Header(in.Response.Headers), []byte(in.Response.Body), recNorm, op)
		var got []answer
		for k, l := range legs {
			code, h, body, err := l.send(ctx, in)
			if err != nil && ctx.Err() != nil {
				// Cut by the diff's own cancellation: not an answer.
				break
			}
			if k == 0 {
				silent = silentAfter(silent, err)
			}
			if err != nil {
				got = append(got, answer{err: err.Error()})
				continue
			}
			got = append(got, normalise(code, h, body, l.norm, op))
			if op == contracts.OpCreateUserPool {
				if old, nw := poolID(in.Response.Body), poolID(string(body)); old != "" && nw != "" {
					l.ids[old] = nw
					l.created = append(l.created, nw)
				}
			}
			if op == contracts.OpDeleteUserPool && code == 200 {
				l.forget(l.rewrite(in.Request.Body))
			}
		}
		if len(got) < len(legs) {
			break
		}
		if op == contracts.OpCreateUserPool {
			if old := poolID(in.Response.Body); old != "" {
				pools++
				tag := fmt.Sprintf("<pool-%d>", pools)
				recNorm[old] = tag
				for _, l := range legs {
					if nw := l.ids[old]; nw != "" {
						l.norm[nw] = tag
					}
				}
				// The create answers themselves were normalised before the
				// IDs were known: do it again.
				recorded = normalise(in.Response.Code, http.Header(in.Response.Headers), []byte(in.Response.Body), recNorm, op)
				for k := range got {
					if got[k].err == "" {
						got[k].members = renorm(got[k].members, legs[k].norm)
					}
				}
			}
		}
		rep.Summary.Sent++
		var ref *answer
		if len(got) > 1 {
			ref = &got[1]
		}
		ds := compare(recorded, got[0], ref)
		if len(ds) == 0 {
			rep.Summary.Same++
			continue
		}
		rep.Summary.Differ++
		for _, d := range ds {
			rep.Summary.ByKind[d.Kind]++
		}
		for k := range ds {
			ds[k].Recorded, ds[k].Target, ds[k].Contract = sc.String(ds[k].Recorded), sc.String(ds[k].Target), sc.String(ds[k].Contract)
		}
		rep.Interactions = append(rep.Interactions, InteractionDiff{Index: i, Operation: op,
			Request: sc.Value(requestValue(in.Request.Body)), Differences: ds})
	}
	rep.Summary.ElapsedS = time.Since(start).Seconds()
	return rep, ctx.Err()
}

// silentAfter counts the requests in a row the target did not answer.
func silentAfter(silent int, err error) int {
	if err != nil {
		return silent + 1
	}
	return 0
}

// send sends a recorded request to the leg's target, pool IDs mapped.
func (l *leg) send(ctx context.Context, in *vcr.Interaction) (int, http.Header, []byte, error) {
	u := l.target.URL() + "/"
	if ru, err := url.Parse(in.Request.URL); err == nil && ru.Path != "" {
		u = strings.TrimRight(l.target.URL(), "/") + ru.EscapedPath()
	}
	method := in.Request.Method
	if method == "" {
		method = http.MethodPost
	}
	cctx, cancel := context.WithTimeout(ctx, l.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(cctx, method, u, strings.NewReader(l.rewrite(in.Request.Body)))
	if err != nil {
		return 0, nil, nil, err
	}
	for k, vs := range in.Request.Headers {
		if strings.EqualFold(k, "Content-Length") || strings.EqualFold(k, "Host") {
			continue
		}
		req.Header[k] = slices.Clone(vs)
	}
	resp, err := l.client.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return 0, nil, nil, err
	}
	return resp.StatusCode, resp.Header, body, nil
}

// rewrite replaces the recorded pool IDs in a body by the leg's own.
func (l *leg) rewrite(body string) string {
	if len(l.ids) == 0 {
		return body
	}
	return poolToken.ReplaceAllStringFunc(body, func(t string) string {
		if nw, ok := l.ids[t]; ok {
			return nw
		}
		return t
	})
}

func (l *leg) forget(body string) {
	var req struct{ UserPoolId string }
	if json.Unmarshal([]byte(body), &req) == nil {
		l.created = slices.DeleteFunc(l.created, func(id string) bool { return id == req.UserPoolId })
	}
}

// cleanup deletes the pools the recorded run did not delete, until the
// target stops answering.
func (l *leg) cleanup() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	silent := 0
	for _, id := range l.created {
		if silent >= config.MaxSilent {
			break
		}
		body, _ := json.Marshal(map[string]string{"UserPoolId": id})
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, l.target.URL()+"/", bytes.NewReader(body))
		if err != nil {
			continue
		}
		req.Header.Set("X-Amz-Target", contracts.Target(contracts.OpDeleteUserPool))
		req.Header.Set("Content-Type", contracts.ContentType)
		resp, err := l.client.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		silent = silentAfter(silent, err)
	}
	l.created = nil
}

func poolID(body string) string {
	var out struct{ UserPool *struct{ Id string } }
	if json.Unmarshal([]byte(body), &out) != nil || out.UserPool == nil {
		return ""
	}
	return out.UserPool.Id
}

func requestValue(body string) any {
	var v any
	if json.Unmarshal([]byte(body), &v) == nil {
		return v
	}
	return body
}
