package contracts

import "net/http"

// Fault says who is to blame for an error, as the model's "fault" flag does.
type Fault string

// Faults.
const (
	FaultClient Fault = "client"
	FaultServer Fault = "server"
)

// ErrorShape is a modeled error: its code (the shape name sent as __type),
// the HTTP status real Cognito answers with (contract.md §1.4: 400 for every
// client error whatever the Smithy httpError trait says, 500 for
// InternalErrorException) and its fault. Members lists the body members
// besides "message".
type ErrorShape struct {
	Code    string
	Status  int
	Fault   Fault
	Members []string
}

func clientError(code string, members ...string) *ErrorShape {
	return &ErrorShape{Code: code, Status: http.StatusBadRequest, Fault: FaultClient, Members: members}
}

// The modeled errors of both operations.
var (
	ErrInvalidParameter                = clientError("InvalidParameterException", "reasonCode")
	ErrTooManyRequests                 = clientError("TooManyRequestsException")
	ErrConcurrentModification          = clientError("ConcurrentModificationException")
	ErrResourceNotFound                = clientError("ResourceNotFoundException")
	ErrInvalidSmsRoleAccessPolicy      = clientError("InvalidSmsRoleAccessPolicyException")
	ErrInvalidSmsRoleTrustRelationship = clientError("InvalidSmsRoleTrustRelationshipException")
	ErrNotAuthorized                   = clientError("NotAuthorizedException")
	ErrFeatureUnavailableInTier        = clientError("FeatureUnavailableInTierException")
	ErrInternalError                   = &ErrorShape{Code: "InternalErrorException",
		Status: http.StatusInternalServerError, Fault: FaultServer}
)

// Protocol-level errors of awsJson1_1: not in any operation's list, sent by
// the service framework before an operation runs.
var (
	ErrSerialization    = clientError("SerializationException")
	ErrUnknownOperation = clientError("UnknownOperationException")
)

// ErrorByCode returns the modeled or protocol error with that code, or nil.
func ErrorByCode(code string) *ErrorShape {
	for _, e := range []*ErrorShape{
		ErrInvalidParameter, ErrTooManyRequests, ErrConcurrentModification, ErrResourceNotFound,
		ErrInvalidSmsRoleAccessPolicy, ErrInvalidSmsRoleTrustRelationship, ErrNotAuthorized,
		ErrFeatureUnavailableInTier, ErrInternalError, ErrSerialization, ErrUnknownOperation,
	} {
		if e.Code == code {
			return e
		}
	}
	return nil
}
