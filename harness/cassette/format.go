// Package cassette records, replays and diffs mfaconform runs as go-vcr v2
// cassettes: AWS-aware scrubbing before anything is written, atomic saves,
// matching on X-Amz-Target plus the canonical JSON body, and an indexed
// replay that answers each request in constant time.
//
// Some exports are used by no other package of this module. The Recorder
// and the Replayer are http.RoundTrippers, for a user's own SDK client
// (Options.HTTPClient), with NewScrubber, the scrubbing both apply.
// VerdictOf and SameVerdict compare a replayed report with the verdict a
// cassette recorded, as replay does. The error values are for errors.Is,
// and the Diff kinds and Absent are the values a DiffReport holds.
package cassette

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	vcr "github.com/dnaeon/go-vcr/v2/cassette"
	"gopkg.in/yaml.v3"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/fuzz"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/internal/atomicfile"
	"github.com/mfaconform/mfaconform/internal/config"
)

// FormatVersion is the version of the mfaconform header. A reader refuses
// any other: a newer layout must not be half understood.
const FormatVersion = 1

// vcrVersion is go-vcr v2's own cassette format version.
const vcrVersion = 1

// ErrBadCassette is a cassette that cannot be used: empty, not YAML, cut
// short, of an unknown format version, or recorded for other operations.
// The command line exits 2 on it.
var ErrBadCassette = errors.New("bad cassette")

// Operations is the operation set a cassette of this tool is recorded for,
// as X-Amz-Target values: the MFA configuration pair and the fixture calls.
func Operations() []string {
	var out []string
	for _, op := range []string{contracts.OpSetUserPoolMfaConfig, contracts.OpGetUserPoolMfaConfig,
		contracts.OpCreateUserPool, contracts.OpDescribeUserPool, contracts.OpDeleteUserPool} {
		out = append(out, contracts.Target(op))
	}
	return out
}

// Header is the provenance of a cassette: where, when, with which tool,
// contract and flags it was recorded, and the verdict of that run. It is
// a top-level member go-vcr's loader ignores, so the file stays a plain
// go-vcr v2 cassette.
type Header struct {
	FormatVersion int      `yaml:"format_version"`
	Operations    []string `yaml:"operations"`
	Target        Origin   `yaml:"target"`
	RecordedAt    string   `yaml:"recorded_at"`
	ToolVersion   string   `yaml:"tool_version"`
	Contract      string   `yaml:"contract"`
	Seed          int64    `yaml:"seed"`
	Flags         Flags    `yaml:"flags"`
	// Cases fingerprints the cases the generators made for the seed and
	// checks: replay re-runs them, so a cassette recorded with other
	// generators is told apart before anything is judged.
	Cases string `yaml:"cases_fingerprint,omitempty"`
	// World is the fixture world of the run (scrubbed like the traffic),
	// as the JSON form contracts.ReadWorld reads.
	World map[string]any `yaml:"world,omitempty"`
	// Interactions counts the interactions the file holds: a file cut
	// short is told from a complete one.
	Interactions int `yaml:"interactions"`
	// Interrupted: the run did not finish (Ctrl-C, a crash before the
	// final save, a target that stopped answering).
	Interrupted bool   `yaml:"interrupted,omitempty"`
	Error       string `yaml:"error,omitempty"`
	// Verdict is what the run judged when it was recorded.
	Verdict *Verdict `yaml:"verdict,omitempty"`
}

// OtherContract says whether the cassette was recorded under another
// contract revision than this build follows. Replay still judges against
// the current contract (a recording of real AWS outlives the build that
// made it, and a contract fix re-judges it): callers warn, not refuse.
func (h Header) OtherContract() bool { return h.Contract != contracts.Revision }

// Origin is the target a cassette was recorded from, in the header's
// YAML (target) and in the diff report's JSON (recorded).
type Origin struct {
	Kind     string `yaml:"kind" json:"kind"`
	Endpoint string `yaml:"endpoint,omitempty" json:"endpoint,omitempty"`
	// Name labels the target in parity tables (e.g. moto-5.2.1).
	Name string `yaml:"name,omitempty" json:"name,omitempty"`
}

// Flags are the run's settings that decide which calls it sends, as the
// one configuration of the tool records them.
type Flags = config.Recorded

// Verdict is a run's verdict, rule by rule.
type Verdict struct {
	Pass  int           `yaml:"pass"`
	Fail  int           `yaml:"fail"`
	Warn  int           `yaml:"warn"`
	Skip  int           `yaml:"skip"`
	Calls int64         `yaml:"calls"`
	Rules []RuleVerdict `yaml:"rules"`
}

// RuleVerdict is one rule's verdict.
type RuleVerdict struct {
	ID      string `yaml:"id"`
	Status  string `yaml:"status"`
	Checked int    `yaml:"checked"`
	Failed  int    `yaml:"failed,omitempty"`
}

// VerdictOf summarises a report.
func VerdictOf(r *harness.Report) *Verdict {
	v := &Verdict{Pass: r.Summary.Pass, Fail: r.Summary.Fail, Warn: r.Summary.Warn, Skip: r.Summary.Skip, Calls: r.Summary.Calls}
	for _, rr := range r.Rules {
		v.Rules = append(v.Rules, RuleVerdict{ID: string(rr.ID), Status: rr.Status, Checked: rr.Checked, Failed: rr.FailedCases})
	}
	return v
}

// Cassette is a loaded cassette: its header and go-vcr's interactions in
// recorded order.
type Cassette struct {
	// Name is where it was loaded from (a path, or an embedded name).
	Name         string
	Header       Header
	Interactions []*vcr.Interaction
}

// file is the YAML layout: the header first, then go-vcr v2's own members
// (version, interactions), exactly as go-vcr's Cassette marshals them.
type file struct {
	Header       *Header            `yaml:"mfaconform"`
	Version      int                `yaml:"version"`
	Interactions []*vcr.Interaction `yaml:"interactions"`
}

// World returns the recorded fixture world.
func (c *Cassette) World() (*contracts.World, error) {
	if len(c.Header.World) == 0 {
		return contracts.DefaultWorld(), nil
	}
	b, err := json.Marshal(c.Header.World)
	if err != nil {
		return nil, err
	}
	return contracts.ReadWorld(bytes.NewReader(b))
}

// Load reads and checks a cassette file. It reads no more than the size
// limit (DefaultMaxSize unless WithMaxSize says otherwise), unpacked: a
// small gzip file that unpacks to gigabytes is refused once the limit is
// read, not after.
func Load(path string, opts ...LoadOption) (*Cassette, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadCassette, err)
	}
	defer f.Close()
	data, err := readBounded(path, f, loadConfigOf(opts).maxSize)
	if err != nil {
		return nil, err
	}
	return parse(path, data)
}

// Parse reads and checks a cassette from its bytes (gzipped or not), with
// the same size limit as Load. Every problem is an error wrapping
// ErrBadCassette with a one-line reason.
func Parse(name string, data []byte, opts ...LoadOption) (*Cassette, error) {
	limit := loadConfigOf(opts).maxSize
	if !bytes.HasPrefix(data, gzipMagic) {
		if int64(len(data)) > limit {
			return nil, tooLarge(name, limit)
		}
		return parse(name, data)
	}
	plain, err := readBounded(name, bytes.NewReader(data), limit)
	if err != nil {
		return nil, err
	}
	return parse(name, plain)
}

func badCassette(name, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", ErrBadCassette, name, fmt.Sprintf(format, args...))
}

func parse(name string, data []byte) (*Cassette, error) {
	bad := func(format string, args ...any) error { return badCassette(name, format, args...) }
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, bad("the file is empty")
	}
	var f file
	if err := yaml.Unmarshal(data, &f); err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) {
			return nil, bad("YAML of the wrong shape for a cassette: %s", oneLine(err.Error()))
		}
		return nil, bad("not valid YAML (cut short?): %s", oneLine(err.Error()))
	}
	if err := checkHeader(&f, bad); err != nil {
		return nil, err
	}
	if err := checkInteractions(&f, bad); err != nil {
		return nil, err
	}
	c := &Cassette{Name: name, Header: *f.Header, Interactions: f.Interactions}
	if _, err := c.World(); err != nil {
		return nil, bad("its fixture world: %s", oneLine(err.Error()))
	}
	return c, nil
}

// checkHeader refuses a file without an mfaconform header of this format,
// of another go-vcr version, or of other operations.
func checkHeader(f *file, bad func(string, ...any) error) error {
	h := f.Header
	switch {
	case h == nil && f.Version == 0 && f.Interactions == nil:
		return bad("not a go-vcr cassette (no version, no interactions)")
	case h == nil:
		return bad("a go-vcr cassette without an mfaconform header; record one with mfaconform run --record")
	case h.FormatVersion != FormatVersion:
		return bad("unknown format_version %d (this mfaconform reads %d)", h.FormatVersion, FormatVersion)
	case f.Version != vcrVersion:
		return bad("unknown go-vcr cassette version %d (want %d)", f.Version, vcrVersion)
	}
	if !slices.Contains(h.Operations, contracts.Target(contracts.OpSetUserPoolMfaConfig)) ||
		!slices.Contains(h.Operations, contracts.Target(contracts.OpGetUserPoolMfaConfig)) {
		return bad("recorded for another operation set (%s), not %s and %s", strings.Join(h.Operations, ", "),
			contracts.OpSetUserPoolMfaConfig, contracts.OpGetUserPoolMfaConfig)
	}
	return nil
}

// checkInteractions refuses interactions cut short, incomplete, or of
// another operation set than the header's.
func checkInteractions(f *file, bad func(string, ...any) error) error {
	h := f.Header
	if len(f.Interactions) != h.Interactions {
		return bad("cut short: the header counts %d interactions, the file holds %d", h.Interactions, len(f.Interactions))
	}
	mfa, ours := 0, 0
	seen := map[string]bool{}
	for i, in := range f.Interactions {
		if in == nil || in.Response.Code == 0 || in.Request.Method == "" {
			return bad("interaction %d is incomplete (no method or no response code)", i)
		}
		t := in.Request.Headers.Get("X-Amz-Target")
		if t == contracts.Target(contracts.OpSetUserPoolMfaConfig) || t == contracts.Target(contracts.OpGetUserPoolMfaConfig) {
			mfa++
		}
		if slices.Contains(Operations(), t) {
			ours++
		}
		seen[t] = true
	}
	// A run's first calls create its fixture pools: a run interrupted
	// early holds only those. Wire cases send unknown targets on purpose,
	// so one foreign target proves nothing; none of ours does.
	if len(f.Interactions) > 0 && (ours == 0 || (mfa == 0 && !h.Interrupted)) {
		ops := slices.Sorted(maps.Keys(seen))
		return bad("recorded for another operation set: no %s or %s interaction (it holds %s)",
			contracts.OpSetUserPoolMfaConfig, contracts.OpGetUserPoolMfaConfig, strings.Join(ops, ", "))
	}
	return nil
}

// Marshal returns the YAML of a cassette, as Save writes it.
func (c *Cassette) Marshal() ([]byte, error) {
	items := make([][]byte, len(c.Interactions))
	for i, in := range c.Interactions {
		b, err := marshalItem(in)
		if err != nil {
			return nil, err
		}
		items[i] = b
	}
	return marshalFile(c.Header, items)
}

// marshalFile writes the file from its header and its interactions, each
// already made by marshalItem: a recorder makes each item once, when it
// records it, so that saving a long recording is a copy, not a new
// encoding of everything recorded so far.
func marshalFile(h Header, items [][]byte) ([]byte, error) {
	h.Interactions = len(items)
	if h.FormatVersion == 0 {
		h.FormatVersion = FormatVersion
	}
	size := 4096
	for _, b := range items {
		size += len(b)
	}
	buf := bytes.NewBuffer(make([]byte, 0, size))
	// go-vcr writes the document start marker too.
	buf.WriteString("---\n")
	enc := yaml.NewEncoder(buf)
	enc.SetIndent(2)
	head := struct {
		Header  *Header `yaml:"mfaconform"`
		Version int     `yaml:"version"`
	}{&h, vcrVersion}
	if err := enc.Encode(head); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	if len(items) == 0 {
		buf.WriteString("interactions: []\n")
		return buf.Bytes(), nil
	}
	buf.WriteString("interactions:\n")
	for _, b := range items {
		buf.Write(b)
	}
	return buf.Bytes(), nil
}

// marshalItem is one interaction as an item of the file's interactions
// list: encoded alone as a list of one, then indented under the list's
// key, which is what encoding the whole file at once writes.
func marshalItem(in *vcr.Interaction) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode([]*vcr.Interaction{in}); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	lines := bytes.SplitAfter(buf.Bytes(), []byte("\n"))
	out := make([]byte, 0, buf.Len()+2*len(lines))
	for _, l := range lines {
		if len(l) > 1 {
			out = append(out, "  "...)
		}
		out = append(out, l...)
	}
	return out, nil
}

// Save writes the cassette atomically: a temporary file beside path,
// synced, then renamed over it, so a reader never sees half a cassette.
// A path ending in .gz is written gzipped.
func (c *Cassette) Save(path string) error {
	data, err := c.Marshal()
	if err != nil {
		return fmt.Errorf("cassette %s: %w", path, err)
	}
	return writeFile(path, data)
}

// writeFile writes a cassette's YAML atomically, gzipped when path ends
// in .gz.
func writeFile(path string, data []byte) error {
	if strings.HasSuffix(path, ".gz") {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		if _, err := zw.Write(data); err != nil {
			return err
		}
		if err := zw.Close(); err != nil {
			return err
		}
		data = buf.Bytes()
	}
	// Recording into a new folder is allowed: --record out/run.yaml.
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("cassette %s: %w", path, err)
	}
	return atomicfile.Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	}, 0o644)
}

// NewHeader returns a header for a run recorded now.
func NewHeader(target harness.TargetInfo, seed int64, flags Flags, world *contracts.World) Header {
	h := Header{FormatVersion: FormatVersion, Operations: Operations(),
		Target:     Origin{Kind: target.Kind, Endpoint: target.Endpoint},
		RecordedAt: time.Now().UTC().Format(time.RFC3339), ToolVersion: harness.Version,
		Contract: contracts.Revision, Seed: seed, Flags: flags, Cases: casesFingerprint(seed, flags.Checks)}
	if world != nil {
		b, _ := json.Marshal(world)
		_ = json.Unmarshal(b, &h.World)
	}
	return h
}

// fingerprintedRandom is how many random cases, past the sweep, the
// cases fingerprint hashes: enough to tell generators apart, and cheap
// (a fraction of a second) for any --checks.
const fingerprintedRandom = 10_000

// casesFingerprint is a short hash of the cases a run with this seed and
// checks sends: the hash of the JSON array of the sweep and the first
// fingerprintedRandom random cases, made one case at a time, then, for a
// longer run, its count of cases. A run of any length is fingerprinted in
// constant time and memory, and runs of up to the sweep plus
// fingerprintedRandom cases keep the fingerprint of a hash of them all.
func casesFingerprint(seed int64, checks int) string {
	h := sha256.New()
	h.Write([]byte("["))
	sweep := fuzz.Sweep()
	r := fuzz.NewRandom()
	n := max(checks, len(sweep))
	hashed := min(n, len(sweep)+fingerprintedRandom)
	for i := range hashed {
		if i > 0 {
			h.Write([]byte(","))
		}
		var c fuzz.Case
		if i < len(sweep) {
			c = sweep[i]
		} else {
			c = r.At(seed, i-len(sweep))
		}
		b, _ := json.Marshal(c)
		h.Write(b)
	}
	h.Write([]byte("]"))
	if n > hashed {
		fmt.Fprintf(h, " and %d cases in all", n)
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)[:8])
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", "; ")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}
