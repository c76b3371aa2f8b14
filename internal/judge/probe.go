package judge

import "context"

type probeKey struct{}

// WithProbe marks the calls made with ctx as probes: calls a live run
// makes to wait for its account (IAM is eventually consistent: a new SMS
// role is refused until it has spread), on a pool of their own. A probe is
// no exchange of the run's: it is never judged, and a recording leaves it
// out, so that a replay or a rejudged recording never judges it either.
func WithProbe(ctx context.Context) context.Context {
	return context.WithValue(ctx, probeKey{}, true)
}

// IsProbe reports whether ctx is a probe's.
func IsProbe(ctx context.Context) bool {
	p, _ := ctx.Value(probeKey{}).(bool)
	return p
}
