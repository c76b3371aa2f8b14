package reportfile

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/mfaconform/mfaconform/internal/atomicfile"
)

// Writers are a report's writers, one a kind.
type Writers struct {
	JSON, JUnit, Markdown, HTML func(io.Writer) error
}

// WriteFile writes the report of a kind (json, junit, markdown or md,
// html) to path, atomically: a reader sees the old report or the new one,
// never half.
func WriteFile(kind, path string, w Writers) error {
	var write func(io.Writer) error
	switch kind {
	case "json":
		write = w.JSON
	case "junit":
		write = w.JUnit
	case "markdown", "md":
		write = w.Markdown
	case "html":
		write = w.HTML
	default:
		return fmt.Errorf("unknown report kind %q (json, junit, markdown, html)", kind)
	}
	// A report is for reading: 0644, where a temporary file would be private.
	return atomicfile.Write(path, write, 0o644)
}

// Stem is a file's name without its folder, a .gz and its extension:
// what names a parity column (a cassette, a JSON report) whose target has
// no name of its own.
func Stem(path string) string {
	base := strings.TrimSuffix(filepath.Base(path), ".gz")
	return strings.TrimSuffix(base, filepath.Ext(base))
}
