package site

import "testing"

// isSlug is a shortcut: whatever it accepts, the general path must return
// unchanged, and whatever Slugify returns, it must accept.
func FuzzSlugify(f *testing.F) {
	for _, s := range []string{"", "a", "ann-lee", "-a", "a-", "a--b", "Kube", "PM2021-004 - ADFS sign-in outage", "étude", "a_b", "0-9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if isSlug(s) && slugify(s) != s {
			t.Errorf("isSlug(%q) but slugify makes %q", s, slugify(s))
		}
		out := Slugify(s)
		if out != slugify(s) {
			t.Errorf("Slugify(%q) = %q, slugify %q", s, out, slugify(s))
		}
		if Slugify(out) != out {
			t.Errorf("Slugify is not idempotent on %q: %q then %q", s, out, Slugify(out))
		}
	})
}
