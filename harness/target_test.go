package harness_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/mfaconform/mfaconform/harness"
)

// seen is what a handler saw of a request and what the client got back.
type seen struct {
	Method, Path, RequestURI, Host, Target, ContentType, Body string
	HasRemoteAddr                                             bool

	Status                             int
	GotContentType, GotCustom, GotBody string
}

// TestHandlerWithABadStatusFails: a handler that writes a status code no
// HTTP status can be fails the call, as a server drops the connection,
// instead of answering 200.
func TestHandlerWithABadStatusFails(t *testing.T) {
	t.Parallel()
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(42) })
	req, err := http.NewRequest(http.MethodPost, "http://in-process.invalid/", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := harness.Handler(h).Transport().RoundTrip(req)
	if err == nil || !strings.Contains(err.Error(), "invalid WriteHeader code 42") {
		t.Errorf("RoundTrip = %v, %v; want the handler's failure", resp, err)
	}
}

// TestHandlerAnswersAsAServer: a handler called in process (harness.Handler)
// sees the request and gives the answer that the same handler served over
// a loopback socket does: the status, the header as it stood when the
// status was written (Content-Type sniffed when the handler set none), and
// the body.
func TestHandlerAnswersAsAServer(t *testing.T) {
	t.Parallel()
	handlers := map[string]func(http.ResponseWriter){
		"json": func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			w.Header().Set("X-Custom", "one")
			w.WriteHeader(400)
			w.Header().Set("X-Custom", "changed after the status") // not sent
			io.WriteString(w, `{"__type":"InvalidParameterException"}`)
		},
		"implicit 200, sniffed type": func(w http.ResponseWriter) {
			io.WriteString(w, "<html><body>hello</body></html>")
			w.Header().Set("X-Custom", "too late")
		},
		"no body": func(w http.ResponseWriter) {
			w.Header().Set("X-Custom", "kept")
		},
		"two writes": func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "text/plain")
			io.WriteString(w, "part one, ")
			io.WriteString(w, "part two")
		},
	}
	for name, answer := range handlers {
		t.Run(name, func(t *testing.T) {
			var got [2]seen
			for i := range got {
				s := &got[i]
				h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					b, _ := io.ReadAll(r.Body)
					s.Method, s.Path, s.RequestURI, s.Host = r.Method, r.URL.Path, r.RequestURI, r.Host
					s.Target, s.ContentType, s.Body = r.Header.Get("X-Amz-Target"), r.Header.Get("Content-Type"), string(b)
					s.HasRemoteAddr = r.RemoteAddr != ""
					answer(w)
				})
				var rt http.RoundTripper
				url := "http://in-process.invalid"
				if i == 0 {
					rt = harness.Handler(h).Transport()
				} else {
					srv := httptest.NewServer(h)
					defer srv.Close()
					rt, url = srv.Client().Transport, srv.URL
				}
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+"/?a=b", bytes.NewReader([]byte(`{"UserPoolId":"x"}`)))
				if err != nil {
					t.Fatal(err)
				}
				req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.GetUserPoolMfaConfig")
				req.Header.Set("Content-Type", "application/x-amz-json-1.1")
				resp, err := rt.RoundTrip(req)
				if err != nil {
					t.Fatalf("round trip %d: %v", i, err)
				}
				b, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil {
					t.Fatal(err)
				}
				s.Status, s.GotContentType, s.GotCustom, s.GotBody = resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("X-Custom"), string(b)
				if resp.Request != req {
					t.Errorf("round trip %d: the response does not name its request", i)
				}
			}
			// The host differs by construction: the in-process URL is not the server's.
			got[0].Host, got[1].Host = "", ""
			if d := cmp.Diff(got[1], got[0]); d != "" {
				t.Errorf("in process differs from a server (-server +in process):\n%s", d)
			}
		})
	}
}
