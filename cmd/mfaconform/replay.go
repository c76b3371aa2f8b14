package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/harness/cassette"
	"github.com/mfaconform/mfaconform/harness/ledger"
	"github.com/mfaconform/mfaconform/harness/observed"
	"github.com/mfaconform/mfaconform/internal/config"
)

var cmdReplay = withSignals(replayCmd)

// replayCmd replays each cassette with no network and judges it against
// the current contract. The exit status is the worst of the cassettes'.
func replayCmd(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mfaconform replay", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	s := config.DefaultSettings()
	s.DefineCommand(fs, "replay")
	paths, status, done := parseFiles(fs, args, "cassette", stdout, stderr)
	if done {
		return status
	}
	if err := checkOutputs("", s.Reports); err != nil {
		fmt.Fprintf(stderr, "mfaconform replay: %v\n", oneLine(err))
		return exitSetup
	}
	known, err := readLedger(s.Known)
	var obs *observed.File
	if err == nil {
		obs, err = readObserved(s.Observed, stderr, "mfaconform replay")
	}
	if err != nil {
		fmt.Fprintf(stderr, "mfaconform replay: %v\n", oneLine(err))
		return exitSetup
	}
	opts := observedOption(obs)
	if s.RulesSet {
		if status, ok := checkRules(stderr, "mfaconform replay", s.Rules); !ok {
			return status
		}
		opts = append(opts, harness.WithRules(s.Rules...))
	}
	status = exitOK
	for _, path := range paths {
		status = max(status, replayOne(ctx, &s, known, opts, path, len(paths) > 1, stdout, stderr))
	}
	return status
}

// replayOne replays one cassette, prints and writes its reports, and
// returns its exit status; several gives each report the cassette's name.
func replayOne(ctx context.Context, s *config.Settings, known *ledger.Ledger, opts []harness.Option, path string, several bool, stdout, stderr io.Writer) int {
	c, err := loadCassette(path, s.MaxCassetteBytes)
	if err != nil {
		fmt.Fprintf(stderr, "mfaconform replay: %v\n", oneLine(err))
		return exitSetup
	}
	if c.Header.OtherContract() {
		fmt.Fprintf(stderr, "mfaconform replay: cassette %s was recorded under contract %q, this build follows %q; verdicts follow the current contract\n",
			path, c.Header.Contract, contracts.Revision)
	}
	replay := cassette.Replay
	if s.Rejudge {
		replay = func(_ context.Context, c *cassette.Cassette, opts ...harness.Option) (*harness.Report, cassette.Stats, error) {
			return cassette.Rejudge(c, opts...)
		}
	}
	rep, st, err := replay(ctx, c, opts...)
	if err != nil {
		fmt.Fprintf(stderr, "mfaconform replay: %v\n", oneLine(err))
		return exitSetup
	}
	verdict, summary := exitOK, func(io.Writer) {}
	if known != nil {
		verdict, summary = gate(known, s.StrictKnown, rep)
	}
	rep.WriteConsole(stdout)
	summary(stdout)
	if st.Rejudged {
		why := ""
		if st.Missed > 0 {
			why = fmt.Sprintf(" (this version sends calls the recording does not hold, e.g. %s)", st.FirstMiss)
		}
		fmt.Fprintf(stdout, "judged %s interaction by interaction%s: %d recorded interactions, no network%s\n\n",
			path, why, len(c.Interactions), recordedNote(c))
	} else {
		fmt.Fprintf(stdout, "replayed %s: %d of %d recorded interactions answered, no network%s\n\n",
			path, st.Served, len(c.Interactions), recordedNote(c))
	}
	status := exitOK
	for _, r := range s.Reports {
		out := r.Path
		if several {
			out = perCassette(out, path)
		}
		if err := rep.WriteFile(r.Kind, out); err != nil {
			fmt.Fprintf(stderr, "mfaconform replay: writing %s report: %v\n", r.Kind, oneLine(err))
			status = exitSetup
		}
	}
	if known != nil && verdict != exitOK {
		return max(status, verdict)
	}
	what := "the replay of " + path
	if c.Header.Interrupted {
		what += " (the recording of an interrupted run)"
	}
	return max(status, verdictStatus(stderr, "mfaconform replay", what, rep, known != nil))
}

// recordedNote says where and when the cassette was recorded.
func recordedNote(c *cassette.Cassette) string {
	h := c.Header
	name := h.Target.Name
	if name == "" {
		name = h.Target.Kind
	}
	note := fmt.Sprintf(" (recorded from %s at %s by mfaconform %s", name, h.RecordedAt, h.ToolVersion)
	if h.Interrupted {
		note += ", an interrupted run"
	}
	return note + ")"
}

// perCassette puts a cassette's name before a report path's extension:
// out.json and reference.yaml give out.reference.json.
func perCassette(out, cassettePath string) string {
	base := strings.TrimSuffix(filepath.Base(cassettePath), ".gz")
	base = strings.TrimSuffix(base, filepath.Ext(base))
	ext := filepath.Ext(out)
	return strings.TrimSuffix(out, ext) + "." + base + ext
}

// parseInterleaved parses flags that may come before, between or after
// positional arguments, and returns the positional ones.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}
