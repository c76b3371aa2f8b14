// Package reportfile is what the run report (harness.Report) and the diff
// report (cassette.DiffReport) share in writing: one JUnit schema, and one
// WriteFile that picks the writer of a report kind and writes the file
// atomically; and the stem of a report's file name (Stem).
package reportfile
