package cassette

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness"
)

// Column is one target's report in a parity table: a cassette's replayed
// verdict, judged against the current contract, or a JSON report as it was
// written.
type Column struct {
	Name     string
	Cassette *Cassette
	// Path is the JSON report's file, when the column is one.
	Path   string
	Report *harness.Report
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
	return baseName(c.Name)
}

func baseName(path string) string {
	base := strings.TrimSuffix(filepath.Base(path), ".gz")
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// Parity replays each cassette and returns one column per cassette.
func Parity(ctx context.Context, cs []*Cassette) []Column {
	cols := make([]Column, 0, len(cs))
	for _, c := range cs {
		cols = append(cols, CassetteColumn(ctx, c))
	}
	return cols
}

// CassetteColumn replays a cassette into its column.
func CassetteColumn(ctx context.Context, c *Cassette) Column {
	col := Column{Name: ColumnName(c), Cassette: c}
	col.Report, _, col.Err = Replay(ctx, c)
	if col.Err == nil && c.Header.Verdict != nil {
		col.Changed = SameVerdict(c.Header.Verdict, col.Report)
	}
	return col
}

// ReportColumn is the column of a JSON report read from path, named by its
// target's name, else the file's.
func ReportColumn(path string, rep *harness.Report) Column {
	name := rep.Target.Name
	if name == "" {
		name = baseName(path)
	}
	return Column{Name: name, Path: path, Report: rep}
}

// Date is when the column's calls were made (RFC 3339), or "".
func (c Column) Date() string {
	switch {
	case c.Report != nil && c.Report.StartedAt != "":
		return c.Report.StartedAt
	case c.Cassette != nil:
		return c.Cassette.Header.RecordedAt
	}
	return ""
}

// ByDate orders columns so that a page reads as a trend: the columns of
// one target (the same name) stand together, where the first of them
// stood, oldest first when every one of them is dated (else in the order
// given); targets keep the order in which they first appear.
func ByDate(cols []Column) []Column {
	var names []string
	groups := map[string][]Column{}
	for _, c := range cols {
		if _, ok := groups[c.Name]; !ok {
			names = append(names, c.Name)
		}
		groups[c.Name] = append(groups[c.Name], c)
	}
	out := make([]Column, 0, len(cols))
	for _, n := range names {
		g := groups[n]
		dated := true
		times := make([]time.Time, len(g))
		for i, c := range g {
			t, err := time.Parse(time.RFC3339, c.Date())
			dated = dated && err == nil
			times[i] = t
		}
		if dated {
			idx := make([]int, len(g))
			for i := range idx {
				idx[i] = i
			}
			slices.SortStableFunc(idx, func(a, b int) int { return times[a].Compare(times[b]) })
			for _, i := range idx {
				out = append(out, g[i])
			}
			continue
		}
		out = append(out, g...)
	}
	return out
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
		fmt.Fprintf(w, "%s: %s\n", c.Name, columnNote(c))
	}
}

// columnNote says where a column comes from and how it was judged.
func columnNote(c Column) string {
	if c.Cassette == nil {
		r := c.Report
		return fmt.Sprintf("%s, a report of mfaconform %s against %s %s, seed %d, started %s",
			c.Path, r.Version, r.Target.Kind, r.Target.Endpoint, r.Seed, orUnknown(r.StartedAt))
	}
	h := c.Cassette.Header
	note := fmt.Sprintf("%s, recorded %s from %s %s by mfaconform %s, seed %d, %d interactions",
		c.Cassette.Name, h.RecordedAt, h.Target.Kind, h.Target.Endpoint, h.ToolVersion, h.Seed, h.Interactions)
	switch {
	case c.Err != nil:
		note += fmt.Sprintf("; cannot replay: %v", c.Err)
	case c.Changed != nil:
		note += fmt.Sprintf("; judged differently from when recorded: %s", strings.ReplaceAll(c.Changed.Error(), "\n", "; "))
	case h.Verdict != nil:
		note += "; same verdict as when recorded"
	}
	return note
}

func orUnknown(s string) string {
	if s == "" {
		return "(unknown)"
	}
	return s
}

// WriteParityHTML writes the parity table as one self-contained page, each
// cell linking to that target's deviations on the same page.
func WriteParityHTML(w io.Writer, cols []Column) error {
	pcs := make([]harness.ParityColumn, 0, len(cols))
	for _, c := range cols {
		pc := harness.ParityColumn{Name: c.Name, Source: columnNote(c), Report: c.Report}
		if c.Err != nil {
			pc.Report, pc.Err = nil, c.Err.Error()
		}
		pcs = append(pcs, pc)
	}
	return harness.WriteParityHTML(w, pcs)
}
