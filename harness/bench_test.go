package harness_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/harness/emulator"
)

// defaultRunCalls is the calls of a default run, measured once, so that
// BenchmarkBareSDK sends the same number.
var defaultRunCalls int64 = 1086

func BenchmarkDefaultRun(b *testing.B) {
	var calls int64
	var elapsed time.Duration
	for b.Loop() {
		target := harness.Reference(contracts.DefaultWorld())
		start := time.Now()
		rep, err := harness.Run(context.Background(), target)
		elapsed += time.Since(start)
		target.Close()
		if err != nil {
			b.Fatal(err)
		}
		if !rep.Conforms() {
			b.Fatalf("the reference does not conform: %v", rep.Failing())
		}
		calls += rep.Summary.Calls
		defaultRunCalls = rep.Summary.Calls
	}
	b.ReportMetric(float64(calls)/elapsed.Seconds(), "calls/s")
}

func BenchmarkBareSDK(b *testing.B) {
	var calls int64
	var elapsed time.Duration
	for b.Loop() {
		srv := httptest.NewServer(emulator.New(emulator.WithWorld(contracts.DefaultWorld())))
		c := cip.New(cip.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
			Credentials: credentials.NewStaticCredentialsProvider("AKIDBENCH", "bench-secret", ""),
			Retryer:     aws.NopRetryer{}, HTTPClient: srv.Client()})
		ctx := context.Background()
		start := time.Now()
		out, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("bench")})
		if err != nil {
			b.Fatal(err)
		}
		id := out.UserPool.Id
		for i := int64(1); i < defaultRunCalls; i++ {
			if i%2 == 1 {
				_, err = c.GetUserPoolMfaConfig(ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: id})
			} else {
				_, err = c.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: id,
					MfaConfiguration:              types.UserPoolMfaTypeOptional,
					SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}})
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		elapsed += time.Since(start)
		calls += defaultRunCalls
		srv.Close()
	}
	b.ReportMetric(float64(calls)/elapsed.Seconds(), "calls/s")
}
