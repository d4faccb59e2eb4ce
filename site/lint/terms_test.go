package lint_test

import "testing"

// Below eight letters one edit is the most a misspelling is allowed: two
// already make another word, and a real library has both.
func TestTermDuplicateShortWords(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"token", "tokyo", false},
		{"reddit", "redis", false},
		{"gitlab", "github", false},
		{"stuck", "slack", false},
		{"nginx", "ngnix", true},      // one swap
		{"rabbitmq", "rabitmq", true}, // one deletion
		{"terraform", "terrafrom", true},
		{"cloudflare", "clouldfare", true}, // two edits from eight letters
		{"datadog", "datdog", true},
		{"datadog", "dtadgo", false},
	} {
		rep := check(t, map[string]string{
			"casebook.yaml":           "vocabulary:\n  technologies:\n    " + tc.b + ": {title: X}\n",
			"reviews/2024-01-01-a.md": "---\ntitle: A\ntechnologies: [" + tc.a + "]\n---\n",
		})
		if got := len(only(rep, "term-duplicate")) == 1; got != tc.want {
			t.Errorf("%s ~ %s: got %v", tc.a, tc.b, got)
		}
		// Between two unknown terms too.
		rep = check(t, map[string]string{
			"reviews/2024-01-01-a.md": "---\ntitle: A\ntechnologies: [" + tc.b + "]\n---\n",
			"reviews/2024-01-02-b.md": "---\ntitle: B\ntechnologies: [" + tc.a + "]\n---\n",
		})
		if got := len(only(rep, "term-duplicate")) == 1; got != tc.want {
			t.Errorf("unknown %s ~ %s: got %v", tc.a, tc.b, got)
		}
	}
}

// Two unknown spellings used as often are reported once, at the one first
// used later, never in both directions.
func TestTermDuplicatePairOnce(t *testing.T) {
	rep := check(t, map[string]string{
		"reviews/2024-01-01-a.md": "---\ntitle: A\ntechnologies: [pgbouncer]\nservices: [ledger-api]\n---\n",
		"reviews/2024-01-02-b.md": "---\ntitle: B\ntechnologies: [pgbouncr]\nservices: [ledger-apis]\n---\n",
		"reviews/2024-01-03-c.md": "---\ntitle: C\ntechnologies: [pgbouncer, pgbouncr]\n---\n",
	})
	expect(t, messages(only(rep, "term-duplicate")),
		`reviews/2024-01-02-b.md:3:16: technologies: "pgbouncr" is probably the same term as pgbouncer (in 2 reviews)`,
		`reviews/2024-01-02-b.md:4:12: services: "ledger-apis" is probably the same term as ledger-api (in 1 review)`,
		`reviews/2024-01-03-c.md:3:27: technologies: "pgbouncr" is probably the same term as pgbouncer (in 2 reviews)`,
	)
	// The other order of first use turns the pair round.
	rep = check(t, map[string]string{
		"reviews/2024-01-01-a.md": "---\ntitle: A\ntechnologies: [pgbouncr]\n---\n",
		"reviews/2024-01-02-b.md": "---\ntitle: B\ntechnologies: [pgbouncer]\n---\n",
	})
	expect(t, messages(only(rep, "term-duplicate")),
		`reviews/2024-01-02-b.md:3:16: technologies: "pgbouncer" is probably the same term as pgbouncr (in 1 review)`,
	)
}
