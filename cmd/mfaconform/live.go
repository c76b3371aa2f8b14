package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"

	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/internal/config"
)

// liveUsage is the part of a live command's usage its errors repeat.
const liveUsage = "--region R --allow-account ID[,ID...]"

// given reports whether a flag was set, on the command line or by its
// environment twin.
func given(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// awsConfig loads the SDK's default configuration (credential chain,
// AWS_PROFILE, AWS_ENDPOINT_URL...) for a live command's region, which
// must be given explicitly: the flag's default is for emulators.
func awsConfig(ctx context.Context, fs *flag.FlagSet, s *config.Settings) (aws.Config, error) {
	if !given(fs, "region") {
		return aws.Config{}, fmt.Errorf("writing to AWS needs an explicit --region (or %s): %s", config.EnvName("region"), liveUsage)
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(s.Region))
	if err != nil {
		return aws.Config{}, fmt.Errorf("loading the AWS configuration: %w", err)
	}
	return cfg, nil
}

// liveTarget makes a run a live one: its flags become harness.Live's
// options (the guard, the marks, the rate and the budget are the
// library's), and the plan is printed on stderr before anything is
// written. The returned status is for the caller to return when ok is
// false.
func liveTarget(ctx context.Context, fs *flag.FlagSet, s *config.Settings, stderr io.Writer) (harness.Target, int, bool) {
	const cmd = "mfaconform run"
	fail := func(err error) (harness.Target, int, bool) {
		fmt.Fprintf(stderr, "%s: %v\n", cmd, oneLine(err))
		return nil, exitSetup, false
	}
	if s.Endpoint != "" {
		return fail(errors.New("--live and --endpoint exclude each other: --live runs against AWS, --endpoint against an emulator"))
	}
	var opts []harness.LiveOption
	if given(fs, "rate") {
		opts = append(opts, harness.LiveRate(s.Rate))
	}
	if given(fs, "max-calls") {
		opts = append(opts, harness.LiveMaxCalls(s.MaxCalls))
	}
	if s.Fixtures != "" {
		opts = append(opts, harness.LiveWorld(s.World))
	}
	awsCfg, err := awsConfig(ctx, fs, s)
	if err != nil {
		return fail(err)
	}
	t, err := harness.Live(ctx, awsCfg, s.AllowAccounts, opts...)
	if err != nil {
		return fail(err)
	}
	s.World = t.World()
	fmt.Fprintf(stderr, "%s: %s\n", cmd, t.Plan())
	return t, exitOK, true
}
