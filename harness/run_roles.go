package harness

import (
	"bytes"
	"slices"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/fuzz"
)

// roleMap maps the role ARNs the generators write (the default world's)
// to the run's world: each to a role of the world with the same IAM
// facts, so that a fixtures file's roles (a live account's) are the ones
// sent and the trusted path is tried. A default role the world has no
// match for is sent as it is: a role the world does not describe, which
// the contract judges as one that cannot be assumed.
//
// A world role that requires an ExternalId of its own gets it in place of
// the generators' ordinary ones (fuzz.ExternalIDs); the ExternalIds that
// test the member's length boundaries are sent as they are, and the
// contract expects the role to be refused for them.
type roleMap struct {
	arns     map[string]string
	external map[string]string // world role ARN -> the ExternalId it requires
}

func newRoleMap(w *contracts.World) roleMap {
	m := roleMap{arns: map[string]string{}, external: map[string]string{}}
	for _, r := range w.Roles {
		if r.ExternalID != "" {
			m.external[r.ARN] = r.ExternalID
		}
	}
	for _, def := range contracts.DefaultWorld().Roles {
		if w.Role(def.ARN) != nil {
			continue
		}
		for _, r := range w.Roles {
			if r.TrustsCognito == def.TrustsCognito && r.CanPublish == def.CanPublish {
				m.arns[def.ARN] = r.ARN
				break
			}
		}
	}
	return m
}

// set returns the request with its SMS role (and ExternalId) mapped.
func (m roleMap) set(r contracts.SetRequest) contracts.SetRequest {
	if r.SmsMfaConfiguration == nil || r.SmsMfaConfiguration.SmsConfiguration == nil ||
		r.SmsMfaConfiguration.SmsConfiguration.SnsCallerArn == nil {
		return r
	}
	sc := *r.SmsMfaConfiguration.SmsConfiguration
	to, mapped := m.arns[*sc.SnsCallerArn]
	if mapped {
		sc.SnsCallerArn = &to
	}
	ext, requires := m.external[*sc.SnsCallerArn]
	requires = requires && sc.ExternalId != nil && slices.Contains(fuzz.ExternalIDs(), *sc.ExternalId)
	if !mapped && !requires {
		return r
	}
	if requires {
		sc.ExternalId = &ext
	}
	sms := *r.SmsMfaConfiguration
	sms.SmsConfiguration = &sc
	r.SmsMfaConfiguration = &sms
	return r
}

// raw returns a raw body with every mapped role replaced.
func (m roleMap) raw(body []byte) []byte {
	for from, to := range m.arns {
		body = bytes.ReplaceAll(body, []byte(from), []byte(to))
	}
	return body
}
