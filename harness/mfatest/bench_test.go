package mfatest

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/mfaconform/mfaconform/fuzz"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/harness/emulator"
)

// BenchmarkTestHandler compares TestHandler's run against the reference
// emulator in process (no socket) with the same run over loopback HTTP
// (TestEndpoint against an httptest server), iteration by iteration so
// that machine noise falls on both alike, and reports the ratio.
func BenchmarkTestHandler(b *testing.B) {
	var inProcess, loopback time.Duration
	for b.Loop() {
		start := time.Now()
		r := newRecorder("BenchmarkTestHandler")
		testTarget(r, harness.Handler(emulator.New()), nil)
		inProcess += time.Since(start)

		start = time.Now()
		srv := httptest.NewServer(emulator.New())
		target, err := harness.Endpoint(srv.URL)
		if err != nil {
			b.Fatal(err)
		}
		r2 := newRecorder("BenchmarkTestHandler")
		testTarget(r2, target, nil)
		target.Close()
		srv.Close()
		loopback += time.Since(start)
		if len(r.Failed())+len(r2.Failed()) > 0 {
			b.Fatalf("the reference fails:\n%s%s", r.Output(), r2.Output())
		}
	}
	n := float64(b.N)
	b.ReportMetric(inProcess.Seconds()*1000/n, "in-process-ms/run")
	b.ReportMetric(loopback.Seconds()*1000/n, "loopback-ms/run")
	b.ReportMetric(loopback.Seconds()/inProcess.Seconds(), "loopback/in-process")
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
