package emulator

import (
	"net/http"
	"strings"
)

// sigV4 is the only signing algorithm whose credential scope names a region;
// SigV4a scopes do not.
const sigV4 = "AWS4-HMAC-SHA256"

// maxRegionLen is RegionCodeType's max length (contract.md §1.3): a longer
// name is no region, and it keeps a pool ID within UserPoolIdType's 55.
const maxRegionLen = 32

// requestRegion is the region a call was signed for, read from the SigV4
// credential scope of its Authorization header
// ("Credential=AKID/20261201/us-west-2/cognito-idp/aws4_request"). AWS
// answers in the region of the endpoint a client signs for, so pools created
// by that call are named in it. ok is false when there is no such header or
// it cannot be read; the signature itself is never checked.
func requestRegion(r *http.Request) (region string, ok bool) {
	algorithm, params, found := strings.Cut(r.Header.Get("Authorization"), " ")
	if !found || algorithm != sigV4 {
		return "", false
	}
	for p := range strings.SplitSeq(params, ",") {
		scope, isCredential := strings.CutPrefix(strings.TrimSpace(p), "Credential=")
		if !isCredential {
			continue
		}
		// access key / date / region / service / aws4_request
		parts := strings.Split(scope, "/")
		if len(parts) != 5 || parts[4] != "aws4_request" || !isRegionName(parts[2]) {
			return "", false
		}
		return parts[2], true
	}
	return "", false
}

// isRegionName accepts what can stand before "_" in a pool ID: lower-case
// letters, digits and inner hyphens, as every AWS region is spelled.
func isRegionName(s string) bool {
	if s == "" || len(s) > maxRegionLen || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}
