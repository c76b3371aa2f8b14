package cassette

// CasesFingerprint is casesFingerprint for the external tests.
var CasesFingerprint = casesFingerprint
