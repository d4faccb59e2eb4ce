package site

import (
	"html"
	"strings"
	"testing"
)

// The plain-text fast path must render what goldmark renders.
func TestPlainInlineMatchesGoldmark(t *testing.T) {
	env := newRenderEnv(parseConfig(nil, &errs{}), nil)
	for _, text := range []string{
		"Deploy starts",
		`Quotes "here" and 'there', 50% of pods`,
		"Rolled back v1.2.3 -> v1.2.2",
		"mailed ops@example.com",
		"see https://status.example.com",
		"**bold** and `code`",
		"a < b & c > d",
		"paged @sam and @priya-raman",
	} {
		fast := plainInline(text)
		md := env.inline(mentionRe.ReplaceAllString(text, "$1[@$2](/people/$2/)"))
		if !fast {
			continue
		}
		rc := &reviewContext{loc: env.cfg.Location}
		got := env.event(rc.base, "note", text, 1, rc).HTML
		norm := func(s string) string { return html.UnescapeString(strings.TrimSpace(s)) }
		if norm(string(got)) != norm(string(md)) {
			t.Errorf("%q: fast path %q, goldmark %q", text, got, md)
		}
	}
	for text, want := range map[string]bool{"plain words": true, "ops@example.com": false, "a *b*": false, "x https://y": false, "@sam paged": true} {
		if plainInline(text) != want {
			t.Errorf("plainInline(%q) = %v, want %v", text, !want, want)
		}
	}
}
