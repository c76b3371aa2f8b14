// Package contracts is the documented contract of the Cognito user-pool MFA
// configuration API (SetUserPoolMfaConfig, GetUserPoolMfaConfig) as data and
// pure functions. It does no I/O: given a world, a pool's MFA state and a
// request it says what a conforming service must answer.
//
// Besides the judging entry points, the package exports the contract's
// vocabulary, so that a user's own tests and fakes can name what the
// contract names. That vocabulary is the operations and their shapes, the
// rule catalogue with its groups, provenances and confidences, the error
// codes with their faults, and the messages AWS gives. The Msg constants
// ending in Old are earlier wordings AWS has been seen to give.
package contracts

// Revision names the model revision the contract follows. It is carried by
// every report and cassette so that a verdict can be traced to the model it
// was judged against.
//
// botocore 1.43.11 ships cognito-idp 2016-04-18 with
// WebAuthnConfigurationType.FactorConfiguration (added 2026-04-16) but without
// OperationNotEnabledException (added 2026-06-01) and with SnsCallerArn still
// required (relaxed 2026-07-17), so it sits between those two model changes.
const Revision = "cognito-idp/2016-04-18 botocore-1.43.11 (model of 2026-04-16)"

// Model facts from the service metadata.
const (
	serviceID    = "cognito-idp"
	apiVersion   = "2016-04-18"
	TargetPrefix = "AWSCognitoIdentityProviderService"
	ContentType  = "application/x-amz-json-1.1"
)

// Operation names.
const (
	OpSetUserPoolMfaConfig = "SetUserPoolMfaConfig"
	OpGetUserPoolMfaConfig = "GetUserPoolMfaConfig"
	OpCreateUserPool       = "CreateUserPool"
	OpDescribeUserPool     = "DescribeUserPool"
	OpDeleteUserPool       = "DeleteUserPool"
)

// Target returns the X-Amz-Target header value of an operation.
func Target(op string) string { return TargetPrefix + "." + op }
