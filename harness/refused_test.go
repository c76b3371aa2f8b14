package harness_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/fuzz"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/harness/emulator"
)

// m23 is real AWS's answer to a CreateUserPool with an SMS_OTP first
// factor and no SMS configuration (contract.md M23).
const m23 = "SMS_OTP can not be configured as AuthFactor as user pool is missing valid SMS configuration"

// refuseOTPFirst answers as real AWS does to the CreateUserPool of a pool
// with an SMS_OTP first factor and no SMS configuration, and, with all,
// to every CreateUserPool.
func refuseOTPFirst(all bool) func(c *call) *answer {
	return func(c *call) *answer {
		if c.Op != contracts.OpCreateUserPool {
			return nil
		}
		policies, _ := c.Req["Policies"].(map[string]any)
		signIn, _ := policies["SignInPolicy"].(map[string]any)
		factors, _ := signIn["AllowedFirstAuthFactors"].([]any)
		if _, sms := c.Req["SmsConfiguration"]; all || (slices.Contains(factors, any(contracts.FactorSmsOTP)) && !sms) {
			return jsonAnswer(400, map[string]any{"__type": "InvalidParameterException", "message": m23})
		}
		return nil
	}
}

// refuseFirstFactors refuses every pool with first factors besides the
// password, as a target without sign-in policies might.
func refuseFirstFactors(c *call) *answer {
	policies, _ := c.Req["Policies"].(map[string]any)
	signIn, _ := policies["SignInPolicy"].(map[string]any)
	if factors, _ := signIn["AllowedFirstAuthFactors"].([]any); c.Op == contracts.OpCreateUserPool && len(factors) > 1 {
		return jsonAnswer(400, map[string]any{"__type": "InvalidParameterException", "message": "sign-in policies are not supported"})
	}
	return nil
}

// TestRefusedPoolKindIsSkip: a target that will not create one kind of
// fixture pool, as real AWS refuses the essentials-otp-first pool, is
// still tested: the cases on that pool are not sent, a rule only they
// check is skip with the reason, every other rule is judged as before,
// the report says what the target answered, and nothing is left behind.
func TestRefusedPoolKindIsSkip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	plain, err := harness.Run(ctx, harness.Handler(emulator.New()))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		kinds  []fuzz.PoolKind
		refuse func(*call) *answer
		answer string
		skips  []contracts.RuleID // the rules checked on these pools alone
	}{
		// Another pool checks every rule the OTP-first pool does.
		{[]fuzz.PoolKind{fuzz.PoolOTPFirst}, refuseOTPFirst(false), "InvalidParameterException: " + m23, nil},
		{[]fuzz.PoolKind{fuzz.PoolOTPFirst, fuzz.PoolPasskeyFirst}, refuseFirstFactors,
			"InvalidParameterException: sign-in policies are not supported", []contracts.RuleID{contracts.RuleFirstFactorConflict}},
	} {
		t.Run(fmt.Sprint(tc.kinds), func(t *testing.T) {
			emu := emulator.New()
			target := harness.WrapTarget(harness.Handler(emu), rewriter{before: tc.refuse}.wrap)
			rep, err := harness.Run(ctx, target)
			if err != nil {
				t.Fatalf("a refused pool kind is not a setup error: %v", err)
			}
			if len(rep.RefusedPools) != len(tc.kinds) {
				t.Fatalf("refused pools %+v, want %v", rep.RefusedPools, tc.kinds)
			}
			var console bytes.Buffer
			rep.WriteConsole(&console)
			for i, p := range rep.RefusedPools {
				if p.Kind != string(tc.kinds[i]) || p.Answer != "HTTP 400 "+tc.answer || p.Cases == 0 {
					t.Errorf("refused pool %+v: want kind %s, the target's answer and the cases not sent", p, tc.kinds[i])
				}
				if want := "not sent: the target refused to create the " + p.Kind + " pool (HTTP 400 " + tc.answer + ")"; !strings.Contains(console.String(), want) {
					t.Errorf("the console does not say %q:\n%s", want, console.String())
				}
			}
			var skipped []contracts.RuleID
			for i, rr := range rep.Rules {
				switch was := plain.Rules[i]; {
				case rr.Status == harness.StatusSkip && was.Status != harness.StatusSkip:
					skipped = append(skipped, rr.ID)
					for _, k := range tc.kinds {
						if !strings.Contains(rr.SkipReason, "the target refused to create the "+string(k)+" pool") {
							t.Errorf("%s is skip for %q, which does not name the refused %s pool", rr.ID, rr.SkipReason, k)
						}
					}
				case rr.Status != was.Status:
					t.Errorf("%s is %s, and %s on the same target creating every pool", rr.ID, rr.Status, was.Status)
				}
			}
			if !slices.Equal(skipped, tc.skips) {
				t.Errorf("rules skip for the refusal: %v, want %v", skipped, tc.skips)
			}
			if ids := emu.PoolIDs(); len(ids) != 0 {
				t.Errorf("the run left %d pools: %v", len(ids), ids)
			}
		})
	}
}

// TestRefusedDefaultPoolIsSetupError: a target that will not create the
// default pool cannot be tested at all.
func TestRefusedDefaultPoolIsSetupError(t *testing.T) {
	t.Parallel()
	target := harness.WrapTarget(harness.Handler(emulator.New()), rewriter{before: refuseOTPFirst(true)}.wrap)
	rep, err := harness.Run(context.Background(), target)
	if !errors.Is(err, harness.ErrSetup) || !strings.Contains(err.Error(), m23) {
		t.Fatalf("Run = %v, %v; want a setup error with the target's answer", rep, err)
	}
}
