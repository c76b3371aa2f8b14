package emulator_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness/emulator"
)

// epoch is the emulator clock in the wire tests, so that pool dates are exact.
var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// longPoolID is a pool of the test world whose ID has the longest valid length.
var longPoolID = "us-east-1_" + strings.Repeat("L", 45)

func testWorld() *contracts.World {
	w := contracts.DefaultWorld()
	w.Pools = []contracts.Pool{{ID: longPoolID, Tier: contracts.TierEssentials,
		EmailSendingAccount: contracts.SendingDeveloper, FirstAuthFactors: []string{contracts.FactorPassword}}}
	return w
}

func newServer(t *testing.T, opts ...emulator.Option) (*httptest.Server, *emulator.Emulator) {
	t.Helper()
	opts = append([]emulator.Option{emulator.WithWorld(testWorld()),
		emulator.WithClock(func() time.Time { return epoch })}, opts...)
	em := emulator.New(opts...)
	srv := httptest.NewServer(em)
	t.Cleanup(srv.Close)
	return srv, em
}

// answer is one HTTP response as the wire tests see it.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// post sends a raw call. target "" sends no X-Amz-Target header.
func post(t *testing.T, srv *httptest.Server, method, target, body string) answer {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contracts.ContentType)
	if target != "" {
		req.Header.Set("X-Amz-Target", target)
	}
	return do(t, srv, req)
}

// do sends a request made by hand and reads the whole answer.
func do(t *testing.T, srv *httptest.Server, req *http.Request) answer {
	t.Helper()
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.Header.Get("X-Amz-Target"), err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{status: resp.StatusCode, header: resp.Header, body: b}
}

// call sends an operation's body and fails the test unless it answers 200.
func call(t *testing.T, srv *httptest.Server, op, body string) map[string]any {
	t.Helper()
	a := post(t, srv, http.MethodPost, contracts.Target(op), body)
	if a.status != http.StatusOK {
		t.Fatalf("%s %s: status %d, body %s", op, body, a.status, a.body)
	}
	var out map[string]any
	if err := json.Unmarshal(a.body, &out); err != nil {
		t.Fatalf("%s: body %q: %v", op, a.body, err)
	}
	return out
}

// createPool creates a pool with a CreateUserPool body and returns its ID.
func createPool(t *testing.T, srv *httptest.Server, body string) string {
	t.Helper()
	out := call(t, srv, contracts.OpCreateUserPool, body)
	pool, _ := out["UserPool"].(map[string]any)
	id, _ := pool["Id"].(string)
	if id == "" {
		t.Fatalf("CreateUserPool %s: no UserPool.Id in %v", body, out)
	}
	return id
}

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// checkWire checks what every answer must have (protocol.content-type,
// protocol.error-shape, protocol.omit-unset) and returns every violation.
func checkWire(a answer) []string {
	var bad []string
	if ct := a.header.Get("Content-Type"); ct != contracts.ContentType {
		bad = append(bad, "Content-Type is "+ct)
	}
	if id := a.header.Get("X-Amzn-Requestid"); !uuidV4.MatchString(id) {
		bad = append(bad, "x-amzn-RequestId is not a UUID v4: "+id)
	}
	var body map[string]any
	if err := json.Unmarshal(a.body, &body); err != nil {
		return append(bad, "body is not a JSON object: "+err.Error())
	}
	if a.status != http.StatusOK {
		typ, _ := body["__type"].(string)
		if typ == "" {
			bad = append(bad, "error body has no __type")
		}
		if _, ok := body["message"].(string); !ok {
			bad = append(bad, "error body has no message")
		}
		if h := a.header.Get("X-Amzn-ErrorType"); h != typ {
			bad = append(bad, "X-Amzn-ErrorType "+h+" differs from __type "+typ)
		}
		return bad
	}
	if _, ok := body["__type"]; ok {
		bad = append(bad, "a success body has __type")
	}
	if h := a.header.Get("X-Amzn-ErrorType"); h != "" {
		bad = append(bad, "a success has X-Amzn-ErrorType "+h)
	}
	var walk func(string, any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case nil:
			bad = append(bad, path+" is null")
		case map[string]any:
			if len(v) == 0 && path != "" {
				bad = append(bad, path+" is {}")
			}
			for k, x := range v {
				walk(path+"."+k, x)
			}
		case []any:
			for _, x := range v {
				walk(path+"[]", x)
			}
		}
	}
	walk("", body)
	return bad
}

// jsonDiff compares two JSON texts structurally, as (-want +got).
func jsonDiff(want string, got []byte) string {
	var w, g any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		return "want is not JSON: " + err.Error() + ": " + want
	}
	if err := json.Unmarshal(got, &g); err != nil {
		return "got is not JSON: " + err.Error() + ": " + string(got)
	}
	return cmp.Diff(w, g)
}

// errJSON is an awsJson1_1 error body.
func errJSON(code, msg string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(map[string]string{"__type": code, "message": msg})
	return b.String()
}

func newHTTPServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }
