package mfatest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"

	"github.com/mfaconform/mfaconform/contracts"
)

// Deliberately broken handlers: the reference emulator with one bug each.

// call is one request as a rewriting handler sees it.
type call struct {
	Op  string         // the operation (X-Amz-Target after the dot)
	Req map[string]any // the body; nil when not a JSON object
	// Edited: before changed Req, which is forwarded instead of the body.
	Edited bool
}

// answer is one response as a rewriting handler sees it.
type answer struct {
	Status int
	Header http.Header
	Raw    []byte
	Body   map[string]any // nil when not a JSON object
	// Edited: after changed Body, which is sent instead of Raw.
	Edited bool
}

func (c *call) pool() string {
	id, _ := c.Req["UserPoolId"].(string)
	return id
}

// rewrite wraps h: before may answer a call itself (a non-nil answer) or
// edit it, after may edit h's answer. Either may be nil.
func rewrite(h http.Handler, before func(*call) *answer, after func(*call, *answer)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		target := r.Header.Get("X-Amz-Target")
		c := &call{Op: target[strings.LastIndexByte(target, '.')+1:]}
		_ = json.Unmarshal(raw, &c.Req)
		var a *answer
		if before != nil {
			a = before(c)
		}
		if a == nil {
			if c.Edited {
				raw, _ = json.Marshal(c.Req)
			}
			fwd := r.Clone(r.Context())
			fwd.Body, fwd.ContentLength = io.NopCloser(bytes.NewReader(raw)), int64(len(raw))
			fwd.Header.Set("Content-Length", strconv.Itoa(len(raw)))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, fwd)
			a = &answer{Status: rec.Code, Header: rec.Header(), Raw: rec.Body.Bytes()}
			_ = json.Unmarshal(a.Raw, &a.Body)
			if after != nil {
				after(c, a)
			}
		}
		if a.Edited {
			a.Raw, _ = json.Marshal(a.Body)
		}
		for k, v := range a.Header {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(a.Raw)))
		w.WriteHeader(a.Status)
		w.Write(a.Raw)
	})
}

// acceptOffWithFactor accepts a Set of mode OFF with an enabled TOTP or an
// email factor block that the reference rejects for that reason alone:
// 200, the request echoed without the pool ID. SMS blocks are left alone:
// their role is checked before the mode, so accepting them would break
// the SMS role rules too. (Accepting every such request, whatever else is
// wrong with it, would also break the rules of a missing pool and of
// malformed members.)
func acceptOffWithFactor(h http.Handler) http.Handler {
	return rewrite(h, nil, func(c *call, a *answer) {
		if c.Op != contracts.OpSetUserPoolMfaConfig || c.Req == nil || c.Req["MfaConfiguration"] != contracts.MfaOff {
			return
		}
		totp, _ := c.Req["SoftwareTokenMfaConfiguration"].(map[string]any)
		_, email := c.Req["EmailMfaConfiguration"].(map[string]any)
		_, sms := c.Req["SmsMfaConfiguration"]
		if sms || !(email || totp["Enabled"] == true) || a.Status != http.StatusBadRequest || a.Body["message"] != contracts.MsgOffWithFactor {
			return
		}
		body := map[string]any{}
		for k, v := range c.Req {
			if k != "UserPoolId" {
				body[k] = v
			}
		}
		a.Status, a.Body, a.Edited = http.StatusOK, body, true
		a.Header = http.Header{"Content-Type": {contracts.ContentType}}
	})
}

// mergeNotReplace fills the members a Set leaves out from the pool's last
// accepted Set, instead of replacing the whole configuration.
func mergeNotReplace(h http.Handler) http.Handler {
	var mu sync.Mutex
	last := map[string]map[string]any{}
	pending := map[*call]bool{}
	return rewrite(h, func(c *call) *answer {
		if c.Op != contracts.OpSetUserPoolMfaConfig || c.Req == nil || c.pool() == "" {
			return nil
		}
		mu.Lock()
		defer mu.Unlock()
		for k, v := range last[c.pool()] {
			if _, ok := c.Req[k]; !ok {
				c.Req[k], c.Edited = v, true
			}
		}
		pending[c] = true
		return nil
	}, func(c *call, a *answer) {
		mu.Lock()
		defer mu.Unlock()
		if pending[c] {
			delete(pending, c)
			if a.Status == http.StatusOK {
				last[c.pool()] = c.Req
			}
		}
	})
}

// dropMember leaves a member out of Set's answer.
func dropMember(h http.Handler, member string) http.Handler {
	return rewrite(h, nil, func(c *call, a *answer) {
		if c.Op == contracts.OpSetUserPoolMfaConfig && a.Status == http.StatusOK && a.Body != nil {
			if _, ok := a.Body[member]; ok {
				delete(a.Body, member)
				a.Edited = true
			}
		}
	})
}
