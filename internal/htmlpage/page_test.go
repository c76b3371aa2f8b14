package htmlpage

import (
	"bytes"
	"strings"
	"testing"
)

// TestCSPHashesWhatIsWritten: html/template writes the style and the
// script byte for byte as the CSP hashes them (it drops comments in both,
// which would make the browser refuse them).
func TestCSPHashesWhatIsWritten(t *testing.T) {
	page := New("t", `{{define "title"}}t{{end}}{{define "main"}}{{status .}}{{end}}`, nil)
	var b bytes.Buffer
	if err := Write(&b, page, "fail"); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for name, text := range map[string]string{"style": css, "script": script} {
		if !strings.Contains(out, "<"+name+">"+text+"</"+name+">") {
			t.Errorf("the page's %s is not the text its CSP hash is of: html/template changed it (a comment?)", name)
		}
	}
	if !strings.Contains(out, `<span class="status status-fail">✗ fail</span>`) {
		t.Errorf("a status is not shown as its mark and word:\n%s", out)
	}
}

// TestJSONLinesMarks: members in name order, a marked member with what it
// holds, text left for the template to escape.
func TestJSONLinesMarks(t *testing.T) {
	v := map[string]any{"B": map[string]any{"C": true, "D": []any{"x", 1.0}}, "A": "<b>"}
	got := JSONLines(v, map[string]bool{"B.D": true})
	want := []Line{{`{`, false}, {`  "A": "<b>",`, false}, {`  "B": {`, false}, {`    "C": true,`, false},
		{`    "D": [`, true}, {`      "x",`, true}, {`      1`, true}, {`    ]`, true}, {`  }`, false}, {`}`, false}}
	if len(got) != len(want) {
		t.Fatalf("JSONLines = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}
