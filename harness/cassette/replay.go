package cassette

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/internal/config"
)

// ErrMismatch is a replay whose run asked for a call the cassette does not
// hold: the cassette was recorded by a run that sent other calls (another
// version of the generators, other flags).
var ErrMismatch = errors.New("cassette does not match the run")

// Replay re-runs the recorded run against the cassette, with no network,
// and judges every answer against the current contract: a contract fix
// re-judges old recordings. The run's settings come from the header; opts
// are applied after them (e.g. harness.WithRules to narrow the report).
//
// A run is deterministic for its seed, and each pool belongs to one lane,
// so the same calls come again and each is answered by its recording.
// The first call the cassette cannot answer stops the run: for a complete
// cassette, recorded by a harness that sent other calls (its shrinker, its
// schedule), the interactions are then judged one by one (Rejudge; Stats
// keeps the miss); for a cassette of an interrupted run it is where the
// recording stopped, and the report is marked interrupted.
func Replay(ctx context.Context, c *Cassette, opts ...harness.Option) (*harness.Report, Stats, error) {
	world, err := c.World()
	if err != nil {
		return nil, Stats{}, fmt.Errorf("%w: %s: %v", ErrBadCassette, c.Name, err)
	}
	h := c.Header
	if h.Cases != "" {
		if now := casesFingerprint(h.Seed, h.Flags.Checks); now != h.Cases {
			// Another version of the generators recorded it: the run cannot
			// be repeated, but every interaction can still be judged.
			return Rejudge(c, opts...)
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	rp := NewReplayer(c, NewScrubber(world))
	rp.OnMiss = func(Key) { cancel() }
	target := recording(c.Name, rp)
	defer target.Close()

	// The recorded settings, as the header keeps them; answered from the
	// recording, a call needs no recorded timeout, and a recorded
	// throttle is retried without the waits.
	all := []harness.Option{harness.WithSeed(h.Seed), harness.WithWorld(world), config.OptionOf[harness.Option](h.Flags.Apply),
		harness.WithRetries(config.Default().MaxRetries, 0), harness.WithCallTimeout(10 * time.Second),
		harness.WithReproduce("mfaconform replay " + c.Name)}
	all = append(all, opts...)

	rep, runErr := harness.Run(ctx, target, all...)
	st := rp.Stats()
	if st.Missed > 0 && !h.Interrupted {
		// The same cases, but this harness sent a call the recording does
		// not hold (another version's shrinker or schedule): the run
		// cannot be repeated, but every interaction can still be judged.
		again, rst, err := Rejudge(c, opts...)
		if err != nil {
			return rep, st, fmt.Errorf("%w: %s: a call had no recorded answer (%s); %d of %d recorded interactions were used",
				ErrMismatch, c.Name, st.FirstMiss, st.Served, len(c.Interactions))
		}
		rst.Missed, rst.FirstMiss = st.Missed, st.FirstMiss
		return again, rst, nil
	}
	if runErr != nil && st.Missed > 0 {
		// The runner drops a run's results when a worker cannot create its
		// pool, and the recording may have stopped just there.
		return rep, st, fmt.Errorf("%w: %s holds an interrupted run that stopped while a pool was being created; nothing to judge past it (%d interactions replayed)",
			ErrMismatch, c.Name, st.Served)
	}
	if runErr != nil {
		return rep, st, fmt.Errorf("replaying %s: %w", c.Name, runErr)
	}
	if rep != nil {
		rep.Interrupted = rep.Interrupted || st.Missed > 0
		// The calls judged were made when the cassette was recorded.
		rep.StartedAt = h.RecordedAt
	}
	return rep, st, nil
}

// SameVerdict compares a replay's report with the verdict recorded in the
// header, rule by rule (status and checked count); every difference is
// joined into the error.
func SameVerdict(recorded *Verdict, rep *harness.Report) error {
	if recorded == nil {
		return errors.New("the cassette holds no recorded verdict")
	}
	got := VerdictOf(rep)
	byID := map[string]RuleVerdict{}
	for _, r := range got.Rules {
		byID[r.ID] = r
	}
	var errs []error
	for _, want := range recorded.Rules {
		g, ok := byID[want.ID]
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("%s: recorded %s, not in the replay's report", want.ID, want.Status))
		case g.Status != want.Status || g.Checked != want.Checked:
			errs = append(errs, fmt.Errorf("%s: recorded %s (%d checked), replayed %s (%d checked)", want.ID, want.Status, want.Checked, g.Status, g.Checked))
		}
		delete(byID, want.ID)
	}
	for id, g := range byID {
		errs = append(errs, fmt.Errorf("%s: replayed %s, not in the recorded verdict", id, g.Status))
	}
	return errors.Join(errs...)
}
