package integration

import (
	"testing"

	"github.com/mfaconform/mfaconform/contracts"
)

// TestMoto runs the harness against moto 5.2.1. The rules named are
// deviations checked by hand against contract.md (docs/conformance/moto-5.2.1.md).
func TestMoto(t *testing.T) {
	checkEmulator(t, "moto", contracts.RuleOffWithFactor, contracts.RuleFullReplace, contracts.RuleProtocolContentType)
}
