package integration

import (
	"bytes"
	"context"
	"errors"
	"io"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/harness/live"
)

// The live mode's safety, tested against moto as if it were AWS (it
// serves cognito-idp, iam and sts on one port). Never real AWS: every
// child's endpoint is a loopback URL and its credentials are fake.

// TestLiveRefusesOtherAccounts: a live run or sweep whose allowlist does
// not hold the credentials' account, or that has no allowlist, no
// explicit region, an --endpoint too, no bound (a rate or budget of 0, a
// rate too slow to keep), or an STS endpoint apart from the endpoints the
// writes go to, exits 2 with one line on stderr (naming the account when
// STS was asked, the endpoints when they differ), and writes nothing: the
// only call that reaches the account is STS GetCallerIdentity, and moto
// has no pool and no role afterwards.
func TestLiveRefusesOtherAccounts(t *testing.T) {
	moto := startEmulator(t, "moto")
	px := startProxy(t, moto, 0)
	a := motoClients(moto)
	ours := []string{"run", "--live", "--region", "us-east-1", "--allow-account", motoAccount}
	for _, tc := range []struct {
		name  string
		args  []string
		env   []string
		asked bool   // STS was asked whose the credentials are
		line  string // what the one line says
	}{
		{"another account", []string{"run", "--live", "--region", "us-east-1", "--allow-account", "111122223333"}, nil, true, motoAccount},
		{"another account, by the twin", []string{"run", "--live", "--region", "us-east-1"},
			[]string{"MFACONFORM_ALLOW_ACCOUNTS=111122223333,444455556666"}, true, motoAccount},
		{"empty allowlist", []string{"run", "--live", "--region", "us-east-1"}, nil, false, "--allow-account"},
		{"empty twin", []string{"run", "--live", "--region", "us-east-1"}, []string{"MFACONFORM_ALLOW_ACCOUNTS="}, false, "--allow-account"},
		{"no region", []string{"run", "--live", "--allow-account", motoAccount}, nil, false, "--region"},
		{"with --endpoint", []string{"run", "--live", "--region", "us-east-1", "--allow-account", motoAccount, "--endpoint", moto}, nil, false, "--endpoint"},
		{"sweep, another account", []string{"sweep", "--region", "us-east-1", "--allow-account", "111122223333"}, nil, true, motoAccount},
		{"sweep, empty allowlist", []string{"sweep", "--region", "us-east-1"}, nil, false, "--allow-account"},
		// No bound: a live command always has a rate and a budget, and
		// --rate 0 means the same to run --live and to sweep.
		{"rate 0", append(ours, "--rate", "0"), nil, false, "LiveRate(0)"},
		{"rate 1e-10", append(ours, "--rate", "1e-10"), nil, false, "LiveRate(1e-10)"},
		{"rate 0 by the twin", ours, []string{"MFACONFORM_RATE=0"}, false, "LiveRate(0)"},
		{"max-calls 0", append(ours, "--max-calls", "0"), nil, false, "LiveMaxCalls(0)"},
		{"sweep, rate 0", []string{"sweep", "--region", "us-east-1", "--allow-account", motoAccount, "--rate", "0"}, nil, false, "Rate 0"},
		{"sweep, rate 1e-10", []string{"sweep", "--region", "us-east-1", "--allow-account", motoAccount, "--rate", "1e-10"}, nil, false, "Rate 1e-10"},
		// STS asked elsewhere (moto itself, past the proxy) than where the
		// writes go (the proxy): it would vouch for an unchecked endpoint.
		{"STS apart", append(ours, "--rate", "50", "--max-calls", "60"), []string{"AWS_ENDPOINT_URL_STS=" + moto}, false, "STS at " + moto},
		{"sweep, STS apart", []string{"sweep", "--region", "us-east-1", "--allow-account", motoAccount}, []string{"AWS_ENDPOINT_URL_STS=" + moto}, false, "STS at " + moto},
		{"cognito-idp apart", append(ours, "--rate", "50", "--max-calls", "60"), []string{"AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER=" + moto}, false, "cognito-idp at " + moto},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(px.snapshot())
			c := runLive(t, px.URL, tc.env, tc.args...)
			if c.code != 2 {
				t.Errorf("exit %d, want 2; stderr:\n%s", c.code, c.stderr.String())
			}
			lines := strings.Split(strings.TrimSpace(c.stderr.String()), "\n")
			if len(lines) != 1 || !strings.Contains(lines[0], tc.line) {
				t.Errorf("stderr %q, want one line naming %q", c.stderr.String(), tc.line)
			}
			calls := px.snapshot()[before:]
			want := 0
			if tc.asked {
				want = 1
			}
			if len(calls) != want || (want == 1 && calls[0].action != "GetCallerIdentity") {
				t.Errorf("calls that reached the account: %+v; want only STS GetCallerIdentity: %v", calls, tc.asked)
			}
		})
	}
	if pools, roles := a.state(t); len(pools)+len(roles) > 0 {
		t.Errorf("refused commands left pools %v and roles %v", pools, roles)
	}
}

// TestLiveEndings: whatever way a live run ends, nothing of it is left
// afterwards, and nothing that it did not make is touched: a normal run
// (recorded, and its recording holds no trace of the account and replays),
// a run interrupted with SIGINT mid-run, and a run killed with SIGKILL
// followed by sweep (a dry run first, which deletes nothing). moto runs
// as account 111122223333, so that scrubbing has a real account to hide.
func TestLiveEndings(t *testing.T) {
	const acct = "111122223333"
	t.Setenv("MOTO_ACCOUNT_ID", acct)
	moto := startEmulator(t, "moto")
	a := motoClients(moto)
	theirs := seedForeign(t, a)
	dir := t.TempDir()
	live := []string{"run", "--live", "--region", "us-east-1", "--allow-account", acct}

	t.Run("normal", func(t *testing.T) {
		cassette, report := filepath.Join(dir, "live.yaml"), filepath.Join(dir, "live.json")
		c := runLive(t, moto, nil, append(live, "--rate", "200", "--max-calls", "600", "--record", cassette, "--report", "json="+report)...)
		if c.code != 0 && c.code != 1 {
			t.Fatalf("exit %d, want 0 or 1; stderr:\n%s", c.code, c.stderr.String())
		}
		a.noneOfRun(t, c.runID(t), "after a normal run")
		theirs.intact(t, a, "after a normal run")
		for _, f := range []string{cassette, report} {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(b), acct) {
				t.Errorf("%s holds the account %s", filepath.Base(f), acct)
			}
		}
		if strings.Contains(c.stdout.String(), acct) {
			t.Errorf("the console report holds the account %s", acct)
		}
		if rp := runLive(t, moto, nil, "replay", cassette); rp.code != 0 && rp.code != 1 {
			t.Errorf("replay of the live recording: exit %d; stderr:\n%s", rp.code, rp.stderr.String())
		}
	})

	t.Run("SIGINT", func(t *testing.T) {
		c := startLive(t, moto, nil, append(live, "--rate", "20")...)
		id := c.runID(t)
		waitFor(t, "the run's first pool", func() bool { p, _ := a.ofRun(t, id); return len(p) > 0 })
		time.Sleep(time.Second)
		c.signal(t, syscall.SIGINT)
		code := c.wait(t, time.Minute)
		if code != 1 && code != 2 {
			t.Errorf("exit %d after SIGINT, want 1 or 2", code)
		}
		if strings.Contains(c.stderr.String(), "could not delete") {
			t.Errorf("the interrupted run says it left something:\n%s", c.stderr.String())
		}
		a.noneOfRun(t, id, "after SIGINT")
		theirs.intact(t, a, "after SIGINT")
	})

	t.Run("SIGKILL then sweep", func(t *testing.T) {
		c := startLive(t, moto, nil, append(live, "--rate", "20")...)
		id := c.runID(t)
		waitFor(t, "the run's roles and first pool", func() bool { p, r := a.ofRun(t, id); return len(p) > 0 && len(r) == 3 })
		c.signal(t, syscall.SIGKILL)
		c.wait(t, 10*time.Second)
		time.Sleep(time.Second) // moto finishes the calls the child had in flight
		pools, roles := a.ofRun(t, id)
		if len(pools) == 0 || len(roles) != 3 {
			t.Fatalf("a killed run left pools %v and roles %v; the test needs some of each", pools, roles)
		}
		sweep := []string{"sweep", "--region", "us-east-1", "--allow-account", acct}
		dry := runLive(t, moto, nil, append(sweep, "--dry-run")...)
		if dry.code != 0 || !strings.Contains(dry.stdout.String(), "would delete") {
			t.Errorf("sweep --dry-run: exit %d\n%s%s", dry.code, dry.stdout.String(), dry.stderr.String())
		}
		if p, r := a.ofRun(t, id); len(p) != len(pools) || len(r) != len(roles) {
			t.Errorf("sweep --dry-run deleted something: pools %v -> %v, roles %v -> %v", pools, p, roles, r)
		}
		s := runLive(t, moto, nil, sweep...)
		if s.code != 0 {
			t.Errorf("sweep: exit %d\n%s%s", s.code, s.stdout.String(), s.stderr.String())
		}
		a.noneOfRun(t, id, "after SIGKILL and sweep")
		theirs.intact(t, a, "after sweep")
	})
}

// TestLiveBudgetAndRate: with --max-calls 300 and --rate 25, the calls
// that reach the account besides the account guard and the cleanup never
// exceed 300, the report says the budget ended the run, and over the run
// (set-up, cases and cleanup) the calls per second, measured where they
// reach the account, are within 10% of 25. (The rate is one moto keeps up
// with on a busy machine: a target slower than the rate is slower.)
func TestLiveBudgetAndRate(t *testing.T) {
	const budget, perSecond = 300, 25.0
	moto := startEmulator(t, "moto")
	a := motoClients(moto)
	a.state(t) // moto loads each service on its first call: not the run's time
	px := startProxy(t, moto, 0)
	report := filepath.Join(t.TempDir(), "r.json")
	c := runLive(t, px.URL, nil, "run", "--live", "--region", "us-east-1", "--allow-account", motoAccount,
		"--rate", "25", "--max-calls", "300", "--report", "json="+report)
	if c.code != 0 && c.code != 1 {
		t.Fatalf("exit %d; stderr:\n%s", c.code, c.stderr.String())
	}
	rep := readReport(t, report)
	calls := px.snapshot()
	if len(calls) == 0 || calls[0].action != "GetCallerIdentity" {
		t.Fatalf("the first call was not the account guard's: %+v", calls[:min(len(calls), 1)])
	}
	run := calls[1:]
	if n := int64(len(run)) - rep.Summary.CleanupCalls; n > budget {
		t.Errorf("%d calls besides the guard and the cleanup's %d, over --max-calls %d", n, rep.Summary.CleanupCalls, budget)
	}
	if rep.Summary.Calls > budget {
		t.Errorf("the report counts %d calls, over --max-calls %d", rep.Summary.Calls, budget)
	}
	if rep.EndedBy != "budget" {
		t.Errorf("ended_by %q, want budget", rep.EndedBy)
	}
	got := float64(len(run)-1) / run[len(run)-1].at.Sub(run[0].at).Seconds()
	// The bound is what a rate promises: never faster. How close to it a
	// run comes depends on the machine's load (the figure is logged).
	if got > perSecond*1.1 || got < perSecond/2 {
		t.Errorf("%d calls at %.1f calls/s, want at most %.0f (+10%%) and at least half of it", len(run), got, perSecond)
	}
	t.Logf("%d calls (%d of the run, %d of the cleanup) at %.1f calls/s; --rate %.0f, --max-calls %d",
		len(run), rep.Summary.Calls, rep.Summary.CleanupCalls, got, perSecond, budget)
	if pools, roles := a.state(t); len(pools)+len(roles) > 0 {
		t.Errorf("left pools %v and roles %v", pools, roles)
	}
}

// TestLiveWaitsForIAM: a proxy answers the first two uses of each new role
// with InvalidSmsRoleTrustRelationshipException, as AWS does while IAM
// spreads a role; the run waits it out before its first case, says how
// long, and reports no finding of that error.
func TestLiveWaitsForIAM(t *testing.T) {
	moto := startEmulator(t, "moto")
	px := startProxy(t, moto, 2)
	report := filepath.Join(t.TempDir(), "r.json")
	c := runLive(t, px.URL, nil, "run", "--live", "--region", "us-east-1", "--allow-account", motoAccount,
		"--rate", "200", "--max-calls", "800", "--report", "json="+report)
	if c.code != 0 && c.code != 1 {
		t.Fatalf("exit %d; stderr:\n%s", c.code, c.stderr.String())
	}
	rep := readReport(t, report)
	px.mu.Lock()
	refused := maps.Clone(px.refused)
	px.mu.Unlock()
	for _, suffix := range []string{"-sms", "-sms-nopublish"} {
		n := 0
		for arn, k := range refused {
			if strings.HasSuffix(arn, suffix) {
				n += k
			}
		}
		if n != 2 {
			t.Errorf("the proxy refused %d uses of the role *%s, want 2; refused %v", n, suffix, refused)
		}
	}
	if rep.Live == nil || rep.Live.IAMWaitS < 2.5 {
		t.Errorf("live %+v: want the wait for IAM (about 1s+2s per role) in the report", rep.Live)
	}
	for _, r := range rep.Rules {
		for _, f := range r.Failures {
			if f.Got.Error == "InvalidSmsRoleTrustRelationshipException" {
				t.Errorf("%s has a finding of the trust error the proxy sent while IAM was spreading", r.ID)
			}
		}
	}
	t.Logf("waited %.1fs for IAM", rep.Live.IAMWaitS)
}

// waitFor polls cond for at most 30 seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("no %s within 30s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestLiveFromGo: the library is as safe as the command line. A live
// target made with harness.Live (guard, marks, rate and budget) runs
// under its own budget even when the run's options ask for no bound, tags
// its pools with its run ID, deletes what it made, and runs once; a run
// that names another world is refused before it writes.
func TestLiveFromGo(t *testing.T) {
	moto := startEmulator(t, "moto")
	a := motoClients(moto)
	ctx := context.Background()
	cfg := aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(moto),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDMFACONFORMFAKE00", "fake", "")}
	if _, err := harness.Live(ctx, cfg, []string{"111122223333"}); !errors.As(err, new(*live.AccountError)) {
		t.Fatalf("Live for another account: %v, want *live.AccountError", err)
	}

	lt, err := harness.Live(ctx, cfg, []string{motoAccount}, harness.LiveMaxCalls(120), harness.LiveRate(200))
	if err != nil {
		t.Fatal(err)
	}
	defer lt.Close()
	if !strings.Contains(lt.Plan(), "at most 120 calls, 200 a second") {
		t.Errorf("plan %q does not say the budget and rate", lt.Plan())
	}
	if _, err := harness.Run(ctx, lt, harness.WithWorld(contracts.DefaultWorld())); !errors.Is(err, harness.ErrOption) {
		t.Errorf("a live run given another world: %v, want ErrOption", err)
	}
	if pools, roles := a.ofRun(t, lt.RunID()); len(pools)+len(roles) > 0 {
		t.Fatalf("a refused run wrote pools %v and roles %v", pools, roles)
	}

	lt, err = harness.Live(ctx, cfg, []string{motoAccount}, harness.LiveMaxCalls(120), harness.LiveRate(200))
	if err != nil {
		t.Fatal(err)
	}
	defer lt.Close()
	var tagged atomic.Int64
	watched := harness.WrapTarget(lt, func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".CreateUserPool") {
				body, _ := io.ReadAll(r.Body)
				r.Body = io.NopCloser(bytes.NewReader(body))
				if strings.Contains(string(body), `"mfaconform:run":"`+lt.RunID()+`"`) {
					tagged.Add(1)
				}
			}
			return next.RoundTrip(r)
		})
	})
	rep, err := harness.Run(ctx, watched, harness.WithRate(0), harness.WithMaxCalls(0))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Summary.Calls > 120 || rep.EndedBy != harness.EndedByBudget {
		t.Errorf("%d calls, ended by %q: the target's budget of 120 did not hold", rep.Summary.Calls, rep.EndedBy)
	}
	if rep.Live == nil || rep.Live.RunID != lt.RunID() || tagged.Load() == 0 {
		t.Errorf("report's live %+v, %d pools tagged with run %s", rep.Live, tagged.Load(), lt.RunID())
	}
	a.noneOfRun(t, lt.RunID(), "after a run from Go")
	if _, err := harness.Run(ctx, lt); !errors.Is(err, harness.ErrSetup) {
		t.Errorf("a second run of one live target: %v, want ErrSetup", err)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
