package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/google/go-cmp/cmp"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/internal/clitest"
)

// startServe runs run(args) in a goroutine and returns the URL it prints
// first and a channel with its exit status.
func startServe(t *testing.T, run func(args []string, stdout, stderr io.Writer) int, args ...string) (string, <-chan int, *clitest.Buffer) {
	t.Helper()
	pr, pw := io.Pipe()
	stderr := &clitest.Buffer{}
	done := make(chan int, 1)
	go func() {
		code := run(args, pw, stderr)
		pw.Close()
		done <- code
	}()
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		if sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		io.Copy(io.Discard, pr)
	}()
	select {
	case line, ok := <-lines:
		if !ok {
			t.Fatalf("serve printed nothing; stderr %q", stderr.String())
		}
		m := regexp.MustCompile(`^listening on (http://127\.0\.0\.1:(\d+))$`).FindStringSubmatch(line)
		if m == nil || m[2] == "0" {
			t.Fatalf("first line %q, want listening on http://127.0.0.1:<port>", line)
		}
		return m[1], done, stderr
	case code := <-done:
		t.Fatalf("serve exited %d before listening; stderr %q", code, stderr.String())
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not print its address in 10s")
	}
	return "", nil, nil
}

func sdkAt(url string) *cip.Client {
	return cip.New(cip.Options{Region: "us-east-1", BaseEndpoint: aws.String(url), RetryMaxAttempts: 1,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIDMFACONFORM", SecretAccessKey: "fake"}, nil
		})})
}

func waitExit(t *testing.T, done <-chan int, stderr *clitest.Buffer) {
	t.Helper()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("exit %d, want 0; stderr %q", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop in 10s")
	}
}

func TestServeSIGTERM(t *testing.T) {
	url, done, stderr := startServe(t, cmdServe, "--addr", "127.0.0.1:0")
	c := sdkAt(url)
	ctx := context.Background()
	out, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("serve")})
	if err != nil {
		t.Fatalf("CreateUserPool: %v", err)
	}
	set, err := c.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: out.UserPool.Id,
		MfaConfiguration: types.UserPoolMfaTypeOptional, SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}})
	if err != nil {
		t.Fatalf("SetUserPoolMfaConfig: %v", err)
	}
	if set.MfaConfiguration != types.UserPoolMfaTypeOptional || set.SoftwareTokenMfaConfiguration == nil {
		t.Errorf("Set answered %+v", set)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waitExit(t, done, stderr)
	if _, err := c.GetUserPoolMfaConfig(ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: out.UserPool.Id}); err == nil {
		t.Error("the server still answers after shutdown")
	}
}

func TestServeFixturesAndCancel(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "world.json")
	os.WriteFile(path, []byte(`{"region":"eu-west-1","roles":[{"arn":"arn:aws:iam::123456789012:role/sms","trustsCognito":false,"canPublish":true}],
		"pools":[{"id":"eu-west-1_Fixture1","tier":"ESSENTIALS","emailSendingAccount":"DEVELOPER","firstAuthFactors":["PASSWORD"]}]}`), 0o600)
	t.Setenv("MFACONFORM_FIXTURES", path)
	t.Setenv("MFACONFORM_ADDR", "127.0.0.1:0")
	ctx, cancel := context.WithCancel(context.Background())
	run := func(args []string, stdout, stderr io.Writer) int { return serve(ctx, args, stdout, stderr) }
	url, done, stderr := startServe(t, run)
	// Signed for the world's region, where its pools live.
	c := cip.New(sdkAt(url).Options(), func(o *cip.Options) { o.Region = "eu-west-1" })
	_, err := c.SetUserPoolMfaConfig(context.Background(), &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String("eu-west-1_Fixture1"),
		MfaConfiguration: types.UserPoolMfaTypeOptional, SmsMfaConfiguration: &types.SmsMfaConfigType{SmsConfiguration: &types.SmsConfigurationType{
			SnsCallerArn: aws.String("arn:aws:iam::123456789012:role/sms"), ExternalId: aws.String("x")}}})
	var trust *types.InvalidSmsRoleTrustRelationshipException
	if !errors.As(err, &trust) {
		t.Errorf("the fixture role does not trust cognito-idp, yet Set answered %v", err)
	}
	cancel()
	waitExit(t, done, stderr)
}

func TestServeSetupErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"region":"us-east-1","roles":[{"arn":"not an arn"}]}`), 0o600)
	unknown := filepath.Join(dir, "unknown.json")
	os.WriteFile(unknown, []byte(`{"region":"us-east-1","colour":"blue"}`), 0o600)
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"missing fixtures file", []string{"--fixtures", filepath.Join(dir, "none.json")}, "no such file"},
		{"fixtures with a bad role", []string{"--fixtures", bad}, "is not an ARN"},
		{"fixtures with an unknown field", []string{"--fixtures", unknown}, "unknown field"},
		{"address in use", []string{"--addr", busy.Addr().String()}, "address already in use"},
		{"address without port", []string{"--addr", "127.0.0.1"}, "missing port"},
		{"unknown flag", []string{"--port", "1"}, "flag provided but not defined"},
		{"extra argument", []string{"now"}, `unexpected argument "now"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := serve(context.Background(), tc.args, &stdout, &stderr)
			if code != exitSetup {
				t.Errorf("exit %d, want 2", code)
			}
			msg := stderr.String()
			if strings.Count(msg, "\n") != 1 || !strings.HasPrefix(msg, "mfaconform serve: ") || !strings.Contains(msg, tc.want) {
				t.Errorf("stderr %q, want one line with %q", msg, tc.want)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout %q, want nothing", stdout.String())
			}
		})
	}
}

// TestFixturesDocExample keeps docs/fixtures.md's example equal to the
// default world.
func TestFixturesDocExample(t *testing.T) {
	doc, err := os.ReadFile("../../docs/fixtures.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```json\n(.*?)```").FindSubmatch(doc)
	if m == nil {
		t.Fatal("docs/fixtures.md has no ```json example")
	}
	w, err := contracts.ReadWorld(bytes.NewReader(m[1]))
	if err != nil {
		t.Fatalf("the example does not read: %v", err)
	}
	if d := cmp.Diff(contracts.DefaultWorld(), w); d != "" {
		t.Errorf("example differs from contracts.DefaultWorld() (-want +got):\n%s", d)
	}
}
