package contracts

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Fixture files and cassette headers written earlier name the members
// of roles and pools in camelCase; the JSON the tool writes is snake_case
// throughout. The old names are still read, so that old fixture files and
// recorded worlds keep working; a member given under both names is refused.

// UnmarshalJSON reads a role, also under its old member names
// (trustsCognito, canPublish). Unknown members are refused.
func (r *Role) UnmarshalJSON(b []byte) error {
	type role Role
	return decodeRenamed(b, (*role)(r), "trustsCognito", "trusts_cognito", "canPublish", "can_publish")
}

// UnmarshalJSON reads a pool, also under its old member names
// (emailSendingAccount, firstAuthFactors, smsConfiguration). Unknown
// members are refused.
func (p *Pool) UnmarshalJSON(b []byte) error {
	type pool Pool
	return decodeRenamed(b, (*pool)(p), "emailSendingAccount", "email_sending_account",
		"firstAuthFactors", "first_auth_factors", "smsConfiguration", "sms_configuration")
}

// decodeRenamed decodes the object b into v, strictly, after moving each
// old member name (pairs: old, new) to its new one.
func decodeRenamed(b []byte, v any, pairs ...string) error {
	var members map[string]json.RawMessage
	if json.Unmarshal(b, &members) == nil && members != nil {
		moved := false
		for i := 0; i+1 < len(pairs); i += 2 {
			old, now := pairs[i], pairs[i+1]
			raw, ok := members[old]
			if !ok {
				continue
			}
			if _, both := members[now]; both {
				return fmt.Errorf("both %q and its old name %q are given", now, old)
			}
			members[now] = raw
			delete(members, old)
			moved = true
		}
		if moved {
			var err error
			if b, err = json.Marshal(members); err != nil {
				return err
			}
		}
	}
	// A custom UnmarshalJSON does not inherit the caller's
	// DisallowUnknownFields; fixture files refuse unknown members.
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}
