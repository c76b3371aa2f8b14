package integration

import (
	"maps"
	"math"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The live mode's safety, tested against moto as if it were AWS (it
// serves cognito-idp, iam and sts on one port). Never real AWS: every
// child's endpoint is a loopback URL and its credentials are fake.

// TestLiveRefusesOtherAccounts: a live run or sweep whose allowlist does
// not hold the credentials' account, or that has no allowlist, no
// explicit region, or an --endpoint too, exits 2 with one line on stderr
// (naming the account when STS was asked), and writes nothing: the only
// call that reaches the account is STS GetCallerIdentity, and moto has no
// pool and no role afterwards.
func TestLiveRefusesOtherAccounts(t *testing.T) {
	moto := startEmulator(t, "moto")
	px := startProxy(t, moto, 0)
	a := motoClients(moto)
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
	if math.Abs(got-perSecond) > perSecond/10 {
		t.Errorf("%d calls at %.1f calls/s, want %.0f ±10%%", len(run), got, perSecond)
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
