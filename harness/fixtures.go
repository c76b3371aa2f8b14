package harness

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/fuzz"
)

// ErrSetup is a run that could not start or go on: an unreachable target,
// fixtures that could not be created. The command line exits 2 on it.
var ErrSetup = errors.New("setup failed")

// sesIdentity is the SES identity fixture pools that send with DEVELOPER
// name. It is a placeholder: emulators do not check it, and live runs
// take theirs from --fixtures.
const sesIdentity = "arn:aws:ses:us-east-1:123456789012:identity/mfaconform@example.com"

// createPool creates a fixture pool through the target's own
// CreateUserPool, then reads back through DescribeUserPool what the target
// actually keeps: a property it does not report stays unknown, and the
// rules that need it are skipped rather than misjudged.
func (r *run) createPool(ctx context.Context, kind fuzz.PoolKind, name string) (*contracts.Pool, error) {
	spec := kind.Spec()
	in := &cip.CreateUserPoolInput{
		PoolName:     aws.String(name),
		UserPoolTier: types.UserPoolTierType(spec.Tier),
		EmailConfiguration: &types.EmailConfigurationType{
			EmailSendingAccount: types.EmailSendingAccountType(spec.EmailSendingAccount)},
		Policies: &types.UserPoolPolicyType{SignInPolicy: &types.SignInPolicyType{}},
	}
	if spec.EmailSendingAccount == contracts.SendingDeveloper {
		in.EmailConfiguration.SourceArn = aws.String(sesIdentity)
	}
	for _, f := range spec.FirstAuthFactors {
		in.Policies.SignInPolicy.AllowedFirstAuthFactors = append(in.Policies.SignInPolicy.AllowedFirstAuthFactors, types.AuthFactorType(f))
	}
	var x Exchange
	out, err := r.sdk(ctx, &x, func(ctx context.Context) (any, error) { return r.client.CreateUserPool(ctx, in) })
	if err != nil {
		return nil, fmt.Errorf("%w: CreateUserPool %s: %v", ErrSetup, kind, err)
	}
	created := out.(*cip.CreateUserPoolOutput)
	if created.UserPool == nil || created.UserPool.Id == nil {
		return nil, fmt.Errorf("%w: CreateUserPool %s answered no pool ID", ErrSetup, kind)
	}
	id := *created.UserPool.Id
	r.track(id)
	// The facts come from the recorded bytes, as Rejudge reads them from a
	// cassette: one piece of code decides what a target kept.
	ps := createdPool(&x)
	if ps == nil {
		return nil, fmt.Errorf("%w: CreateUserPool %s answered no readable pool", ErrSetup, kind)
	}
	var dx Exchange
	if _, err := r.sdk(ctx, &dx, func(ctx context.Context) (any, error) {
		return r.client.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(id)})
	}); err == nil {
		readFacts(ps, &dx)
	}
	return &ps.pool, nil
}

// deletePool deletes a pool the run created; errors are returned for the
// caller to report, never ignored silently.
func (r *run) deletePool(ctx context.Context, id string) error {
	var x Exchange
	_, err := r.sdk(ctx, &x, func(ctx context.Context) (any, error) {
		return r.client.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: aws.String(id)})
	})
	return err
}
