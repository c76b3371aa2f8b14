package harness

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/fuzz"
	"github.com/mfaconform/mfaconform/internal/config"
	"github.com/mfaconform/mfaconform/internal/judge"
)

// BenchmarkBareSDKSameCases is the bare loop for the overhead ratio: the
// very requests of a default sequential run (same cases, same pools, same
// SDK client settings), sent with plain SDK calls and no judging, capture,
// state tracking or retries. BenchmarkDefaultRunSequential / this is the
// share of the time the harness leaves to the calls themselves.
func BenchmarkBareSDKSameCases(b *testing.B) {
	cases := fuzz.Cases(1, config.Default().Checks)
	var calls int64
	var elapsed time.Duration
	for b.Loop() {
		n, d := bareRun(b, cases)
		calls += n
		elapsed += d
	}
	b.ReportMetric(float64(calls)/elapsed.Seconds(), "calls/s")
}

// BenchmarkOverhead runs, in each iteration, a default run with one worker
// and the bare loop over the same cases, each against a fresh reference
// emulator, and reports both rates and their ratio (harness / bare): the
// share of the call rate the harness keeps. Interleaving the two keeps
// machine noise out of the ratio.
func BenchmarkOverhead(b *testing.B) {
	cases := fuzz.Cases(1, config.Default().Checks)
	var hCalls, bCalls int64
	var hTime, bTime time.Duration
	for b.Loop() {
		target := Reference(contracts.DefaultWorld())
		start := time.Now()
		rep, err := Run(context.Background(), target, WithParallel(1))
		hTime += time.Since(start)
		target.Close()
		if err != nil || !rep.Conforms() {
			b.Fatalf("the reference run failed: %v %v", err, rep.Failing())
		}
		hCalls += rep.Summary.Calls
		n, d := bareRun(b, cases)
		bCalls += n
		bTime += d
	}
	h, bare := float64(hCalls)/hTime.Seconds(), float64(bCalls)/bTime.Seconds()
	b.ReportMetric(h, "harness-calls/s")
	b.ReportMetric(bare, "bare-calls/s")
	b.ReportMetric(h/bare, "ratio")
}

func bareRun(b *testing.B, cases []fuzz.Case) (calls int64, elapsed time.Duration) {
	{
		target := Reference(contracts.DefaultWorld())
		c, hc := newClient(target, "us-east-1")
		ctx := context.Background()
		start := time.Now()
		pools := map[fuzz.PoolKind]string{}
		pool := func(k fuzz.PoolKind) string {
			if id, ok := pools[k]; ok {
				return id
			}
			spec := k.Spec()
			out, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("bench-" + string(k)),
				UserPoolTier: "ESSENTIALS"})
			calls++
			if err != nil {
				b.Fatal(err)
			}
			_ = spec
			pools[k] = *out.UserPool.Id
			return pools[k]
		}
		for _, cs := range cases {
			id := pool(cs.Pool)
			for _, s := range cs.Steps {
				pid := aws.String(id)
				switch s.Pool {
				case fuzz.PoolMissing:
					pid = aws.String("us-east-1_NoSuchPool0")
				case fuzz.PoolLiteral:
					if s.Set != nil {
						pid = s.Set.UserPoolId
					} else if s.Get != nil {
						pid = s.Get.UserPoolId
					}
				}
				calls++
				switch s.Op {
				case fuzz.OpSet:
					in := toSDKSet(s.Set)
					in.UserPoolId = pid
					_, _ = c.SetUserPoolMfaConfig(ctx, in)
				case fuzz.OpGet:
					_, _ = c.GetUserPoolMfaConfig(ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: pid})
				case fuzz.OpDescribe:
					_, _ = c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: pid})
				case fuzz.OpDelete:
					_, _ = c.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: pid})
					delete(pools, cs.Pool)
				case fuzz.OpRaw:
					var x judge.Exchange
					body := strings.ReplaceAll(string(s.Raw.Body), fuzz.PoolPlaceholder, id)
					sendRaw(ctx, hc, target.URL(), s.Raw.Target, s.Raw.ContentType, []byte(body), &x)
				}
			}
		}
		elapsed += time.Since(start)
		target.Close()
	}
	return calls, elapsed
}

// BenchmarkCallFloor is the bound on how much faster any run can be in
// process than over loopback: GetUserPoolMfaConfig through the run's SDK
// client and capturing transport, from four goroutines as the lanes send,
// to a handler that answers a constant, called in process and through a
// loopback server. A run adds the same judging and emulator work to both.
func BenchmarkCallFloor(b *testing.B) {
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contracts.ContentType)
		io.WriteString(w, `{"MfaConfiguration":"OFF"}`)
	})
	srv := httptest.NewServer(h)
	defer srv.Close()
	loop, err := Endpoint(srv.URL)
	if err != nil {
		b.Fatal(err)
	}
	defer loop.Close()
	const calls = 2000
	per := func(t Target) time.Duration {
		c, _ := newClient(t, "us-east-1")
		start := time.Now()
		var wg sync.WaitGroup
		for range config.Lanes {
			wg.Go(func() {
				for range calls / config.Lanes {
					var x judge.Exchange
					if _, err := sdkCall(context.Background(), c, contracts.OpGetUserPoolMfaConfig, aws.String("us-east-1_floor"), nil, &x); err != nil || x.Status != 200 {
						b.Errorf("call: %v, status %d", err, x.Status)
						return
					}
				}
			})
		}
		wg.Wait()
		return time.Since(start) / calls
	}
	var inProcess, loopback time.Duration
	for b.Loop() {
		inProcess += per(Handler(h))
		loopback += per(loop)
	}
	n := time.Duration(b.N)
	b.ReportMetric(float64((inProcess / n).Microseconds()), "in-process-µs/call")
	b.ReportMetric(float64((loopback / n).Microseconds()), "loopback-µs/call")
	b.ReportMetric(loopback.Seconds()/inProcess.Seconds(), "loopback/in-process")
}
