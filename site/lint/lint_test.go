package lint_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/casebook/casebook/site"
	"github.com/casebook/casebook/site/lint"
	"github.com/casebook/casebook/site/scaffold"
)

var now = time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC)

func library(files map[string]string) fstest.MapFS {
	lib := fstest.MapFS{}
	for name, content := range files {
		lib[name] = &fstest.MapFile{Data: []byte(content), Mode: 0o644}
	}
	return lib
}

func check(t *testing.T, files map[string]string) *lint.Report {
	t.Helper()
	return lint.Check(context.Background(), library(files), site.Options{Now: now}, nil)
}

// only lists a rule's findings as "path:line:col: message | hint".
func only(rep *lint.Report, rule string) []string {
	var out []string
	for _, f := range rep.Findings {
		if f.Rule == rule {
			out = append(out, fmt.Sprintf("%s:%d:%d: %s | %s", f.Path, f.Line, f.Col, f.Message, f.Hint))
		}
	}
	return out
}

func expect(t *testing.T, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// messages drops hints, for tests about where findings are.
func messages(l []string) []string {
	out := make([]string, len(l))
	for i, s := range l {
		out[i], _, _ = strings.Cut(s, " | ")
	}
	return out
}

func TestBuildErrors(t *testing.T) {
	rep := check(t, map[string]string{
		"casebook.yaml":           "severities: [SEV1, SEV2]\n",
		"reviews/2024-01-01-a.md": "---\ntitle: A\nseverity: SEV9\nstatus: draft\n---\nSee [b](2024-01-02-missing.md).\n",
		"reviews/2024-01-02-b.md": "---\ntitle: B\nvisibility: restricted\nfollow_ups:\n  - owner: x\n---\n",
	})
	expect(t, messages(only(rep, "build")),
		`reviews/2024-01-01-a.md:3:11: severity: "SEV9" is not one of SEV1, SEV2 (casebook.yaml severities)`,
		`reviews/2024-01-01-a.md:6:5: link to a review that does not exist: 2024-01-02-missing.md`,
		`reviews/2024-01-02-b.md:5:5: follow_ups: title is required`,
	)
	if !rep.HasErrors() || rep.Count(lint.Error) != 3 || rep.Reviews != 2 {
		t.Errorf("errors %d, reviews %d", rep.Count(lint.Error), rep.Reviews)
	}
	for _, f := range rep.Findings {
		if f.Rule == "build" && f.Severity != lint.Error {
			t.Errorf("%+v", f)
		}
	}
	if rep := check(t, map[string]string{}); !rep.HasErrors() || rep.Findings[0].Path != "." {
		t.Errorf("empty library: %+v", rep.Findings)
	}
}

const vocabulary = `vocabulary:
  technologies:
    kubernetes: {title: Kubernetes, aliases: [k8s, kube]}
    postgresql: {title: PostgreSQL, aliases: [postgres]}
    pgbouncer: {title: PgBouncer}
    redis: {title: Redis}
    go: {title: Go}
  contributing_factors:
    default-configuration: {title: Unexamined defaults}
    retry-storm: {title: Retry storm}
`

func TestTermDuplicates(t *testing.T) {
	rep := check(t, map[string]string{
		"casebook.yaml": vocabulary,
		"reviews/2024-01-01-a.md": `---
title: A
technologies: [Kubernets, Kubernetes, K8S, postgresqls, pg-bouncer, rds, gc, k8ss]
contributing_factors:
  - unexamined defaults
  - retry storms
  - cache stampede
  - queue-backlog
themes: ui
---
`,
		"reviews/2024-01-02-b.md": `---
title: B
technologies:
  - kubernets
contributing_factors: [Cache-Stampedes, queue backlog]
themes: [ux]
---
`,
		"reviews/2024-01-03-c.md": "---\ntitle: C\ncontributing_factors: [queue-backlog, queue-backlogg]\n---\n",
	})
	expect(t, only(rep, "term-duplicate"),
		`reviews/2024-01-01-a.md:3:16: technologies: "Kubernets" is not in the vocabulary; did you mean kubernetes? | it is 1 edit from "kubernetes"; a second spelling makes a second term page and splits the reviews between them`,
		`reviews/2024-01-01-a.md:3:44: technologies: "postgresqls" is not in the vocabulary; did you mean postgresql? | it is the singular or plural of "postgresql"; a second spelling makes a second term page and splits the reviews between them`,
		`reviews/2024-01-01-a.md:3:57: technologies: "pg-bouncer" is not in the vocabulary; did you mean pgbouncer? | it differs only in spaces or hyphens from "pgbouncer"; a second spelling makes a second term page and splits the reviews between them`,
		`reviews/2024-01-01-a.md:3:78: technologies: "k8ss" is not in the vocabulary; did you mean kubernetes? | it is the singular or plural of "k8s", an alias of kubernetes; a second spelling makes a second term page and splits the reviews between them`,
		`reviews/2024-01-01-a.md:5:5: contributing_factors: "unexamined defaults" is not in the vocabulary; did you mean default-configuration? | it is the same as "unexamined-defaults", the title of default-configuration; a second spelling makes a second term page and splits the reviews between them`,
		`reviews/2024-01-01-a.md:6:5: contributing_factors: "retry storms" is not in the vocabulary; did you mean retry-storm? | it is the singular or plural of "retry-storm"; a second spelling makes a second term page and splits the reviews between them`,
		`reviews/2024-01-02-b.md:4:5: technologies: "kubernets" is not in the vocabulary; did you mean kubernetes? | it is 1 edit from "kubernetes"; a second spelling makes a second term page and splits the reviews between them`,
		`reviews/2024-01-02-b.md:5:24: contributing_factors: "Cache-Stampedes" is probably the same term as cache-stampede (in 1 review) | it is the singular or plural of "cache-stampede"; use one spelling, or add the term to casebook.yaml's vocabulary with the other as an alias`,
		`reviews/2024-01-03-c.md:3:39: contributing_factors: "queue-backlogg" is probably the same term as queue-backlog (in 3 reviews) | it is 1 edit from "queue-backlog"; use one spelling, or add the term to casebook.yaml's vocabulary with the other as an alias`,
	)
}

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"kubernets", "kubernetes", true},  // deletion
		{"kuberentes", "kubernetes", true}, // transposition counts as one edit
		{"kubrenetse", "kubernetes", true}, // two transpositions
		{"kbrnetes", "kubernetes", true},   // two deletions
		{"kbrntes", "kubernetes", false},   // three
		{"redis", "rds", false},            // the shorter has 3 letters: one edit at most
		{"reds", "redis", true},            // one edit
		{"go", "gc", false},                // two letters: exact only
		{"config-change", "configchange", true},
		{"dependencies", "dependency", true}, // -ies/-y
		{"leader", "ledger", false},          // two edits below eight letters: another word
	} {
		rep := check(t, map[string]string{
			"casebook.yaml":           "vocabulary:\n  technologies:\n    " + tc.b + ": {title: X}\n",
			"reviews/2024-01-01-a.md": "---\ntitle: A\ntechnologies: [" + tc.a + "]\n---\n",
		})
		if got := len(only(rep, "term-duplicate")) == 1; got != tc.want {
			t.Errorf("%s ~ %s: got %v", tc.a, tc.b, got)
		}
	}
}

func TestSections(t *testing.T) {
	google := "## Summary\nx\n## Impact\nx\n## Contributing factors\nx\n## Trigger\nx\n## Detection\n<!-- guidance -->\n## Resolution\nx\n## Lessons learned\n### What went well\nx\n## Timeline\n```timeline\n# 2024-01-01 10:00 | trigger | example\n```\n"
	rep := check(t, map[string]string{
		// Named template, two sections missing (Impact, Trigger), one empty.
		"reviews/2024-01-01-a.md": "---\ntitle: A\ntemplate: Google\n---\n## Summary\nx\n## Root causes\nx\n## Detection\n<!-- not yet -->\n## Resolution\nx\n## Lessons learned\n\nx\n## Timeline (UTC)\nx\n",
		// Unknown template.
		"reviews/2024-01-02-b.md": "---\ntitle: B\ntemplate: googel\n---\n",
		// No template named, but the structure matches google (7 of 8).
		"reviews/2024-01-03-c.md": "---\ntitle: C\n---\n" + strings.Replace(google, "## Trigger\nx\n", "", 1),
		// template: none opts out.
		"reviews/2024-01-04-d.md": "---\ntitle: D\ntemplate: none\n---\n## Summary\n## Impact\n## Contributing factors\n## Detection\n## Resolution\n## Lessons learned\n## Timeline\n",
		// Drafts may have empty sections.
		"reviews/2024-01-05-e.md": "---\ntitle: E\nstatus: draft\ntemplate: google\n---\n" + google,
		// Too little in common with any template.
		"reviews/2024-01-06-f.md": "---\ntitle: F\n---\n## Summary\nx\n## Timeline\nx\n",
	})
	expect(t, messages(only(rep, "required-section")),
		`reviews/2024-01-01-a.md:3:11: section "Impact" is missing (template google)`,
		`reviews/2024-01-01-a.md:3:11: section "Trigger" is missing (template google)`,
		`reviews/2024-01-03-c.md:1:1: section "Trigger" is missing (template google)`,
	)
	expect(t, messages(only(rep, "empty-section")),
		`reviews/2024-01-01-a.md:9:1: section "Detection" is empty`,
		`reviews/2024-01-03-c.md:10:1: section "Detection" is empty`,
		`reviews/2024-01-03-c.md:17:1: section "Timeline" is empty`,
	)
	expect(t, only(rep, "unknown-template"),
		`reviews/2024-01-02-b.md:3:11: template: no template named "googel" | did you mean google? templates: google, howie, or none; a library adds its own as templates/NAME.md`,
	)
	hints := only(rep, "required-section")
	if !strings.HasSuffix(hints[0], `| add a "## Impact" heading`) ||
		!strings.HasSuffix(hints[2], `| add a "## Trigger" heading; this review has 7 of the google template's 8 sections: if it does not follow that template, add template: none to its front matter`) {
		t.Errorf("hints:\n%s", strings.Join(hints, "\n"))
	}
}

func TestLibraryTemplateSections(t *testing.T) {
	rep := check(t, map[string]string{
		"templates/short.md":      "---\nrequired_sections: [What happened, \"Next steps|Follow-ups\"]\n---\n## What happened\n",
		"templates/broken.md":     "---\nrequired: [x]\n---\n",
		"reviews/2024-01-01-a.md": "---\ntitle: A\ntemplate: short\n---\n## What happened\nx\n",
	})
	expect(t, only(rep, "required-section"),
		`reviews/2024-01-01-a.md:3:11: section "Next steps" is missing (template short) | add a "## Next steps" heading (or "Follow-ups")`)
	expect(t, only(rep, "template"),
		`templates/broken.md:2:1: template: unknown key "required" | want description, required_sections or front_matter`)
}

func TestFollowUps(t *testing.T) {
	rep := check(t, map[string]string{
		"casebook.yaml": "timezone: Europe/London\n",
		"reviews/2024-01-01-a.md": `---
title: A
follow_ups:
  - title: Nobody owns this
  - title: Done things need no owner
    status: done
  - title: Dropped things neither
    status: wont-do
  - Just a title
  - title: Due yesterday
    owner: sam
    due: 2026-01-01
  - title: Due today
    owner: sam
    due: 2026-01-02
  - title: Due this morning
    owner: sam
    status: In-Progress
    due: 2026-01-02 09:30
  - title: Overdue but done
    owner: sam
    status: done
    due: 2025-01-01
  - {title: Long overdue, owner: sam, due: 2025-12-01}
---
`,
	})
	expect(t, messages(only(rep, "follow-up-owner")),
		`reviews/2024-01-01-a.md:4:5: follow-up "Nobody owns this" has no owner`,
		`reviews/2024-01-01-a.md:9:5: follow-up "Just a title" has no owner`,
	)
	expect(t, messages(only(rep, "follow-up-overdue")),
		`reviews/2024-01-01-a.md:12:10: follow-up "Due yesterday" was due 2026-01-01 (1 day ago) and is still open`,
		`reviews/2024-01-01-a.md:19:10: follow-up "Due this morning" was due 2026-01-02 09:30 (earlier today) and is still in-progress`,
		`reviews/2024-01-01-a.md:24:44: follow-up "Long overdue" was due 2025-12-01 (32 days ago) and is still open`,
	)
}

func TestPeople(t *testing.T) {
	review := `---
title: A
responders: [ann, Bob Smith, carol]
investigators:
  - bob-smith
follow_ups:
  - {title: X, owner: dave}
---
`
	rep := check(t, map[string]string{
		"reviews/2024-01-01-a.md": review,
		"reviews/2023-05-01-z.md": "---\ntitle: Z\nfollow_ups: [{title: Y, owner: carol}]\n---\n",
		"people/ann.md":           "# Ann\n",
	})
	// Once a person, at the first review by path that names them.
	expect(t, only(rep, "person-profile"),
		`reviews/2023-05-01-z.md:3:32: carol has no profile in people/ (responder and follow-up owner in 2 reviews) | add people/carol.md with name, team and role so readers know who to ask`,
		`reviews/2024-01-01-a.md:3:19: bob-smith has no profile in people/ (responder and investigator in 1 review) | add people/bob-smith.md with name, team and role so readers know who to ask`,
		`reviews/2024-01-01-a.md:7:23: dave has no profile in people/ (follow-up owner in 1 review) | add people/dave.md with name, team and role so readers know who to ask`,
	)
	for _, f := range rep.Findings {
		if f.Rule == "person-profile" && f.Severity != lint.Note {
			t.Errorf("%+v", f)
		}
	}
	// A library without people/ does not use profiles: nothing to say.
	rep = check(t, map[string]string{"reviews/2024-01-01-a.md": review})
	expect(t, only(rep, "person-profile"))
}

func TestBlamelessLanguage(t *testing.T) {
	body := "# Why didn’t the alert fire?\n" + // 5: a heading, not reported
		"\n" +
		"It was human\nerror, obviously. We just restarted it just before noon.\n" + // 7, 8
		"\n" +
		"- The operator *should have* known\n" + // 10
		"- Adjusting `root cause` in code is fine, as is [a link](https://x.example/just)\n" + // 11
		"\n" +
		"| who | what |\n|---|---|\n| ops | failed to page |\n" + // 13-15
		"\n" +
		"<!-- should have: guidance comments are not prose -->\n" +
		"\n" +
		"```\nhuman error in code\n```\n" +
		"\n" +
		"    indented code: careless\n" +
		"\n" +
		"Root causes, not just one. Negligence.\n" + // 25
		"\n" +
		"```timeline\n" +
		"2024-01-01 10:00 | note | Team was careless with `just` this\n" + // 28
		"# 10:05 | note | human error in a comment\n" +
		"```\n"
	rep := check(t, map[string]string{
		"reviews/2024-01-01-a.md": "---\ntitle: Should have\nsummary: human error\n---\n" + body,
	})
	expect(t, messages(only(rep, "blameless-language")),
		`reviews/2024-01-01-a.md:7:8: consider rephrasing "human error"`,
		`reviews/2024-01-01-a.md:8:8: consider rephrasing "obviously"`,
		`reviews/2024-01-01-a.md:8:22: consider rephrasing "just"`,
		`reviews/2024-01-01-a.md:10:17: consider rephrasing "should have"`,
		`reviews/2024-01-01-a.md:15:9: consider rephrasing "failed to"`,
		`reviews/2024-01-01-a.md:25:1: consider rephrasing "Root causes"`,
		`reviews/2024-01-01-a.md:25:28: consider rephrasing "Negligence"`,
		`reviews/2024-01-01-a.md:28:36: consider rephrasing "careless"`,
	)
	for _, f := range rep.Findings {
		if f.Rule == "blameless-language" && f.Severity != lint.Suggestion {
			t.Errorf("%+v", f)
		}
		if f.Rule == "blameless-language" && strings.Contains(f.Message, "human error") &&
			f.Hint != "'human error' ends the inquiry where it should begin: ask what made the action reasonable at the time" {
			t.Errorf("hint: %q", f.Hint)
		}
	}
}

func TestSettings(t *testing.T) {
	rev := "---\ntitle: A\nresponders: [zed]\n---\nIt was human error and the intern, simply put. The intern program helped.\n"
	rep := check(t, map[string]string{
		"casebook.yaml": `lint:
  disable: [person-profile, nope, build]
  blameless_phrases:
    - human error
    - phrase: the intern
      why: Name the role and what the system allowed.
      except: [the intern program]
      extra: 1
    - {why: no phrase}
  extra_blameless_phrases: [simply]
  colour: blue
`,
		"people/amy.md":           "# Amy\n",
		"reviews/2024-01-01-a.md": rev,
	})
	expect(t, only(rep, "blameless-language"),
		`reviews/2024-01-01-a.md:5:8: consider rephrasing "human error" | words like this tend to assign blame or end the inquiry: describe what people knew, saw and did, and why it made sense at the time`,
		`reviews/2024-01-01-a.md:5:24: consider rephrasing "the intern" | Name the role and what the system allowed.`,
		`reviews/2024-01-01-a.md:5:36: consider rephrasing "simply" | words like this tend to assign blame or end the inquiry: describe what people knew, saw and did, and why it made sense at the time`,
	)
	expect(t, messages(only(rep, "lint-config")),
		`casebook.yaml:2:29: lint.disable: no rule named "nope"`,
		`casebook.yaml:2:35: lint.disable: the build rule cannot be disabled`,
		`casebook.yaml:8:7: lint.blameless_phrases: unknown key "extra"`,
		`casebook.yaml:9:8: lint.blameless_phrases: each item needs a phrase`,
		`casebook.yaml:11:3: lint: unknown setting "colour"`,
	)
	expect(t, only(rep, "person-profile"))

	// An empty list turns the phrases off; a bad lint: value is reported.
	rep = check(t, map[string]string{"casebook.yaml": "lint:\n  blameless_phrases: []\n", "reviews/2024-01-01-a.md": rev})
	expect(t, only(rep, "blameless-language"))
	rep = check(t, map[string]string{"casebook.yaml": "lint: strict\n", "reviews/2024-01-01-a.md": rev})
	expect(t, messages(only(rep, "lint-config")), `casebook.yaml:1:7: lint must be a mapping`)
}

// A top-level key spelt like a setting is flagged where it is; a key a
// theme might use is not.
func TestConfigKeys(t *testing.T) {
	rev := "---\ntitle: A\n---\nBody.\n"
	rep := check(t, map[string]string{
		"casebook.yaml":           "title: X\ntimzone: Europe/Paris\nunsafeHTML: true\nBaseUrl: https://x.example/\nlogo: /logo.svg\nbrand: Acme\nseverity: [SEV1]\ndefault-template: howie\nbaseurl: https://y.example/\n",
		"reviews/2024-01-01-a.md": rev,
	})
	expect(t, messages(only(rep, "config-key")),
		`casebook.yaml:2:1: "timzone" is not a casebook setting: did you mean timezone?`,
		`casebook.yaml:3:1: "unsafeHTML" is not a casebook setting: did you mean unsafe_html?`,
		`casebook.yaml:4:1: "BaseUrl" is not a casebook setting: did you mean baseURL?`,
		`casebook.yaml:7:1: "severity" is not a casebook setting: did you mean severities?`,
		`casebook.yaml:8:1: "default-template" is not a casebook setting: did you mean default_template?`,
	)
	rep = check(t, map[string]string{
		"casebook.yaml":           "title: X\nlint:\n  disable: [config-key]\ntimzone: UTC\n",
		"reviews/2024-01-01-a.md": rev,
	})
	expect(t, only(rep, "config-key"))
}

// A review fresh from `casebook new` checks clean, whichever template.
func TestNewReviewIsClean(t *testing.T) {
	cfg, _ := site.ReadConfig(fstest.MapFS{})
	for _, tmpl := range scaffold.Builtin() {
		out, err := tmpl.Render(scaffold.Data{Title: "Fresh", Date: now, Config: cfg})
		if err != nil {
			t.Fatal(err)
		}
		rep := check(t, map[string]string{"reviews/2026-01-02-fresh.md": string(out)})
		if len(rep.Findings) != 0 {
			t.Errorf("%s: %+v", tmpl.Name, rep.Findings)
		}
		// Published as it is, every required section is empty.
		published := strings.Replace(string(out), "status: draft", "status: published", 1)
		rep = check(t, map[string]string{"reviews/2026-01-02-fresh.md": published})
		if n := len(only(rep, "empty-section")); n != len(tmpl.Sections) || len(rep.Findings) != n {
			t.Errorf("%s published: %d empty sections of %d, %d findings", tmpl.Name, n, len(tmpl.Sections), len(rep.Findings))
		}
	}
}

// Broken front matter is the build's to report; the other rules keep to
// what they can read.
func TestBrokenFrontMatter(t *testing.T) {
	rep := check(t, map[string]string{
		"reviews/2024-01-01-a.md": "---\ntitle: [\n---\nHuman error.\n",
		"reviews/2024-01-02-b.md": "---\ntitle: B\n",
	})
	var rules []string
	for _, f := range rep.Findings {
		rules = append(rules, fmt.Sprintf("%s:%d %s", f.Path, f.Line, f.Rule))
	}
	expect(t, rules,
		"reviews/2024-01-01-a.md:2 build",
		"reviews/2024-01-01-a.md:4 blameless-language",
		"reviews/2024-01-02-b.md:1 build",
	)
}

// check validates drafts and restricted reviews, yet fails what build
// fails: a training path may not send readers to either.
func TestBuildErrorsOfPathsAsBuilt(t *testing.T) {
	rep := check(t, map[string]string{
		"reviews/2024-01-01-a.md": "---\ntitle: A\nstatus: draft\n---\nBody.\n",
		"reviews/2024-01-02-b.md": "---\ntitle: B\nvisibility: restricted\n---\nBody.\n",
		"reviews/2024-01-03-c.md": "---\ntitle: C\n---\nBody.\n",
		"paths/p.md":              "---\ntitle: P\nsteps:\n  - review: 2024-01-01-a\n  - review: 2024-01-02-b\n  - review: 2024-01-03-c\n---\n",
	})
	expect(t, messages(only(rep, "build")),
		`paths/p.md:4:13: step: review "2024-01-01-a" is a draft; a path may only name published reviews`,
		`paths/p.md:5:13: step: review "2024-01-02-b" is restricted; a path may only name reviews everyone can read`,
	)
}
