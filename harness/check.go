package harness

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// RuleError is one failing rule of a Check: the rule's report, with its
// failures (the first, shrunk to a minimal request).
type RuleError struct {
	Rule RuleReport
}

func (e *RuleError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d of %d checked calls failed", e.Rule.ID, e.Rule.FailedCases, e.Rule.Checked)
	if len(e.Rule.Failures) > 0 {
		f := e.Rule.Failures[0]
		fmt.Fprintf(&b, "; %s %s: %s", f.Operation, compact(f.Request), f.Detail)
		if f.Reproduce != "" {
			fmt.Fprintf(&b, " (reproduce: %s)", f.Reproduce)
		}
	}
	return b.String()
}

// ErrLeftovers is wrapped by Check's error when the run could not delete
// pools (or a live run's roles) it created; they are named.
var ErrLeftovers = errors.New("the run left resources it created")

// Check runs the conformance run of Run and returns nil when the target
// conforms, or an error joining one *RuleError per failing rule (as
// testing/fstest.TestFS does), so that the command line and go test share
// one check. Resources the run could not delete are an error wrapping
// ErrLeftovers. A run that could not be made is an error wrapping ErrSetup;
// an interrupted run that found nothing is ctx's error.
func Check(ctx context.Context, target Target, opts ...Option) error {
	rep, err := Run(ctx, target, opts...)
	if err != nil {
		return err
	}
	var errs []error
	for _, rr := range rep.Rules {
		if rr.Status == StatusFail {
			errs = append(errs, &RuleError{Rule: rr})
		}
	}
	if len(rep.Leftovers) > 0 {
		errs = append(errs, fmt.Errorf("%w: %v", ErrLeftovers, rep.Leftovers))
	}
	if len(errs) == 0 && rep.Interrupted {
		return fmt.Errorf("interrupted before every case was judged: %w", context.Cause(ctx))
	}
	return errors.Join(errs...)
}
