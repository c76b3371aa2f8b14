package harness

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/mfaconform/mfaconform/internal/scrub"
)

// KindLive is AWS itself (or what the SDK's endpoint resolution names).
const KindLive = "live"

// liveTarget is a target reached with real credentials: the SDK client is
// built from its aws.Config, not from the fake credentials endpoint
// targets get.
type liveTarget struct {
	endpointTarget
	cfg aws.Config
}

var _ Target = (*liveTarget)(nil)

// Live is AWS as the SDK's configuration reaches it: cfg's credentials and
// region, and its endpoint resolution (AWS_ENDPOINT_URL,
// AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER, a profile's endpoint_url;
// otherwise the region's Cognito endpoint). Every call is signed with
// SigV4, the raw wire cases too. Live sends nothing itself: checking the
// account (harness/live) comes first, and a live run's safety settings
// (rate, budget, the account's fixtures and their cleanup) are its
// caller's.
func Live(ctx context.Context, cfg aws.Config) (Target, error) {
	if cfg.Region == "" {
		return nil, errors.New("live target: no region")
	}
	if cfg.Credentials == nil {
		return nil, errors.New("live target: no credentials")
	}
	o := cip.NewFromConfig(cfg).Options()
	ep, err := o.EndpointResolverV2.ResolveEndpoint(ctx, cip.EndpointParameters{
		Region:       aws.String(cfg.Region),
		Endpoint:     o.BaseEndpoint,
		UseFIPS:      aws.Bool(o.EndpointOptions.UseFIPSEndpoint == aws.FIPSEndpointStateEnabled),
		UseDualStack: aws.Bool(o.EndpointOptions.UseDualStackEndpoint == aws.DualStackEndpointStateEnabled),
	})
	if err != nil {
		return nil, fmt.Errorf("live target: resolving the cognito-idp endpoint of %s: %w", cfg.Region, err)
	}
	url := strings.TrimRight(ep.URI.String(), "/")
	tr := newTransport()
	return &liveTarget{endpointTarget: endpointTarget{info: TargetInfo{Kind: KindLive, Endpoint: scrub.Endpoint(url)}, url: url,
		rt: signUnsigned{next: tr, creds: cfg.Credentials, region: cfg.Region}, stop: tr.CloseIdleConnections}, cfg: cfg}, nil
}

// awsConfigOf is the aws.Config of a live target, through any wrapping;
// nil for the others.
func awsConfigOf(t Target) *aws.Config {
	switch v := t.(type) {
	case *liveTarget:
		return &v.cfg
	case *wrapped:
		return awsConfigOf(v.Target)
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
