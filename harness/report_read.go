package harness

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/mfaconform/mfaconform/internal/capped"
)

// MaxReportSize is the most ReadReport reads of one JSON report. A run
// report lists at most 50 deviations a rule, each with a bounded excerpt
// of what the target answered; one larger than this is refused whole.
const MaxReportSize = 256 << 20

// ErrNotAReport is wrapped by ReadReport's error for input that is not a
// whole mfaconform JSON report.
var ErrNotAReport = errors.New("not an mfaconform JSON report")

// stableMembers are the members design.md's JSON report always has: a
// report without one of them was not written by Run, or was cut.
var stableMembers = []string{"tool", "version", "contract", "target", "seed", "cases", "rules", "summary"}

// ReadReport reads a JSON report as Run's WriteFile writes it, of this
// format or the one before. A report larger than MaxReportSize is refused,
// not read in part, and so is one missing a stable member.
func ReadReport(r io.Reader) (*Report, error) {
	b, err := capped.ReadAll(r, MaxReportSize)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotAReport, err)
	}
	var members map[string]present
	if err := json.Unmarshal(b, &members); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotAReport, err)
	}
	var missing []string
	for _, m := range stableMembers {
		if !members[m] {
			missing = append(missing, m)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%w: no %s", ErrNotAReport, strings.Join(missing, ", "))
	}
	var rep Report
	if err := json.Unmarshal(b, &rep); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotAReport, err)
	}
	if rep.Tool != "mfaconform" {
		return nil, fmt.Errorf("%w: tool %q", ErrNotAReport, rep.Tool)
	}
	return &rep, nil
}

// present notes whether a member has a value other than null, without
// keeping a copy of it (the rules are most of a report).
type present bool

func (p *present) UnmarshalJSON(b []byte) error {
	*p = string(b) != "null"
	return nil
}
