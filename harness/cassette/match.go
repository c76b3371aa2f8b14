package cassette

import (
	"bytes"
	"encoding/json"
	"mime"
	"strings"
)

// Key is what a request is matched on: its X-Amz-Target and its canonical
// JSON body after scrubbing. Never method and URL: every awsJson call is a
// POST to /.
type Key struct {
	Target string
	Body   string
}

// KeyOf returns the key of a scrubbed request body.
func KeyOf(target string, body []byte) Key {
	return Key{Target: target, Body: canonical(body)}
}

// canonical returns the canonical form of a JSON body: members sorted,
// no insignificant space, numbers as written. A body that is not one JSON
// value (a wire mutation) is its own canonical form.
func canonical(body []byte) string {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		return string(body)
	}
	if _, err := dec.Token(); err == nil {
		return string(body)
	}
	if hasDuplicateKeys(body) {
		// Decoding would keep one of them: two different bodies must not
		// become one key.
		return string(body)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return string(body)
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

// hasDuplicateKeys reports whether an object anywhere in a valid JSON
// document repeats a member name.
func hasDuplicateKeys(body []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(body))
	type frame struct {
		object  bool
		keys    map[string]bool
		wantKey bool
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				if top != nil && top.object {
					top.wantKey = true
				}
				stack = append(stack, &frame{object: true, keys: map[string]bool{}, wantKey: true})
			case '[':
				if top != nil && top.object {
					top.wantKey = true
				}
				stack = append(stack, &frame{})
			case '}', ']':
				stack = stack[:len(stack)-1]
			}
		case string:
			if top != nil && top.object && top.wantKey {
				if top.keys[t] {
					return true
				}
				top.keys[t] = true
				top.wantKey = false
				continue
			}
			if top != nil && top.object {
				top.wantKey = true
			}
		default:
			if top != nil && top.object {
				top.wantKey = true
			}
		}
	}
}

// mediaType is the media type of a Content-Type, the tie-break between
// recorded requests of the same key (wire cases send one body with
// several content types).
func mediaType(ct string) string {
	if mt, _, err := mime.ParseMediaType(ct); err == nil {
		return mt
	}
	return strings.TrimSpace(ct)
}
