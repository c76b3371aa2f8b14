package fuzz_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	"pgregory.net/rapid"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/fuzz"
	"github.com/mfaconform/mfaconform/harness/emulator"
	"github.com/mfaconform/mfaconform/internal/judge"
)

// poolMachine is a rapid state machine over one pool's life: create, set,
// get, describe, delete, and calls on the deleted pool. The model is the
// contract itself (contracts.Pool plus ExpectSet/ExpectGet); every answer
// of the reference emulator must be one the contract allows, and every
// state later calls see must follow the state rules.
type poolMachine struct {
	client *cip.Client
	world  *contracts.World
	pool   *contracts.Pool // nil before the first create
	id     string          // the current or last pool's ID
	gone   bool
}

func newPoolMachine(t *rapid.T, url string) *poolMachine {
	noValidation := func(s *middleware.Stack) error { _, err := s.Initialize.Remove("OperationInputValidation"); return err }
	return &poolMachine{world: contracts.DefaultWorld(), client: cip.New(cip.Options{Region: "us-east-1",
		BaseEndpoint: aws.String(url), Retryer: aws.NopRetryer{},
		Credentials: credentials.NewStaticCredentialsProvider("AKIDMFACONFORMFAKE00", "fake", ""),
		APIOptions:  []func(*middleware.Stack) error{noValidation}})}
}

func (m *poolMachine) Create(t *rapid.T) {
	kind := rapid.SampledFrom(fuzz.PoolKinds()).Draw(t, "kind")
	spec := kind.Spec()
	in := &cip.CreateUserPoolInput{PoolName: aws.String("machine"), UserPoolTier: types.UserPoolTierType(spec.Tier),
		EmailConfiguration: &types.EmailConfigurationType{EmailSendingAccount: types.EmailSendingAccountType(spec.EmailSendingAccount)},
		Policies:           &types.UserPoolPolicyType{SignInPolicy: &types.SignInPolicyType{}}}
	for _, f := range spec.FirstAuthFactors {
		in.Policies.SignInPolicy.AllowedFirstAuthFactors = append(in.Policies.SignInPolicy.AllowedFirstAuthFactors, types.AuthFactorType(f))
	}
	out, err := m.client.CreateUserPool(context.Background(), in)
	if err != nil {
		t.Fatalf("CreateUserPool: %v", err)
	}
	m.id, m.gone = *out.UserPool.Id, false
	m.pool = &contracts.Pool{ID: m.id, Tier: spec.Tier, EmailSendingAccount: spec.EmailSendingAccount, FirstAuthFactors: spec.FirstAuthFactors}
}

func (m *poolMachine) Set(t *rapid.T) {
	if m.id == "" {
		t.Skip("no pool yet")
	}
	req := fuzz.ValidSet().Draw(t, "set")
	req.UserPoolId = aws.String(m.id)
	in := &cip.SetUserPoolMfaConfigInput{UserPoolId: req.UserPoolId, MfaConfiguration: types.UserPoolMfaType(deref(req.MfaConfiguration))}
	c := configToSDK(req)
	in.SmsMfaConfiguration, in.SoftwareTokenMfaConfiguration, in.EmailMfaConfiguration, in.WebAuthnConfiguration =
		c.SmsMfaConfiguration, c.SoftwareTokenMfaConfiguration, c.EmailMfaConfiguration, c.WebAuthnConfiguration
	// What the SDK puts on the wire: Enabled:false is left out.
	if req.SoftwareTokenMfaConfiguration != nil && req.SoftwareTokenMfaConfiguration.Enabled != nil && !*req.SoftwareTokenMfaConfiguration.Enabled {
		req.SoftwareTokenMfaConfiguration = &contracts.SoftwareTokenMfaConfig{}
	}
	exp := contracts.ExpectSet(m.world, m.current(), req)
	out, err := m.client.SetUserPoolMfaConfig(context.Background(), in)
	got := (*contracts.MfaConfig)(nil)
	if err == nil {
		got = fromSDK(out.SmsMfaConfiguration, out.SoftwareTokenMfaConfiguration, out.EmailMfaConfiguration, string(out.MfaConfiguration), out.WebAuthnConfiguration)
	}
	m.check(t, "Set", exp, got, err)
	if err == nil {
		m.pool.Mfa = got
		if sc := req.SmsMfaConfiguration; sc != nil && sc.SmsConfiguration != nil {
			v := *sc.SmsConfiguration
			m.pool.SmsConfiguration = &v
		}
	}
}

func (m *poolMachine) Get(t *rapid.T) {
	if m.id == "" {
		t.Skip("no pool yet")
	}
	exp := contracts.ExpectGet(m.world, m.current(), &contracts.GetRequest{UserPoolId: aws.String(m.id)})
	out, err := m.client.GetUserPoolMfaConfig(context.Background(), &cip.GetUserPoolMfaConfigInput{UserPoolId: aws.String(m.id)})
	var got *contracts.MfaConfig
	if err == nil {
		got = fromSDK(out.SmsMfaConfiguration, out.SoftwareTokenMfaConfiguration, out.EmailMfaConfiguration, string(out.MfaConfiguration), out.WebAuthnConfiguration)
	}
	m.check(t, "Get", exp, got, err)
}

func (m *poolMachine) Describe(t *rapid.T) {
	if m.id == "" {
		t.Skip("no pool yet")
	}
	out, err := m.client.DescribeUserPool(context.Background(), &cip.DescribeUserPoolInput{UserPoolId: aws.String(m.id)})
	if m.gone {
		var nf *types.ResourceNotFoundException
		if !errors.As(err, &nf) {
			t.Fatalf("DescribeUserPool on a deleted pool: %v, want ResourceNotFoundException", err)
		}
		return
	}
	if err != nil {
		t.Fatalf("DescribeUserPool: %v", err)
	}
	if got, want := string(out.UserPool.MfaConfiguration), contracts.ExpectDescribeMfa(m.pool); got != want {
		t.Fatalf("describe.mfa-configuration: DescribeUserPool shows %q, the state is %q", got, want)
	}
}

func (m *poolMachine) Delete(t *rapid.T) {
	if m.id == "" || m.gone {
		t.Skip("no pool to delete")
	}
	if _, err := m.client.DeleteUserPool(context.Background(), &cip.DeleteUserPoolInput{UserPoolId: aws.String(m.id)}); err != nil {
		t.Fatalf("DeleteUserPool: %v", err)
	}
	m.gone = true
}

func (m *poolMachine) current() *contracts.Pool {
	if m.gone {
		return nil
	}
	return m.pool
}

func (m *poolMachine) check(t *rapid.T, op string, exp contracts.Expectation, got *contracts.MfaConfig, err error) {
	if err != nil {
		var api smithy.APIError
		if !errors.As(err, &api) {
			t.Fatalf("%s: %v", op, err)
		}
		if !slices.Contains(exp.ErrorCodes(), api.ErrorCode()) {
			t.Fatalf("%s (rule %s): %s, want %v (success allowed %v)", op, exp.Rule, api.ErrorCode(), exp.ErrorCodes(), exp.AllowsSuccess())
		}
		return
	}
	want, ok := exp.Success()
	if !ok {
		t.Fatalf("%s (rule %s): accepted, want %v", op, exp.Rule, exp.ErrorCodes())
	}
	if diffs := judge.CompareConfig(want.Body, got, want.Optional); len(diffs) > 0 {
		t.Fatalf("%s (rule %s): %v", op, exp.Rule, diffs)
	}
}

func TestPoolStateMachine(t *testing.T) {
	srv := httptest.NewServer(emulator.New())
	defer srv.Close()
	rapid.Check(t, func(t *rapid.T) {
		m := newPoolMachine(t, srv.URL)
		m.Create(t)
		t.Repeat(rapid.StateMachineActions(m))
	})
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// configToSDK and fromSDK convert between the contract's types and the
// SDK's, member by member.
func configToSDK(r *contracts.SetRequest) *cip.GetUserPoolMfaConfigOutput {
	out := &cip.GetUserPoolMfaConfigOutput{}
	if s := r.SmsMfaConfiguration; s != nil {
		out.SmsMfaConfiguration = &types.SmsMfaConfigType{SmsAuthenticationMessage: s.SmsAuthenticationMessage}
		if c := s.SmsConfiguration; c != nil {
			out.SmsMfaConfiguration.SmsConfiguration = &types.SmsConfigurationType{SnsCallerArn: c.SnsCallerArn, ExternalId: c.ExternalId, SnsRegion: c.SnsRegion}
		}
	}
	if s := r.SoftwareTokenMfaConfiguration; s != nil {
		out.SoftwareTokenMfaConfiguration = &types.SoftwareTokenMfaConfigType{Enabled: s.Enabled != nil && *s.Enabled}
	}
	if e := r.EmailMfaConfiguration; e != nil {
		out.EmailMfaConfiguration = &types.EmailMfaConfigType{Message: e.Message, Subject: e.Subject}
	}
	if w := r.WebAuthnConfiguration; w != nil {
		out.WebAuthnConfiguration = &types.WebAuthnConfigurationType{RelyingPartyId: w.RelyingPartyId,
			UserVerification: types.UserVerificationType(deref(w.UserVerification)), FactorConfiguration: types.WebAuthnFactorConfigurationType(deref(w.FactorConfiguration))}
	}
	return out
}

func fromSDK(sms *types.SmsMfaConfigType, totp *types.SoftwareTokenMfaConfigType, email *types.EmailMfaConfigType, mode string, web *types.WebAuthnConfigurationType) *contracts.MfaConfig {
	c := &contracts.MfaConfig{}
	if mode != "" {
		c.MfaConfiguration = aws.String(mode)
	}
	if sms != nil {
		c.SmsMfaConfiguration = &contracts.SmsMfaConfig{SmsAuthenticationMessage: sms.SmsAuthenticationMessage}
		if s := sms.SmsConfiguration; s != nil {
			c.SmsMfaConfiguration.SmsConfiguration = &contracts.SmsConfiguration{SnsCallerArn: s.SnsCallerArn, ExternalId: s.ExternalId, SnsRegion: s.SnsRegion}
		}
	}
	if totp != nil {
		c.SoftwareTokenMfaConfiguration = &contracts.SoftwareTokenMfaConfig{Enabled: aws.Bool(totp.Enabled)}
	}
	if email != nil {
		c.EmailMfaConfiguration = &contracts.EmailMfaConfig{Message: email.Message, Subject: email.Subject}
	}
	if web != nil {
		c.WebAuthnConfiguration = &contracts.WebAuthnConfig{RelyingPartyId: web.RelyingPartyId}
		if web.UserVerification != "" {
			c.WebAuthnConfiguration.UserVerification = aws.String(string(web.UserVerification))
		}
		if web.FactorConfiguration != "" {
			c.WebAuthnConfiguration.FactorConfiguration = aws.String(string(web.FactorConfiguration))
		}
	}
	return c
}

// Check runs after every action: the pool the model holds is what the
// emulator describes.
func (m *poolMachine) Check(t *rapid.T) {
	if m.id != "" {
		m.Describe(t)
	}
}
