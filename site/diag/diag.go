// Package diag is how every stage of casebook reports a problem in a
// library: an Error located at path:line:col, and a List of them that is
// sorted before it is shown so that parallel parsing prints the same
// output every time. It sits below every other package of site and
// imports nothing of casebook's.
package diag

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Error is a problem in the library, located in a source file. Line and Col
// are 1-based; zero means unknown (the whole file, or the whole line).
type Error struct {
	Path string
	Line int
	Col  int
	Msg  string
	// Hint is optional advice shown after the message ("did you mean ...").
	Hint string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Path)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Col > 0 {
			fmt.Fprintf(&b, ":%d", e.Col)
		}
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	if e.Hint != "" {
		b.WriteString(" (")
		b.WriteString(e.Hint)
		b.WriteString(")")
	}
	return b.String()
}

// ErrorList is every problem found in one load, in file order.
type ErrorList []*Error

func (l ErrorList) Error() string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Sort orders errors by file, line and column so that output is stable
// whatever order parallel parsing found them in.
func (l ErrorList) Sort() {
	slices.SortStableFunc(l, func(a, b *Error) int {
		return cmp.Or(
			strings.Compare(a.Path, b.Path),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Col, b.Col),
			strings.Compare(a.Msg, b.Msg),
		)
	})
}

// Err returns the list as an error, or nil when it is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	l.Sort()
	return l
}

// Collector gathers the errors of one parse, and its notes: what the
// parse inferred rather than read (a title from the file name, a date
// from the timeline), located like errors but never failing a build. It
// is not safe for concurrent use: parallel workers each have their own
// and append them.
type Collector struct {
	List  ErrorList
	Notes ErrorList
}

// Note records something inferred at path:line:col.
func (c *Collector) Note(path string, line, col int, format string, args ...any) *Error {
	n := &Error{Path: path, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
	c.Notes = append(c.Notes, n)
	return n
}

// Add records a problem at path:line:col and returns it, so that a caller
// can attach a Hint.
func (c *Collector) Add(path string, line, col int, format string, args ...any) *Error {
	err := &Error{Path: path, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
	c.List = append(c.List, err)
	return err
}
