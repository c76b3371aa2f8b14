package emulator_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness/emulator"
)

// AWS answers in the region of the endpoint, which is the region the client
// signs for; the emulator reads it from the SigV4 credential scope.
func TestRegionFromRequest(t *testing.T) {
	srv, _ := newServer(t)

	t.Run("SDK signing for us-west-2", func(t *testing.T) {
		c := sdkClient(srv)
		c = cip.New(c.Options(), func(o *cip.Options) { o.Region = "us-west-2" })
		ctx := context.Background()
		out, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("west")})
		if err != nil {
			t.Fatalf("CreateUserPool: %v", err)
		}
		id := aws.ToString(out.UserPool.Id)
		checkRegion(t, "us-west-2", id, aws.ToString(out.UserPool.Arn))
		d, err := c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: out.UserPool.Id})
		if err != nil {
			t.Fatalf("DescribeUserPool: %v", err)
		}
		checkRegion(t, "us-west-2", aws.ToString(d.UserPool.Id), aws.ToString(d.UserPool.Arn))
	})

	for _, tc := range []struct {
		name, auth, want string
	}{
		{"hand-made SigV4 header", "AWS4-HMAC-SHA256 Credential=AKID/20261201/eu-central-1/cognito-idp/aws4_request, " +
			"SignedHeaders=host;x-amz-date;x-amz-target, Signature=0123abcd", "eu-central-1"},
		{"no Authorization header: the world's region", "", "us-east-1"},
		{"garbage", "garbage", "us-east-1"},
		{"SigV4 without Credential", "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=00", "us-east-1"},
		{"scope too short", "AWS4-HMAC-SHA256 Credential=AKID/us-west-2, Signature=00", "us-east-1"},
		{"scope empty region", "AWS4-HMAC-SHA256 Credential=AKID/20261201//cognito-idp/aws4_request", "us-east-1"},
		{"region that cannot name a pool", "AWS4-HMAC-SHA256 Credential=AKID/20261201/us_west 2/cognito-idp/aws4_request", "us-east-1"},
		{"region longer than RegionCodeType", "AWS4-HMAC-SHA256 Credential=AKID/20261201/" + strings.Repeat("a", 33) +
			"/cognito-idp/aws4_request", "us-east-1"},
		{"other algorithm", "AWS4-ECDSA-P256-SHA256 Credential=AKID/20261201/cognito-idp/aws4_request", "us-east-1"},
		{"Credential only, ap-southeast-2", "AWS4-HMAC-SHA256 Credential=AKID/20261201/ap-southeast-2/cognito-idp/aws4_request", "ap-southeast-2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(`{"PoolName":"p"}`))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", contracts.ContentType)
			req.Header.Set("X-Amz-Target", contracts.Target(contracts.OpCreateUserPool))
			if tc.auth != "" {
				req.Header.Set("Authorization", tc.auth)
			}
			a := do(t, srv, req)
			if a.status != http.StatusOK {
				t.Fatalf("status %d %s", a.status, a.body)
			}
			var out struct{ UserPool struct{ Id, Arn string } }
			if err := json.Unmarshal(a.body, &out); err != nil {
				t.Fatal(err)
			}
			checkRegion(t, tc.want, out.UserPool.Id, out.UserPool.Arn)
		})
	}
}

func checkRegion(t *testing.T, region, id, arn string) {
	t.Helper()
	if !strings.HasPrefix(id, region+"_") || len(id) != len(region)+1+9 {
		t.Errorf("pool ID %s, want %s_ and nine characters", id, region)
	}
	if want := "arn:aws:cognito-idp:" + region + ":123456789012:userpool/" + id; arn != want {
		t.Errorf("Arn %s, want %s", arn, want)
	}
}

// FuzzRegion sends CreateUserPool with any Authorization header. Oracles: no
// panic; the pool is created with an ID that UserPoolIdType accepts and an
// ARN that ArnType accepts, named in one region.
func FuzzRegion(f *testing.F) {
	for _, seed := range []string{
		"AWS4-HMAC-SHA256 Credential=AKID/20261201/us-west-2/cognito-idp/aws4_request, SignedHeaders=host, Signature=00",
		"AWS4-HMAC-SHA256 Credential=AKID/20261201/us-west-2/cognito-idp",
		"AWS4-HMAC-SHA256 Credential=/////",
		"AWS4-HMAC-SHA256 ,,Credential=a/b/-/d/aws4_request",
		"Bearer x",
		"",
	} {
		f.Add(seed)
	}
	idPattern := contracts.CompilePattern(contracts.UserPoolIDType().Pattern)
	arnPattern := contracts.CompilePattern(contracts.ArnType().Pattern)
	f.Fuzz(func(t *testing.T, auth string) {
		h := emulator.New()
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"PoolName":"p"}`))
		req.Header.Set("X-Amz-Target", contracts.Target(contracts.OpCreateUserPool))
		req.Header.Set("Authorization", auth)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d %s", rec.Code, rec.Body.Bytes())
		}
		var out struct{ UserPool struct{ Id, Arn string } }
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatal(err)
		}
		id, arn := out.UserPool.Id, out.UserPool.Arn
		if len(id) > 55 || idPattern.Match(id) != contracts.Match {
			t.Errorf("pool ID %q breaks UserPoolIdType", id)
		}
		region, _, _ := strings.Cut(id, "_")
		if arnPattern.Match(arn) != contracts.Match || !strings.HasPrefix(arn, "arn:aws:cognito-idp:"+region+":") {
			t.Errorf("Arn %q breaks ArnType or names another region than pool %s", arn, id)
		}
	})
}

// A pool belongs to the region it was created in: a client signed for
// another region does not find it, as on AWS and moto (aws/aws-sdk-go#2436:
// ResourceNotFoundException, "User pool <id> does not exist.").
func TestPoolsBelongToTheirRegion(t *testing.T) {
	srv, _ := newServer(t)
	ctx := context.Background()
	east := sdkClient(srv)
	west := cip.New(east.Options(), func(o *cip.Options) { o.Region = "eu-west-1" })
	out, err := east.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("east")})
	if err != nil {
		t.Fatalf("CreateUserPool: %v", err)
	}
	id := out.UserPool.Id

	calls := []struct {
		name string
		call func(*cip.Client) error
	}{
		{"DescribeUserPool", func(c *cip.Client) error {
			_, err := c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: id})
			return err
		}},
		{"GetUserPoolMfaConfig", func(c *cip.Client) error {
			_, err := c.GetUserPoolMfaConfig(ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: id})
			return err
		}},
		{"SetUserPoolMfaConfig", func(c *cip.Client) error {
			_, err := c.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: id, MfaConfiguration: types.UserPoolMfaTypeOff})
			return err
		}},
		{"DeleteUserPool", func(c *cip.Client) error {
			_, err := c.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: id})
			return err
		}},
	}
	for _, tc := range calls {
		err := tc.call(west)
		var nf *types.ResourceNotFoundException
		if !errors.As(err, &nf) {
			t.Errorf("%s signed for eu-west-1 on %s: %v, want ResourceNotFoundException", tc.name, *id, err)
			continue
		}
		if want := contracts.MsgPoolNotFound(*id); nf.ErrorMessage() != want {
			t.Errorf("%s signed for eu-west-1: message %q, want %q", tc.name, nf.ErrorMessage(), want)
		}
	}
	// A request that names no region (unsigned, as the harness's raw wire
	// cases go to an endpoint) finds the pool wherever it is.
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(`{"UserPoolId":"`+*id+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contracts.ContentType)
	req.Header.Set("X-Amz-Target", contracts.Target(contracts.OpGetUserPoolMfaConfig))
	if a := do(t, srv, req); a.status != http.StatusOK {
		t.Errorf("unsigned GetUserPoolMfaConfig: status %d %s", a.status, a.body)
	}
	// The pool is still there, in its own region.
	for _, tc := range calls {
		if err := tc.call(east); err != nil {
			t.Errorf("%s signed for us-east-1: %v", tc.name, err)
		}
	}
}

// A pool of the fixture world lives in the world's region: a client signed
// for it finds the pool, one signed for another region does not.
func TestWorldPoolsLiveInTheWorldsRegion(t *testing.T) {
	w := contracts.DefaultWorld()
	w.Region = "eu-west-1"
	w.Pools = []contracts.Pool{{ID: "eu-west-1_Fixture1", Tier: contracts.TierEssentials}}
	srv, _ := newServer(t, emulator.WithWorld(w))
	ctx := context.Background()
	east := sdkClient(srv)
	west := cip.New(east.Options(), func(o *cip.Options) { o.Region = "eu-west-1" })
	in := &cip.GetUserPoolMfaConfigInput{UserPoolId: aws.String("eu-west-1_Fixture1")}
	if _, err := west.GetUserPoolMfaConfig(ctx, in); err != nil {
		t.Errorf("signed for the world's region eu-west-1: %v", err)
	}
	var nf *types.ResourceNotFoundException
	if _, err := east.GetUserPoolMfaConfig(ctx, in); !errors.As(err, &nf) {
		t.Errorf("signed for us-east-1: %v, want ResourceNotFoundException", err)
	}
}
