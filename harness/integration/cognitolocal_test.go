package integration

import (
	"testing"

	"github.com/mfaconform/mfaconform/contracts"
)

// TestCognitoLocal runs the harness against cognito-local 5.3.0. The rules
// named are deviations checked by hand against contract.md
// (docs/conformance/cognito-local-5.3.0.md).
func TestCognitoLocal(t *testing.T) {
	checkEmulator(t, "cognito-local", contracts.RuleFullReplace, contracts.RuleFreshPool, contracts.RuleProtocolContentType)
}
