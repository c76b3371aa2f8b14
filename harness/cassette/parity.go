package cassette

import (
	"context"
	"fmt"
	"strings"

	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/internal/reportfile"
)

// ColumnName labels a cassette: the target's name from the header, else
// the file name.
func ColumnName(c *Cassette) string {
	if c.Header.Target.Name != "" {
		return c.Header.Target.Name
	}
	return reportfile.Stem(c.Name)
}

// Parity replays each cassette and returns one parity column per
// cassette (harness.WriteParity and harness.WriteParityHTML show them).
func Parity(ctx context.Context, cs []*Cassette) []harness.ParityColumn {
	cols := make([]harness.ParityColumn, 0, len(cs))
	for _, c := range cs {
		cols = append(cols, ParityColumn(ctx, c))
	}
	return cols
}

// ParityColumn replays a cassette into its parity column: the replayed
// report, and a source saying where and when it was recorded and whether
// the replay judges as the recording did (the contract may have changed
// since).
func ParityColumn(ctx context.Context, c *Cassette) harness.ParityColumn {
	h := c.Header
	col := harness.ParityColumn{Name: ColumnName(c), Date: h.RecordedAt}
	rep, _, err := Replay(ctx, c)
	col.Source = fmt.Sprintf("%s, recorded %s from %s %s by mfaconform %s, seed %d, %d interactions",
		c.Name, h.RecordedAt, h.Target.Kind, h.Target.Endpoint, h.ToolVersion, h.Seed, h.Interactions)
	if err != nil {
		col.Err = err.Error()
		col.Source += fmt.Sprintf("; cannot replay: %v", err)
		return col
	}
	if h.Verdict != nil {
		if changed := SameVerdict(h.Verdict, rep); changed != nil {
			col.Source += "; judged differently from when recorded: " + strings.ReplaceAll(changed.Error(), "\n", "; ")
		} else {
			col.Source += "; same verdict as when recorded"
		}
	}
	col.Report = rep
	if rep.StartedAt != "" {
		col.Date = rep.StartedAt
	}
	return col
}
