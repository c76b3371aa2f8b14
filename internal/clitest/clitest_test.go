package clitest

import (
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

func TestMain(m *testing.M) { Main(m) }

// TestStart: the built command runs, its output and exit status are the
// child's, and a flag's twin in the test's environment does not reach it.
func TestStart(t *testing.T) {
	t.Setenv("MFACONFORM_CHECKS", "not a number")
	c := Start(t, nil, "version")
	if code := c.Wait(t, time.Minute); code != 0 || !strings.HasPrefix(c.Stdout.String(), "mfaconform ") {
		t.Errorf("version: exit %d, stdout %q, stderr %q", code, c.Stdout, c.Stderr)
	}
	bad := Start(t, nil, "run", "--checks", "many")
	if code := bad.Wait(t, time.Minute); code != 2 || !strings.Contains(bad.Stderr.String(), "many") {
		t.Errorf("a bad flag: exit %d, stderr %q; want 2 and a line naming the value", code, bad.Stderr)
	}
	if code := bad.Code(); code != 2 || bad.Exited().IsZero() {
		t.Errorf("Code %d, Exited %v after the end", code, bad.Exited())
	}
}

// TestStartServe: serve answers at the URL its first line gives, and ends
// with status 0 on SIGINT.
func TestStartServe(t *testing.T) {
	srv, url := StartServe(t)
	resp, err := http.Post(url+"/", "application/x-amz-json-1.1", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a request with no X-Amz-Target: status %d, want 400", resp.StatusCode)
	}
	if srv.MaxRSS() <= 0 {
		t.Errorf("MaxRSS %d of a running process", srv.MaxRSS())
	}
	srv.Signal(t, os.Interrupt)
	if code := srv.Wait(t, 10*time.Second); code != 0 {
		t.Errorf("serve after SIGINT: exit %d, stderr %q", code, srv.Stderr)
	}
}
