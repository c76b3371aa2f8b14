// Package atomicfile writes files that readers see whole or not at all:
// reports and cassettes are written here, and a crash, a full disk or a
// failed encoder leaves the old file in place.
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Write writes path with what write produces, through a temporary file in
// the same folder (so the rename stays on one file system), synced and
// given perm before it is renamed over path. On any failure the temporary
// file is removed and path is left as it was.
func Write(path string, write func(io.Writer) error, perm os.FileMode) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return createError(path, dir, err)
	}
	name := tmp.Name()
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(name)
		}
	}()
	if err := write(tmp); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	// CreateTemp makes the file private; the caller says who may read it.
	if err := tmp.Chmod(perm); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(name, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// createError names the folder at fault rather than the temporary file
// the caller never asked for, and keeps the cause for errors.Is.
func createError(path, dir string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	switch {
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("write %s: the folder %s is not writable: %w", path, dir, err)
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("write %s: the folder %s does not exist: %w", path, dir, err)
	}
	return fmt.Errorf("write %s: cannot create a file in %s: %w", path, dir, err)
}
