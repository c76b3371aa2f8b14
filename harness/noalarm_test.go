package harness_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"sort"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mfaconform/mfaconform/internal/judge"
)

// throttleEvery answers every nth call with TooManyRequestsException
// without forwarding it.
func throttleEvery(n int64) func(http.RoundTripper) http.RoundTripper {
	var count atomic.Int64
	return rewriter{before: func(c *call) *answer {
		if count.Add(1)%n != 0 {
			return nil
		}
		a := jsonAnswer(400, nil)
		a.Header.Set("X-Amzn-ErrorType", "TooManyRequestsException")
		a.Raw = []byte(`{"__type":"TooManyRequestsException","message":"Rate exceeded"}`)
		return a
	}}.wrap
}

func TestNoAlarmThrottling(t *testing.T) {
	t.Parallel()
	plain := brokenRun(t, func(rt http.RoundTripper) http.RoundTripper { return rt })
	throttled := brokenRun(t, throttleEvery(5))
	if !throttled.Conforms() {
		t.Errorf("throttling every 5th call is not a deviation; failing %v\n%s", throttled.Failing(), ruleTable(throttled))
	}
	if throttled.Summary.Calls <= plain.Summary.Calls {
		t.Errorf("throttled run sent %d calls, the plain run %d: retries must be counted", throttled.Summary.Calls, plain.Summary.Calls)
	}
}

func TestNoAlarmSlowTarget(t *testing.T) {
	t.Parallel()
	var count atomic.Int64
	slow := func(next http.RoundTripper) http.RoundTripper {
		return rtFunc(func(r *http.Request) (*http.Response, error) {
			if count.Add(1)%7 == 0 {
				time.Sleep(20 * time.Millisecond)
			}
			return next.RoundTrip(r)
		})
	}
	rep := brokenRun(t, slow)
	if !rep.Conforms() {
		t.Errorf("a slow target is not a deviation; failing %v\n%s", rep.Failing(), ruleTable(rep))
	}
	if count.Load() < 100 {
		t.Errorf("only %d calls went through the slow wrapper", count.Load())
	}
}

// reversedJSON writes v with every object's keys in reverse order.
func reversedJSON(b *bytes.Buffer, v any) {
	switch t := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Sort(sort.Reverse(sort.StringSlice(keys)))
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			kb, _ := json.Marshal(k)
			b.Write(kb)
			b.WriteByte(':')
			reversedJSON(b, t[k])
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				b.WriteByte(',')
			}
			reversedJSON(b, e)
		}
		b.WriteByte(']')
	default:
		b.Write(mustJSON(t))
	}
}

func TestNoAlarmWireVariants(t *testing.T) {
	t.Parallel()
	var rewritten, coral atomic.Int64
	variant := rewriter{after: func(c *call, a *answer) {
		if a.Body == nil {
			return
		}
		if a.Status >= 400 && a.Code != "" {
			a.Header.Set("X-Amzn-ErrorType", a.Code+":http://internal.amazon.com/coral/com.amazonaws.cognito/")
			a.Body["__type"] = "com.amazonaws.cognito.identity.idp.model#" + a.Code
			if coral.Add(1)%2 == 0 {
				// Every other error carries its type only in the body, so
				// that the Coral-style __type is what the harness reads.
				a.Header.Del("X-Amzn-ErrorType")
			}
		}
		var b bytes.Buffer
		reversedJSON(&b, a.Body)
		a.Raw = b.Bytes()
		rewritten.Add(1)
	}}.wrap
	rep := brokenRun(t, variant)
	if !rep.Conforms() {
		t.Errorf("key order and Coral-style error types are allowed by awsJson1_1; failing %v\n%s", rep.Failing(), ruleTable(rep))
	}
	if rewritten.Load() < 100 || coral.Load() < 50 {
		t.Errorf("the wrapper rewrote only %d bodies and %d errors", rewritten.Load(), coral.Load())
	}
	if got := judge.SanitizeErrorCode("com.amazonaws.x#Code:http://x"); got != "Code" {
		t.Errorf("SanitizeErrorCode = %q, want Code", got)
	}
}
