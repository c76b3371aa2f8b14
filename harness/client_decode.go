package harness

import (
	"context"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/smithy-go/middleware"
)

// The judge reads every answer from the bytes the capturing transport
// kept (judge.Exchange), never from the SDK's typed output: on the calls
// whose output the runner drops, the SDK's own decoding of the answer
// (a second JSON parse of every body, and most of a call's garbage) is
// replaced by an empty output. The request is still built, signed and
// sent by the SDK, and fixture calls, whose outputs are read, decode as
// usual.
type skipDecode struct{ empty func() any }

func (skipDecode) ID() string { return "OperationDeserializer" }

func (s skipDecode) HandleDeserialize(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (
	middleware.DeserializeOutput, middleware.Metadata, error) {
	out, md, err := next.HandleDeserialize(ctx, in)
	if err != nil {
		return out, md, err
	}
	out.Result = s.empty()
	return out, md, nil
}

// undecoded is the per-call option that installs skipDecode for an
// operation whose output is the empty value empty returns.
func undecoded(empty func() any) func(*cip.Options) {
	swap := func(s *middleware.Stack) error {
		_, err := s.Deserialize.Swap("OperationDeserializer", skipDecode{empty: empty})
		return err
	}
	return func(o *cip.Options) { o.APIOptions = append(o.APIOptions, swap) }
}

var (
	undecodedSet      = undecoded(func() any { return &cip.SetUserPoolMfaConfigOutput{} })
	undecodedGet      = undecoded(func() any { return &cip.GetUserPoolMfaConfigOutput{} })
	undecodedDescribe = undecoded(func() any { return &cip.DescribeUserPoolOutput{} })
	undecodedDelete   = undecoded(func() any { return &cip.DeleteUserPoolOutput{} })
)
