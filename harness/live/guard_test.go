package live

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/mfaconform/mfaconform/contracts"
)

// loadConfig is the SDK's default configuration under env alone: no
// config file, fake credentials. Nothing here sends a call.
func loadConfig(t *testing.T, env map[string]string) error {
	t.Helper()
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "AWS_") {
			t.Setenv(k, "")
			os.Unsetenv(k)
		}
	}
	t.Setenv("AWS_CONFIG_FILE", os.DevNull)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDMFACONFORMFAKE00")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "fake")
	for k, v := range env {
		t.Setenv(k, v)
	}
	cfg, err := awsconfig.LoadDefaultConfig(context.Background(), awsconfig.WithRegion("eu-west-1"))
	if err != nil {
		t.Fatal(err)
	}
	return sameEndpoint(cfg)
}

// TestGuardAsksWhereTheWritesGo: the guard passes a configuration whose
// STS, cognito-idp and IAM calls go to one place (the SDK's default for
// all three, or one URL for all), and refuses, naming each endpoint, one
// where an endpoint is given for some of them only: STS would then vouch
// for an account the writes do not go to.
func TestGuardAsksWhereTheWritesGo(t *testing.T) {
	const emu = "http://127.0.0.1:5000"
	for _, tc := range []struct {
		name string
		env  map[string]string
		ok   bool
	}{
		{"the default for all three", nil, true},
		{"one URL for all", map[string]string{"AWS_ENDPOINT_URL": emu}, true},
		{"one URL, spelled two ways", map[string]string{"AWS_ENDPOINT_URL": emu, "AWS_ENDPOINT_URL_STS": "HTTP://127.0.0.1:5000/"}, true},
		{"each service its own, the same place", map[string]string{"AWS_ENDPOINT_URL_STS": emu, "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER": emu, "AWS_ENDPOINT_URL_IAM": emu}, true},
		{"STS apart", map[string]string{"AWS_ENDPOINT_URL": emu, "AWS_ENDPOINT_URL_STS": "http://127.0.0.1:5001"}, false},
		{"STS only", map[string]string{"AWS_ENDPOINT_URL_STS": emu}, false},
		{"cognito-idp only", map[string]string{"AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER": emu}, false},
		{"IAM apart", map[string]string{"AWS_ENDPOINT_URL": emu, "AWS_ENDPOINT_URL_IAM": "https://iam.amazonaws.com"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := loadConfig(t, tc.env)
			var ee *EndpointError
			switch {
			case tc.ok && err != nil:
				t.Errorf("refused: %v", err)
			case !tc.ok && !errors.As(err, &ee):
				t.Errorf("passed, want an *EndpointError")
			case !tc.ok && !strings.Contains(err.Error(), "STS at") || !tc.ok && !strings.Contains(err.Error(), "nothing was written"):
				t.Errorf("message %q does not say where each goes", err)
			}
		})
	}
}

// TestUnguardedRunWritesNothing: a Run not made of an Identity that
// CheckAccount returned (a literal, or NewRun of one) provisions nothing:
// ErrNotGuarded, before any call.
func TestUnguardedRunWritesNothing(t *testing.T) {
	for _, run := range []Run{testRun, NewRun(Identity{Account: "111122223333", Partition: "aws"})} {
		w := run.World(contracts.DefaultWorld())
		roles := run.Roles(w)
		if len(roles.Planned()) == 0 {
			t.Fatal("no role planned: the test does not test")
		}
		if err := roles.Provision(context.Background(), nil); !errors.Is(err, ErrNotGuarded) {
			t.Errorf("Provision of an unguarded run: %v, want ErrNotGuarded", err)
		}
		if left := roles.Teardown(context.Background(), nil); len(left) != 0 {
			t.Errorf("Teardown of an unguarded run: %v", left)
		}
	}
}

// TestSweepRefusesNoBound: a sweep without a rate, or with one that is not
// a finite number of at least 0.01 a second, or with a negative age, is
// refused before the guard: nothing is sent (the configuration could
// reach nothing anyway).
func TestSweepRefusesNoBound(t *testing.T) {
	for _, o := range []SweepOptions{{}, {Rate: 1e-10}, {Rate: -1}, {Rate: 5, OlderThan: -1}} {
		guarded := false
		o.Guarded = func(Identity) { guarded = true }
		_, err := Sweep(context.Background(), awsConfig(), []string{"111122223333"}, o)
		if !errors.Is(err, ErrSweepOption) || guarded {
			t.Errorf("Sweep(%+v): %v (guard asked: %v), want ErrSweepOption before the guard", o, err, guarded)
		}
	}
	if _, err := Sweep(context.Background(), awsConfig(), nil, SweepOptions{Rate: 5}); !errors.Is(err, ErrNoAllowlist) {
		t.Errorf("Sweep without an allowlist: %v, want ErrNoAllowlist", err)
	}
}
