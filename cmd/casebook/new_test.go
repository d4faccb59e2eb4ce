package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casebook/casebook/site"
)

// newLibrary writes a library (path → content) into a new folder.
func newLibrary(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// casebook runs the program as main does, minus the process.
func casebook(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var o, e bytes.Buffer
	err := run(context.Background(), args, &o, &e)
	return o.String(), e.String(), exitCode(err)
}

// 2026-01-02 04:00 UTC: still 1 January in New York.
const epoch = "1767326400"

func TestNewWritesDraftForToday(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", epoch)
	lib := newLibrary(t, map[string]string{
		"casebook.yaml":             "title: Acme\ntimezone: America/New_York\nseverities: [SEV1, SEV2]\n",
		"reviews/2025-01-01-old.md": "---\ntitle: Old\n---\nBody.\n",
	})
	stdout, stderr, code := casebook(t, "new", "--library", lib, "Checkout errors after the gateway's timeout change")
	want := filepath.Join(lib, "reviews", "2026-01-01-checkout-errors-after-the-gateways-timeout-change.md")
	if code != 0 || stdout != want+"\n" || stderr != "" {
		t.Fatalf("code %d\nstdout %q\nstderr %q\nwant %q", code, stdout, stderr, want)
	}
	src, err := os.ReadFile(want)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		"title: \"Checkout errors after the gateway's timeout change\"\n",
		"date: 2026-01-01 ", "status: draft ", "template: google ", "one of SEV1, SEV2",
		"services: []", "themes: []", "responders: []", "investigators: []", "follow_ups: []",
		"## Contributing factors", "## Where we got lucky", "```timeline\n# 2026-01-01 09:14 | trigger |",
	} {
		if !strings.Contains(string(src), s) {
			t.Errorf("missing %q", s)
		}
	}
	// The new review builds, with drafts, and checks clean.
	s, err := site.Load(context.Background(), os.DirFS(lib), site.Options{Drafts: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Reviews) != 2 {
		t.Errorf("%d reviews", len(s.Reviews))
	}
	if out, _, code := casebook(t, "check", "--library", lib); code != 0 || !strings.Contains(out, "0 errors, 0 warnings, 0 suggestions, 0 notes") {
		t.Errorf("check: %d\n%s", code, out)
	}
}

func TestNewRefusesToOverwrite(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", epoch)
	lib := newLibrary(t, map[string]string{"reviews/2026-01-02-outage.md": "mine, do not touch\n"})
	_, stderr, code := casebook(t, "new", "--library", lib, "Outage")
	if code != 1 || !strings.Contains(stderr, "2026-01-02-outage.md already exists") || !strings.Contains(stderr, "never overwrites") {
		t.Errorf("code %d, stderr %q", code, stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(lib, "reviews", "2026-01-02-outage.md")); string(b) != "mine, do not touch\n" {
		t.Errorf("overwritten: %q", b)
	}
	// A bundle with the same slug is the same review.
	lib = newLibrary(t, map[string]string{"reviews/2026-01-02-outage/index.md": "---\ntitle: x\n---\n"})
	if _, stderr, code := casebook(t, "new", "--library", lib, "Outage"); code != 1 || !strings.Contains(stderr, "same slug") {
		t.Errorf("bundle: code %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(lib, "reviews", "2026-01-02-outage.md")); err == nil {
		t.Error("wrote a second review with the bundle's slug")
	}
}

func TestNewTemplates(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", epoch)
	lib := newLibrary(t, map[string]string{
		"casebook.yaml": "title: Acme\n",
		"templates/short.md": "---\ndescription: Short.\nrequired_sections: [What happened]\nfront_matter: |\n  incident_id:    # INC-NNNN\n---\n" +
			"## What happened\n\n<!-- {{.Title}}, {{.Date}} -->\n",
	})
	// Flags may follow the title, and the title may be several words.
	stdout, stderr, code := casebook(t, "new", "--library", lib, "Queue", "stuck", "--template", "short")
	if code != 0 {
		t.Fatalf("code %d: %s", code, stderr)
	}
	src, err := os.ReadFile(strings.TrimSpace(stdout))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"title: \"Queue stuck\"", "template: short", "incident_id:    # INC-NNNN\n---\n", "<!-- Queue stuck, 2026-01-02 -->"} {
		if !strings.Contains(string(src), s) {
			t.Errorf("missing %q in\n%s", s, src)
		}
	}
	if _, err := site.Load(context.Background(), os.DirFS(lib), site.Options{Drafts: true}); err != nil {
		t.Fatal(err)
	}

	stdout, _, code = casebook(t, "new", "--library", lib, "--template", "howie", "--", "--weird title")
	if code != 0 || !strings.HasSuffix(strings.TrimSpace(stdout), "2026-01-02-weird-title.md") {
		t.Errorf("after --: code %d, %q", code, stdout)
	}
	src, _ = os.ReadFile(strings.TrimSpace(stdout))
	if !strings.Contains(string(src), "## Questions for the reader") {
		t.Error("not the howie template")
	}

	if _, stderr, code := casebook(t, "new", "--library", lib, "--template", "nope", "X"); code != 1 || !strings.Contains(stderr, `no template named "nope" (have google, howie, short`) {
		t.Errorf("unknown template: %d %q", code, stderr)
	}
	if _, stderr, code := casebook(t, "new", "--library", lib); code != 2 || !strings.Contains(stderr, "give the review's title") {
		t.Errorf("no title: %d %q", code, stderr)
	}
	if _, _, code := casebook(t, "new", "--library", filepath.Join(lib, "missing"), "X"); code != 2 {
		t.Errorf("missing library: %d", code)
	}

	// casebook.yaml may choose the default template.
	lib2 := newLibrary(t, map[string]string{"casebook.yaml": "default_template: howie\n"})
	stdout, _, _ = casebook(t, "new", "--library", lib2, "--date", "2024-03-05", "Old incident")
	src, _ = os.ReadFile(strings.TrimSpace(stdout))
	if !strings.HasSuffix(strings.TrimSpace(stdout), filepath.Join("reviews", "2024-03-05-old-incident.md")) || !strings.Contains(string(src), "template: howie") {
		t.Errorf("default_template/--date: %q\n%s", stdout, src)
	}
}

func TestNewFollowsTheLibraryLayout(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", epoch)
	// Reviews at the root: no reviews/ folder, which would hide them all.
	lib := newLibrary(t, map[string]string{"2025-01-01-old.md": "---\ntitle: Old\n---\n", "README.md": "# Our reviews\n"})
	stdout, stderr, code := casebook(t, "new", "--library", lib, "New one")
	if code != 0 || strings.TrimSpace(stdout) != filepath.Join(lib, "2026-01-02-new-one.md") {
		t.Fatalf("root layout: %d %q %q", code, stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join(lib, "reviews")); err == nil {
		t.Error("created reviews/ in a root-layout library")
	}
	s, err := site.Load(context.Background(), os.DirFS(lib), site.Options{Drafts: true})
	if err != nil || len(s.Reviews) != 2 {
		t.Fatalf("%v", err)
	}
	// Root-layout libraries ignore file names containing "template".
	if _, stderr, code := casebook(t, "new", "--library", lib, "Template rendering outage"); code != 1 || !strings.Contains(stderr, "would not be read as a review") {
		t.Errorf("template in the name: %d %q", code, stderr)
	}
	// An empty library gets reviews/.
	lib = newLibrary(t, map[string]string{})
	stdout, _, code = casebook(t, "new", "--library", lib, "First")
	if code != 0 || strings.TrimSpace(stdout) != filepath.Join(lib, "reviews", "2026-01-02-first.md") {
		t.Errorf("empty library: %d %q", code, stdout)
	}
}
