package htmlpage

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/mfaconform/mfaconform/internal/inert"
)

// Line is one line of a value shown as indented JSON. Mark: the line is a
// member that differs (or lies inside one).
type Line struct {
	Text string
	Mark bool
}

// JSONLines shows v (a value as encoding/json decodes it into any: maps,
// slices, strings, float64, bool, nil) as indented JSON, members in name
// order, one Line each. A member whose dotted path ("A.B", from the top
// of v; an array's elements share its path) is in marked is marked, with
// everything inside it. Strings are not HTML-escaped here: the template
// escapes them once.
func JSONLines(v any, marked map[string]bool) []Line {
	var out []Line
	var walk func(v any, path, key, indent, comma string, mark bool)
	walk = func(v any, path, key, indent, comma string, mark bool) {
		mark = mark || (path != "" && marked[path])
		prefix := indent
		if key != "" {
			prefix += scalar(key) + ": "
		}
		child := func(k string) string {
			if path == "" {
				return k
			}
			return path + "." + k
		}
		switch t := v.(type) {
		case map[string]any:
			if len(t) == 0 {
				out = append(out, Line{prefix + "{}" + comma, mark})
				return
			}
			out = append(out, Line{prefix + "{", mark})
			keys := make([]string, 0, len(t))
			for k := range t {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for i, k := range keys {
				walk(t[k], child(k), k, indent+"  ", sep(i, len(keys)), mark)
			}
			out = append(out, Line{indent + "}" + comma, mark})
		case []any:
			if len(t) == 0 {
				out = append(out, Line{prefix + "[]" + comma, mark})
				return
			}
			out = append(out, Line{prefix + "[", mark})
			for i, x := range t {
				walk(x, path, "", indent+"  ", sep(i, len(t)), mark)
			}
			out = append(out, Line{indent + "]" + comma, mark})
		default:
			out = append(out, Line{prefix + scalar(t) + comma, mark})
		}
	}
	walk(v, "", "", "", "", false)
	return out
}

func sep(i, n int) string {
	if i < n-1 {
		return ","
	}
	return ""
}

// scalar is a value as JSON, with <, > and & as they are: shown as text,
// escaped by the template, not as \u003c. Bidi overrides, which JSON
// leaves as they are, are escaped (inert.Escape) as JSON would write them.
func scalar(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return inert.Escape(fmt.Sprint(v))
	}
	return inert.Escape(strings.TrimSuffix(b.String(), "\n"))
}

// Compact is v as one line of JSON, with <, > and & as they are.
func Compact(v any) string { return scalar(v) }
