package contracts

// ExpectMalformed is the expectation for a body that is not a JSON object
// of the operation's input shape. Malformed JSON is a SerializationException;
// a member of the wrong JSON type may instead be coerced by the service's
// deserializer and then fail validation, so InvalidParameterException is
// allowed too (unconfirmed which AWS does).
func ExpectMalformed(op string, err *SerializationError) Expectation {
	e := Expectation{Operation: op, Rule: RuleProtocolMalformedRequest, Checked: []RuleID{RuleProtocolMalformedRequest}, Certain: true}
	e.Outcomes = append(e.Outcomes, Outcome{Error: SerializationException(), Text: err.Error()})
	if err.Path != "" {
		e.Outcomes = append(e.Outcomes, Outcome{Error: InvalidParameterException(), Text: err.Error()})
		e.Certain = false
	}
	return e
}

// ExpectUnknownOperation is the expectation for a request whose
// X-Amz-Target is missing or names no operation of the service.
func ExpectUnknownOperation() Expectation {
	return Expectation{Operation: "", Rule: RuleProtocolUnknownOperation, Checked: []RuleID{RuleProtocolUnknownOperation},
		Certain: true, Outcomes: []Outcome{{Error: UnknownOperationException(), Text: "Unknown operation"}}}
}

// ExpectOtherContentType widens an expectation for a request sent with a
// Content-Type other than application/x-amz-json-1.1: whether AWS reads
// the body anyway or refuses it is unconfirmed, so both are allowed.
func ExpectOtherContentType(e Expectation) Expectation {
	e.Outcomes = append(e.Outcomes, Outcome{Error: SerializationException(), Text: "Unsupported Content-Type"},
		Outcome{Error: UnknownOperationException(), Text: "Unsupported Content-Type"})
	e.Certain = false
	return e
}

// Allows reports whether an error code is an allowed outcome.
func (e *Expectation) Allows(code string) bool {
	for _, c := range e.ErrorCodes() {
		if c == code {
			return true
		}
	}
	return false
}
