package cassette

import (
	"github.com/mfaconform/mfaconform/harness"
)

// Rejudge judges every recorded interaction, in recorded order, against
// the current contract, without re-running anything: what replay does
// with a cassette that another version of the case generators recorded
// (a nightly recording of real AWS outlives the generators that made it).
// Pools are followed by ID through the recording; see harness.Rejudge.
func Rejudge(c *Cassette, opts ...harness.Option) (*harness.Report, Stats, error) {
	world, err := c.World()
	if err != nil {
		return nil, Stats{}, err
	}
	calls := make([]harness.Exchange, 0, len(c.Interactions))
	for _, it := range c.Interactions {
		x := harness.Exchange{
			Target:      it.Request.Headers.Get("X-Amz-Target"),
			ContentType: it.Request.Headers.Get("Content-Type"),
			RequestBody: []byte(it.Request.Body),
			Status:      it.Response.Code,
			Header:      it.Response.Headers,
			Body:        []byte(it.Response.Body),
		}
		if err := cutError(x.Header); err != nil {
			// As the recording run saw it: the answer's reading failed.
			x.Header = x.Header.Clone()
			x.Header.Del(cutHeader)
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
	info := harness.TargetInfo{Kind: harness.KindCassette, Endpoint: c.Name, Name: c.Header.Target.Name}
	rep := harness.Rejudge(info, calls, all...)
	rep.Seed = c.Header.Seed
	return rep, Stats{Served: len(calls), Rejudged: true}, nil
}
