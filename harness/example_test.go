package harness_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/mfaconform/mfaconform/contracts"
	"github.com/mfaconform/mfaconform/harness"
	"github.com/mfaconform/mfaconform/harness/emulator"
)

// Run the reference emulator against its own contract, judging three
// rules. WithChecks(1) sends the sweep alone (a run never sends less).
// Timings and call counts vary from run to run and are not printed.
func ExampleRun() {
	target := harness.Reference(nil)
	defer target.Close()
	rep, err := harness.Run(context.Background(), target,
		harness.WithChecks(1),
		harness.WithRules("set.off-with-factor", "set.on-without-factor", "get.read-after-write"))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, rr := range rep.Rules {
		fmt.Println(rr.ID, rr.Status)
	}
	s := rep.Summary
	fmt.Printf("%d pass, %d fail, %d warn, %d skip; conforms: %t\n", s.Pass, s.Fail, s.Warn, s.Skip, rep.Conforms())
	// Output:
	// set.off-with-factor pass
	// set.on-without-factor pass
	// get.read-after-write pass
	// 3 pass, 0 fail, 0 warn, 0 skip; conforms: true
}

// acceptsOffWithFactor breaks the reference emulator on purpose: a Set
// that turns MFA OFF while configuring a factor, which AWS refuses, is
// accepted with the factor blocks ignored.
func acceptsOffWithFactor(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, withBody(r, body))
		var answer struct{ Message string }
		json.Unmarshal(rec.Body.Bytes(), &answer)
		if rec.Code == http.StatusBadRequest && answer.Message == contracts.MsgOffWithFactor {
			var req map[string]any
			json.Unmarshal(body, &req)
			delete(req, "SmsMfaConfiguration")
			delete(req, "SoftwareTokenMfaConfiguration")
			delete(req, "EmailMfaConfiguration")
			stripped, _ := json.Marshal(req)
			next.ServeHTTP(w, withBody(r, stripped))
			return
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
	})
}

func withBody(r *http.Request, body []byte) *http.Request {
	r = r.Clone(r.Context())
	r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
	return r
}

// Check a handler that accepts what AWS refuses. The error joins one
// *harness.RuleError per failing rule.
func ExampleCheck() {
	target := harness.Handler(acceptsOffWithFactor(emulator.New()))
	defer target.Close()
	err := harness.Check(context.Background(), target, harness.WithChecks(1))
	var joined interface{ Unwrap() []error }
	if !errors.As(err, &joined) {
		fmt.Println("conforms:", err == nil)
		return
	}
	for _, e := range joined.Unwrap() {
		var re *harness.RuleError
		if errors.As(e, &re) {
			fmt.Println(re.Rule.ID)
		}
	}
	// Output:
	// set.off-with-factor
}
