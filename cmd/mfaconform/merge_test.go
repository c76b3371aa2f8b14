package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mfaconform/mfaconform/harness"
)

// runShards runs the shards of a run against url (the reference emulator
// when ""), each writing its JSON report; it returns their paths.
func runShards(t *testing.T, dir, url string, total int, extra ...string) []string {
	t.Helper()
	var paths []string
	for i := 1; i <= total; i++ {
		p := filepath.Join(dir, fmt.Sprintf("shard%d.json", i))
		args := []string{"run", "--checks", "300", "--quiet", "--report", "json=" + p}
		if url != "" {
			args = append(args, "--endpoint", url)
		}
		args = append(args, extra...)
		var stdout, stderr bytes.Buffer
		// The twin of --shard, as a Kubernetes Indexed Job or a CI matrix sets it.
		lookupEnv = func(name string) (string, bool) {
			if name == "MFACONFORM_SHARD" {
				return fmt.Sprintf("%d/%d", i, total), true
			}
			return "", false
		}
		code := dispatch(args, &stdout, &stderr)
		lookupEnv = os.LookupEnv
		if code == exitSetup {
			t.Fatalf("run shard %d/%d: exit 2: %s", i, total, stderr.String())
		}
		paths = append(paths, p)
	}
	return paths
}

func merge(args ...string) (int, string) {
	var stdout, stderr bytes.Buffer
	code := dispatch(append([]string{"merge"}, args...), &stdout, &stderr)
	return code, stdout.String() + stderr.String()
}

// TestMergeCommand: merge exits as run does on the merged report (0, 1,
// and with --known the ledger's gate), writes every report kind, and
// refuses with exit 2 and one line what is not the shards of one run.
func TestMergeCommand(t *testing.T) {
	now = func() time.Time { return time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC) }
	t.Cleanup(func() { now = time.Now })
	dir := t.TempDir()
	good := runShards(t, filepath.Join(dir), "", 2)
	out := filepath.Join(dir, "merged.json")
	html := filepath.Join(dir, "merged.html")
	if code, text := merge(append(good, "--report", "json="+out, "--report", "html="+html, "--report", "junit="+filepath.Join(dir, "m.xml"),
		"--report", "markdown="+filepath.Join(dir, "m.md"))...); code != exitOK || !strings.Contains(text, "merged 2 shards") {
		t.Fatalf("merge of the reference's shards: exit %d, want 0\n%s", code, text)
	}
	rep, err := readReport(out)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Shard == nil || !rep.Shard.Merged || rep.Shard.Total != 2 || rep.Summary.Pass != 44 {
		t.Errorf("merged report: shard %+v, %d pass; want 2 shards merged, 44 pass", rep.Shard, rep.Summary.Pass)
	}
	for _, p := range []string{html, filepath.Join(dir, "m.xml"), filepath.Join(dir, "m.md")} {
		if fi, err := os.Stat(p); err != nil || fi.Size() == 0 {
			t.Errorf("merge did not write %s: %v", p, err)
		}
	}

	brokenDir := filepath.Join(dir, "broken")
	os.MkdirAll(brokenDir, 0o755)
	broken := runShards(t, brokenDir, offWithFactorServer(t), 3)
	code, text := merge(append(broken, "--report", "json="+filepath.Join(dir, "broken.json"))...)
	if code != exitDeviation || !strings.Contains(text, "FAIL set.off-with-factor") {
		t.Fatalf("merge of a broken target's shards: exit %d, want 1\n%s", code, text)
	}
	var ledger, stderr bytes.Buffer
	if code := dispatch([]string{"known", "--from", filepath.Join(dir, "broken.json"), "--expires", "2027-01-31"}, &ledger, &stderr); code != exitOK {
		t.Fatalf("known --from the merged report: exit %d: %s", code, stderr.String())
	}
	known := filepath.Join(dir, "known.yaml")
	os.WriteFile(known, ledger.Bytes(), 0o644)
	if code, text := merge(append(broken, "--known", known)...); code != exitOK || !strings.Contains(text, "0 new, 0 expired") {
		t.Errorf("merge with a ledger of every deviation: exit %d, want 0\n%s", code, text)
	}
	empty := filepath.Join(dir, "empty.yaml")
	os.WriteFile(empty, []byte("known: []\n"), 0o644)
	if code, text := merge(append(broken, "--known", empty)...); code != exitDeviation || !strings.Contains(text, "NEW      set.off-with-factor/") {
		t.Errorf("merge with an empty ledger: exit %d, want 1 naming the deviation\n%s", code, text)
	}

	// A shard that left a pool behind: the merge is exit 2 until it is gone.
	leaky := rewrite(t, good[1], func(r *harness.Report) {
		r.Leftovers = []harness.Leftover{{Pool: "us-east-1_Left", Error: "AccessDenied"}}
	})
	if code, text := merge(good[0], leaky); code != exitSetup || !strings.Contains(text, "us-east-1_Left") {
		t.Errorf("a shard with a leftover: exit %d, want 2 naming it\n%s", code, text)
	}
	cut := rewrite(t, good[1], func(r *harness.Report) { r.Interrupted = true })
	if code, text := merge(good[0], cut); code != exitSetup || !strings.Contains(text, "interrupted") {
		t.Errorf("an interrupted shard: exit %d, want 2\n%s", code, text)
	}

	for _, bad := range []string{"3/2", "0/2", "2"} {
		var stdout, stderr bytes.Buffer
		if code := dispatch([]string{"run", "--shard", bad}, &stdout, &stderr); code != exitSetup || !strings.Contains(stderr.String(), "shard") {
			t.Errorf("run --shard %s: exit %d, want 2 naming the shard: %s", bad, code, stderr.String())
		}
	}

	refused := []struct {
		name string
		args []string
		want string
	}{
		{"no report", nil, "want the JSON reports"},
		{"a missing shard", good[:1], "shard 2/2 missing"},
		{"a duplicate shard", []string{good[0], good[1], good[0]}, good[0] + ": cannot merge: shard 1/2 is given twice"},
		{"shards of another run", []string{good[0], broken[1]}, "shards 3, not 2"},
		{"a report that is not a shard", []string{good[0], rewrite(t, good[1], func(r *harness.Report) { r.Shard = nil })}, "not a shard"},
		{"not a report", []string{good[0], known}, "not an mfaconform JSON report"},
	}
	for _, row := range refused {
		code, text := merge(row.args...)
		if code != exitSetup || !strings.Contains(text, row.want) || strings.Count(strings.TrimSpace(text), "\n") != 0 {
			t.Errorf("%s: exit %d, want 2 and one line saying %q\n%s", row.name, code, row.want, text)
		}
	}
}

// rewrite writes a changed copy of a JSON report and returns its path.
func rewrite(t *testing.T, path string, change func(*harness.Report)) string {
	t.Helper()
	rep, err := readReport(path)
	if err != nil {
		t.Fatal(err)
	}
	change(rep)
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), filepath.Base(path))
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
