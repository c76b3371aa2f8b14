package harness

import (
	"context"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go/middleware"

	"github.com/mfaconform/mfaconform/contracts"
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
// throttled calls itself and counts them).
func newClient(t Target, region string) (*cip.Client, *http.Client) {
	rt := t.Transport()
	if rt == nil {
		rt = http.DefaultTransport
	}
	hc := &http.Client{Transport: capture{next: rt}}
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
	c := toSDKConfig(&contracts.MfaConfig{SmsMfaConfiguration: r.SmsMfaConfiguration,
		SoftwareTokenMfaConfiguration: r.SoftwareTokenMfaConfiguration, EmailMfaConfiguration: r.EmailMfaConfiguration,
		WebAuthnConfiguration: r.WebAuthnConfiguration})
	in.SmsMfaConfiguration, in.SoftwareTokenMfaConfiguration = c.SmsMfaConfiguration, c.SoftwareTokenMfaConfiguration
	in.EmailMfaConfiguration, in.WebAuthnConfiguration = c.EmailMfaConfiguration, c.WebAuthnConfiguration
	return in
}

// toSDKConfig converts a contract MFA configuration to the SDK's response
// shape, so the judge compares typed SDK values.
func toSDKConfig(m *contracts.MfaConfig) *cip.GetUserPoolMfaConfigOutput {
	out := &cip.GetUserPoolMfaConfigOutput{}
	if m == nil {
		return out
	}
	if m.MfaConfiguration != nil {
		out.MfaConfiguration = types.UserPoolMfaType(*m.MfaConfiguration)
	}
	if s := m.SmsMfaConfiguration; s != nil {
		out.SmsMfaConfiguration = &types.SmsMfaConfigType{SmsAuthenticationMessage: s.SmsAuthenticationMessage}
		if sc := s.SmsConfiguration; sc != nil {
			out.SmsMfaConfiguration.SmsConfiguration = &types.SmsConfigurationType{SnsCallerArn: sc.SnsCallerArn,
				ExternalId: sc.ExternalId, SnsRegion: sc.SnsRegion}
		}
	}
	if t := m.SoftwareTokenMfaConfiguration; t != nil {
		out.SoftwareTokenMfaConfiguration = &types.SoftwareTokenMfaConfigType{Enabled: t.Enabled != nil && *t.Enabled}
	}
	if e := m.EmailMfaConfiguration; e != nil {
		out.EmailMfaConfiguration = &types.EmailMfaConfigType{Message: e.Message, Subject: e.Subject}
	}
	if w := m.WebAuthnConfiguration; w != nil {
		out.WebAuthnConfiguration = &types.WebAuthnConfigurationType{RelyingPartyId: w.RelyingPartyId}
		if w.UserVerification != nil {
			out.WebAuthnConfiguration.UserVerification = types.UserVerificationType(*w.UserVerification)
		}
		if w.FactorConfiguration != nil {
			out.WebAuthnConfiguration.FactorConfiguration = types.WebAuthnFactorConfigurationType(*w.FactorConfiguration)
		}
	}
	return out
}

// sdkCall runs one SDK call with the exchange captured.
func sdkCall(ctx context.Context, c *cip.Client, op string, poolID *string, set *contracts.SetRequest, x *Exchange) (any, error) {
	ctx = withExchange(ctx, x)
	switch op {
	case contracts.OpSetUserPoolMfaConfig:
		in := toSDKSet(set)
		in.UserPoolId = poolID
		return c.SetUserPoolMfaConfig(ctx, in)
	case contracts.OpGetUserPoolMfaConfig:
		return c.GetUserPoolMfaConfig(ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: poolID})
	case contracts.OpDescribeUserPool:
		return c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: poolID})
	case contracts.OpDeleteUserPool:
		return c.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: poolID})
	}
	panic("harness: sdkCall of unknown operation " + op)
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
