package contracts

import "fmt"

// The messages real AWS sends for the MFA rules (contract.md §3.1; the M
// numbers are the rows there). They are data: the message rules compare
// a target's text with them.
const (
	MsgNoFactorOld     = "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration."                        // M1
	MsgNoFactor        = "Invalid MFA Configuration given. SMS MFA, Email MFA, or Software Token MFA must be enabled."                               // M2
	MsgOffWithFactor   = "Invalid MFA configuration given, can't turn off MFA and configure an MFA together."                                        // M3
	MsgInvalidSms      = "Invalid SMS MFA configuration given, external id and a valid caller arn are required"                                      // M4
	MsgEmailNeedsSES   = "Cannot set EmailMfaConfiguration when user pool EmailConfiguration contains an EmailSendingAccount of COGNITO_DEFAULT"     // M5
	MsgOTPFirstFactor  = "Only PASSWORD and WEB_AUTHN (if configured) can be enabled as an auth factor if MFA is enabled"                            // M6
	MsgWebAuthnFactor  = "Cannot set WebAuthn factor configuration to SINGLE_FACTOR if MFA is required and WebAuthn is an allowed first auth factor" // M7
	MsgRoleTrust       = "Role does not have a trust relationship allowing Cognito to assume the role"                                               // M16
	MsgRoleAccess      = "Role does not have permission to publish with SNS"                                                                         // M17
	MsgSmsStillSet     = "Can't turn off SMS_MFA when SMS configuration is set for the user pool"                                                    // M20
	MsgSmsRoleSetOld   = "MFA cannot be turned off if an SMS role is configured"                                                                     // M21
	MsgThrottled       = "Rate exceeded"                                                                                                             // M26
	msgPoolNotFoundFmt = "User pool %s does not exist."                                                                                              // M25
)

// MsgPoolNotFound is M25 for a pool ID.
func MsgPoolNotFound(id string) string { return fmt.Sprintf(msgPoolNotFoundFmt, id) }

// tierMessage is what the reference emulator says for a feature its tier
// lacks. Real AWS's text for these is unconfirmed (contract.md §3.1, after
// M26), so it is never checked; it follows the shape of M24.
func tierMessage(tier, feature string) string {
	return fmt.Sprintf("The following features need to be disabled for the %s pricing tier configured: %s", tier, feature)
}
