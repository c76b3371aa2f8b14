package cassette

import (
	"context"
	"net/http"

	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/internal/config"
	"github.com/mfaconform/mfaconform/internal/judge"
)

// Rejudge judges every recorded interaction, in recorded order, against
// the current contract, without re-running anything: what replay does
// with a cassette that another version of the case generators recorded
// (a nightly recording of real AWS outlives the generators that made it).
// Pools are followed by ID through the recording by the same judging
// session a live run uses.
func Rejudge(c *Cassette, opts ...harness.Option) (*harness.Report, Stats, error) {
	world, err := c.World()
	if err != nil {
		return nil, Stats{}, err
	}
	calls := make([]judge.Exchange, 0, len(c.Interactions))
	for _, it := range c.Interactions {
		x := judge.Exchange{
			Target:      it.Request.Headers.Get("X-Amz-Target"),
			ContentType: it.Request.Headers.Get("Content-Type"),
			RequestBody: []byte(it.Request.Body),
			Status:      it.Response.Code,
			Header:      it.Response.Headers,
			Body:        []byte(it.Response.Body),
		}
		if err := cutError(x.Header); err != nil {
			// As the recording run saw it: the answer's reading failed.
			x.Header = unmarked(x.Header)
			x.Err = err
		}
		calls = append(calls, x)
	}
	all := []harness.Option{harness.WithWorld(world), harness.WithReproduce("mfaconform replay --rejudge " + c.Name),
		harness.WithStrictMessages(c.Header.Flags.StrictMessages)}
	if len(c.Header.Flags.Rules) > 0 {
		all = append(all, harness.WithRules(c.Header.Flags.Rules...))
	}
	if c.Header.Target.Name != "" {
		all = append(all, harness.WithTargetName(c.Header.Target.Name))
	}
	all = append(all, opts...)
	all = append(all, config.OptionOf[harness.Option](func(cfg *config.Config) { cfg.Recorded = calls }))
	rep, err := harness.Run(context.Background(), recording(c.Name, nil), all...)
	if err != nil {
		return nil, Stats{}, err
	}
	rep.Seed = c.Header.Seed
	rep.StartedAt = c.Header.RecordedAt
	// The recording of an interrupted run is a part of a run.
	rep.Interrupted = c.Header.Interrupted
	return rep, Stats{Served: len(calls), Rejudged: true}, nil
}

// replayURL is where calls to a recording claim to go; its transport
// answers them, so nothing is ever dialled (.invalid never resolves).
const replayURL = "http://cassette.invalid"

// recordingTarget is a cassette as a harness target: every call is
// answered by rt, with no network.
type recordingTarget struct {
	name string
	rt   http.RoundTripper
}

var _ harness.Target = recordingTarget{}

func recording(name string, rt http.RoundTripper) harness.Target { return recordingTarget{name, rt} }

func (t recordingTarget) Info() harness.TargetInfo {
	return harness.TargetInfo{Kind: harness.KindCassette, Endpoint: t.name}
}
func (t recordingTarget) URL() string                  { return replayURL }
func (t recordingTarget) Transport() http.RoundTripper { return t.rt }
func (t recordingTarget) Close() error                 { return nil }
