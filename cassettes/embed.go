// Package cassettes holds the recorded runs bundled with mfaconform: go-vcr
// v2 cassettes with an mfaconform provenance header, recorded from the
// reference emulator and from real emulators (and, one day, real AWS).
package cassettes

import "embed"

// FS holds every bundled cassette.
//
//go:embed *.yaml *.yaml.gz
var FS embed.FS
