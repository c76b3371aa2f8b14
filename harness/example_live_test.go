package harness_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/harness/live"
)

// A live run from Go: Live checks the options, then the account (the
// guard asks STS whose the credentials are, where the writes go), and the
// target carries the run's marks, roles, rate and budget into Run. Here
// the allowlist is empty, so nothing is asked and nothing is written.
func ExampleLive() {
	ctx := context.Background()
	cfg := aws.Config{Region: "eu-west-1", BaseEndpoint: aws.String("http://127.0.0.1:1"),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDMFACONFORMFAKE00", "fake", "")}
	target, err := harness.Live(ctx, cfg, nil, harness.LiveRate(5), harness.LiveMaxCalls(3000))
	if errors.Is(err, live.ErrNoAllowlist) {
		fmt.Println("refused: no account is allowed")
		return
	}
	if err != nil {
		fmt.Println(err)
		return
	}
	defer target.Close()
	fmt.Println(target.Plan())
	rep, err := harness.Run(ctx, target)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rep.Conforms())
	// Output: refused: no account is allowed
}
