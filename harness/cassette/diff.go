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

// Mismatch kinds.
const (
	DiffStatus    = "status"
	DiffError     = "error"
	DiffMember    = "member"
	DiffTransport = "transport"
)

// Absent stands for a member an answer does not have.
const Absent = "(absent)"

// Mismatch is one way two answers to the same request differ. Values
// are compact JSON, or Absent. Contract is what the contract's executable
// form (the reference emulator) answered at the same place, and Agrees
// which answer it agrees with: recorded, target, both or neither.
type Mismatch struct {
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
	Index       int        `json:"index"`
	Operation   string     `json:"operation"`
	Request     any        `json:"request"`
	Differences []Mismatch `json:"differences"`
}

// DiffReport is the outcome of sending a cassette's requests to another
// target.
type DiffReport struct {
	Tool         string             `json:"tool"`
	Version      string             `json:"version"`
	Contract     string             `json:"contract"`
	Cassette     string             `json:"cassette"`
	Recorded     Origin             `json:"recorded"`
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
	d := newDiffer(c, target, contract, cfg.CallTimeout)
	defer d.cleanup()
	for i, in := range c.Interactions {
		if ctx.Err() != nil {
			break
		}
		if d.silent >= config.MaxSilent {
			d.rep.Summary.ElapsedS = time.Since(start).Seconds()
			return d.rep, fmt.Errorf("%w: %w (%d requests in a row had no answer within %v)",
				harness.ErrSetup, harness.ErrSilent, d.silent, cfg.CallTimeout)
		}
		if !d.interaction(ctx, i, in) {
			break
		}
	}
	d.rep.Summary.ElapsedS = time.Since(start).Seconds()
	return d.rep, ctx.Err()
}

// differ is one diff under way: the report so far, and the legs the
// recorded requests are sent to (the target, then the contract if any).
type differ struct {
	rep  *DiffReport
	legs []*leg
	// sc scrubs what is shown of the answers, as a run's report is: a
	// target may echo credentials, accounts, addresses.
	sc *scrub.Scrubber
	// recNorm maps the recording's pool IDs to <pool-N>; pools counts
	// them.
	recNorm map[string]string
	pools   int
	// silent counts the target's unanswered requests in a row.
	silent int
}

func newDiffer(c *Cassette, target, contract harness.Target, timeout time.Duration) *differ {
	rep := &DiffReport{Tool: "mfaconform", Version: harness.Version, Contract: contracts.Revision, Cassette: c.Name,
		Recorded: c.Header.Target, RecordedAt: c.Header.RecordedAt, Target: target.Info(),
		Interactions: []InteractionDiff{}, Summary: DiffSummary{ByKind: map[string]int{}}}
	legs := []*leg{newLeg(target, timeout)}
	if contract != nil {
		legs = append(legs, newLeg(contract, timeout))
	}
	world, _ := c.World()
	return &differ{rep: rep, legs: legs, sc: scrub.New(world), recNorm: map[string]string{}}
}

func (d *differ) cleanup() {
	for _, l := range d.legs {
		l.cleanup()
	}
}

// interaction sends one recorded request to every leg and compares the
// answers with the recorded one. It is false when ctx cut the request,
// which is then not compared.
func (d *differ) interaction(ctx context.Context, i int, in *vcr.Interaction) bool {
	op := strings.TrimPrefix(in.Request.Headers.Get("X-Amz-Target"), contracts.TargetPrefix+".")
	got, ok := d.ask(ctx, in, op)
	if !ok {
		return false
	}
	if op == contracts.OpCreateUserPool {
		d.numberPool(in, got)
	}
	recorded := normalise(in.Response.Code, http.Header(in.Response.Headers), []byte(in.Response.Body), d.recNorm, op)
	d.tally(i, op, in, recorded, got)
	return true
}

// ask sends the request to each leg; ok is false when ctx cut it.
func (d *differ) ask(ctx context.Context, in *vcr.Interaction, op string) (got []answer, ok bool) {
	for k, l := range d.legs {
		code, h, body, err := l.send(ctx, in)
		if err != nil && ctx.Err() != nil {
			// Cut by the diff's own cancellation: not an answer.
			return nil, false
		}
		if k == 0 {
			d.silent = silentAfter(d.silent, err)
		}
		if err != nil {
			got = append(got, answer{err: err.Error()})
			continue
		}
		l.learn(in, op, code, body)
		got = append(got, normalise(code, h, body, l.norm, op))
	}
	return got, true
}

// learn keeps the pools the leg's target made and deleted, so that later
// requests name its own and the cleanup deletes what is left.
func (l *leg) learn(in *vcr.Interaction, op string, code int, body []byte) {
	switch {
	case op == contracts.OpCreateUserPool:
		if old, nw := poolID(in.Response.Body), poolID(string(body)); old != "" && nw != "" {
			l.ids[old] = nw
			l.created = append(l.created, nw)
		}
	case op == contracts.OpDeleteUserPool && code == 200:
		l.forget(l.rewrite(in.Request.Body))
	}
}

// numberPool names the pool a recorded CreateUserPool made <pool-N>, in
// the recording and on every leg. The create answers themselves were
// normalised before the IDs were known: they are normalised again.
func (d *differ) numberPool(in *vcr.Interaction, got []answer) {
	old := poolID(in.Response.Body)
	if old == "" {
		return
	}
	d.pools++
	tag := fmt.Sprintf("<pool-%d>", d.pools)
	d.recNorm[old] = tag
	for _, l := range d.legs {
		if nw := l.ids[old]; nw != "" {
			l.norm[nw] = tag
		}
	}
	for k := range got {
		if got[k].err == "" {
			got[k].members = renorm(got[k].members, d.legs[k].norm)
		}
	}
}

// tally compares the target's answer with the recorded one (and the
// contract's, when there is one) and counts it in the report.
func (d *differ) tally(i int, op string, in *vcr.Interaction, recorded answer, got []answer) {
	d.rep.Summary.Sent++
	var ref *answer
	if len(got) > 1 {
		ref = &got[1]
	}
	ds := compare(recorded, got[0], ref)
	if len(ds) == 0 {
		d.rep.Summary.Same++
		return
	}
	d.rep.Summary.Differ++
	for k := range ds {
		d.rep.Summary.ByKind[ds[k].Kind]++
		ds[k].Recorded, ds[k].Target, ds[k].Contract = d.sc.String(ds[k].Recorded), d.sc.String(ds[k].Target), d.sc.String(ds[k].Contract)
	}
	d.rep.Interactions = append(d.rep.Interactions, InteractionDiff{Index: i, Operation: op,
		Request: d.sc.Value(requestValue(in.Request.Body)), Differences: ds})
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
