package emulator_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness/emulator"
)

// The user pools per account quota (1,000 by default) is answered with
// CreateUserPool's modeled LimitExceededException. The test world holds one
// pool, which counts.
func TestMaxPools(t *testing.T) {
	srv, em := newServer(t, emulator.WithMaxPools(3))
	create := contracts.Target(contracts.OpCreateUserPool)
	a := createPool(t, srv, `{"PoolName":"a"}`)
	createPool(t, srv, `{"PoolName":"b"}`)

	over := post(t, srv, http.MethodPost, create, `{"PoolName":"c"}`)
	if over.status != http.StatusBadRequest {
		t.Fatalf("the 4th pool with a cap of 3: status %d %s", over.status, over.body)
	}
	if d := jsonDiff(errJSON("LimitExceededException", fmt.Sprintf(emulator.MsgPoolLimit, 3)), over.body); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	for _, v := range checkWire(over) {
		t.Error(v)
	}
	if n := len(em.PoolIDs()); n != 3 {
		t.Errorf("%d pools after a refused create, want 3", n)
	}

	_, err := sdkClient(srv).CreateUserPool(context.Background(), &cip.CreateUserPoolInput{PoolName: aws.String("sdk")})
	var limit *types.LimitExceededException
	if !errors.As(err, &limit) {
		t.Errorf("the SDK reads %v, want *types.LimitExceededException", err)
	}

	t.Run("a refused create still validates first", func(t *testing.T) {
		got := post(t, srv, http.MethodPost, create, `{}`)
		if d := jsonDiff(errJSON(ipe, invalid("<null>", "poolName", notNull)), got.body); got.status != 400 || d != "" {
			t.Errorf("status %d (-want +got):\n%s", got.status, d)
		}
	})
	t.Run("deleting a pool frees a slot", func(t *testing.T) {
		call(t, srv, contracts.OpDeleteUserPool, `{"UserPoolId":"`+a+`"}`)
		createPool(t, srv, `{"PoolName":"d"}`)
		if got := post(t, srv, http.MethodPost, create, `{"PoolName":"e"}`); got.status != http.StatusBadRequest {
			t.Errorf("over the cap again: status %d %s", got.status, got.body)
		}
	})
}

// TestMaxPoolsConcurrent races creates against the cap; run it with -race.
func TestMaxPoolsConcurrent(t *testing.T) {
	const max, clients = 10, 32
	srv, em := newServer(t, emulator.WithMaxPools(max))
	var wg sync.WaitGroup
	var mu sync.Mutex
	status := map[int]int{}
	for range clients {
		wg.Go(func() {
			a := post(t, srv, http.MethodPost, contracts.Target(contracts.OpCreateUserPool), `{"PoolName":"p"}`)
			mu.Lock()
			status[a.status]++
			mu.Unlock()
		})
	}
	wg.Wait()
	// One slot is the test world's pool.
	if status[http.StatusOK] != max-1 || status[http.StatusBadRequest] != clients-max+1 {
		t.Errorf("statuses %v, want %d × 200 and %d × 400", status, max-1, clients-max+1)
	}
	if n := len(em.PoolIDs()); n != max {
		t.Errorf("%d pools, want %d", n, max)
	}
}

func TestDefaultMaxPools(t *testing.T) {
	if emulator.DefaultMaxPools != 1000 {
		t.Errorf("DefaultMaxPools %d, want AWS's default quota of 1,000 user pools", emulator.DefaultMaxPools)
	}
	h := emulator.New()
	for i := range emulator.DefaultMaxPools + 1 {
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"PoolName":"p"}`))
		req.Header.Set("X-Amz-Target", contracts.Target(contracts.OpCreateUserPool))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		want := http.StatusOK
		if i == emulator.DefaultMaxPools {
			want = http.StatusBadRequest
		}
		if rec.Code != want {
			t.Fatalf("pool %d: status %d, want %d: %s", i+1, rec.Code, want, rec.Body.Bytes())
		}
	}
}

func TestWithMaxPoolsRejectsZero(t *testing.T) {
	defer func() {
		if r := recover(); r == nil {
			t.Error("New(WithMaxPools(0)) did not panic")
		}
	}()
	emulator.New(emulator.WithMaxPools(0))
}

// longSms is an SMS configuration whose ExternalId is the contract's
// longest (131,072 characters), of three bytes each.
func longSms(r rune) string {
	return `{"SnsCallerArn":"` + contracts.RoleTrusted + `","ExternalId":"` + strings.Repeat(string(r), 131072) + `"}`
}

// TestPoolBytesAreBounded: pools filled with the contract's longest
// ExternalIds meet LimitExceededException once they hold the byte bound
// (64 MiB by default: under a hundred such pools, where the pool quota
// alone would let 1,000 hold 766 MB), and a deleted pool frees its bytes.
func TestPoolBytesAreBounded(t *testing.T) {
	srv, em := newServer(t)
	create := contracts.Target(contracts.OpCreateUserPool)
	var ids []string
	var over answer
	for i := range 1000 {
		a := post(t, srv, http.MethodPost, create, fmt.Sprintf(`{"PoolName":"p%d","MfaConfiguration":"OPTIONAL","SmsConfiguration":%s}`, i, longSms('中')))
		if a.status != http.StatusOK {
			over = a
			break
		}
		var out struct{ UserPool struct{ Id string } }
		if err := json.Unmarshal(a.body, &out); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, out.UserPool.Id)
	}
	if len(ids) == 0 || len(ids) >= 200 {
		t.Fatalf("%d pools of 0.8 MB each were created before a refusal; want some, and a refusal before 200 (64 MiB)", len(ids))
	}
	if code := over.header.Get("X-Amzn-ErrorType"); over.status != http.StatusBadRequest || !strings.HasPrefix(code, "LimitExceededException") {
		t.Fatalf("past the bound: status %d %s %s, want 400 LimitExceededException", over.status, code, over.body)
	}
	for _, v := range checkWire(over) {
		t.Error(v)
	}
	if n := len(em.PoolIDs()); n != len(ids)+1 { // the test world's pool counts
		t.Errorf("%d pools after a refused create, want %d", n, len(ids)+1)
	}
	call(t, srv, contracts.OpDeleteUserPool, `{"UserPoolId":"`+ids[0]+`"}`)
	createPool(t, srv, fmt.Sprintf(`{"PoolName":"again","MfaConfiguration":"OPTIONAL","SmsConfiguration":%s}`, longSms('中')))
}

// TestPoolBytesBoundSets: a Set that would grow the pools past the bound
// is refused the same way, leaves the pool as it was, and a Set that
// does not grow them is answered as ever.
func TestPoolBytesBoundSets(t *testing.T) {
	srv, _ := newServer(t, emulator.WithMaxPoolBytes(600<<10))
	id := createPool(t, srv, `{"PoolName":"p"}`)
	set := contracts.Target(contracts.OpSetUserPoolMfaConfig)
	body := func(r rune) string {
		return `{"UserPoolId":"` + id + `","MfaConfiguration":"OPTIONAL","SmsMfaConfiguration":{"SmsConfiguration":` + longSms(r) + `}}`
	}
	a := post(t, srv, http.MethodPost, set, body('中'))
	if code := a.header.Get("X-Amzn-ErrorType"); a.status != http.StatusBadRequest || !strings.HasPrefix(code, "LimitExceededException") {
		t.Fatalf("a Set of 0.8 MB with a bound of 600 KiB: status %d %s, want LimitExceededException", a.status, code)
	}
	get := post(t, srv, http.MethodPost, contracts.Target(contracts.OpGetUserPoolMfaConfig), `{"UserPoolId":"`+id+`"}`)
	if d := jsonDiff(`{"MfaConfiguration":"OFF"}`, get.body); d != "" {
		t.Errorf("the refused Set changed the pool (-want +got):\n%s", d)
	}
	if a := post(t, srv, http.MethodPost, set, `{"UserPoolId":"`+id+`","MfaConfiguration":"OFF"}`); a.status != http.StatusOK {
		t.Errorf("a small Set: status %d %s", a.status, a.body)
	}
}
