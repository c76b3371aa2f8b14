package mfatest

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/mfaconform/mfaconform/fuzz"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/harness/emulator"
	"github.com/mfaconform/mfaconform/internal/clitest"
)

// TestMain removes the command BenchmarkTestHandler builds (clitest).
func TestMain(m *testing.M) { clitest.Main(m) }

// BenchmarkTestHandler compares TestHandler's run against the reference
// emulator in process (no socket) with the same run over loopback HTTP,
// to two servers: the reference in the test's own process (TestEndpoint
// against an httptest server, which shares the process's scheduler and
// garbage collector with the run) and in a process of its own
// (mfaconform serve, as an emulator an author starts for TestEndpoint).
// Iteration by iteration, so that machine noise falls on all alike.
func BenchmarkTestHandler(b *testing.B) {
	_, serveURL := clitest.StartServe(b)
	var inProcess, loopback, serve time.Duration
	run := func(target harness.Target) {
		r := newRecorder("BenchmarkTestHandler")
		testTarget(r, target, nil)
		if len(r.Failed()) > 0 {
			b.Fatalf("the reference fails:\n%s", r.Output())
		}
	}
	endpoint := func(url string) harness.Target {
		t, err := harness.Endpoint(url)
		if err != nil {
			b.Fatal(err)
		}
		return t
	}
	for b.Loop() {
		start := time.Now()
		run(harness.Handler(emulator.New()))
		inProcess += time.Since(start)

		// The httptest server's start and stop count with its run.
		start = time.Now()
		srv := httptest.NewServer(emulator.New())
		target := endpoint(srv.URL)
		run(target)
		target.Close()
		srv.Close()
		loopback += time.Since(start)

		start = time.Now()
		target = endpoint(serveURL)
		run(target)
		target.Close()
		serve += time.Since(start)
	}
	n := float64(b.N)
	b.ReportMetric(inProcess.Seconds()*1000/n, "in-process-ms/run")
	b.ReportMetric(loopback.Seconds()*1000/n, "loopback-ms/run")
	b.ReportMetric(serve.Seconds()*1000/n, "serve-ms/run")
	b.ReportMetric(loopback.Seconds()/inProcess.Seconds(), "loopback/in-process")
	b.ReportMetric(serve.Seconds()/inProcess.Seconds(), "serve/in-process")
}

// BenchmarkFuzzCase is what one fuzz input costs once decoded: a random
// case judged on fresh pools of the reference emulator, as Fuzz runs it.
func BenchmarkFuzzCase(b *testing.B) {
	h := emulator.New()
	random := fuzz.NewRandom()
	i := 0
	for b.Loop() {
		r := newRecorder("FuzzReference")
		judgeCase(r, h, random.At(1, i), nil)
		if len(r.Failed()) > 0 {
			b.Fatalf("the reference fails:\n%s", r.Output())
		}
		i++
	}
}
