package harness_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	awsconfig "github.com/aws/aws-sdk-go-v2/config"

	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/harness/live"
)

// countingListener is a loopback port that counts the connections made to
// it and answers none: where a refused live target must send nothing.
func countingListener(t *testing.T) (url string, conns *atomic.Int64) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	conns = new(atomic.Int64)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			c.Close()
		}
	}()
	return "http://" + ln.Addr().String(), conns
}

// TestLiveRefusesBeforeWriting: harness.Live, the only way to a live
// target, refuses with no allowlist, with a rate or budget that is no
// bound (0, or a rate so slow it once wrapped into none), and with an STS
// endpoint apart from the endpoints the writes go to. None of them sends
// a call anywhere: the options and the endpoints are checked before the
// guard asks STS.
func TestLiveRefusesBeforeWriting(t *testing.T) {
	url, conns := countingListener(t)
	other, otherConns := countingListener(t)
	for _, tc := range []struct {
		name  string
		env   map[string]string
		allow []string
		opts  []harness.LiveOption
		want  error
	}{
		{"no allowlist", nil, nil, nil, live.ErrNoAllowlist},
		{"rate 0", nil, []string{"111122223333"}, []harness.LiveOption{harness.LiveRate(0)}, harness.ErrOption},
		{"rate 1e-10", nil, []string{"111122223333"}, []harness.LiveOption{harness.LiveRate(1e-10)}, harness.ErrOption},
		{"budget 0", nil, []string{"111122223333"}, []harness.LiveOption{harness.LiveMaxCalls(0)}, harness.ErrOption},
		{"STS apart", map[string]string{"AWS_ENDPOINT_URL_STS": other}, []string{"111122223333"}, nil, new(live.EndpointError)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, kv := range os.Environ() {
				if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "AWS_") {
					t.Setenv(k, "")
					os.Unsetenv(k)
				}
			}
			for k, v := range map[string]string{"AWS_CONFIG_FILE": os.DevNull, "AWS_SHARED_CREDENTIALS_FILE": os.DevNull,
				"AWS_ACCESS_KEY_ID": "AKIDMFACONFORMFAKE00", "AWS_SECRET_ACCESS_KEY": "fake", "AWS_ENDPOINT_URL": url} {
				t.Setenv(k, v)
			}
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			cfg, err := awsconfig.LoadDefaultConfig(context.Background(), awsconfig.WithRegion("eu-west-1"))
			if err != nil {
				t.Fatal(err)
			}
			lt, err := harness.Live(context.Background(), cfg, tc.allow, tc.opts...)
			var ee *live.EndpointError
			if _, endpoint := tc.want.(*live.EndpointError); endpoint && !errors.As(err, &ee) || !endpoint && !errors.Is(err, tc.want) {
				t.Errorf("Live = %v, %v; want %v", lt, err, tc.want)
			}
			if n := conns.Load() + otherConns.Load(); n != 0 {
				t.Errorf("%d connections were made", n)
			}
		})
	}
}

// TestTooSlowRateRefused: a rate under one call every 100 seconds is
// refused by WithRate: 1e-10 once wrapped into no bound at all and a
// cleanup whose time had already run out.
func TestTooSlowRateRefused(t *testing.T) {
	target := harness.Reference(nil)
	defer target.Close()
	for _, r := range []float64{1e-10, 0.001, -1} {
		if _, err := harness.Run(context.Background(), target, harness.WithRate(r)); !errors.Is(err, harness.ErrOption) {
			t.Errorf("WithRate(%g): %v, want ErrOption", r, err)
		}
	}
}

// TestLiveTargetOnlyFromLive: a LiveTarget that Live did not make (its
// zero value) passed no guard, and Run refuses it before sending
// anything.
func TestLiveTargetOnlyFromLive(t *testing.T) {
	for _, target := range []harness.Target{&harness.LiveTarget{}, harness.WrapTarget(&harness.LiveTarget{}, func(rt http.RoundTripper) http.RoundTripper { return rt })} {
		if _, err := harness.Run(context.Background(), target); !errors.Is(err, harness.ErrSetup) {
			t.Errorf("Run of a LiveTarget's zero value: %v, want ErrSetup", err)
		}
	}
}
