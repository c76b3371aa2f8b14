// Package inert makes what a target sent small and inert before a report
// or the console shows it: a long text becomes a bounded excerpt that
// names its size and digest (excerpt.go), bidi overrides and control
// characters are shown escaped (escape.go), and Markdown keeps the text
// inside code spans and table cells (markdown.go). The run report
// (harness) and the diff report (harness/cassette) both show text through
// it, so that they agree on what is shown and how.
package inert
