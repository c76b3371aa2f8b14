package emulator_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go/document"
	"github.com/aws/smithy-go/middleware"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/mfaconform/mfaconform/contracts"
)

// sdkCmp compares SDK values: it ignores the serde marker and metadata.
var sdkCmp = cmp.Options{cmpopts.IgnoreTypes(document.NoSerde{}, middleware.Metadata{})}

var noValidation = func(o *cip.Options) {
	o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
		_, err := s.Initialize.Remove("OperationInputValidation")
		return err
	})
}

func sdkClient(srv *httptest.Server) *cip.Client {
	return cip.New(cip.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIDMFACONFORM", SecretAccessKey: "mfaconform-fake-secret", Source: "test"}, nil
		}),
		HTTPClient:       srv.Client(),
		RetryMaxAttempts: 1,
	})
}

// mfaView is what Set answers and Get returns, whichever output carries it.
type mfaView struct {
	Sms      *types.SmsMfaConfigType
	Totp     *types.SoftwareTokenMfaConfigType
	Email    *types.EmailMfaConfigType
	Mode     types.UserPoolMfaType
	WebAuthn *types.WebAuthnConfigurationType
}

func TestSDKRoundTrip(t *testing.T) {
	srv, _ := newServer(t)
	c := sdkClient(srv)
	ctx := context.Background()

	created, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{
		PoolName:     aws.String("mfaconform sdk"),
		UserPoolTier: types.UserPoolTierTypeEssentials,
		EmailConfiguration: &types.EmailConfigurationType{
			EmailSendingAccount: types.EmailSendingAccountTypeDeveloper, SourceArn: aws.String(sesArn)},
		Policies: &types.UserPoolPolicyType{SignInPolicy: &types.SignInPolicyType{
			AllowedFirstAuthFactors: []types.AuthFactorType{types.AuthFactorTypePassword, types.AuthFactorTypeWebAuthn}}},
	})
	if err != nil {
		t.Fatalf("CreateUserPool: %v", err)
	}
	pool := created.UserPool
	id := aws.ToString(pool.Id)
	wantPool := &types.UserPoolType{
		Id: pool.Id, Name: aws.String("mfaconform sdk"),
		Arn:          aws.String("arn:aws:cognito-idp:us-east-1:123456789012:userpool/" + id),
		CreationDate: aws.Time(epoch), LastModifiedDate: aws.Time(epoch),
		MfaConfiguration: types.UserPoolMfaTypeOff, UserPoolTier: types.UserPoolTierTypeEssentials,
		EmailConfiguration: &types.EmailConfigurationType{
			EmailSendingAccount: types.EmailSendingAccountTypeDeveloper, SourceArn: aws.String(sesArn)},
		Policies: &types.UserPoolPolicyType{SignInPolicy: &types.SignInPolicyType{
			AllowedFirstAuthFactors: []types.AuthFactorType{types.AuthFactorTypePassword, types.AuthFactorTypeWebAuthn}}},
		EstimatedNumberOfUsers: 0,
	}
	if d := cmp.Diff(wantPool, pool, sdkCmp); d != "" {
		t.Errorf("CreateUserPool UserPool (-want +got):\n%s", d)
	}

	trusted := &types.SmsConfigurationType{SnsCallerArn: aws.String(contracts.RoleTrusted), ExternalId: aws.String("mfaconform"),
		SnsRegion: aws.String("us-east-1")}
	cases := []struct {
		name string
		in   cip.SetUserPoolMfaConfigInput
		want mfaView
	}{
		{"SMS", cip.SetUserPoolMfaConfigInput{MfaConfiguration: types.UserPoolMfaTypeOptional,
			SmsMfaConfiguration: &types.SmsMfaConfigType{SmsAuthenticationMessage: aws.String("Code {####}"), SmsConfiguration: trusted}},
			mfaView{Mode: types.UserPoolMfaTypeOptional,
				Sms: &types.SmsMfaConfigType{SmsAuthenticationMessage: aws.String("Code {####}"), SmsConfiguration: trusted}}},
		{"TOTP", cip.SetUserPoolMfaConfigInput{MfaConfiguration: types.UserPoolMfaTypeOptional,
			SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}},
			mfaView{Mode: types.UserPoolMfaTypeOptional, Totp: &types.SoftwareTokenMfaConfigType{Enabled: true}}},
		{"email", cip.SetUserPoolMfaConfigInput{MfaConfiguration: types.UserPoolMfaTypeOptional,
			EmailMfaConfiguration: &types.EmailMfaConfigType{Message: aws.String("Your code is {####}"), Subject: aws.String("Code")}},
			mfaView{Mode: types.UserPoolMfaTypeOptional,
				Email: &types.EmailMfaConfigType{Message: aws.String("Your code is {####}"), Subject: aws.String("Code")}}},
		{"WebAuthn as MFA with ON", cip.SetUserPoolMfaConfigInput{MfaConfiguration: types.UserPoolMfaTypeOn,
			SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true},
			WebAuthnConfiguration: &types.WebAuthnConfigurationType{RelyingPartyId: aws.String("auth.example.com"),
				UserVerification: types.UserVerificationTypeRequired, FactorConfiguration: types.WebAuthnFactorConfigurationTypeMultiFactorWithUserVerification}},
			mfaView{Mode: types.UserPoolMfaTypeOn, Totp: &types.SoftwareTokenMfaConfigType{Enabled: true},
				WebAuthn: &types.WebAuthnConfigurationType{RelyingPartyId: aws.String("auth.example.com"),
					UserVerification: types.UserVerificationTypeRequired, FactorConfiguration: types.WebAuthnFactorConfigurationTypeMultiFactorWithUserVerification}}},
		{"WebAuthn alone with OFF", cip.SetUserPoolMfaConfigInput{MfaConfiguration: types.UserPoolMfaTypeOff,
			WebAuthnConfiguration: &types.WebAuthnConfigurationType{RelyingPartyId: aws.String("auth.example.com"),
				UserVerification: types.UserVerificationTypePreferred, FactorConfiguration: types.WebAuthnFactorConfigurationTypeSingleFactor}},
			mfaView{Mode: types.UserPoolMfaTypeOff,
				WebAuthn: &types.WebAuthnConfigurationType{RelyingPartyId: aws.String("auth.example.com"),
					UserVerification: types.UserVerificationTypePreferred, FactorConfiguration: types.WebAuthnFactorConfigurationTypeSingleFactor}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.UserPoolId = aws.String(id)
			set, err := c.SetUserPoolMfaConfig(ctx, &in)
			if err != nil {
				t.Fatalf("SetUserPoolMfaConfig: %v", err)
			}
			gotSet := mfaView{set.SmsMfaConfiguration, set.SoftwareTokenMfaConfiguration, set.EmailMfaConfiguration,
				set.MfaConfiguration, set.WebAuthnConfiguration}
			if d := cmp.Diff(tc.want, gotSet, sdkCmp); d != "" {
				t.Errorf("Set answer (-want +got):\n%s", d)
			}
			got, err := c.GetUserPoolMfaConfig(ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: aws.String(id)})
			if err != nil {
				t.Fatalf("GetUserPoolMfaConfig: %v", err)
			}
			gotGet := mfaView{got.SmsMfaConfiguration, got.SoftwareTokenMfaConfiguration, got.EmailMfaConfiguration,
				got.MfaConfiguration, got.WebAuthnConfiguration}
			if d := cmp.Diff(tc.want, gotGet, sdkCmp); d != "" {
				t.Errorf("Get after Set (-want +got):\n%s", d)
			}
			desc, err := c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(id)})
			if err != nil {
				t.Fatalf("DescribeUserPool: %v", err)
			}
			if desc.UserPool.MfaConfiguration != tc.want.Mode {
				t.Errorf("DescribeUserPool MfaConfiguration %q, want %q", desc.UserPool.MfaConfiguration, tc.want.Mode)
			}
		})
	}

	if _, err := c.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: aws.String(id)}); err != nil {
		t.Fatalf("DeleteUserPool: %v", err)
	}
	_, err = c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(id)})
	var rnf *types.ResourceNotFoundException
	if !errors.As(err, &rnf) || aws.ToString(rnf.Message) != "User pool "+id+" does not exist." {
		t.Errorf("DescribeUserPool after delete: %v, want ResourceNotFoundException", err)
	}
}

// TestSDKTypedErrors shows that each error the emulator sends reaches an
// SDK caller as the SDK's typed error, with the message intact.
func TestSDKTypedErrors(t *testing.T) {
	srv, _ := newServer(t)
	c := sdkClient(srv)
	ctx := context.Background()
	create := func(tier types.UserPoolTierType) string {
		t.Helper()
		out, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("mfaconform-errors"), UserPoolTier: tier})
		if err != nil {
			t.Fatalf("CreateUserPool: %v", err)
		}
		return aws.ToString(out.UserPool.Id)
	}
	essentials, lite := create(types.UserPoolTierTypeEssentials), create(types.UserPoolTierTypeLite)
	sms := func(role string) *types.SmsMfaConfigType {
		return &types.SmsMfaConfigType{SmsConfiguration: &types.SmsConfigurationType{
			SnsCallerArn: aws.String(role), ExternalId: aws.String("mfaconform")}}
	}
	cases := []struct {
		name    string
		in      cip.SetUserPoolMfaConfigInput
		opts    []func(*cip.Options)
		matches func(error) (string, bool)
		msg     string
	}{
		{"untrusted role", cip.SetUserPoolMfaConfigInput{UserPoolId: &essentials, MfaConfiguration: types.UserPoolMfaTypeOptional,
			SmsMfaConfiguration: sms(contracts.RoleUntrusted)}, nil, as[*types.InvalidSmsRoleTrustRelationshipException], contracts.MsgRoleTrust},
		{"role without publish", cip.SetUserPoolMfaConfigInput{UserPoolId: &essentials, MfaConfiguration: types.UserPoolMfaTypeOptional,
			SmsMfaConfiguration: sms(contracts.RoleNoPublish)}, nil, as[*types.InvalidSmsRoleAccessPolicyException], contracts.MsgRoleAccess},
		{"ON without a factor", cip.SetUserPoolMfaConfigInput{UserPoolId: &essentials, MfaConfiguration: types.UserPoolMfaTypeOn},
			nil, as[*types.InvalidParameterException], contracts.MsgNoFactor},
		{"bad enum past client validation", cip.SetUserPoolMfaConfigInput{UserPoolId: &essentials, MfaConfiguration: "off"},
			[]func(*cip.Options){noValidation}, as[*types.InvalidParameterException],
			"1 validation error detected: Value 'off' at 'mfaConfiguration' failed to satisfy constraint: Member must satisfy enum value set: [OPTIONAL, OFF, ON]"},
		{"missing UserPoolId past client validation", cip.SetUserPoolMfaConfigInput{MfaConfiguration: types.UserPoolMfaTypeOff},
			[]func(*cip.Options){noValidation}, as[*types.InvalidParameterException],
			"1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null"},
		{"unknown pool", cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String("us-east-1_doesNotExist")},
			nil, as[*types.ResourceNotFoundException], "User pool us-east-1_doesNotExist does not exist."},
		{"email MFA on LITE", cip.SetUserPoolMfaConfigInput{UserPoolId: &lite, MfaConfiguration: types.UserPoolMfaTypeOptional,
			EmailMfaConfiguration: &types.EmailMfaConfigType{Subject: aws.String("Code")}}, nil, as[*types.FeatureUnavailableInTierException],
			"The following features need to be disabled for the LITE pricing tier configured: Email MFA"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.SetUserPoolMfaConfig(ctx, &tc.in, tc.opts...)
			msg, ok := tc.matches(err)
			if !ok {
				t.Fatalf("error %v (%T) is not the typed error", err, err)
			}
			if msg != tc.msg {
				t.Errorf("message %q, want %q", msg, tc.msg)
			}
		})
	}

	t.Run("client validation still runs without the option", func(t *testing.T) {
		_, err := c.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{})
		var inv interface{ ErrorCode() string }
		if err == nil || errors.As(err, &inv) {
			t.Fatalf("got %v, want the SDK's own InvalidParamsError", err)
		}
	})
	t.Run("get on unknown pool", func(t *testing.T) {
		_, err := c.GetUserPoolMfaConfig(ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: aws.String("us-east-1_gone")})
		if _, ok := as[*types.ResourceNotFoundException](err); !ok {
			t.Fatalf("got %v, want ResourceNotFoundException", err)
		}
	})
}

// as reports whether err holds a T, and its message.
func as[T interface {
	error
	ErrorMessage() string
}](err error) (string, bool) {
	var target T
	if !errors.As(err, &target) {
		return "", false
	}
	return target.ErrorMessage(), true
}
