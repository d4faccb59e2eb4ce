package lint_test

import (
	"fmt"
	"testing"
)

// A heading is the team's template; a phrase many reviews share is one
// suggestion for the library, at its first use, with a count.
func TestBlamelessAcrossReviews(t *testing.T) {
	files := map[string]string{
		"reviews/2024-01-01-a.md": "---\ntitle: A\n---\n## Root cause\n\nThe root cause was a config push.\n\nRoot Cause\n----------\n\nIt was human error.\n",
		"reviews/2024-01-02-b.md": "---\ntitle: B\n---\n## Root cause\n\nx\n\n- the root cause: a retry storm\n",
		"reviews/2024-01-03-c.md": "---\ntitle: C\n---\n# Root Cause Analysis\n\nA careless deploy, and a careless rollback.\n",
	}
	for i := 4; i <= 14; i++ {
		files[fmt.Sprintf("reviews/2024-02-%02d-x.md", i)] = "---\ntitle: X\n---\n## Timeline\n\n```timeline\n2024-02-01 10:00 | note | root cause found\n```\n"
	}
	rep := check(t, files)
	expect(t, messages(only(rep, "blameless-language")),
		`reviews/2024-01-01-a.md:6:5: consider rephrasing "root cause" (here, and in 12 other reviews)`,
		`reviews/2024-01-01-a.md:11:8: consider rephrasing "human error"`,
		`reviews/2024-01-03-c.md:6:3: consider rephrasing "careless"`,
		`reviews/2024-01-03-c.md:6:26: consider rephrasing "careless"`,
	)
	delete(files, "reviews/2024-01-01-a.md")
	for i := 4; i <= 14; i++ {
		delete(files, fmt.Sprintf("reviews/2024-02-%02d-x.md", i))
	}
	files["reviews/2024-01-04-d.md"] = "---\ntitle: D\n---\nThe root cause, again.\n"
	rep = check(t, files)
	expect(t, messages(only(rep, "blameless-language")),
		`reviews/2024-01-02-b.md:8:7: consider rephrasing "root cause" (here, and in 1 other review)`,
		`reviews/2024-01-03-c.md:6:3: consider rephrasing "careless"`,
		`reviews/2024-01-03-c.md:6:26: consider rephrasing "careless"`,
	)
}
