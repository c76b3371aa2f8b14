package emulator_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/mfaconform/mfaconform/contracts"
)

// TestConcurrentCalls runs many clients at once; run it with -race. Each
// client owns one pool, so what it reads back must be what it wrote last.
func TestConcurrentCalls(t *testing.T) {
	srv, em := newServer(t)
	const clients, rounds = 16, 20
	ids := make(chan string, clients)
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := createPool(t, srv, fixtures["essentials"])
			ids <- id
			for i := range rounds {
				mode := []string{"OPTIONAL", "ON"}[(c+i)%2]
				body := fmt.Sprintf(`{"UserPoolId":%q,"MfaConfiguration":%q,"SoftwareTokenMfaConfiguration":{"Enabled":true}}`, id, mode)
				want := fmt.Sprintf(`{"MfaConfiguration":%q,"SoftwareTokenMfaConfiguration":{"Enabled":true}}`, mode)
				for _, a := range []answer{
					post(t, srv, http.MethodPost, contracts.Target(contracts.OpSetUserPoolMfaConfig), body),
					post(t, srv, http.MethodPost, contracts.Target(contracts.OpGetUserPoolMfaConfig), `{"UserPoolId":"`+id+`"}`),
				} {
					if a.status != http.StatusOK {
						t.Errorf("pool %s round %d: status %d %s", id, i, a.status, a.body)
					} else if d := jsonDiff(want, a.body); d != "" {
						t.Errorf("pool %s round %d (-want +got):\n%s", id, i, d)
					}
				}
			}
		}()
	}
	wg.Wait()
	close(ids)
	seen := map[string]bool{}
	for id := range ids {
		if seen[id] {
			t.Errorf("pool ID %s handed out twice", id)
		}
		seen[id] = true
		if !strings.HasPrefix(id, "us-east-1_") || len(id) != len("us-east-1_")+9 {
			t.Errorf("pool ID %s is not <region>_ and nine characters", id)
		}
		p, ok := em.Pool(id)
		if !ok || p.Mfa == nil || p.Mfa.SoftwareTokenMfaConfiguration == nil {
			t.Errorf("pool %s: state %+v, want TOTP in force", id, p)
		}
	}
	if len(seen) != clients {
		t.Errorf("%d pools, want %d", len(seen), clients)
	}
}
