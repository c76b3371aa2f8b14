package emulator_test

import (
	"context"
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
