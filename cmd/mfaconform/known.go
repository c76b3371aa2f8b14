package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/harness/ledger"
	"github.com/mfaconform/mfaconform/internal/config"
)

// now is the day ledgers are judged on; tests set it.
var now = time.Now

// readLedger reads --known; nil without one.
func readLedger(path string) (*ledger.Ledger, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--known: %w", err)
	}
	defer f.Close()
	l, err := ledger.Read(f)
	if err != nil {
		return nil, fmt.Errorf("--known %s: %w", path, err)
	}
	return l, nil
}

// gate applies a ledger to a report (marking its known deviations, before
// the report is written) and returns the exit status it decides: 0 when
// every deviation is known and unexpired (and, strict, no entry is
// stale), 1 otherwise, with each new deviation, expired and stale entry
// named on w.
func gate(l *ledger.Ledger, strict bool, rep *harness.Report) (status int, summary func(w io.Writer)) {
	res := l.Apply(rep, now())
	status = exitOK
	if res.Failed(strict) {
		status = exitDeviation
	}
	return status, func(w io.Writer) {
		fmt.Fprintf(w, "known deviations: %d known, %d new, %d expired; %d stale entries\n",
			res.Known, len(res.New), len(res.Expired), len(res.Stale))
		for _, f := range res.New {
			fmt.Fprintf(w, "  NEW      %s (%d calls): %s\n", f.Signature, f.Count, oneLine(fmt.Errorf("%s", f.Detail)))
		}
		for _, f := range res.Expired {
			fmt.Fprintf(w, "  EXPIRED  %s: the entry accepting it expired on %s (%s)\n", f.Signature, f.Known.Expires, f.Known.Reason)
		}
		for _, e := range res.Stale {
			what := string(e.Rule)
			if e.Signature != "" {
				what = e.Signature
			}
			fmt.Fprintf(w, "  STALE    line %d: %s matched nothing: fixed upstream? (%s)\n", e.Line, what, e.Reason)
		}
	}
}

// knownCmd writes a ledger accepting every deviation of a JSON report, for
// a person to review and give reasons.
func knownCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mfaconform known", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	s := config.DefaultSettings()
	s.DefineCommand(fs, "known")
	if status, done := parseCommand(fs, args, stdout, stderr); done {
		return status
	}
	if s.From == "" {
		fmt.Fprintln(stderr, "mfaconform known: --from REPORT.json is required")
		return exitSetup
	}
	expires := s.Expires
	if expires == "" {
		expires = now().AddDate(0, 0, 90).Format(ledger.DateLayout)
	} else if _, err := time.Parse(ledger.DateLayout, expires); err != nil {
		fmt.Fprintf(stderr, "mfaconform known: --expires %q is not a date (YYYY-MM-DD)\n", expires)
		return exitSetup
	}
	rep, err := readReport(s.From)
	if err != nil {
		fmt.Fprintf(stderr, "mfaconform known: %v\n", oneLine(err))
		return exitSetup
	}
	if err := ledger.FromReport(rep, expires).Write(stdout); err != nil {
		fmt.Fprintf(stderr, "mfaconform known: %v\n", oneLine(err))
		return exitSetup
	}
	return exitOK
}

// readReport reads a JSON report, of this version of the format or the
// one before.
func readReport(path string) (*harness.Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rep, err := harness.ReadReport(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rep, nil
}
