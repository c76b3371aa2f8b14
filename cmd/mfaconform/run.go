package main

import (
	"fmt"
	"io"
)

func cmdRun(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "mfaconform run: not built yet (issue 3)")
	return exitSetup
}
