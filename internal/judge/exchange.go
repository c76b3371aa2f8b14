package judge

import (
	"net/http"
	"strings"
	"time"

	"github.com/mfaconform/mfaconform/contracts"
)

// Exchange is one HTTP request and what came back, byte for byte: what
// every path (live workers, shrinking, replay, rejudging a recording)
// feeds a Session.
type Exchange struct {
	// Target is the request's X-Amz-Target header.
	Target string
	// ContentType is the request's Content-Type header.
	ContentType string
	RequestBody []byte
	Status      int
	Header      http.Header
	Body        []byte
	// Err is a transport failure: no answer, a reset, a timeout, a body
	// cut short.
	Err      error
	Duration time.Duration
	// Set is the Set request as it went on the wire, when the sender knows
	// it without parsing the bytes (the SDK's serializer: see
	// harness.sdkWire, checked against the bytes by a test). Nil means the
	// session decodes RequestBody.
	Set *contracts.SetRequest
}

// operation is the operation the request's X-Amz-Target names, or "" for
// one this service does not have.
func (x *Exchange) operation() string {
	op, ok := strings.CutPrefix(x.Target, contracts.TargetPrefix+".")
	if !ok {
		return ""
	}
	switch op {
	case contracts.OpSetUserPoolMfaConfig, contracts.OpGetUserPoolMfaConfig,
		contracts.OpCreateUserPool, contracts.OpDescribeUserPool, contracts.OpDeleteUserPool:
		return op
	}
	return ""
}

// otherContentType reports a request sent with a Content-Type other than
// awsJson1_1's (an empty one is what a recording without headers has, and
// is read as the usual one).
func (x *Exchange) otherContentType() bool {
	return x.ContentType != "" && MediaType(x.ContentType) != contracts.ContentType
}
