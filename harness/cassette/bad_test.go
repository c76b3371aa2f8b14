package cassette_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/mfaconform/mfaconform/harness/cassette"
)

var (
	goodOnce sync.Once
	goodYAML []byte
)

// good returns the bytes of a small, valid recording.
func good(t *testing.T) []byte {
	t.Helper()
	goodOnce.Do(func() {
		path, _ := record(t, 1, nil)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		goodYAML = b
	})
	return goodYAML
}

// TestBadCassettes: each broken cassette gives a clear one-line error
// wrapping ErrBadCassette, never a panic or a cassette that loads.
func TestBadCassettes(t *testing.T) {
	t.Parallel()
	g := string(good(t))
	interactionsAt := strings.Index(g, "\ninteractions:\n")
	if interactionsAt < 0 {
		t.Fatal("no interactions in the good cassette")
	}
	body := g[interactionsAt:]
	// Cut inside a quoted body, so the YAML ends in an open string
	// whatever the recorded timings make the file's length.
	mid := len(g) / 2
	quote := strings.Index(g[mid:], "body: '")
	if quote < 0 {
		t.Fatal("no quoted body after the middle of the good cassette")
	}
	cut := g[:mid+quote+len("body: '")+3]
	// A cut at an item boundary is still valid YAML: only the header's
	// count tells it is short.
	lineCut := g[:strings.LastIndex(g[:len(g)/2], "\n  - request:")+1]
	tests := []struct {
		name, data, want string
	}{
		{"empty file, no bytes", "", "empty"},
		{"empty file, only blanks", " \n\n", "empty"},
		{"truncated YAML mid-string", cut, "not valid YAML"},
		{"truncated at an interaction boundary", lineCut, "cut short"},
		{"unknown format version", strings.Replace(g, "format_version: 1", "format_version: 7", 1), "unknown format_version 7"},
		{"unknown go-vcr version", strings.Replace(g, "\nversion: 1\n", "\nversion: 2\n", 1), "go-vcr cassette version 2"},
		{"header names another operation set", strings.NewReplacer(
			"    - AWSCognitoIdentityProviderService.SetUserPoolMfaConfig\n", "",
			"    - AWSCognitoIdentityProviderService.GetUserPoolMfaConfig\n", "    - AWSCognitoIdentityProviderService.ListUsers\n").Replace(g[:interactionsAt]) + body,
			"another operation set"},
		{"interactions of another operation set (only ListUsers)", g[:interactionsAt] + strings.NewReplacer(
			"AWSCognitoIdentityProviderService.SetUserPoolMfaConfig\n", "AWSCognitoIdentityProviderService.ListUsers\n",
			"AWSCognitoIdentityProviderService.GetUserPoolMfaConfig\n", "AWSCognitoIdentityProviderService.ListUsers\n",
			"AWSCognitoIdentityProviderService.CreateUserPool\n", "AWSCognitoIdentityProviderService.ListUsers\n",
			"AWSCognitoIdentityProviderService.DescribeUserPool\n", "AWSCognitoIdentityProviderService.ListUsers\n",
			"AWSCognitoIdentityProviderService.DeleteUserPool\n", "AWSCognitoIdentityProviderService.ListUsers\n").Replace(body),
			"another operation set"},
		{"plain go-vcr cassette without header", "---\nversion: 1" + body, "without an mfaconform header"},
		{"not a cassette at all", "hello: world\n", "not a go-vcr cassette"},
		{"YAML of another shape", "- 1\n- 2\n", "wrong shape"},
		{"binary garbage", "\x00\x01\x02\xff\xfe", "not valid YAML"},
		{"bad gzip", "\x1f\x8bnot gzip at all", "gzip"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "bad.yaml")
			if err := os.WriteFile(path, []byte(tt.data), 0o644); err != nil {
				t.Fatal(err)
			}
			c, err := cassette.Load(path)
			if err == nil {
				t.Fatalf("loaded a bad cassette (%d interactions)", len(c.Interactions))
			}
			if !errors.Is(err, cassette.ErrBadCassette) {
				t.Errorf("error does not wrap ErrBadCassette: %v", err)
			}
			if msg := err.Error(); strings.ContainsAny(msg, "\n\r") || !strings.Contains(msg, tt.want) || !strings.Contains(msg, path) {
				t.Errorf("want one line naming the file and saying %q, got %q", tt.want, msg)
			}
		})
	}
}
