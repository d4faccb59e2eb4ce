package slug

import "testing"

// isSlug is a shortcut: whatever it accepts, the general path must return
// unchanged, and whatever Make returns, it must accept.
func FuzzMake(f *testing.F) {
	for _, s := range []string{"", "a", "ann-lee", "-a", "a-", "a--b", "Kube", "PM2021-004 - ADFS sign-in outage", "étude", "a_b", "0-9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if isSlug(s) && slugify(s) != s {
			t.Errorf("isSlug(%q) but slugify makes %q", s, slugify(s))
		}
		out := Make(s)
		if out != slugify(s) {
			t.Errorf("Make(%q) = %q, slugify %q", s, out, slugify(s))
		}
		if Make(out) != out {
			t.Errorf("Make is not idempotent on %q: %q then %q", s, out, Make(out))
		}
	})
}
