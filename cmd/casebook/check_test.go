package main

import (
	"context"
	"encoding/json"
	"runtime"
	"strings"
	"testing"

	"github.com/casebook/casebook/site/lint"
)

var lintedLibrary = map[string]string{
	"casebook.yaml":           "vocabulary:\n  technologies:\n    kubernetes: {title: Kubernetes}\n",
	"people/ann.md":           "# Ann\n",
	"reviews/2025-01-01-a.md": "---\ntitle: A\ntechnologies: [kubernets]\nresponders: [ann, bob]\nfollow_ups:\n  - title: Fix\n    due: 2025-06-01\n---\nIt was human error.\n",
}

func TestCheckExitStatus(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", epoch)
	// Warnings, suggestions and notes only: success.
	lib := newLibrary(t, lintedLibrary)
	stdout, stderr, code := casebook(t, "check", "--library", lib)
	want := `reviews/2025-01-01-a.md:3:16: warning: technologies: "kubernets" is not in the vocabulary; did you mean kubernetes? [term-duplicate]
	it is 1 edit from "kubernetes"; a second spelling makes a second term page and splits the reviews between them
reviews/2025-01-01-a.md:4:19: note: bob has no profile in people/ (responder in 1 review) [person-profile]
	add people/bob.md with name, team and role so readers know who to ask
reviews/2025-01-01-a.md:6:5: warning: follow-up "Fix" has no owner [follow-up-owner]
	add owner: person-id; a follow-up nobody owns is rarely done
reviews/2025-01-01-a.md:7:10: warning: follow-up "Fix" was due 2025-06-01 (215 days ago) and is still open [follow-up-overdue]
	mark it done or wont-do, or agree a new due date with its owner
reviews/2025-01-01-a.md:9:8: suggestion: consider rephrasing "human error" [blameless-language]
	'human error' ends the inquiry where it should begin: ask what made the action reasonable at the time
1 review checked (drafts and restricted included): 0 errors, 3 warnings, 1 suggestion, 1 note
`
	if code != 0 || stdout != want || stderr != "" {
		t.Errorf("code %d, stderr %q, stdout:\n%s", code, stderr, stdout)
	}

	// An error the build rejects: status 1, and nothing on stderr beyond
	// the report (statusError).
	broken := map[string]string{"reviews/2025-01-01-b.md": "---\ntitle: B\nstatus: finished\n---\nSee [x](2020-01-01-gone.md).\n"}
	for k, v := range lintedLibrary {
		broken[k] = v
	}
	lib = newLibrary(t, broken)
	stdout, stderr, code = casebook(t, "check", "--library", lib)
	if code != 1 || stderr != "" ||
		!strings.Contains(stdout, "reviews/2025-01-01-b.md:3:9: error: status: \"finished\" is not one of published, draft, nominated [build]\n") ||
		!strings.Contains(stdout, "reviews/2025-01-01-b.md:5:5: error: link to a review that does not exist: 2020-01-01-gone.md [build]\n") ||
		!strings.HasSuffix(stdout, "2 reviews checked (drafts and restricted included): 2 errors, 3 warnings, 1 suggestion, 1 note\n") {
		t.Errorf("code %d, stderr %q, stdout:\n%s", code, stderr, stdout)
	}
}

// The theme is part of what the build checks: a library's broken
// template is an error of check too, at its place.
func TestCheckTheme(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", epoch)
	files := map[string]string{"theme/templates/404.html": "{{define \"main\"}}{{.Nope}}{{end}}\n"}
	for k, v := range lintedLibrary {
		files[k] = v
	}
	stdout, stderr, code := casebook(t, "check", "--library", newLibrary(t, files))
	want := "theme/templates/404.html:1:19: error: executing \"main\" at <.Nope>: can't evaluate field Nope in type *render.Page (on /404.html) [build]\n"
	if code != 1 || stderr != "" || !strings.Contains(stdout, want) {
		t.Errorf("code %d, stderr %q, stdout:\n%s\nwant a line:\n%s", code, stderr, stdout, want)
	}
	files["theme/templates/404.html"] = "{{define \"main\"}}{{if}}{{end}}\n"
	stdout, _, code = casebook(t, "check", "--library", newLibrary(t, files))
	if code != 1 || !strings.Contains(stdout, "theme/templates/404.html:1: error: missing value for if [build]") {
		t.Errorf("parse error: code %d, stdout:\n%s", code, stdout)
	}
}

func TestCheckJSON(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", epoch)
	lib := newLibrary(t, lintedLibrary)
	first, _, code := casebook(t, "check", "--library", lib, "--format", "json")
	if code != 0 {
		t.Fatalf("code %d", code)
	}
	for range 3 {
		again, _, _ := casebook(t, "check", "--library", lib, "--format", "json")
		if again != first {
			t.Fatalf("JSON differs between runs:\n%s\n%s", first, again)
		}
	}
	var rep lint.JSON
	if err := json.Unmarshal([]byte(first), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Version != 1 || rep.Reviews != 1 || rep.Summary != (lint.Counts{Warning: 3, Suggestion: 1, Note: 1}) || len(rep.Findings) != 5 {
		t.Errorf("%+v", rep)
	}
	f := rep.Findings[0]
	if f != (lint.Finding{Path: "reviews/2025-01-01-a.md", Line: 3, Col: 16, Severity: lint.Warning, Rule: "term-duplicate",
		Message: `technologies: "kubernets" is not in the vocabulary; did you mean kubernetes?`,
		Hint:    `it is 1 edit from "kubernetes"; a second spelling makes a second term page and splits the reviews between them`}) {
		t.Errorf("%+v", f)
	}
	// Every key is always there, in schema order.
	var raw struct {
		Findings []json.RawMessage `json:"findings"`
	}
	json.Unmarshal([]byte(first), &raw)
	if got := string(raw.Findings[0]); !strings.HasPrefix(strings.Join(strings.Fields(got), " "), `{ "path": "reviews/2025-01-01-a.md", "line": 3, "col": 16, "severity": "warning", "rule": "term-duplicate", "message":`) {
		t.Errorf("key order: %s", got)
	}

	// A clean library: an empty array, not null.
	lib = newLibrary(t, map[string]string{"reviews/2025-01-01-a.md": "---\ntitle: A\n---\nFine.\n"})
	out, _, code := casebook(t, "check", "--library", lib, "--format", "json")
	if code != 0 || !strings.Contains(out, `"findings": []`) {
		t.Errorf("clean: %d\n%s", code, out)
	}
	// Errors exit 1 in JSON too, with the report on stdout.
	lib = newLibrary(t, map[string]string{"reviews/2025-01-01-a.md": "---\ntitle: [\n---\n"})
	out, stderr, code := casebook(t, "check", "--library", lib, "--format", "json")
	if code != 1 || stderr != "" || !strings.Contains(out, `"severity": "error"`) {
		t.Errorf("broken: %d %q\n%s", code, stderr, out)
	}
}

func TestCheckUsage(t *testing.T) {
	if _, stderr, code := casebook(t, "check", "--format", "xml"); code != 2 || !strings.Contains(stderr, "--format must be text or json") {
		t.Errorf("format: %d %q", code, stderr)
	}
	if _, _, code := casebook(t, "check", "--library", t.TempDir()+"/nope"); code != 2 {
		t.Errorf("missing library: %d", code)
	}
	if _, _, code := casebook(t, "check", "extra"); code != 2 {
		t.Errorf("extra argument: %d", code)
	}
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		var out, errb strings.Builder
		if err := run(context.Background(), args, &out, &errb); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		if !strings.HasPrefix(out.String(), "casebook ") || !strings.Contains(out.String(), "\ncommit ") || !strings.Contains(out.String(), runtime.Version()) {
			t.Errorf("%v printed %q", args, out.String())
		}
	}
}
