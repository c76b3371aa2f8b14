package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/mfaconform/mfaconform/cassettes"
	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/harness/calibrate"
	"github.com/mfaconform/mfaconform/harness/cassette"
	"github.com/mfaconform/mfaconform/harness/emulator"
	"github.com/mfaconform/mfaconform/harness/observed"
	"github.com/mfaconform/mfaconform/internal/atomicfile"
	"github.com/mfaconform/mfaconform/internal/config"
)

// referenceCassette is the bundled recording of the default run on the
// reference emulator: the points it reaches are the ones calibrate lists
// as unobserved when no recording reached them.
const referenceCassette = "reference.yaml"

// calibrateCmd reads recordings taken as ground truth and says what they
// showed at the contract's uncertain points; 1 when one contradicts it.
func calibrateCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mfaconform calibrate", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	s := config.DefaultSettings()
	s.DefineCommand(fs, "calibrate")
	paths, status, done := parseFiles(fs, args, "cassette", stdout, stderr)
	if done {
		return status
	}
	if err := checkOutputs(s.Out, s.Reports); err != nil {
		fmt.Fprintf(stderr, "mfaconform calibrate: %v\n", oneLine(err))
		return exitSetup
	}
	recordings, err := loadRecordings(paths, s.MaxCassetteBytes, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "mfaconform calibrate: %v\n", oneLine(err))
		return exitSetup
	}
	ref, err := bundledReference()
	if err != nil {
		fmt.Fprintf(stderr, "mfaconform calibrate: the bundled %s: %v\n", referenceCassette, oneLine(err))
		return exitSetup
	}
	rep, err := calibrate.Calibrate(recordings, ref)
	if err != nil {
		fmt.Fprintf(stderr, "mfaconform calibrate: %v\n", oneLine(err))
		return exitSetup
	}
	status = calibrateOutputs(rep, &s, stdout, stderr)
	if rep.Contradicted() {
		fmt.Fprintf(stderr, "mfaconform calibrate: %d point(s) contradict the contract: the contract or the recording is wrong\n", rep.Summary.Contradicts)
		return max(status, exitDeviation)
	}
	return status
}

// loadRecordings loads the recordings taken as ground truth, warning of
// one made under another contract revision.
func loadRecordings(paths []string, maxSize int64, stderr io.Writer) ([]*cassette.Cassette, error) {
	var recordings []*cassette.Cassette
	for _, p := range paths {
		c, err := loadCassette(p, maxSize)
		if err != nil {
			return nil, err
		}
		if c.Header.OtherContract() {
			fmt.Fprintf(stderr, "mfaconform calibrate: cassette %s was recorded under contract %q, this build follows %q; its calls are judged by the current contract\n",
				p, c.Header.Contract, contracts.Revision)
		}
		recordings = append(recordings, c)
	}
	return recordings, nil
}

// calibrateOutputs prints the table and writes the reports and the
// observations file; exit 2 when one could not be written.
func calibrateOutputs(rep *calibrate.Report, s *config.Settings, stdout, stderr io.Writer) int {
	rep.WriteConsole(stdout)
	status := exitOK
	for _, r := range s.Reports {
		if err := rep.WriteFile(r.Kind, r.Path); err != nil {
			fmt.Fprintf(stderr, "mfaconform calibrate: writing %s report: %v\n", r.Kind, oneLine(err))
			status = exitSetup
		}
	}
	if s.Out != "" {
		if err := writeObservations(s.Out, rep.Observations()); err != nil {
			fmt.Fprintf(stderr, "mfaconform calibrate: writing %s: %v\n", s.Out, oneLine(err))
			status = exitSetup
		} else {
			fmt.Fprintf(stdout, "wrote %s: review it, commit it, and judge with --observed %s\n", s.Out, s.Out)
		}
	}
	return status
}

func bundledReference() (*cassette.Cassette, error) {
	b, err := cassettes.FS.ReadFile(referenceCassette)
	if err != nil {
		return nil, err
	}
	return cassette.Parse(referenceCassette, b)
}

func writeObservations(path string, f *observed.File) error {
	b, err := f.Marshal()
	if err != nil {
		return err
	}
	return atomicfile.Write(path, func(w io.Writer) error { _, err := w.Write(b); return err }, 0o644)
}

// readObserved reads --observed: nil when not given. Stale points (the
// contract no longer asks them) are named on stderr, and narrow nothing.
func readObserved(path string, stderr io.Writer, cmd string) (*observed.File, error) {
	if path == "" {
		return nil, nil
	}
	o, err := observed.Load(path)
	if err != nil {
		return nil, fmt.Errorf("--observed %w", err)
	}
	for _, p := range o.Stale {
		fmt.Fprintf(stderr, "%s: --observed %s: line %d: point %q is stale: the contract no longer asks it\n", cmd, path, p.Line, p.ID)
	}
	return o, nil
}

// observedOption is the harness option of --observed, none without it.
func observedOption(o *observed.File) []harness.Option {
	if o == nil {
		return nil
	}
	return []harness.Option{harness.WithObserved(o)}
}

// contractTarget is the contract as diff asks it: the reference emulator
// in the recorded world, answering at each point an observations file
// settled what was observed (none without the file).
func contractTarget(world *contracts.World, path string) (harness.Target, error) {
	if path == "" {
		return harness.Reference(world), nil
	}
	o, err := observed.Load(path)
	if err != nil {
		return nil, fmt.Errorf("--observed %w", err)
	}
	return harness.Handler(emulator.New(emulator.WithWorld(world), emulator.WithChoice(o.Narrower()))), nil
}
