package harness

import (
	"context"
	"fmt"
	"net/http"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go/middleware"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/internal/judge"
)

// Fake credentials: endpoint targets need no real signature, and nothing
// of anyone's account is ever sent.
const (
	fakeAccessKey = "AKIDMFACONFORMFAKE00"
	fakeSecret    = "mfaconform-fake-secret-key"
)

// removeValidation lets invalid requests reach the server: the SDK checks
// required members client-side, and the server is what is being tested.
func removeValidation(s *middleware.Stack) error {
	_, err := s.Initialize.Remove("OperationInputValidation")
	return err
}

// newClient builds the SDK client for a target: the capturing transport in
// HTTPClient, no client-side validation, no SDK retries (the runner retries
// throttled calls itself and counts them). Endpoint targets get fake
// credentials; a live target its own.
func newClient(t Target, region string) (*cip.Client, *http.Client) {
	rt := t.Transport()
	if rt == nil {
		rt = http.DefaultTransport
	}
	hc := &http.Client{Transport: capture{next: rt}}
	if lt := liveOf(t); lt != nil {
		// A live target: its credentials, signing region and endpoint.
		return cip.NewFromConfig(lt.cfg, func(o *cip.Options) {
			o.BaseEndpoint = aws.String(t.URL())
			o.HTTPClient = hc
			o.Retryer = aws.NopRetryer{}
			o.APIOptions = append(slices.Clip(o.APIOptions), removeValidation)
		}), hc
	}
	c := cip.New(cip.Options{
		Region:       region,
		BaseEndpoint: aws.String(t.URL()),
		Credentials:  credentials.NewStaticCredentialsProvider(fakeAccessKey, fakeSecret, ""),
		HTTPClient:   hc,
		Retryer:      aws.NopRetryer{},
		APIOptions:   []func(*middleware.Stack) error{removeValidation},
	})
	return c, hc
}

// toSDKSet converts a contract request to the SDK input. Enabled:false
// cannot be told from absent in the SDK; the expectation is computed from
// the bytes actually sent, so that is judged as what went on the wire.
func toSDKSet(r *contracts.SetRequest) *cip.SetUserPoolMfaConfigInput {
	in := &cip.SetUserPoolMfaConfigInput{UserPoolId: r.UserPoolId}
	if r.MfaConfiguration != nil {
		in.MfaConfiguration = types.UserPoolMfaType(*r.MfaConfiguration)
	}
	c := judge.SDKConfig(&contracts.MfaConfig{SmsMfaConfiguration: r.SmsMfaConfiguration,
		SoftwareTokenMfaConfiguration: r.SoftwareTokenMfaConfiguration, EmailMfaConfiguration: r.EmailMfaConfiguration,
		WebAuthnConfiguration: r.WebAuthnConfiguration})
	in.SmsMfaConfiguration, in.SoftwareTokenMfaConfiguration = c.SmsMfaConfiguration, c.SoftwareTokenMfaConfiguration
	in.EmailMfaConfiguration, in.WebAuthnConfiguration = c.EmailMfaConfiguration, c.WebAuthnConfiguration
	return in
}

// sdkCall runs one SDK call with the exchange captured.
func sdkCall(ctx context.Context, c *cip.Client, op string, poolID *string, set *contracts.SetRequest, x *judge.Exchange) (any, error) {
	ctx = withExchange(ctx, x)
	switch op {
	case contracts.OpSetUserPoolMfaConfig:
		in := toSDKSet(set)
		in.UserPoolId = poolID
		return c.SetUserPoolMfaConfig(ctx, in, undecodedSet)
	case contracts.OpGetUserPoolMfaConfig:
		return c.GetUserPoolMfaConfig(ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: poolID}, undecodedGet)
	case contracts.OpDescribeUserPool:
		return c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: poolID}, undecodedDescribe)
	case contracts.OpDeleteUserPool:
		return c.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: poolID}, undecodedDelete)
	}
	return nil, fmt.Errorf("harness: sdkCall of unknown operation %s", op)
}

// sdkWire is the request as the SDK's serializer puts it on the wire: it
// omits nil members and empty enums, and writes SoftwareTokenMfaConfiguration
// without Enabled when Enabled is false. Judging from it saves parsing every
// request body again; TestSDKWireMatchesBytes checks it against the bytes
// for every generated request.
func sdkWire(r *contracts.SetRequest) *contracts.SetRequest {
	out := *r
	if out.MfaConfiguration != nil && *out.MfaConfiguration == "" {
		out.MfaConfiguration = nil
	}
	if t := out.SoftwareTokenMfaConfiguration; t != nil && t.Enabled != nil && !*t.Enabled {
		out.SoftwareTokenMfaConfiguration = &contracts.SoftwareTokenMfaConfig{}
	}
	if w := out.WebAuthnConfiguration; w != nil {
		c := *w
		if c.UserVerification != nil && *c.UserVerification == "" {
			c.UserVerification = nil
		}
		if c.FactorConfiguration != nil && *c.FactorConfiguration == "" {
			c.FactorConfiguration = nil
		}
		out.WebAuthnConfiguration = &c
	}
	return &out
}
