package live

import (
	"context"
	"slices"

	"github.com/aws/smithy-go/middleware"
)

// gated returns the APIOptions that make every attempt of a client's calls
// (retries included) first pass gate: the run's token bucket and budget.
func gated(apiOptions []func(*middleware.Stack) error, gate func(context.Context) error) []func(*middleware.Stack) error {
	if gate == nil {
		return apiOptions
	}
	return append(slices.Clip(apiOptions), func(s *middleware.Stack) error {
		return s.Finalize.Add(middleware.FinalizeMiddlewareFunc("mfaconformGate",
			func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
				if err := gate(ctx); err != nil {
					return middleware.FinalizeOutput{}, middleware.Metadata{}, err
				}
				return next.HandleFinalize(ctx, in)
			}), middleware.After)
	})
}
