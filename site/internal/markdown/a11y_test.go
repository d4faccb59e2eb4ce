package markdown

import (
	"strings"
	"testing"
	"time"
)

// Code blocks take focus and task-list boxes are named in the HTML
// itself, with or without highlighting, so a page passes the
// accessibility checks before (or without) its scripts.
func TestA11yMarkup(t *testing.T) {
	env := New(Config{}, nil)
	src := "- [x] Rolled **back** the `deploy`\n- [ ] " + strings.Repeat("long ", 30) + "\n\n" +
		"```go\nfunc f() {}\n```\n\n```\nplain\n```\n\n```nosuchlanguage\nx\n```\n\n    indented\n"
	h := env.Render("r.md", []byte(src), 1, time.Time{}).HTML.String()
	for _, want := range []string{
		`<input checked="" disabled="" type="checkbox" aria-label="Done: Rolled back the deploy"> Rolled`,
		`<input disabled="" type="checkbox" aria-label="To do: ` + strings.TrimSpace(strings.Repeat("long ", 16)) + `…"> long`,
	} {
		if !strings.Contains(h, want) {
			t.Errorf("missing %s in\n%s", want, h)
		}
	}
	if n, pres := strings.Count(h, `<pre tabindex="0" class="chroma">`), strings.Count(h, "<pre"); n != 4 || pres != 4 {
		t.Errorf("%d of %d code blocks are focusable, want 4 of 4:\n%s", n, pres, h)
	}
}
