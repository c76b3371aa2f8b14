package live

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/mfaconform/mfaconform/internal/scrub"
)

// Identity is whose the credentials are, as STS says.
type Identity struct {
	Account string
	ARN     string
	// Partition is the ARN partition (aws, aws-cn, aws-us-gov).
	Partition string

	// cfg is the configuration the guard checked: what a Run writes
	// with. Nil in an Identity CheckAccount did not return.
	cfg *aws.Config
}

// ErrNoAllowlist is a live command given no account it may write to.
var ErrNoAllowlist = errors.New("no account is allowed: --allow-account ID[,ID...] (or MFACONFORM_ALLOW_ACCOUNTS) names the accounts this command may write to")

// ErrNotGuarded is a write asked of a Run whose Identity did not come
// from CheckAccount.
var ErrNotGuarded = errors.New("live: nothing is written for an account the guard did not check: make the Run with NewRun of an Identity that CheckAccount returned")

// AccountError is credentials of an account outside the allowlist.
type AccountError struct {
	Account string
	Allowed []string
}

func (e *AccountError) Error() string {
	return fmt.Sprintf("the credentials are of account %s, which --allow-account (%s) does not list; nothing was written",
		e.Account, strings.Join(e.Allowed, ","))
}

// EndpointError is a configuration whose calls would not all reach one
// place: the guard would ask STS of one endpoint whose account it is,
// and the writes would go to another.
type EndpointError struct {
	// Endpoints are the three services' endpoints, in the order STS,
	// cognito-idp, IAM: a URL, or "the SDK's default for the region".
	Endpoints [3]string
}

func (e *EndpointError) Error() string {
	return fmt.Sprintf("the account guard would ask STS at %s whose account it is, while the writes go to cognito-idp at %s and IAM at %s; "+
		"set one endpoint for all three (AWS_ENDPOINT_URL) or none, not AWS_ENDPOINT_URL_<SERVICE> for some; nothing was written",
		e.Endpoints[0], e.Endpoints[1], e.Endpoints[2])
}

// defaultEndpoint stands for an endpoint the SDK resolves itself.
const defaultEndpoint = "the SDK's default for the region"

// CheckAccount is the account guard, the first call of every live
// command: no call that writes is made before it has passed. It asks STS
// whose the credentials are (GetCallerIdentity, which writes nothing and
// needs no permission) and returns the identity when its account is one
// of allowed. The STS it asks must be where the writes go: cfg resolves
// the endpoints of STS, cognito-idp and IAM either all by the SDK's
// default (each service's host of the same partition and region, all
// answering for the credentials' account) or all to one URL
// (AWS_ENDPOINT_URL, an emulator): an endpoint given for one of them and
// not the others is an *EndpointError, and STS is not asked.
func CheckAccount(ctx context.Context, cfg aws.Config, allowed []string) (Identity, error) {
	if len(allowed) == 0 {
		return Identity{}, ErrNoAllowlist
	}
	if err := sameEndpoint(cfg); err != nil {
		return Identity{}, err
	}
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return Identity{}, fmt.Errorf("cannot tell whose the credentials are (STS GetCallerIdentity): %w", err)
	}
	id := Identity{Account: aws.ToString(out.Account), ARN: aws.ToString(out.Arn), Partition: "aws"}
	if parts := strings.SplitN(id.ARN, ":", 3); len(parts) == 3 && parts[0] == "arn" && parts[1] != "" {
		id.Partition = parts[1]
	}
	if !slices.Contains(allowed, id.Account) {
		return id, &AccountError{Account: id.Account, Allowed: allowed}
	}
	id.cfg = &cfg
	return id, nil
}

// sameEndpoint refuses a configuration whose STS, cognito-idp and IAM
// endpoints are not one place. Each service's base endpoint is what its
// client would use: the service's own setting (AWS_ENDPOINT_URL_STS, a
// profile's services section) or the global one.
func sameEndpoint(cfg aws.Config) error {
	given := [3]*string{
		sts.NewFromConfig(cfg).Options().BaseEndpoint,
		cip.NewFromConfig(cfg).Options().BaseEndpoint,
		iam.NewFromConfig(cfg).Options().BaseEndpoint,
	}
	var e EndpointError
	places := map[string]bool{}
	for i, ep := range given {
		e.Endpoints[i] = defaultEndpoint
		place := defaultEndpoint
		if ep != nil {
			e.Endpoints[i] = scrub.Endpoint(*ep)
			place = placeOf(*ep)
		}
		places[place] = true
	}
	if len(places) > 1 {
		return &e
	}
	return nil
}

// placeOf is where a URL's calls go: its scheme, host and port, the
// default port written out.
func placeOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return raw
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[strings.ToLower(u.Scheme)]
	}
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Hostname()) + ":" + port
}
