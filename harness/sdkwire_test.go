package harness

import (
	"context"
	"reflect"
	"testing"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/fuzz"
	"github.com/mfaconform/mfaconform/internal/judge"
)

// TestSDKWireMatchesBytes: for every Set request a run generates, what
// sdkWire says the SDK sends is what the SDK's bytes decode to, so judging
// from it equals judging from the wire.
func TestSDKWireMatchesBytes(t *testing.T) {
	target := Reference(contracts.DefaultWorld())
	defer target.Close()
	c, _ := newClient(target, "us-east-1")
	n := 0
	for _, cs := range fuzz.Cases(1, 600) {
		for _, s := range cs.Steps {
			if s.Op != fuzz.OpSet {
				continue
			}
			req := *s.Set
			if s.Pool != fuzz.PoolLiteral {
				req.UserPoolId = contracts.String("us-east-1_Abc123XYZ")
			}
			var x judge.Exchange
			_, _ = sdkCall(withExchange(context.Background(), &x), c, contracts.OpSetUserPoolMfaConfig, req.UserPoolId, &req, &x)
			got, _, err := contracts.DecodeSet(x.RequestBody)
			if err != nil {
				t.Fatalf("%s: the SDK sent %s: %v", cs.Kind, x.RequestBody, err)
			}
			if want := sdkWire(&req); !reflect.DeepEqual(want, got) {
				t.Fatalf("%s: sdkWire %s, the SDK sent %s", cs.Kind, contracts.ValueOf(want), x.RequestBody)
			}
			n++
		}
	}
	if n < 300 {
		t.Fatalf("only %d Set requests checked", n)
	}
}
