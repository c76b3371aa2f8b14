package harness_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/harness/emulator"
)

// TestCheckHandler: Check against the reference emulator called in
// process (no socket) is nil; against a handler that accepts OFF with a
// factor, it is an error joining one *RuleError, for that rule.
func TestCheckHandler(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	if err := harness.Check(ctx, harness.Handler(emulator.New()), harness.WithChecks(300)); err != nil {
		t.Fatalf("the reference in process does not conform: %v", err)
	}
	target := harness.WrapTarget(harness.Handler(emulator.New()), rewriter{before: acceptOffWithFactor}.wrap)
	err := harness.Check(ctx, target, harness.WithChecks(300))
	var ids []contracts.RuleID
	var joined interface{ Unwrap() []error }
	if !errors.As(err, &joined) {
		t.Fatalf("Check = %v, want an error joining one error per failing rule", err)
	}
	for _, e := range joined.Unwrap() {
		var re *harness.RuleError
		if !errors.As(e, &re) {
			t.Fatalf("%v is not a *harness.RuleError", e)
		}
		ids = append(ids, re.Rule.ID)
	}
	if !slices.Equal(ids, []contracts.RuleID{contracts.RuleOffWithFactor}) {
		t.Errorf("failing rules %v, want exactly [%s]", ids, contracts.RuleOffWithFactor)
	}
}

// TestHandlerThatPanics: a handler that panics is a target that fails,
// never a crash of the harness.
func TestHandlerThatPanics(t *testing.T) {
	t.Parallel()
	h := http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") })
	rep, err := harness.Run(context.Background(), harness.Handler(h), harness.WithChecks(10))
	if err == nil || !errors.Is(err, harness.ErrSetup) {
		t.Fatalf("Run = %v, %v; want a setup error (its fixtures cannot be created)", rep, err)
	}
}

// acceptOffWithFactor answers a Set of mode OFF with a TOTP or email
// factor block as if it were valid: the request echoed back, without the
// pool ID. (An SMS block is left alone: its role is checked before the
// mode, so accepting it would break the SMS role rules too.)
func acceptOffWithFactor(c *call) *answer {
	_, sms := c.Req["SmsMfaConfiguration"]
	if c.Op != contracts.OpSetUserPoolMfaConfig || c.Req == nil || c.Req["MfaConfiguration"] != contracts.MfaOff || sms || !anyFactor(c.Req) {
		return nil
	}
	body := map[string]any{}
	for k, v := range c.Req {
		if k != "UserPoolId" {
			body[k] = v
		}
	}
	return jsonAnswer(200, body)
}
