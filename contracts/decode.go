package contracts

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// SerializationError is a request body that is not a JSON object of the
// operation's input shape: not JSON at all, or a member of the wrong JSON
// type. awsJson1_1 services answer it with SerializationException before
// any validation runs.
type SerializationError struct {
	Path   string // lowerCamel path of the offending member; empty for the body
	Reason string
}

func (e *SerializationError) Error() string {
	if e.Path == "" {
		return e.Reason
	}
	return fmt.Sprintf("%s at '%s'", e.Reason, e.Path)
}

// DecodeValue parses a request body for the given input shape into plain
// JSON values (map[string]any, string, bool, json.Number) and checks every
// modeled member's JSON type. An empty body is the empty object (the awsJson
// spec says servers must accept it). Unknown members are kept and ignored by
// validation; null members count as absent.
func DecodeValue(shape *Shape, body []byte) (map[string]any, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return map[string]any{}, nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, &SerializationError{Reason: "Request body is not valid JSON: " + err.Error()}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, &SerializationError{Reason: "Request body has data after the JSON value"}
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, &SerializationError{Reason: "Request body must be a JSON object, got " + jsonKind(v)}
	}
	if err := checkTypes(shape, obj, ""); err != nil {
		return nil, err
	}
	return obj, nil
}

func checkTypes(shape *Shape, obj map[string]any, path string) error {
	for _, m := range shape.Members {
		v, ok := obj[m.Name]
		if !ok || v == nil {
			continue
		}
		p := join(path, lowerCamel(m.Name))
		switch m.Shape.Type {
		case TypeString:
			if _, ok := v.(string); !ok {
				return &SerializationError{Path: p, Reason: "Expected a string, got " + jsonKind(v)}
			}
		case TypeBoolean:
			if _, ok := v.(bool); !ok {
				return &SerializationError{Path: p, Reason: "Expected a boolean, got " + jsonKind(v)}
			}
		case TypeStructure:
			sub, ok := v.(map[string]any)
			if !ok {
				return &SerializationError{Path: p, Reason: "Expected an object, got " + jsonKind(v)}
			}
			if err := checkTypes(m.Shape, sub, p); err != nil {
				return err
			}
		}
	}
	return nil
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case json.Number, float64:
		return "a number"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// DecodeSet parses a SetUserPoolMfaConfig body: the typed request and the
// plain value validation runs on.
func DecodeSet(body []byte) (*SetRequest, map[string]any, error) {
	v, err := DecodeValue(setUserPoolMfaConfigRequest, body)
	if err != nil {
		return nil, nil, err
	}
	return setRequestFrom(v), v, nil
}

// DecodeGet parses a GetUserPoolMfaConfig body.
func DecodeGet(body []byte) (*GetRequest, map[string]any, error) {
	v, err := DecodeValue(getUserPoolMfaConfigRequest, body)
	if err != nil {
		return nil, nil, err
	}
	return &GetRequest{UserPoolId: getString(v, "UserPoolId")}, v, nil
}

// ValueOf turns a typed request or MFA configuration into the plain value
// validation runs on (what a JSON round trip gives, without one).
func ValueOf(req any) map[string]any {
	switch r := req.(type) {
	case *SetRequest:
		m := map[string]any{}
		if r == nil {
			return m
		}
		putString(m, "UserPoolId", r.UserPoolId)
		return blocksValue(m, r.SmsMfaConfiguration, r.SoftwareTokenMfaConfiguration, r.EmailMfaConfiguration,
			r.MfaConfiguration, r.WebAuthnConfiguration)
	case *GetRequest:
		m := map[string]any{}
		if r == nil {
			return m
		}
		putString(m, "UserPoolId", r.UserPoolId)
		return m
	case *MfaConfig:
		if r == nil {
			return map[string]any{}
		}
		return blocksValue(map[string]any{}, r.SmsMfaConfiguration, r.SoftwareTokenMfaConfiguration,
			r.EmailMfaConfiguration, r.MfaConfiguration, r.WebAuthnConfiguration)
	}
	b, err := json.Marshal(req)
	if err != nil {
		panic("contracts: request types always marshal: " + err.Error())
	}
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		panic("contracts: request types always unmarshal: " + err.Error())
	}
	return v
}
