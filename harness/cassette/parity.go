package cassette

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness"
)

// Column is one cassette of a parity table: its replayed verdict, judged
// against the current contract.
type Column struct {
	Name     string
	Cassette *Cassette
	Report   *harness.Report
	// Err: the cassette could not be replayed.
	Err error
	// Changed: the replay judges differently from the recording (the
	// contract changed since), every rule that moved joined.
	Changed error
}

// ColumnName labels a cassette: the target's name from the header, else
// the file name.
func ColumnName(c *Cassette) string {
	if c.Header.Target.Name != "" {
		return c.Header.Target.Name
	}
	base := strings.TrimSuffix(filepath.Base(c.Name), ".gz")
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// Parity replays each cassette and returns one column per cassette.
func Parity(ctx context.Context, cs []*Cassette) []Column {
	cols := make([]Column, 0, len(cs))
	for _, c := range cs {
		col := Column{Name: ColumnName(c), Cassette: c}
		col.Report, _, col.Err = Replay(ctx, c)
		if col.Err == nil && c.Header.Verdict != nil {
			col.Changed = SameVerdict(c.Header.Verdict, col.Report)
		}
		cols = append(cols, col)
	}
	return cols
}

// WriteParity prints the table: rules down, targets across, the status of
// each rule in each cell.
func WriteParity(w io.Writer, cols []Column) {
	fmt.Fprintf(w, "parity of %d recorded targets, replayed with no network and judged against contract %s\n\n", len(cols), contracts.Revision)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	head := []string{"RULE"}
	for _, c := range cols {
		head = append(head, c.Name)
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, rule := range contracts.Rules() {
		row := []string{string(rule.ID)}
		for _, c := range cols {
			cell := "-"
			switch {
			case c.Err != nil:
				cell = "error"
			case c.Report.Rule(rule.ID) != nil:
				cell = c.Report.Rule(rule.ID).Status
			}
			row = append(row, cell)
		}
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	row := []string{"(pass/fail/warn/skip)"}
	for _, c := range cols {
		if c.Err != nil {
			row = append(row, "error")
			continue
		}
		s := c.Report.Summary
		row = append(row, fmt.Sprintf("%d/%d/%d/%d", s.Pass, s.Fail, s.Warn, s.Skip))
	}
	fmt.Fprintln(tw, strings.Join(row, "\t"))
	tw.Flush()
	fmt.Fprintln(w)
	for _, c := range cols {
		h := c.Cassette.Header
		fmt.Fprintf(w, "%s: %s, recorded %s from %s %s by mfaconform %s, seed %d, %d interactions",
			c.Name, c.Cassette.Name, h.RecordedAt, h.Target.Kind, h.Target.Endpoint, h.ToolVersion, h.Seed, h.Interactions)
		switch {
		case c.Err != nil:
			fmt.Fprintf(w, "; cannot replay: %v", c.Err)
		case c.Changed != nil:
			fmt.Fprintf(w, "; judged differently from when recorded: %s", strings.ReplaceAll(c.Changed.Error(), "\n", "; "))
		case h.Verdict != nil:
			fmt.Fprintf(w, "; same verdict as when recorded")
		}
		fmt.Fprintln(w)
	}
}
