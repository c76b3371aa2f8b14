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

// Error shapes describe errors; they are not Go errors. Each one is reached
// through a function named exactly as the model names the shape, which is
// also its Code (the __type on the wire): InvalidParameterException()
// returns the shape whose Code is "InvalidParameterException". The
// functions return the same pointer every time, so outcomes may be compared
// with ==; callers must not change the shape.

// The modeled errors of both operations.
var (
	invalidParameterException                = clientError("InvalidParameterException", "reasonCode")
	tooManyRequestsException                 = clientError("TooManyRequestsException")
	concurrentModificationException          = clientError("ConcurrentModificationException")
	resourceNotFoundException                = clientError("ResourceNotFoundException")
	invalidSmsRoleAccessPolicyException      = clientError("InvalidSmsRoleAccessPolicyException")
	invalidSmsRoleTrustRelationshipException = clientError("InvalidSmsRoleTrustRelationshipException")
	notAuthorizedException                   = clientError("NotAuthorizedException")
	featureUnavailableInTierException        = clientError("FeatureUnavailableInTierException")
	internalErrorException                   = &ErrorShape{Code: "InternalErrorException",
		Status: http.StatusInternalServerError, Fault: FaultServer}
)

// Protocol-level errors of awsJson1_1: not in any operation's list, sent by
// the service framework before an operation runs.
var (
	serializationException    = clientError("SerializationException")
	unknownOperationException = clientError("UnknownOperationException")
)

// InvalidParameterException: a request that breaks the model or an MFA rule.
func InvalidParameterException() *ErrorShape { return invalidParameterException }

// TooManyRequestsException: throttling (400 on real Cognito, not 429).
func TooManyRequestsException() *ErrorShape { return tooManyRequestsException }

// ConcurrentModificationException: two Sets on one pool at once (Set only).
func ConcurrentModificationException() *ErrorShape { return concurrentModificationException }

// ResourceNotFoundException: an unknown or deleted pool (400, not 404).
func ResourceNotFoundException() *ErrorShape { return resourceNotFoundException }

// InvalidSmsRoleAccessPolicyException: an SMS role that may not publish to SNS.
func InvalidSmsRoleAccessPolicyException() *ErrorShape { return invalidSmsRoleAccessPolicyException }

// InvalidSmsRoleTrustRelationshipException: an SMS role that does not trust cognito-idp.
func InvalidSmsRoleTrustRelationshipException() *ErrorShape {
	return invalidSmsRoleTrustRelationshipException
}

// NotAuthorizedException: credentials that may not call the operation (400, not 403).
func NotAuthorizedException() *ErrorShape { return notAuthorizedException }

// FeatureUnavailableInTierException: a feature the pool's tier lacks (400, not 403).
func FeatureUnavailableInTierException() *ErrorShape { return featureUnavailableInTierException }

// InternalErrorException: the one server fault (500).
func InternalErrorException() *ErrorShape { return internalErrorException }

// SerializationException: a body that is not a JSON object of the input shape.
func SerializationException() *ErrorShape { return serializationException }

// UnknownOperationException: a missing or unknown X-Amz-Target.
func UnknownOperationException() *ErrorShape { return unknownOperationException }

// ErrorByCode returns the modeled or protocol error with that code, or nil.
func ErrorByCode(code string) *ErrorShape {
	for _, e := range []*ErrorShape{
		invalidParameterException, tooManyRequestsException, concurrentModificationException, resourceNotFoundException,
		invalidSmsRoleAccessPolicyException, invalidSmsRoleTrustRelationshipException, notAuthorizedException,
		featureUnavailableInTierException, internalErrorException, serializationException, unknownOperationException,
	} {
		if e.Code == code {
			return e
		}
	}
	return nil
}
