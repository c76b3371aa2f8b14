package main

import (
	"bufio"
	"bytes"
	"strings"
	"testing"

	"github.com/mfaconform/mfaconform/internal/clitest"
)

// TestMain removes the command the tests that signal a real process
// build (clitest).
func TestMain(m *testing.M) { clitest.Main(m) }

// failLines are the FAIL lines of a console summary.
func failLines(stdout string) []string {
	var out []string
	sc := bufio.NewScanner(bytes.NewReader([]byte(stdout)))
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "FAIL ") {
			out = append(out, sc.Text())
		}
	}
	return out
}
