package contracts_test

import (
	"fmt"

	"github.com/mfaconform/mfaconform/contracts"
)

// OFF together with a TOTP block is rejected (contract.md §3.1 M3).
func ExampleExpectSet() {
	pool := &contracts.Pool{ID: "us-east-1_example", Tier: contracts.TierEssentials,
		EmailSendingAccount: contracts.SendingDeveloper, FirstAuthFactors: []string{contracts.FactorPassword}}
	req := &contracts.SetRequest{
		UserPoolId:                    contracts.String("us-east-1_example"),
		MfaConfiguration:              contracts.String(contracts.MfaOff),
		SoftwareTokenMfaConfiguration: &contracts.SoftwareTokenMfaConfig{Enabled: contracts.Bool(true)},
	}
	e := contracts.ExpectSet(contracts.DefaultWorld(), pool, req)
	fmt.Println(e.Rule, e.ErrorCodes(), e.Certain)
	fmt.Println(e.Preferred().Text)
	// Output:
	// set.off-with-factor [InvalidParameterException] true
	// Invalid MFA configuration given, can't turn off MFA and configure an MFA together.
}

func ExampleValidationMessage() {
	vs := contracts.Validate(contracts.SetUserPoolMfaConfigRequest(), map[string]any{
		"UserPoolId":       "us-east-1_example",
		"MfaConfiguration": "false",
	})
	fmt.Println(contracts.ValidationMessage(vs))
	// Output:
	// 1 validation error detected: Value 'false' at 'mfaConfiguration' failed to satisfy constraint: Member must satisfy enum value set: [OPTIONAL, OFF, ON]
}

func ExampleMatchRules() {
	ids, _ := contracts.MatchRules("set.sms-role-*,pool.*")
	fmt.Println(ids)
	// Output:
	// [pool.not-found set.sms-role-access set.sms-role-trust]
}
