package cassette_test

import (
	"bytes"
	"testing"

	vcr "github.com/dnaeon/go-vcr/v2/cassette"
	"gopkg.in/yaml.v3"

	"github.com/mfaconform/mfaconform/harness/cassette"
)

// TestMarshalItemByItem: a cassette written interaction by interaction (as
// the recorder saves, without encoding everything again) is byte for byte
// the file one encoding of the whole cassette writes, empty or not.
func TestMarshalItemByItem(t *testing.T) {
	path, _ := record(t, 300, nil)
	c, err := cassette.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	// Bodies with blank lines, trailing spaces and a multi-line block.
	c.Interactions[0].Response.Body = "line one\n\n  indented\ntrailing  \n"
	c.Interactions[1].Request.Body = "{\n\n  \"a\": 1\n}"
	for _, n := range []int{0, 1, len(c.Interactions)} {
		part := &cassette.Cassette{Header: c.Header, Interactions: c.Interactions[:n]}
		got, err := part.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if want := wholeYAML(t, part); !bytes.Equal(got, want) {
			t.Errorf("%d interactions: the file written item by item differs from one encoding of the whole (%d and %d bytes)", n, len(got), len(want))
		}
		if n < len(c.Interactions) {
			continue
		}
		back, err := cassette.Parse("item-by-item", got)
		if err != nil {
			t.Fatal(err)
		}
		if back.Interactions[0].Response.Body != c.Interactions[0].Response.Body || back.Interactions[1].Request.Body != c.Interactions[1].Request.Body {
			t.Errorf("bodies do not come back: %q, %q", back.Interactions[0].Response.Body, back.Interactions[1].Request.Body)
		}
	}
}

// wholeYAML encodes the whole file at once, as Marshal first did.
func wholeYAML(t *testing.T, c *cassette.Cassette) []byte {
	t.Helper()
	h := c.Header
	h.Interactions = len(c.Interactions)
	in := c.Interactions
	if in == nil {
		in = []*vcr.Interaction{}
	}
	var buf bytes.Buffer
	buf.WriteString("---\n")
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(struct {
		Header       *cassette.Header   `yaml:"mfaconform"`
		Version      int                `yaml:"version"`
		Interactions []*vcr.Interaction `yaml:"interactions"`
	}{&h, 1, in}); err != nil {
		t.Fatal(err)
	}
	if err := enc.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
