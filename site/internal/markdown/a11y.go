package markdown

import (
	"bytes"
	"html/template"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/util"
)

// Markup that assistive technology needs is written into the HTML here,
// not added by the theme's scripts, so that a page read without
// JavaScript (or before its scripts run) passes the same checks.

// focusablePre makes the first <pre> written through it focusable: a code
// block that scrolls sideways must take focus, or keyboard users cannot
// scroll it. The highlighter writes the <pre> (chroma's formatter or its
// memo), so the attribute goes in as the bytes pass.
type focusablePre struct {
	w    util.BufWriter
	done bool
	head []byte // the start of the output, until "<pre" is seen whole
}

var preOpen = []byte("<pre")

func (f *focusablePre) Write(p []byte) (int, error) {
	if f.done {
		return f.w.Write(p)
	}
	f.head = append(f.head, p...)
	if i := bytes.Index(f.head, preOpen); i >= 0 {
		f.done = true
		f.w.Write(f.head[:i+len(preOpen)])
		f.w.WriteString(` tabindex="0"`)
		f.w.Write(f.head[i+len(preOpen):])
		f.head = nil
	} else if len(f.head) > 64 {
		// Whatever this is, it does not start with a <pre>.
		f.done = true
		f.w.Write(f.head)
		f.head = nil
	}
	return len(p), nil
}

func (f *focusablePre) WriteString(s string) (int, error) { return f.Write([]byte(s)) }

// flush writes what is held back (output shorter than "<pre").
func (f *focusablePre) flush() {
	if len(f.head) > 0 {
		f.w.Write(f.head)
		f.head = nil
	}
	f.done = true
}

// taskCheckBox renders a task list's box as GFM does, read-only, and
// names it after its item ("Done: Rotate the keys"): a screen reader
// otherwise announces a row of unnamed checkboxes.
func (r *blockRenderer) taskCheckBox(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*extast.TaskCheckBox)
	state := "To do: "
	if n.IsChecked {
		w.WriteString(`<input checked="" disabled="" type="checkbox"`)
		state = "Done: "
	} else {
		w.WriteString(`<input disabled="" type="checkbox"`)
	}
	w.WriteString(` aria-label="`)
	w.WriteString(template.HTMLEscapeString(state + itemWords(n.Parent(), src, 80)))
	w.WriteString(`"> `)
	return ast.WalkContinue, nil
}

// itemWords is the plain text of a task item's first block, cut to at
// most max characters.
func itemWords(n ast.Node, src []byte, max int) string {
	if n == nil {
		return ""
	}
	t := strings.Join(strings.Fields(plainText(n, src)), " ")
	if utf8.RuneCountInString(t) <= max {
		return t
	}
	r := []rune(t)
	return strings.TrimSpace(string(r[:max-1])) + "…"
}
