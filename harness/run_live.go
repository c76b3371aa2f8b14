package harness

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/fuzz"
	"github.com/mfaconform/mfaconform/internal/judge"
	"github.com/mfaconform/mfaconform/internal/rate"
)

// A live run's account (Config.Account): what it makes outside Cognito
// before the first case, the wait for IAM, and its teardown.

// maxRoleBackoff caps the doubling wait between two probes of a role.
const maxRoleBackoff = 10 * time.Second

// gate is what the account's calls pass, as the run's own do: the token
// bucket, and the budget unless the call is the cleanup's. Calls it lets
// through are counted with the run's.
func (r *run) gate(ctx context.Context) error {
	if err := r.meter.admit(ctx); err != nil {
		return err
	}
	if !isCleanup(ctx) {
		r.calls.Add(1)
	}
	return nil
}

// prepareAccount makes the account's fixtures (a live run's SMS roles),
// then waits until IAM lets Cognito use them. Nothing for a run without
// an account.
func (r *run) prepareAccount(ctx context.Context) error {
	if r.cfg.Account == nil {
		return nil
	}
	if err := r.cfg.Account.Provision(ctx, r.gate); err != nil {
		if errors.Is(err, errBudget) {
			return fmt.Errorf("%w: the call budget (--max-calls %d) was spent before the first case", ErrSetup, r.cfg.MaxCalls)
		}
		return fmt.Errorf("%w: %w", ErrSetup, err)
	}
	start := time.Now()
	err := r.awaitRoles(ctx)
	r.roleWait = time.Since(start)
	return err
}

// awaitRoles waits until every role of the world that trusts cognito-idp
// is usable. IAM is eventually consistent: for a while after it is made,
// a role is refused as if it did not trust Cognito (or, for the
// permission policy, could not publish), and a call judged then would be
// a false finding. So nothing is judged before each such role has been
// accepted once by a probe: a Set with the role, on a pool of the probe's
// own, retried from Config.RoleBackoff doubling, for at most
// Config.RoleWait. Probes are never judged nor recorded.
func (r *run) awaitRoles(ctx context.Context) error {
	var roles []contracts.Role
	for _, role := range r.world.Roles {
		if role.TrustsCognito {
			roles = append(roles, role)
		}
	}
	if len(roles) == 0 {
		return nil
	}
	ctx = judge.WithProbe(ctx)
	id, err := r.createProbePool(ctx)
	if err != nil {
		return err
	}
	uctx, cancel := r.uncut(ctx)
	defer cancel()
	defer r.deletePool(uctx, id, &judge.Exchange{})
	deadline := time.Now().Add(r.cfg.RoleWait)
	for _, role := range roles {
		wait := r.cfg.RoleBackoff
		for {
			last, ok := r.probeRole(ctx, id, role)
			if ok {
				break
			}
			if ctx.Err() != nil || r.meter.ended() {
				return fmt.Errorf("%w: waiting for IAM to accept %s: %s", ErrSetup, role.ARN, last)
			}
			if time.Now().Add(wait).After(deadline) {
				return fmt.Errorf("%w: IAM did not let Cognito use %s within %s (last answer: %s)", ErrSetup, role.ARN, r.cfg.RoleWait, last)
			}
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
			case <-t.C:
			}
			t.Stop()
			wait = min(2*wait, maxRoleBackoff)
		}
	}
	return nil
}

// probeRole sends a Set with the role's SMS configuration; ok is an answer
// that shows IAM has spread the role: anything but the trust error, and
// for a role that may publish, anything but the publish error too.
func (r *run) probeRole(ctx context.Context, poolID string, role contracts.Role) (last string, ok bool) {
	sc := &types.SmsConfigurationType{SnsCallerArn: aws.String(role.ARN)}
	if role.ExternalID != "" {
		sc.ExternalId = aws.String(role.ExternalID)
	}
	in := &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(poolID), MfaConfiguration: types.UserPoolMfaTypeOptional,
		SmsMfaConfiguration: &types.SmsMfaConfigType{SmsAuthenticationMessage: aws.String(fuzz.Valid(contracts.SmsVerificationMessageType())),
			SmsConfiguration: sc}}
	var x judge.Exchange
	_, err := r.sdk(ctx, &x, func(ctx context.Context) (any, error) { return r.client.SetUserPoolMfaConfig(ctx, in) })
	if err == errCut || x.Status == 0 {
		return "no answer", false
	}
	code := judge.ErrorCode(&x)
	switch {
	case code == contracts.InvalidSmsRoleTrustRelationshipException().Code:
	case code == contracts.InvalidSmsRoleAccessPolicyException().Code && role.CanPublish:
	default:
		return "", true
	}
	return code, false
}

// createProbePool makes the pool the probes use, named and tagged as the
// run's, deleted when the wait is over (or by the cleanup).
func (r *run) createProbePool(ctx context.Context) (string, error) {
	in := &cip.CreateUserPoolInput{PoolName: aws.String(r.cfg.PoolPrefix + "probe"), UserPoolTags: r.cfg.PoolTags}
	var x judge.Exchange
	out, err := r.create(ctx, &x, func(ctx context.Context) (any, error) { return r.client.CreateUserPool(ctx, in) })
	created, _ := out.(*cip.CreateUserPoolOutput)
	if err != nil || created == nil || created.UserPool == nil || created.UserPool.Id == nil {
		return "", fmt.Errorf("%w: CreateUserPool for the IAM probe: %v", ErrSetup, err)
	}
	r.track(*created.UserPool.Id)
	return *created.UserPool.Id, nil
}

// teardownAccount deletes what the account's Provision made.
func (r *run) teardownAccount(ctx context.Context) []Leftover {
	if r.cfg.Account == nil {
		return nil
	}
	var left []Leftover
	for _, u := range r.cfg.Account.Teardown(ctx, r.gate) {
		left = append(left, Leftover{Role: u.Name, Error: r.tally.scrub.String(u.Why)})
	}
	return left
}

// cleanupTime bounds the cleanup of n pools: 30 s, plus what the rate
// takes for them and the account's few calls.
func (r *run) cleanupTime(n int) time.Duration {
	if !(r.cfg.Rate > 0) {
		return 30 * time.Second
	}
	return rate.Seconds(30 + float64(n+10)/r.cfg.Rate)
}

// cleanupError says why the cleanup left something: a second interrupt,
// or the error.
func cleanupError(ctx context.Context, err error) string {
	if ctx.Err() != nil && (err == errCut || errors.Is(err, context.Canceled)) {
		return "not deleted: the cleanup was stopped"
	}
	return err.Error()
}

// stampLive says in the report what ended the run and, for a live run,
// its ID and the wait for IAM.
func (r *run) stampLive(rep *Report) {
	if r.meter.ended() {
		rep.EndedBy = EndedByBudget
	}
	if r.cfg.RunID != "" || r.cfg.Account != nil {
		rep.Live = &LiveRun{RunID: r.cfg.RunID, IAMWaitS: r.roleWait.Seconds()}
	}
}
