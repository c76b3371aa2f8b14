package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"

	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/harness/live"
	"github.com/mfaconform/mfaconform/internal/config"
)

// liveUsage is the part of a live command's usage its errors repeat.
const liveUsage = "--region R --allow-account ID[,ID...]"

// checkLive refuses a live command's settings before any call: no
// explicit region (the flag or its twin), no allowlist, a bad rate or
// budget.
func checkLive(fs *flag.FlagSet, s *config.Settings) error {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	switch {
	case !set["region"]:
		return fmt.Errorf("writing to AWS needs an explicit --region (or %s): %s", config.EnvName("region"), liveUsage)
	case len(s.AllowAccounts) == 0:
		return live.ErrNoAllowlist
	case s.Rate < 0 || s.MaxCalls < 0:
		return errors.New("--rate and --max-calls must not be below 0")
	}
	return nil
}

// awsAccount loads the SDK's default configuration (credential chain,
// AWS_PROFILE, AWS_ENDPOINT_URL...) for the region, and checks with STS,
// before anything is written, that the credentials are of an allowed
// account.
func awsAccount(ctx context.Context, s *config.Settings) (aws.Config, live.Identity, error) {
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(s.Region))
	if err != nil {
		return aws.Config{}, live.Identity{}, fmt.Errorf("loading the AWS configuration: %w", err)
	}
	id, err := live.CheckAccount(ctx, cfg, s.AllowAccounts)
	return cfg, id, err
}

// liveTarget makes a run a live one: it checks the settings and the
// account, sets the run's marks, rate, budget and account fixtures on s,
// and prints the plan on stderr. The returned status is for the caller to
// return when ok is false.
func liveTarget(ctx context.Context, fs *flag.FlagSet, s *config.Settings, stderr io.Writer) (harness.Target, int, bool) {
	const cmd = "mfaconform run"
	fail := func(err error) (harness.Target, int, bool) {
		fmt.Fprintf(stderr, "%s: %v\n", cmd, oneLine(err))
		return nil, exitSetup, false
	}
	if s.Endpoint != "" {
		return fail(errors.New("--live and --endpoint exclude each other: --live runs against AWS, --endpoint against an emulator"))
	}
	if err := checkLive(fs, s); err != nil {
		return fail(err)
	}
	if s.Fixtures != "" && s.World.Region != s.Region {
		return fail(fmt.Errorf("--fixtures %s is of region %s, the run of --region %s", s.Fixtures, s.World.Region, s.Region))
	}
	awsCfg, id, err := awsAccount(ctx, s)
	if err != nil {
		return fail(err)
	}
	run := live.NewRun(id, s.Region)
	s.World = run.World(s.World)
	roles := run.Roles(awsCfg, s.World)
	s.Account, s.RunID, s.PoolPrefix, s.PoolTags = roles, run.ID, run.PoolPrefix(), run.Tags()
	if s.Rate == 0 {
		s.Rate = config.LiveRate
	}
	if s.MaxCalls == 0 {
		s.MaxCalls = config.LiveMaxCalls
	}
	target, err := harness.Live(ctx, awsCfg)
	if err != nil {
		return fail(err)
	}
	fmt.Fprintf(stderr, "%s: %s\n", cmd, plan(s, id, run, roles.Planned()))
	return target, exitOK, true
}

// plan is the one line a live run prints before it writes anything: the
// account, region and run ID, what it creates, its budget and rate.
func plan(s *config.Settings, id live.Identity, run live.Run, roles []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "live run %s in account %s, region %s: creates user pools %s* tagged %s=%s (one per pool kind and lane, one per lifecycle case, one to wait for IAM)",
		run.ID, id.Account, run.Region, run.PoolPrefix(), live.TagRun, run.ID)
	if len(roles) > 0 {
		fmt.Fprintf(&b, " and IAM roles %s", strings.Join(roles, ", "))
	} else {
		fmt.Fprintf(&b, " and uses the SMS roles of %s", s.Fixtures)
	}
	b.WriteString(", all deleted at the end")
	if s.World.SESIdentity == "" {
		b.WriteString("; no SES identity in --fixtures, so pools are made without DEVELOPER email and the email rules skip them")
	}
	fmt.Fprintf(&b, "; at most %d calls, %g a second", s.MaxCalls, s.Rate)
	return b.String()
}
