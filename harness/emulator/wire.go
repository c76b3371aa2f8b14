package emulator

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/mfaconform/mfaconform/contracts"
)

// Codes of the answers that are not modeled errors of any operation.
const (
	// CodeRequestTooLarge answers a body over the limit (WithMaxBody).
	CodeRequestTooLarge = "RequestEntityTooLargeException"
)

// apiError is an error answer: Code goes out as __type and as the
// X-Amzn-ErrorType header.
type apiError struct {
	Code    string
	Status  int
	Message string
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

func errorOf(shape *contracts.ErrorShape, msg string) *apiError {
	if msg == "" {
		msg = shape.Code
	}
	return &apiError{Code: shape.Code, Status: shape.Status, Message: msg}
}

func serializationError(err error) *apiError {
	return errorOf(contracts.SerializationException(), err.Error())
}

func validationError(vs []contracts.Violation) *apiError {
	return errorOf(contracts.InvalidParameterException(), contracts.ValidationMessage(vs))
}

// errorBody is the awsJson1_1 error body, members in this order.
type errorBody struct {
	Type    string `json:"__type"`
	Message string `json:"message"`
}

func writeError(w http.ResponseWriter, e *apiError) {
	w.Header().Set("X-Amzn-ErrorType", e.Code)
	writeJSON(w, e.Status, errorBody{Type: e.Code, Message: e.Message})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Every value written here is one of the emulator's own types.
		status, buf = http.StatusInternalServerError, bytes.Buffer{}
		fmt.Fprintf(&buf, `{"__type":"InternalErrorException","message":"InternalErrorException"}`)
		w.Header().Set("X-Amzn-ErrorType", contracts.InternalErrorException().Code)
	}
	w.WriteHeader(status)
	w.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

// readBody reads at most limit bytes; a longer body is refused without
// being read in full.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, *apiError) {
	tooLarge := &apiError{Code: CodeRequestTooLarge, Status: http.StatusRequestEntityTooLarge,
		Message: fmt.Sprintf("Request body is larger than the limit of %d bytes", limit)}
	if r.ContentLength > limit {
		return nil, tooLarge
	}
	if r.Body == nil {
		return nil, nil
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var max *http.MaxBytesError
	switch {
	case errors.As(err, &max):
		return nil, tooLarge
	case err != nil:
		return nil, errorOf(contracts.SerializationException(), "Could not read the request body: "+err.Error())
	}
	return b, nil
}

// newRequestID returns a random UUID version 4.
func newRequestID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
