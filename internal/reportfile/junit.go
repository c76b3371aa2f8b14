package reportfile

import (
	"encoding/xml"
	"io"
)

// Suite is a JUnit test suite, the one schema both reports write.
type Suite struct {
	XMLName  xml.Name `xml:"testsuite"`
	Name     string   `xml:"name,attr"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	// Skipped and Time, when nil, are left out: the diff report skips
	// nothing and has no time of its own.
	Skipped *int     `xml:"skipped,attr"`
	Time    *float64 `xml:"time,attr"`
	Cases   []Case   `xml:"testcase"`
}

// Case is one test case of a suite.
type Case struct {
	Name    string   `xml:"name,attr"`
	Class   string   `xml:"classname,attr"`
	Failure *Message `xml:"failure,omitempty"`
	Skipped *Message `xml:"skipped,omitempty"`
	// SystemOut carries a warning: JUnit has no status for a case that
	// passes with a note, and CI pages show a case's output.
	SystemOut string `xml:"system-out,omitempty"`
}

// Message is a failure's or a skip's message, and its text.
type Message struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

// WriteJUnit writes s as an XML document, indented.
func WriteJUnit(w io.Writer, s Suite) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	return enc.Encode(s)
}
