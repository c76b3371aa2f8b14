package harness

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/fuzz"
	"github.com/mfaconform/mfaconform/internal/judge"
)

// lane is one sequence of cases on pools of its own (see config.Lanes):
// it sends each step and feeds the exchange to its judging session.
type lane struct {
	run     *run
	id      int
	session *judge.Session
	pools   map[fuzz.PoolKind]string // fixture pool IDs by kind
	random  *fuzz.Random
	held    []heldJudgment // judgments of unanswered calls, for the interrupt grace
}

func (r *run) newLane(id int) *lane {
	return &lane{run: r, id: id, session: r.newSession(),
		pools: map[fuzz.PoolKind]string{}, random: fuzz.NewRandom()}
}

// pool returns the lane's fixture pool of a kind, created on first use.
func (l *lane) pool(ctx context.Context, kind fuzz.PoolKind) (string, error) {
	if id, ok := l.pools[kind]; ok {
		if _, live := l.session.Pool(id); live {
			return id, nil
		}
	}
	id, err := l.createPool(ctx, kind, l.run.poolName(kind, fmt.Sprintf("w%d", l.id)))
	if err != nil {
		return "", err
	}
	l.pools[kind] = id
	return id, nil
}

// missingPoolID is a well-formed ID no fixture has.
func (l *lane) missingPoolID() string { return l.run.world.Region + "_NoSuchPool0" }

// runCase sends a case's steps in order and folds each judgment into the
// run's tally. A case whose pool the target refused to create is not sent
// (see RefusedPool); one whose pool cannot be created otherwise is a setup
// error.
func (l *lane) runCase(ctx context.Context, idx int, c fuzz.Case) error {
	var id string
	var err error
	if c.Lifecycle {
		id, err = l.createPool(ctx, c.Pool, l.run.poolName(c.Pool, fmt.Sprintf("case%d", idx)))
	} else {
		id, err = l.pool(ctx, c.Pool)
	}
	if errors.As(err, new(refusal)) {
		// Not sent: the rules it would check are skip, with the reason.
		l.run.notSent(c.Pool)
		return nil
	}
	if err != nil {
		return err
	}
	if c.Lifecycle {
		defer func() {
			if _, live := l.session.Pool(id); live {
				uctx, cancel := l.run.uncut(ctx)
				defer cancel()
				l.deleteFixture(uctx, id)
			}
		}()
	}
	for i, s := range c.Steps {
		if err := l.run.silence.over(); err != nil {
			return err
		}
		if ctx.Err() != nil {
			return nil
		}
		x, sent := l.send(ctx, id, s)
		switch {
		case !sent:
			// Cut by the run's cancellation: not an answer to judge.
			return nil
		case judge.Throttled(x):
			// Still throttled after every retry: never a finding.
			continue
		}
		j := l.session.Judge(x)
		for k := range j.Findings {
			f := &j.Findings[k]
			if f.PoolID == "" {
				f.Kind, f.PoolID = string(c.Pool), id
			}
		}
		l.fold(position{caseIndex: idx, step: i}, fmt.Sprintf("#%d %s (step %d)", idx, c.Kind, i+1), j, x)
	}
	return nil
}

// poolID is the pool ID a step sends.
func (l *lane) poolID(id string, ref fuzz.PoolRef, literal *string) *string {
	switch ref {
	case fuzz.PoolCurrent:
		return aws.String(id)
	case fuzz.PoolMissing:
		return aws.String(l.missingPoolID())
	}
	return literal
}

// send sends one step, through the SDK or byte for byte, and returns the
// exchange; sent is false when the run's cancellation cut the call.
func (l *lane) send(ctx context.Context, id string, s fuzz.Step) (x *judge.Exchange, sent bool) {
	r := l.run
	x = &judge.Exchange{}
	var err error
	switch s.Op {
	case fuzz.OpSet:
		l.resync(ctx, id)
		req := r.roles.set(*s.Set)
		req.UserPoolId = l.poolID(id, s.Pool, s.Set.UserPoolId)
		_, err = r.sdk(ctx, x, func(ctx context.Context) (any, error) {
			return sdkCall(ctx, r.client, contracts.OpSetUserPoolMfaConfig, req.UserPoolId, &req, x)
		})
		x.Set = sdkWire(&req)
	case fuzz.OpGet:
		pid := l.poolID(id, s.Pool, s.Get.UserPoolId)
		_, err = r.sdk(ctx, x, func(ctx context.Context) (any, error) {
			return sdkCall(ctx, r.client, contracts.OpGetUserPoolMfaConfig, pid, nil, x)
		})
	case fuzz.OpDescribe:
		pid := l.poolID(id, s.Pool, nil)
		_, err = r.sdk(ctx, x, func(ctx context.Context) (any, error) {
			return sdkCall(ctx, r.client, contracts.OpDescribeUserPool, pid, nil, x)
		})
	case fuzz.OpDelete:
		pid := l.poolID(id, s.Pool, nil)
		_, err = r.sdk(ctx, x, func(ctx context.Context) (any, error) {
			return sdkCall(ctx, r.client, contracts.OpDeleteUserPool, pid, nil, x)
		})
		if err == nil && x.Status == 200 {
			r.forget(*pid)
		}
	case fuzz.OpRaw:
		l.resync(ctx, id)
		body := r.roles.raw([]byte(strings.ReplaceAll(string(s.Raw.Body), fuzz.PoolPlaceholder, id)))
		if !r.raw(ctx, x, s.Raw.Target, s.Raw.ContentType, body) {
			err = errCut
		}
	default:
		return x, false
	}
	if err == errCut {
		return x, false
	}
	return x, true
}

// resync reads a pool whose state a deviation left unknown, without
// judging it, so that the next call is judged against what the target
// holds.
func (l *lane) resync(ctx context.Context, id string) {
	if !l.session.Unknown(id) {
		return
	}
	var x judge.Exchange
	if _, err := l.run.sdk(ctx, &x, func(ctx context.Context) (any, error) {
		return sdkCall(ctx, l.run.client, contracts.OpGetUserPoolMfaConfig, &id, nil, &x)
	}); err == nil {
		l.session.Adopt(&x)
	}
}
