package atomicfile_test

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mfaconform/mfaconform/internal/atomicfile"
)

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := io.WriteString(w, s)
		return err
	}
}

// names lists a folder's entries, temporary files included.
func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func TestWriteReplacesAndSetsMode(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.json")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := atomicfile.Write(path, writeString("new"), 0o644); err != nil {
		t.Fatalf("Write: %v", err)
	}
	b, err := os.ReadFile(path)
	if err != nil || string(b) != "new" {
		t.Fatalf("after Write: %q, %v; want \"new\"", b, err)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Mode().Perm(); got != 0o644 {
		t.Errorf("mode %v, want 0644", got)
	}
	if got := names(t, dir); len(got) != 1 {
		t.Errorf("folder holds %q, want only report.json", got)
	}
}

func TestWriteFailingMidwayKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cassette.yaml")
	if err := os.WriteFile(path, []byte("old content"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("encoder failed")
	err := atomicfile.Write(path, func(w io.Writer) error {
		if _, err := io.WriteString(w, "half of the new"); err != nil {
			return err
		}
		return boom
	}, 0o644)
	if !errors.Is(err, boom) {
		t.Fatalf("Write: %v, want the writer's error", err)
	}
	b, err := os.ReadFile(path)
	if err != nil || string(b) != "old content" {
		t.Errorf("old file now %q, %v; want it untouched", b, err)
	}
	if got := names(t, dir); len(got) != 1 || got[0] != "cassette.yaml" {
		t.Errorf("folder holds %q: a temporary file was left behind", got)
	}
}

func TestWriteUnwritableFolder(t *testing.T) {
	for _, tc := range []struct {
		name, reason string
		setup        func(t *testing.T) (path string)
		is           error
		says         string
	}{
		{
			name:   "read-only folder",
			reason: "the usual mistake (--report into a folder of someone else's) must name the folder, not a temporary file",
			setup: func(t *testing.T) string {
				dir := filepath.Join(t.TempDir(), "locked")
				if err := os.Mkdir(dir, 0o555); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { os.Chmod(dir, 0o755) })
				if f, err := os.CreateTemp(dir, "probe"); err == nil {
					f.Close()
					t.Skip("the folder is writable anyway (running as root)")
				}
				return filepath.Join(dir, "report.json")
			},
			is:   fs.ErrPermission,
			says: "is not writable",
		},
		{
			name:   "missing folder",
			reason: "reports are not written into folders that do not exist; the error says which",
			setup:  func(t *testing.T) string { return filepath.Join(t.TempDir(), "nowhere", "report.json") },
			is:     fs.ErrNotExist,
			says:   "does not exist",
		},
		{
			name:   "folder is a file",
			reason: "a path through a regular file fails on any user, root included",
			setup: func(t *testing.T) string {
				file := filepath.Join(t.TempDir(), "file")
				if err := os.WriteFile(file, nil, 0o644); err != nil {
					t.Fatal(err)
				}
				return filepath.Join(file, "report.json")
			},
			says: "cannot create a file in",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.setup(t)
			err := atomicfile.Write(path, writeString("x"), 0o644)
			if err == nil {
				t.Fatalf("Write into %s succeeded (%s)", path, tc.reason)
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.says) || !strings.Contains(msg, filepath.Dir(path)) || strings.Contains(msg, ".tmp") {
				t.Errorf("error %q: want it to say %q and name %s, not the temporary file (%s)", msg, tc.says, filepath.Dir(path), tc.reason)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %q is not %v", msg, tc.is)
			}
		})
	}
}

func TestWriteOverFolderLeavesNoTemp(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "taken")
	if err := os.Mkdir(path, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := atomicfile.Write(path, writeString("x"), 0o644); err == nil {
		t.Fatal("Write over a folder succeeded")
	}
	if got := names(t, dir); len(got) != 1 || got[0] != "taken" {
		t.Errorf("folder holds %q: the failed rename left its temporary file", got)
	}
}
