package main

import (
	"strings"
	"testing"
)

// casebook check names a front-matter key casebook ignores at its place,
// with the field it probably means, and still exits 0 (a warning); the
// keys Hugo and Jekyll users bring that casebook reads or maps are not
// named.
func TestCheckWarnsAboutIgnoredKeys(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", epoch)
	lib := newLibrary(t, map[string]string{
		"reviews/2025-01-01-a.md": "---\ntitle: A\nseverity_: SEV2\ndraft: true\nlastmod: 2025-01-02\naliases: [/a/]\nauthors: [ann]\npublishDate: 2025-01-03\ntags: [dns]\nlayout: post\n---\nBody.\n",
	})
	stdout, stderr, code := casebook(t, "check", "--library", lib)
	want := `reviews/2025-01-01-a.md:3:1: warning: front matter: casebook does not read "severity_": did you mean severity? [unknown-key]`
	if code != 0 || stderr != "" || !strings.Contains(stdout, want+"\n") {
		t.Errorf("code %d, stderr %q, want %q in stdout:\n%s", code, stderr, want, stdout)
	}
	if n := strings.Count(stdout, "[unknown-key]"); n != 1 {
		t.Errorf("%d unknown-key warnings, want 1 (draft, lastmod, aliases, authors, publishDate, tags and layout are read or harmless):\n%s", n, stdout)
	}
}
