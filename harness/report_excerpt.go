package harness

import "github.com/mfaconform/mfaconform/internal/inert"

// A target may answer a message of a megabyte on every call. What the
// tally keeps of its answers, and so what every report shows, is a
// bounded excerpt of each text, with the text's size and digest
// (internal/inert): a run's memory and its reports follow the number of
// deviations, not the size of the answers.

// excerptAnswer bounds what a finding holds of the target's answer: the
// detail (which quotes it), the answer's error type, message and body,
// and the values that differ. The request and the prior state stay whole:
// shrinking re-sends the one and restores the other.
func excerptAnswer(f Finding) Finding {
	f.Detail = inert.Excerpt(f.Detail)
	f.Got = Got{Status: f.Got.Status, Error: inert.Excerpt(f.Got.Error), Message: inert.Excerpt(f.Got.Message),
		Body: inert.Value(f.Got.Body)}
	if f.Differences != nil {
		ds := make([]Difference, len(f.Differences))
		for i, d := range f.Differences {
			ds[i] = Difference{Path: inert.Excerpt(d.Path), Want: d.Want, Got: inert.Value(d.Got)}
		}
		f.Differences = ds
	}
	return f
}
