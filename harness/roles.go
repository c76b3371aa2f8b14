package harness

import (
	"bytes"

	"github.com/mfaconform/mfaconform/contracts"
)

// roleMap maps the role ARNs the generators write (the default world's)
// to the run's world: each to a role of the world with the same IAM
// facts, so that a fixtures file's roles (a live account's) are the ones
// sent and the trusted path is tried. A default role the world has no
// match for is sent as it is: a role the world does not describe, which
// the contract judges as one that cannot be assumed.
type roleMap map[string]string

func newRoleMap(w *contracts.World) roleMap {
	m := roleMap{}
	for _, def := range contracts.DefaultWorld().Roles {
		if w.Role(def.ARN) != nil {
			continue
		}
		for _, r := range w.Roles {
			if r.TrustsCognito == def.TrustsCognito && r.CanPublish == def.CanPublish {
				m[def.ARN] = r.ARN
				break
			}
		}
	}
	return m
}

// set returns the request with its SMS role mapped.
func (m roleMap) set(r contracts.SetRequest) contracts.SetRequest {
	if len(m) == 0 || r.SmsMfaConfiguration == nil || r.SmsMfaConfiguration.SmsConfiguration == nil ||
		r.SmsMfaConfiguration.SmsConfiguration.SnsCallerArn == nil {
		return r
	}
	to, ok := m[*r.SmsMfaConfiguration.SmsConfiguration.SnsCallerArn]
	if !ok {
		return r
	}
	sms := *r.SmsMfaConfiguration
	sc := *sms.SmsConfiguration
	sc.SnsCallerArn = &to
	sms.SmsConfiguration = &sc
	r.SmsMfaConfiguration = &sms
	return r
}

// raw returns a raw body with every mapped role replaced.
func (m roleMap) raw(body []byte) []byte {
	for from, to := range m {
		body = bytes.ReplaceAll(body, []byte(from), []byte(to))
	}
	return body
}
