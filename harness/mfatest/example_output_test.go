package mfatest

import (
	"fmt"

	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/harness/emulator"
)

// What a test prints when a rule fails. The handler is the reference
// emulator with a bug: it accepts MfaConfiguration OFF with a TOTP or
// email factor, which AWS rejects. A test of it writes
//
//	mfatest.TestHandler(t, handler, harness.WithRules("set.off-with-factor"))
//
// (WithRules only keeps the output short: without it every rule is a
// subtest.) Here a recorder stands in for t, so that the output, which go
// test prints under the failing subtest, can be shown.
func ExampleTestHandler_failure() {
	handler := acceptOffWithFactor(emulator.New())
	t := newRecorder("TestMyFake")
	testTarget(t, harness.Handler(handler), []harness.Option{harness.WithRules("set.off-with-factor")})
	fmt.Print(t.Output())
	// Output:
	// --- FAIL: TestMyFake/set.off-with-factor
	//     SetUserPoolMfaConfig on the essentials-developer pool, case #95 cross OFF totp on essentials-developer (step 1) (shrunk)
	//         deviation: set.off-with-factor/SetUserPoolMfaConfig/accepted/-/- (35 calls)
	//         request: {"MfaConfiguration":"OFF","SoftwareTokenMfaConfiguration":{"Enabled":true},"UserPoolId":"us-east-1_LJBt7wg7b"}
	//         prior:   {"MfaConfiguration":"OFF"}
	//         want:    400 InvalidParameterException, message "Invalid MFA configuration given, can't turn off MFA and configure an MFA together."
	//         got:     200 {"MfaConfiguration":"OFF","SoftwareTokenMfaConfiguration":{"Enabled":true}}
	//         why:     accepted; the contract rejects this call with InvalidParameterException
	//         rule:    set.off-with-factor (measured, high confidence): OFF (explicit or omitted) with an SMS, TOTP or email block is rejected
	//         source:  contract.md §3.1 M3, §3.2 (cdkd#1923, floci PR #2831)
	//         rerun:   go test -run '^TestMyFake$/^set\.off-with-factor$'
}
