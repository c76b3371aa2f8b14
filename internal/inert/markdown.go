package inert

import "strings"

// CodeSpan is s as one Markdown code span, escaped (Escape): fenced with
// one backtick more than the longest run of backticks in it (CommonMark),
// padded with a space where s begins or ends with a backtick. Inside a
// code span nothing is markup: no HTML, no link, no emphasis.
func CodeSpan(s string) string {
	s = Escape(s)
	longest, run := 0, 0
	for _, c := range s {
		if c == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}

// Cell is text in one Markdown table cell, escaped: a "|" would end the
// cell (GitHub's tables read "\|" as "|" inside code spans too).
func Cell(s string) string {
	return strings.ReplaceAll(Escape(s), "|", `\|`)
}

// CodeCell is a value as code in one table cell; no value, an empty cell.
func CodeCell(s string) string {
	if s == "" {
		return ""
	}
	return Cell(CodeSpan(s))
}
