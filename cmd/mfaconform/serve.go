package main

import (
	"fmt"
	"io"
)

func cmdServe(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "mfaconform serve: not built yet (issue 2)")
	return exitSetup
}
