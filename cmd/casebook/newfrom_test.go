package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casebook/casebook/site"
)

const nomination = `---
title: Cache stampede at deploy
date: 2024-02-01
status: nominated
why: Nobody could explain why the cache emptied.
nominated_by: carl-may
services: [search, Edge Cache]
technologies: [redis]
---
Notes: @dora-quinn was there.
`

// casebook new --from turns a nomination into a draft review from the
// template in its own file, keeping title, date, why (as the first
// section, with the notes), terms and nominator; the result builds with
// drafts and is a review, no longer a nomination.
func TestNewFromNomination(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", epoch)
	lib := newLibrary(t, map[string]string{
		"casebook.yaml":                        "title: Acme\n",
		"reviews/2024-01-01-old.md":            "---\ntitle: Old\n---\nBody.\n",
		"reviews/2024-02-01-cache-stampede.md": nomination,
	})
	file := filepath.Join(lib, "reviews", "2024-02-01-cache-stampede.md")
	// A nomination is not a review: search does not find it.
	if out, _, _ := casebook(t, "search", "--library", lib, "--json", "stampede"); strings.Contains(out, "stampede\"") || strings.Contains(out, "Cache stampede") {
		t.Errorf("search finds the nomination:\n%s", out)
	}
	// The path in the library works as well as the path from here.
	stdout, stderr, code := casebook(t, "new", "--library", lib, "--template", "howie", "--from", "reviews/2024-02-01-cache-stampede.md")
	if code != 0 || stdout != file+"\n" || stderr != "" {
		t.Fatalf("code %d\nstdout %q\nstderr %q", code, stdout, stderr)
	}
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	got := string(src)
	for _, s := range []string{
		"title: \"Cache stampede at deploy\"\n", "date: 2024-02-01 ", "status: draft ", "template: howie ",
		"services: [\"search\", \"Edge Cache\"]\n", "technologies: [\"redis\"]\n", "themes: []",
		"nominated_by: \"carl-may\"",
		"---\n## Why we are reviewing this\n\nNobody could explain why the cache emptied.\n\nNotes: @dora-quinn was there.\n\n",
	} {
		if !strings.Contains(got, s) {
			t.Errorf("the draft lacks %q:\n%s", s, got)
		}
	}
	if strings.Contains(got, "status: nominated") {
		t.Error("the draft is still a nomination")
	}
	s, err := site.Load(context.Background(), os.DirFS(lib), site.Options{Drafts: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Reviews) != 2 || len(s.Nominations) != 0 {
		t.Errorf("%d reviews and %d nominations, want 2 and 0", len(s.Reviews), len(s.Nominations))
	}
	// Once a review, it is not a nomination to start from again.
	_, stderr, code = casebook(t, "new", "--library", lib, "--from", file)
	if code != 1 || !strings.Contains(stderr, "is a review already (status: draft), not a nomination") {
		t.Errorf("again: code %d, %q", code, stderr)
	}
	if after, _ := os.ReadFile(file); string(after) != got {
		t.Error("a refused --from changed the file")
	}
}

func TestNewFromRefusals(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", epoch)
	lib := newLibrary(t, map[string]string{
		"reviews/2024-01-01-old.md": "---\ntitle: Old\n---\nBody.\n",
		"reviews/2024-02-01-n.md":   "---\ntitle: N\nstatus: nominated\nwhy: W\n---\n",
		"notes.txt":                 "not a review\n",
	})
	broken := newLibrary(t, map[string]string{
		"reviews/2024-02-01-n.md": "---\ntitle: N\nstatus: nominated\n---\n",
	})
	outside := filepath.Join(t.TempDir(), "x.md")
	if err := os.WriteFile(outside, []byte(nomination), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"--from", "reviews/missing.md"}, 2, "--from reviews/missing.md: no such file"},
		{[]string{"--from", outside}, 2, "the file is not in the library"},
		{[]string{"--from", "reviews/2024-01-01-old.md"}, 1, "is a review already (status: published), not a nomination"},
		{[]string{"--from", "notes.txt"}, 1, "notes.txt is not a nomination"},
		{[]string{"--from", "reviews/2024-02-01-n.md", "Title"}, 2, "give no TITLE or --date"},
		// A library that does not load says where, and nothing is written.
		{[]string{"--library", broken, "--from", "reviews/2024-02-01-n.md"}, 1, "reviews/2024-02-01-n.md:3:9: status: nominated needs why:"},
	} {
		_, stderr, code := casebook(t, append([]string{"new", "--library", lib}, c.args...)...)
		if code != c.code || !strings.Contains(stderr, c.msg) {
			t.Errorf("%v: code %d, stderr %q; want %d and %q", c.args, code, stderr, c.code, c.msg)
		}
	}
	if src, _ := os.ReadFile(filepath.Join(broken, "reviews", "2024-02-01-n.md")); !strings.Contains(string(src), "status: nominated") {
		t.Error("a refused --from changed the nomination")
	}
}
