package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/mfaconform/mfaconform/internal/clitest"
)

// Live mode is tested against moto's server, which serves cognito-idp, iam
// and sts on one port: the children get AWS_ENDPOINT_URL pointing at it
// (or at a proxy in front of it, on loopback too) and fake credentials,
// and nothing in their environment can reach anything else (no config
// file, no instance metadata).

// motoAccount is the account moto answers for unless told otherwise.
const motoAccount = "123456789012"

func TestMain(m *testing.M) { clitest.Main(m) }

// liveEnv is the environment of a live child: the test's own without
// any MFACONFORM_ or AWS_ setting, then the endpoint and fake credentials.
func liveEnv(endpoint string, extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "MFACONFORM_") && !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	return append(append(env, "AWS_ENDPOINT_URL="+endpoint, "AWS_ACCESS_KEY_ID=AKIDMFACONFORMFAKE00",
		"AWS_SECRET_ACCESS_KEY=mfaconform-fake-secret-key", "AWS_EC2_METADATA_DISABLED=true",
		"AWS_CONFIG_FILE="+os.DevNull, "AWS_SHARED_CREDENTIALS_FILE="+os.DevNull), extra...)
}

// liveChild is a started mfaconform process (clitest) under the names
// the live tests use; code is set by wait.
type liveChild struct {
	*clitest.Child
	stdout, stderr *clitest.Buffer
	code           int
}

func startLive(t *testing.T, endpoint string, env []string, args ...string) *liveChild {
	t.Helper()
	c := clitest.Start(t, append(liveEnv(endpoint), env...), args...)
	return &liveChild{Child: c, stdout: c.Stdout, stderr: c.Stderr}
}

// wait returns the exit status; the test fails if the child has not ended
// within d.
func (c *liveChild) wait(t *testing.T, d time.Duration) int {
	t.Helper()
	c.code = c.Wait(t, d)
	return c.code
}

func (c *liveChild) signal(t *testing.T, sig syscall.Signal) {
	t.Helper()
	c.Signal(t, sig)
}

// runLive runs mfaconform to its end (at most two minutes).
func runLive(t *testing.T, endpoint string, env []string, args ...string) *liveChild {
	t.Helper()
	c := startLive(t, endpoint, env, args...)
	c.wait(t, 2*time.Minute)
	return c
}

var planLine = regexp.MustCompile(`live run ([0-9a-f]+) in account ([0-9]+)`)

// runID reads the run ID from the child's plan line, waiting for it.
func (c *liveChild) runID(t *testing.T) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if m := planLine.FindStringSubmatch(c.stderr.String()); m != nil {
			return m[1]
		}
		select {
		case <-c.Done():
			t.Fatalf("%v ended (exit %d) without a plan line:\n%s", c.Cmd.Args, c.Code(), c.stderr.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("no plan line within 30s:\n%s", c.stderr.String())
	return ""
}

// account is what the tests see of moto's account, through the SDK.
type account struct {
	cognito *cip.Client
	iam     *iam.Client
}

func motoClients(endpoint string) account {
	cfg := aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(endpoint),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDMFACONFORMFAKE00", "fake", "")}
	return account{cognito: cip.NewFromConfig(cfg), iam: iam.NewFromConfig(cfg)}
}

// state lists the pools (by name) and roles (by path and name) there are.
func (a account) state(t *testing.T) (pools, roles []string) {
	t.Helper()
	ctx := context.Background()
	p := cip.NewListUserPoolsPaginator(a.cognito, &cip.ListUserPoolsInput{MaxResults: aws.Int32(60)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, up := range page.UserPools {
			pools = append(pools, aws.ToString(up.Name))
		}
	}
	r := iam.NewListRolesPaginator(a.iam, &iam.ListRolesInput{})
	for r.HasMorePages() {
		page, err := r.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, role := range page.Roles {
			roles = append(roles, aws.ToString(role.Path)+aws.ToString(role.RoleName))
		}
	}
	return pools, roles
}

// ofRun lists the pools and roles whose names are the run's.
func (a account) ofRun(t *testing.T, runID string) (pools, roles []string) {
	t.Helper()
	ps, rs := a.state(t)
	mark := "mfaconform-" + runID + "-"
	for _, p := range ps {
		if strings.HasPrefix(p, mark) {
			pools = append(pools, p)
		}
	}
	for _, r := range rs {
		if strings.Contains(r, "/"+mark) {
			roles = append(roles, r)
		}
	}
	return pools, roles
}

// noneOfRun fails when a pool or role of the run is left.
func (a account) noneOfRun(t *testing.T, runID, when string) {
	t.Helper()
	if pools, roles := a.ofRun(t, runID); len(pools)+len(roles) > 0 {
		t.Errorf("%s: run %s left pools %v and roles %v", when, runID, pools, roles)
	}
}

// foreign are resources a run did not make, each lacking one of the
// marks (prefix, tag, path) that a sweep goes by.
type foreign struct{ pools, roles []string }

func seedForeign(t *testing.T, a account) foreign {
	t.Helper()
	ctx := context.Background()
	tag := map[string]string{"mfaconform:run": "notarun", "mfaconform:created": "2020-01-01T00:00:00Z"}
	var f foreign
	for _, p := range []struct {
		name string
		tags map[string]string
	}{
		{"keep-me", nil},                 // no prefix, no tag
		{"mfaconform-not-ours", nil},     // the prefix, no tag
		{"tagged-but-not-ours", tag},     // the tag, no prefix
		{"mfaconform-tagged-other", nil}, // the prefix; tagged below with another key only
	} {
		tags := p.tags
		if p.name == "mfaconform-tagged-other" {
			tags = map[string]string{"team": "identity"}
		}
		if _, err := a.cognito.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String(p.name), UserPoolTags: tags}); err != nil {
			t.Fatal(err)
		}
		f.pools = append(f.pools, p.name)
	}
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"cognito-idp.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	iamTag := []iamtypes.Tag{{Key: aws.String("mfaconform:run"), Value: aws.String("notarun")},
		{Key: aws.String("mfaconform:created"), Value: aws.String("2020-01-01T00:00:00Z")}}
	for _, r := range []struct {
		path, name string
		tags       []iamtypes.Tag
	}{
		{"/other/", "mfaconform-elsewhere", iamTag},  // prefix and tag, another path
		{"/mfaconform/", "keep-me", iamTag},          // path and tag, no prefix
		{"/mfaconform/", "mfaconform-untagged", nil}, // path and prefix, no tag
	} {
		if _, err := a.iam.CreateRole(ctx, &iam.CreateRoleInput{Path: aws.String(r.path), RoleName: aws.String(r.name),
			AssumeRolePolicyDocument: aws.String(trust), Tags: r.tags}); err != nil {
			t.Fatal(err)
		}
		f.roles = append(f.roles, r.path+r.name)
	}
	return f
}

// intact fails when a resource the test made is gone.
func (f foreign) intact(t *testing.T, a account, when string) {
	t.Helper()
	pools, roles := a.state(t)
	for _, p := range f.pools {
		if !contains(pools, p) {
			t.Errorf("%s: pool %s, which no run made, is gone", when, p)
		}
	}
	for _, r := range f.roles {
		if !contains(roles, r) {
			t.Errorf("%s: role %s, which no run made, is gone", when, r)
		}
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// proxy stands between a child and moto, on loopback: it notes every call
// (when, and which action), and can answer the first uses of each new
// role under /mfaconform/ as AWS does while IAM has not spread it yet.
type proxy struct {
	URL string

	mu         sync.Mutex
	calls      []proxyCall
	trustDelay int
	uses       map[string]int
	refused    map[string]int // by role ARN
}

type proxyCall struct {
	at     time.Time
	action string
}

func startProxy(t *testing.T, motoURL string, trustDelay int) *proxy {
	t.Helper()
	u, err := url.Parse(motoURL)
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{trustDelay: trustDelay, uses: map[string]int{}, refused: map[string]int{}}
	rp := httputil.NewSingleHostReverseProxy(u)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		action := r.Header.Get("X-Amz-Target")
		if action == "" {
			q, _ := url.ParseQuery(string(body))
			action = q.Get("Action")
		}
		p.mu.Lock()
		p.calls = append(p.calls, proxyCall{at: time.Now(), action: action})
		inject := p.spreading(action, body)
		p.mu.Unlock()
		if inject {
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, `{"__type":"InvalidSmsRoleTrustRelationshipException","message":"Role does not have a trust relationship allowing Cognito to assume the role"}`)
			return
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	p.URL = srv.URL
	return p
}

// spreading: a Set naming a role under /mfaconform/ that has been used
// fewer than trustDelay times before. Callers hold mu.
func (p *proxy) spreading(action string, body []byte) bool {
	if p.trustDelay == 0 || !strings.HasSuffix(action, ".SetUserPoolMfaConfig") {
		return false
	}
	var set struct {
		SmsMfaConfiguration *struct {
			SmsConfiguration *struct{ SnsCallerArn string }
		}
	}
	if json.Unmarshal(body, &set) != nil || set.SmsMfaConfiguration == nil || set.SmsMfaConfiguration.SmsConfiguration == nil {
		return false
	}
	arn := set.SmsMfaConfiguration.SmsConfiguration.SnsCallerArn
	if !strings.Contains(arn, ":role/mfaconform/") {
		return false
	}
	p.uses[arn]++
	if p.uses[arn] > p.trustDelay {
		return false
	}
	p.refused[arn]++
	return true
}

func (p *proxy) snapshot() []proxyCall {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]proxyCall(nil), p.calls...)
}

// liveReport is what the tests read of a JSON report.
type liveReport struct {
	Rules []struct {
		ID       string `json:"id"`
		Failures []struct {
			Got struct {
				Error string `json:"error"`
			} `json:"got"`
		} `json:"failures"`
	} `json:"rules"`
	Summary struct {
		Calls        int64   `json:"calls"`
		ElapsedS     float64 `json:"elapsed_s"`
		CleanupCalls int64   `json:"cleanup_calls"`
	} `json:"summary"`
	EndedBy string `json:"ended_by"`
	Live    *struct {
		IAMWaitS float64 `json:"iam_wait_s"`
	} `json:"live"`
	Leftovers []json.RawMessage `json:"leftovers"`
}

func readReport(t *testing.T, path string) liveReport {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var r liveReport
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return r
}
