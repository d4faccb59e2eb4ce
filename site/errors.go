package site

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

// errs collects errors; it is not safe for concurrent use.
type errs struct{ list ErrorList }

func (e *errs) add(path string, line, col int, format string, args ...any) *Error {
	err := &Error{Path: path, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
	e.list = append(e.list, err)
	return err
}
