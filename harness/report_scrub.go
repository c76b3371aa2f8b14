package harness

import (
	"context"

	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/mfaconform/mfaconform/internal/inert"
	"github.com/mfaconform/mfaconform/internal/scrub"
)

// A report is a CI artifact: what it shows of the traffic (a target may
// echo credentials, accounts, emails and phone numbers into its answers)
// is scrubbed as cassettes are, by internal/scrub.

// scrubFinding returns a finding with everything it shows of what the
// target was sent or answered scrubbed. The contract's side is scrubbed
// too: its bodies and messages quote the request.
func scrubFinding(s *scrub.Scrubber, f Finding) Finding {
	f.Request = s.Value(f.Request)
	f.Want = Want{Status: f.Want.Status, Errors: scrubStrings(s, f.Want.Errors), Body: s.Value(f.Want.Body),
		Messages: scrubStrings(s, f.Want.Messages)}
	f.Got = Got{Status: f.Got.Status, Error: s.String(f.Got.Error), Message: s.String(f.Got.Message), Body: s.Value(f.Got.Body)}
	if f.Differences != nil {
		ds := make([]Difference, len(f.Differences))
		for i, d := range f.Differences {
			ds[i] = Difference{Path: s.String(d.Path), Want: s.Value(d.Want), Got: s.Value(d.Got)}
		}
		f.Differences = ds
	}
	f.Detail, f.Case = s.String(f.Detail), s.String(f.Case)
	f.PriorState = inert.Typed(scrub.Into(s, f.PriorState))
	// The Markdown report finds the pool ID in the scrubbed text.
	f.PoolID = s.String(f.PoolID)
	return f
}

func scrubStrings(s *scrub.Scrubber, vs []string) []string {
	if vs == nil {
		return nil
	}
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = s.String(v)
	}
	return out
}

// scrubbedError is an error whose text is scrubbed: a setup error quotes
// the target's answer, and the command line prints it.
type scrubbedError struct {
	text string
	err  error
}

func (e *scrubbedError) Error() string { return e.text }
func (e *scrubbedError) Unwrap() error { return e.err }

func scrubError(s *scrub.Scrubber, err error) error {
	if err == nil {
		return nil
	}
	return &scrubbedError{text: s.String(err.Error()), err: err}
}

// signingSecrets are the credentials a client signs with: a target that
// echoes them (or its Authorization header) must not get them printed.
func signingSecrets(c *cip.Client) []string {
	if c == nil || c.Options().Credentials == nil {
		return nil
	}
	creds, err := c.Options().Credentials.Retrieve(context.Background())
	if err != nil {
		return nil
	}
	return []string{creds.AccessKeyID, creds.SecretAccessKey, creds.SessionToken}
}
