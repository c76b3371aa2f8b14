package harness

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/fuzz"
	"github.com/mfaconform/mfaconform/internal/judge"
)

// sesIdentity is the SES identity fixture pools that send with DEVELOPER
// name. It is a placeholder: emulators do not check it, and live runs
// take theirs from --fixtures.
const sesIdentity = "arn:aws:ses:us-east-1:123456789012:identity/mfaconform@example.com"

// sesIdentity is the SES identity DEVELOPER pools send with: the world's,
// else, on an emulator, the placeholder. A live account without one in
// its fixtures has none: AWS refuses an unverified identity.
func (r *run) sesIdentity() string {
	if r.world.SESIdentity != "" || r.cfg.Account != nil {
		return r.world.SESIdentity
	}
	return sesIdentity
}

// createPool creates a fixture pool through the target's own
// CreateUserPool, then reads back through DescribeUserPool what the target
// actually keeps. Both exchanges go to the lane's session, which decides
// from their bytes what the pool is (as it does from a recording): a
// property the target does not report stays unknown, and the rules that
// need it are skipped rather than misjudged. A kind the target refused
// once is not asked for again (see RefusedPool).
func (l *lane) createPool(ctx context.Context, kind fuzz.PoolKind, name string) (string, error) {
	r := l.run
	if r.refusedKind(kind) {
		return "", refusal{kind}
	}
	spec := kind.Spec()
	in := &cip.CreateUserPoolInput{
		PoolName:     aws.String(name),
		UserPoolTier: types.UserPoolTierType(spec.Tier),
		EmailConfiguration: &types.EmailConfigurationType{
			EmailSendingAccount: types.EmailSendingAccountType(spec.EmailSendingAccount)},
		Policies:     &types.UserPoolPolicyType{SignInPolicy: &types.SignInPolicyType{}},
		UserPoolTags: r.cfg.PoolTags,
	}
	if spec.EmailSendingAccount == contracts.SendingDeveloper {
		switch source := r.sesIdentity(); source {
		case "":
			// No verified identity to send with: the pool keeps Cognito's
			// default, which the session then does not take for DEVELOPER.
			in.EmailConfiguration = nil
		default:
			in.EmailConfiguration.SourceArn = aws.String(source)
		}
	}
	for _, f := range spec.FirstAuthFactors {
		in.Policies.SignInPolicy.AllowedFirstAuthFactors = append(in.Policies.SignInPolicy.AllowedFirstAuthFactors, types.AuthFactorType(f))
	}
	var x judge.Exchange
	out, err := r.create(ctx, &x, func(ctx context.Context) (any, error) { return r.client.CreateUserPool(ctx, in) })
	if err != nil {
		if kind != fuzz.PoolDefault && err != errCut && x.Status >= 400 && x.Status < 500 && !judge.Throttled(&x) {
			return "", r.refuse(kind, &x)
		}
		return "", fmt.Errorf("%w: CreateUserPool %s: %w", ErrSetup, kind, err)
	}
	created, ok := out.(*cip.CreateUserPoolOutput)
	if !ok || created.UserPool == nil || created.UserPool.Id == nil {
		return "", fmt.Errorf("%w: CreateUserPool %s answered no pool ID", ErrSetup, kind)
	}
	id := *created.UserPool.Id
	r.track(id)
	l.session.Judge(&x)
	if _, known := l.session.Pool(id); !known {
		return "", fmt.Errorf("%w: CreateUserPool %s answered no readable pool", ErrSetup, kind)
	}
	l.session.Label(id, string(kind))
	var dx judge.Exchange
	if _, err := r.sdk(ctx, &dx, func(ctx context.Context) (any, error) {
		return r.client.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(id)})
	}); err != errCut {
		l.session.Judge(&dx)
	}
	return id, nil
}

// create sends a call that creates something. It is not sent once the run
// is stopping, and once sent it is never cut: a pool made on the target
// whose answer the run did not read would be left behind, unknown to the
// cleanup.
func (r *run) create(ctx context.Context, x *judge.Exchange, call func(context.Context) (any, error)) (any, error) {
	if ctx.Err() != nil {
		return nil, errCut
	}
	uctx, cancel := r.uncut(ctx)
	defer cancel()
	return r.sdk(uctx, x, call)
}

// deletePool deletes a pool the run created; errors are returned for the
// caller to report, never ignored silently.
func (r *run) deletePool(ctx context.Context, id string, x *judge.Exchange) error {
	_, err := r.sdk(ctx, x, func(ctx context.Context) (any, error) {
		return r.client.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: aws.String(id)})
	})
	if err == nil {
		r.forget(id)
	}
	return err
}

// deleteFixture deletes a case's own pool at its end, and tells the
// lane's session it is gone.
func (l *lane) deleteFixture(ctx context.Context, id string) {
	var x judge.Exchange
	if l.run.deletePool(ctx, id, &x) == nil {
		l.session.Judge(&x)
	}
}

// RefusedPool is a kind of fixture pool the target would not create: it
// answered the CreateUserPool with a client error. Real AWS, for one,
// refuses an SMS_OTP first factor on a pool without an SMS configuration
// (contract.md M23). The cases on such a pool are not sent, and a rule
// only they would have checked is skip, with this as the reason. The
// default pool is never refused: a target that will not create it cannot
// be tested, and the run is a setup error.
type RefusedPool struct {
	Kind   string `json:"kind"`
	Answer string `json:"answer"`
	// Cases is how many cases were not sent for it.
	Cases int `json:"cases"`
}

func (p RefusedPool) String() string {
	return fmt.Sprintf("the target refused to create the %s pool (%s): %d cases not sent", p.Kind, p.Answer, p.Cases)
}

// refusal is the error of a case whose pool kind the target refused.
type refusal struct{ kind fuzz.PoolKind }

func (e refusal) Error() string {
	return fmt.Sprintf("the target refused to create the %s pool", e.kind)
}

// refuse notes that the target refused to create a kind of pool, with its
// answer, and returns the refusal.
func (r *run) refuse(kind fuzz.PoolKind, x *judge.Exchange) error {
	answer := fmt.Sprintf("HTTP %d", x.Status)
	code, message := judge.ErrorAnswer(x)
	if code != "" {
		answer += " " + code
	}
	if message = strings.Join(strings.Fields(message), " "); message != "" {
		const most = 300 // the target's words, shown in every report
		if len(message) > most {
			message = strings.ToValidUTF8(message[:most], "") + "…"
		}
		answer += ": " + message
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.refused == nil {
		r.refused = map[fuzz.PoolKind]*RefusedPool{}
	}
	if r.refused[kind] == nil {
		r.refused[kind] = &RefusedPool{Kind: string(kind), Answer: r.tally.scrub.String(answer)}
	}
	return refusal{kind}
}

// refusedKind reports whether the target refused a kind of pool.
func (r *run) refusedKind(kind fuzz.PoolKind) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.refused[kind] != nil
}

// notSent counts a case on a refused kind of pool.
func (r *run) notSent(kind fuzz.PoolKind) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.refused[kind].Cases++
}

// stampRefused puts the refused pool kinds in the report, and names them
// in the reason of the rules no case reached (the report's refused_pools
// has the target's answers).
func (r *run) stampRefused(rep *Report) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.refused) == 0 {
		return
	}
	var why []string
	for _, kind := range fuzz.PoolKinds() {
		if p := r.refused[kind]; p != nil {
			rep.RefusedPools = append(rep.RefusedPools, *p)
			why = append(why, refusal{kind}.Error())
		}
	}
	for i := range rep.Rules {
		if rr := &rep.Rules[i]; rr.Status == StatusSkip && rr.SkipReason == noCaseReached {
			rr.SkipReason += "; " + strings.Join(why, "; ")
		}
	}
}
