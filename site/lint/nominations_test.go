package lint_test

import (
	"strings"
	"testing"
)

// A nomination needs only a title, a date and why: check asks for none of
// a review's sections or follow-up owners, while the same file as a
// review gets both findings; one without why: is a build error.
func TestNominationNeedsNoSections(t *testing.T) {
	google := "## Summary\nx\n## Impact\n## Root causes\n## Trigger\n## Detection\n## Resolution\n## Lessons learned\n## Timeline\n"
	body := "template: google\nfollow_ups:\n  - title: Find out\n---\n" + google
	rep := check(t, map[string]string{
		"reviews/2024-01-01-n.md": "---\ntitle: N\nstatus: nominated\nwhy: Worth it.\n" + body,
		"reviews/2024-01-02-r.md": "---\ntitle: R\n" + body,
		"reviews/2024-01-03-x.md": "---\ntitle: X\nstatus: nominated\n---\n",
	})
	for _, f := range rep.Findings {
		if f.Path == "reviews/2024-01-01-n.md" {
			t.Errorf("the nomination has a finding: %+v", f)
		}
	}
	for _, rule := range []string{"empty-section", "follow-up-owner"} {
		if got := only(rep, rule); len(got) == 0 || !strings.HasPrefix(got[0], "reviews/2024-01-02-r.md:") {
			t.Errorf("%s: the review's findings are %q", rule, got)
		}
	}
	if rep.Reviews != 1 || rep.Nominations != 2 || !strings.HasPrefix(rep.Summary(), "1 review and 2 nominations checked") {
		t.Errorf("reviews %d, nominations %d, summary %q", rep.Reviews, rep.Nominations, rep.Summary())
	}
	expect(t, messages(only(rep, "build")),
		`reviews/2024-01-03-x.md:3:9: status: nominated needs why: (what there is to learn from this incident)`)
}
