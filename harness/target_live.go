package harness

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness/live"
	"github.com/mfaconform/mfaconform/internal/config"
	"github.com/mfaconform/mfaconform/internal/rate"
	"github.com/mfaconform/mfaconform/internal/scrub"
)

// KindLive is AWS itself (or what the SDK's endpoint resolution names).
const KindLive = "live"

// LiveTarget is AWS itself, in an account the guard allowed: one live
// run. Only Live makes one, and only once the account guard has passed;
// it carries what a run against AWS must have, and Run applies it: the
// run's ID and marks (pools named mfaconform-<runID>-..., tagged), its SMS
// roles in IAM (made before the first case, deleted at the end with the
// pools, on every ending), a rate and a budget of calls. Run it once.
type LiveTarget struct {
	endpointTarget
	cfg      aws.Config
	id       live.Identity
	run      live.Run
	world    *contracts.World
	roles    *live.Roles
	rate     float64
	maxCalls int64
	ran      atomic.Bool
}

var _ Target = (*LiveTarget)(nil)

// LiveOption sets how a live target runs. Each checks its value: Live
// refuses, before any call, a value that does not hold.
type LiveOption struct {
	apply func(*LiveTarget) error
}

// LiveRate bounds the live run's calls to perSecond a second, every call
// counted (STS apart): a finite number of at least 0.01. 0 is refused, as
// no bound at all. By default config.LiveRate, 5 a second, well under
// Cognito's per-account quotas (contract.md §5).
func LiveRate(perSecond float64) LiveOption {
	return LiveOption{func(t *LiveTarget) error {
		if why := rate.Invalid(perSecond); why != "" {
			return fmt.Errorf("%w: LiveRate(%g): %s; a live run is never unbounded", ErrOption, perSecond, why)
		}
		t.rate = perSecond
		return nil
	}}
}

// LiveMaxCalls is the live run's budget of calls (the cleanup apart):
// at least 1. By default config.LiveMaxCalls, 3000, which a default run
// (about 1,900 calls) fits in.
func LiveMaxCalls(n int64) LiveOption {
	return LiveOption{func(t *LiveTarget) error {
		if n < 1 {
			return fmt.Errorf("%w: LiveMaxCalls(%d): must be at least 1; a live run always has a budget", ErrOption, n)
		}
		t.maxCalls = n
		return nil
	}}
}

// LiveWorld is the fixture world of the live run, in the region of the
// AWS configuration: a fixtures file's (its SES identity, its own SMS
// roles). Without roles of its own, the run makes three of its own in
// IAM. By default (or nil) the default world, moved to the region.
func LiveWorld(w *contracts.World) LiveOption {
	return LiveOption{func(t *LiveTarget) error {
		t.world = w
		return nil
	}}
}

// Live makes the live target of cfg: its credentials, its region, and the
// SDK's endpoint resolution (AWS_ENDPOINT_URL, a profile's endpoint_url;
// otherwise the region's own endpoints). It first checks the options,
// then runs the account guard (live.CheckAccount: STS GetCallerIdentity,
// whose account must be one of allowed, asked at the place the writes
// go). Nothing is written by Live; Run writes, under the target's rate and
// budget, and deletes what it made. Every call is signed with SigV4, the
// raw wire cases too. The error is ErrOption, the guard's
// (live.ErrNoAllowlist, *live.AccountError, *live.EndpointError), or a
// configuration that cannot be used.
func Live(ctx context.Context, cfg aws.Config, allowed []string, opts ...LiveOption) (*LiveTarget, error) {
	t := &LiveTarget{cfg: cfg, rate: config.LiveRate, maxCalls: config.LiveMaxCalls}
	var errs []error
	for _, o := range opts {
		if o.apply != nil {
			errs = append(errs, o.apply(t))
		}
	}
	switch {
	case errors.Join(errs...) != nil:
		return nil, errors.Join(errs...)
	case cfg.Region == "":
		return nil, errors.New("live target: no region")
	case cfg.Credentials == nil:
		return nil, errors.New("live target: no credentials")
	case t.world != nil && t.world.Region != cfg.Region:
		return nil, fmt.Errorf("%w: LiveWorld: the world is of region %s, the AWS configuration of %s", ErrOption, t.world.Region, cfg.Region)
	}
	url, err := cognitoEndpoint(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if t.id, err = live.CheckAccount(ctx, cfg, allowed); err != nil {
		return nil, err
	}
	t.run = live.NewRun(t.id)
	t.world = t.run.World(cmp.Or(t.world, contracts.DefaultWorld()))
	t.roles = t.run.Roles(t.world)
	tr := newTransport()
	t.endpointTarget = endpointTarget{info: TargetInfo{Kind: KindLive, Endpoint: scrub.Endpoint(url)}, url: url,
		rt: signUnsigned{next: tr, creds: cfg.Credentials, region: cfg.Region}, stop: tr.CloseIdleConnections}
	return t, nil
}

// cognitoEndpoint is the cognito-idp URL the SDK resolves for cfg.
func cognitoEndpoint(ctx context.Context, cfg aws.Config) (string, error) {
	o := cip.NewFromConfig(cfg).Options()
	ep, err := o.EndpointResolverV2.ResolveEndpoint(ctx, cip.EndpointParameters{
		Region:       aws.String(cfg.Region),
		Endpoint:     o.BaseEndpoint,
		UseFIPS:      aws.Bool(o.EndpointOptions.UseFIPSEndpoint == aws.FIPSEndpointStateEnabled),
		UseDualStack: aws.Bool(o.EndpointOptions.UseDualStackEndpoint == aws.DualStackEndpointStateEnabled),
	})
	if err != nil {
		return "", fmt.Errorf("live target: resolving the cognito-idp endpoint of %s: %w", cfg.Region, err)
	}
	return strings.TrimRight(ep.URI.String(), "/"), nil
}

// RunID names the run: its pools are mfaconform-<RunID>-..., and its
// report says it.
func (t *LiveTarget) RunID() string { return t.run.ID }

// Identity is whose the account is, as the guard found.
func (t *LiveTarget) Identity() live.Identity { return t.id }

// World is the run's fixture world: the roles it makes or uses, in its
// region. Run uses it; WithWorld may only name it again.
func (t *LiveTarget) World() *contracts.World { return t.world }

// Plan is what the run will do, in one line to show before it writes:
// the account, region and run ID, what it creates, its budget and rate.
func (t *LiveTarget) Plan() string {
	var b strings.Builder
	fmt.Fprintf(&b, "live run %s in account %s, region %s: creates user pools %s* tagged %s=%s (one per pool kind and lane, one per lifecycle case, one to wait for IAM)",
		t.run.ID, t.id.Account, t.run.Region, t.run.PoolPrefix(), live.TagRun, t.run.ID)
	if roles := t.roles.Planned(); len(roles) > 0 {
		fmt.Fprintf(&b, " and IAM roles %s", strings.Join(roles, ", "))
	} else {
		b.WriteString(" and uses the SMS roles of its fixtures")
	}
	b.WriteString(", all deleted at the end")
	if t.world.SESIdentity == "" {
		b.WriteString("; no SES identity in its fixtures, so pools are made without DEVELOPER email and the email rules skip them")
	}
	fmt.Fprintf(&b, "; at most %d calls, %g a second", t.maxCalls, t.rate)
	return b.String()
}

// settle sets on c what the live target carries: its region, world,
// marks and roles, and its rate and budget, of which options may only make
// the stricter. A live target runs once.
func (t *LiveTarget) settle(c *config.Config) error {
	switch {
	case t.roles == nil:
		return fmt.Errorf("%w: a LiveTarget not made by Live: it has passed no account guard", ErrSetup)
	case c.World != nil && c.World != t.world:
		return fmt.Errorf("%w: WithWorld: a live target's world is given to Live (LiveWorld)", ErrOption)
	case t.ran.Swap(true):
		return fmt.Errorf("%w: this live target has run: make another with Live (a new run ID)", ErrSetup)
	}
	c.Region, c.World = t.cfg.Region, t.world
	c.Rate = stricter(c.Rate, t.rate)
	c.MaxCalls = int64(stricter(float64(c.MaxCalls), float64(t.maxCalls)))
	c.RunID, c.PoolPrefix, c.PoolTags, c.Account = t.run.ID, t.run.PoolPrefix(), t.run.Tags(), t.roles
	return nil
}

// stricter is the smaller bound of two, 0 being none.
func stricter(a, b float64) float64 {
	if a <= 0 {
		return b
	}
	if b <= 0 {
		return a
	}
	return min(a, b)
}

// liveOf is the live target under any wrapping; nil for the others.
func liveOf(t Target) *LiveTarget {
	switch v := t.(type) {
	case *LiveTarget:
		return v
	case *wrapped:
		return liveOf(v.Target)
	}
	return nil
}

// signUnsigned signs with SigV4 the requests that come unsigned (the raw
// wire cases; the SDK signs its own): AWS refuses an unsigned call before
// it looks at the body, and the body is what a raw case tests.
type signUnsigned struct {
	next   http.RoundTripper
	creds  aws.CredentialsProvider
	region string
}

func (s signUnsigned) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Header.Get("Authorization") != "" {
		return s.next.RoundTrip(req)
	}
	body, err := readBody(req)
	if err != nil {
		return nil, err
	}
	creds, err := s.creds.Retrieve(req.Context())
	if err != nil {
		return nil, fmt.Errorf("signing a raw request: %w", err)
	}
	signed := req.Clone(req.Context())
	signed.Body = io.NopCloser(bytes.NewReader(body))
	signed.ContentLength = int64(len(body))
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(req.Context(), creds, signed, hex.EncodeToString(sum[:]), "cognito-idp", s.region, time.Now()); err != nil {
		return nil, fmt.Errorf("signing a raw request: %w", err)
	}
	return s.next.RoundTrip(signed)
}
