package harness_test

import (
	"context"
	"net/http/httptest"
	"sync"
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

func BenchmarkDefaultRun(b *testing.B) { benchRun(b, 4) }

// BenchmarkDefaultRunSequential is the like-for-like comparison with
// BenchmarkBareSDK: one worker, one call at a time.
func BenchmarkDefaultRunSequential(b *testing.B) { benchRun(b, 1) }

func benchRun(b *testing.B, parallel int) {
	var calls int64
	var elapsed time.Duration
	for b.Loop() {
		target := harness.Reference(contracts.DefaultWorld())
		start := time.Now()
		rep, err := harness.Run(context.Background(), target, harness.WithParallel(parallel))
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

func BenchmarkBareSDK(b *testing.B) { benchBare(b, 1) }

// BenchmarkBareSDKParallel matches the default run's 4 workers.
func BenchmarkBareSDKParallel(b *testing.B) { benchBare(b, 4) }

func benchBare(b *testing.B, parallel int) {
	var calls int64
	var elapsed time.Duration
	for b.Loop() {
		srv := httptest.NewServer(emulator.New(emulator.WithWorld(contracts.DefaultWorld())))
		c := cip.New(cip.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
			Credentials: credentials.NewStaticCredentialsProvider("AKIDBENCH", "bench-secret", ""),
			Retryer:     aws.NopRetryer{}, HTTPClient: srv.Client()})
		ctx := context.Background()
		start := time.Now()
		var wg sync.WaitGroup
		errs := make(chan error, parallel)
		for w := 0; w < parallel; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				out, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("bench")})
				if err != nil {
					errs <- err
					return
				}
				id := out.UserPool.Id
				for i := int64(1 + w); i < defaultRunCalls; i += int64(parallel) {
					if i%2 == 1 {
						_, err = c.GetUserPoolMfaConfig(ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: id})
					} else {
						_, err = c.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: id,
							MfaConfiguration:              types.UserPoolMfaTypeOptional,
							SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}})
					}
					if err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		if err := <-errs; err != nil {
			b.Fatal(err)
		}
		elapsed += time.Since(start)
		calls += defaultRunCalls
		srv.Close()
	}
	b.ReportMetric(float64(calls)/elapsed.Seconds(), "calls/s")
}
