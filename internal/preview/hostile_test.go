package preview

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The error page is served on every URL, so it must show no more than the
// site would: not the lines of a file a link points to outside the
// library (a symlinked /etc/passwd), nor a restricted review's content.
func TestServeOverlayReadsNothingOutsideTheLibrary(t *testing.T) {
	outside := t.TempDir()
	const secret = "root-canary-x0:0:root"
	writeFile(t, filepath.Join(outside, "passwd"), "---\ntitle: ["+secret+"\n---\n"+secret+"\n")
	lib := writeServeLibrary(t, serveLib)
	if err := os.Symlink(filepath.Join(outside, "passwd"), filepath.Join(lib, "reviews", "evil.md")); err != nil {
		t.Fatal(err)
	}
	ts := startServe(t, lib)
	_, body := ts.waitFor("/", "the link on the overlay", func(status int, body string) bool {
		return status == 500 && strings.Contains(body, "reviews/evil.md")
	})
	if !strings.Contains(body, "outside the library") {
		t.Errorf("the overlay does not say the link leaves the library:\n%s", body)
	}
	if strings.Contains(body, secret) {
		t.Errorf("the overlay shows the link's target:\n%s", body)
	}
}

const restrictedBroken = `---
title: Secret title canary
summary: Secret summary canary
visibility: restricted
services: [unclosed
---
Secret body canary.
`

func TestServeOverlayHidesRestrictedContent(t *testing.T) {
	ts := startServe(t, writeServeLibrary(t, serveLib))
	ts.write("reviews/r.md", restrictedBroken)
	_, body := ts.waitFor("/", "the restricted review's error", func(status int, body string) bool {
		return status == 500 && strings.Contains(body, "reviews/r.md:")
	})
	for _, canary := range []string{"Secret title canary", "Secret summary canary", "Secret body canary", "unclosed"} {
		if strings.Contains(body, canary) {
			t.Errorf("the overlay shows %q of a restricted review:\n%s", canary, body)
		}
	}
	// The author at the terminal still sees the whole message.
	waitForOutput(t, ts.stderr, "reviews/r.md:")
}

func TestServeOverlayShowsRestrictedContentWhenIncluded(t *testing.T) {
	ts := startServe(t, writeServeLibrary(t, serveLib), func(c *Config) { c.Options.IncludeRestricted = true })
	ts.write("reviews/r.md", restrictedBroken)
	_, body := ts.waitFor("/", "the restricted review's error", func(status int, body string) bool {
		return status == 500 && strings.Contains(body, "reviews/r.md:")
	})
	if !strings.Contains(body, "Secret summary canary") {
		t.Errorf("with restricted reviews included, the overlay lacks the lines around the error:\n%s", body)
	}
}
