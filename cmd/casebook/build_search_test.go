package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/casebook/casebook/index"
)

// flagsLibrary has two published reviews, a draft and a restricted one,
// each with a word no other review has.
var flagsLibrary = map[string]string{
	"casebook.yaml":                   "title: Flags library\n",
	"reviews/2024-01-02-published.md": "---\ntitle: Published outage\n---\nThe published review mentions kafka.\n",
	"reviews/2024-02-03-other.md":     "---\ntitle: Other outage\n---\nAnother published review.\n",
	"reviews/2024-03-04-draft.md":     "---\ntitle: Draft outage\nstatus: draft\n---\nThe draft mentions quokka.\n",
	"reviews/2024-04-05-secret.md":    "---\ntitle: Secret outage\nvisibility: restricted\n---\nThe restricted review mentions narwhal.\n",
}

// archiveTotal runs a query against an opened archive.
func archiveTotal(t *testing.T, ix *index.Index, q string) int {
	t.Helper()
	query, err := index.ParseQuery(url.Values{"q": {q}}, ix.Taxonomies())
	if err != nil {
		t.Fatal(err)
	}
	res, err := ix.Search(context.Background(), query)
	if err != nil {
		t.Fatal(err)
	}
	return res.Total
}

// jsonSlugs reads the slugs of the objects listed under key in a JSON
// document (an API answer's "hits", search-index.json's "reviews"), sorted.
func jsonSlugs(t *testing.T, b []byte, key string) []string {
	t.Helper()
	var doc map[string]json.RawMessage
	var items []struct {
		Slug string `json:"slug"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	if list, ok := doc[key]; ok {
		if err := json.Unmarshal(list, &items); err != nil {
			t.Fatalf("%s: %v\n%s", key, err, b)
		}
	}
	var slugs []string
	for _, it := range items {
		slugs = append(slugs, it.Slug)
	}
	slices.Sort(slugs)
	return slugs
}

// clientIndexSlugs reads the slugs of a search-index.json (which the
// preview server serves).
func clientIndexSlugs(t *testing.T, b []byte) []string {
	t.Helper()
	return jsonSlugs(t, b, "reviews")
}

// bundleSlugs reads the slugs of the documents in the static search
// bundle of the site in out, sorted, and the bundle's files as one text
// (with each document's body after "body: ").
func bundleSlugs(t *testing.T, out string) ([]string, string) {
	t.Helper()
	dir := filepath.Join(out, filepath.FromSlash(index.BundleDir))
	var all strings.Builder
	var slugs []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		all.Write(b)
		if filepath.Base(filepath.Dir(filepath.Dir(p))) == "docs" {
			var doc struct {
				Slug string `json:"slug"`
				Body string `json:"body"`
			}
			if err := json.Unmarshal(b, &doc); err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
			slugs = append(slugs, doc.Slug)
			all.WriteString("\nbody: " + doc.Body + "\n")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(slugs)
	return slugs, all.String()
}

func TestBuildSearchIndex(t *testing.T) {
	lib := writeLibrary(t, flagsLibrary)
	tmp := t.TempDir()
	out, archive := filepath.Join(tmp, "public"), filepath.Join(tmp, "fn", "data", "search-index.tar.zst")
	if _, stderr, err := runCmd(t, "build", "--library", lib, "--out", out, "--quiet", "--search-index", archive); err != nil {
		t.Fatalf("build: %v\n%s", err, stderr)
	}
	b, err := os.ReadFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := index.OpenArchive(b)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if n := ix.Len(); n != 2 {
		t.Errorf("the archive holds %d reviews, want the 2 published", n)
	}
	for q, want := range map[string]int{"kafka": 1, "quokka": 0, "narwhal": 0} {
		if got := archiveTotal(t, ix, q); got != want {
			t.Errorf("archive: %q finds %d reviews, want %d", q, got, want)
		}
	}

	got, all := bundleSlugs(t, out)
	if want := []string{"2024-01-02-published", "2024-02-03-other"}; !slices.Equal(got, want) {
		t.Errorf("the search bundle holds %v, want %v", got, want)
	}
	if strings.Contains(all, "Draft outage") || strings.Contains(all, "Secret outage") {
		t.Errorf("the search bundle mentions a draft or restricted review")
	}
	// The bodies are in it, for matching and excerpts.
	if !strings.Contains(all, "body: The published review mentions kafka.") {
		t.Errorf("the search bundle lacks the published review's body")
	}
}

// A build that fails writes no archive, leaves the previous one and the
// previous site as they were, and leaves no temporary files beside either.
func TestFailedBuildWritesNoSearchIndex(t *testing.T) {
	for _, tc := range []struct {
		name  string
		spoil func(lib string)
	}{
		// site.Load fails, before the index is started.
		{"bad review", func(lib string) {
			writeFile(t, filepath.Join(lib, "reviews", "2024-02-03-other.md"), "---\ntitle: [broken\n---\n")
		}},
		// Rendering fails while the index is being built alongside.
		{"template error", func(lib string) {
			writeFile(t, filepath.Join(lib, "theme", "templates", "404.html"), `{{define "main"}}{{index "abc" 10}}{{end}}`)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tmp := t.TempDir()
			archiveDir := filepath.Join(tmp, "data")
			archive := filepath.Join(archiveDir, "search-index.tar.zst")

			// From nothing: no archive appears.
			broken := writeLibrary(t, flagsLibrary)
			tc.spoil(broken)
			if _, _, err := runCmd(t, "build", "--library", broken, "--out", filepath.Join(tmp, "fresh"), "--quiet", "--search-index", archive); err == nil {
				t.Fatal("the broken library built")
			}
			if _, err := os.Stat(archive); err == nil {
				t.Errorf("a failed build wrote %s", archive)
			}
			assertOnlyEntries(t, archiveDir)

			// Over a good build: the archive and the site are unchanged.
			lib := writeLibrary(t, flagsLibrary)
			out := filepath.Join(tmp, "public")
			if _, stderr, err := runCmd(t, "build", "--library", lib, "--out", out, "--quiet", "--search-index", archive); err != nil {
				t.Fatalf("build: %v\n%s", err, stderr)
			}
			before, err := os.ReadFile(archive)
			if err != nil {
				t.Fatal(err)
			}
			siteBefore := treeHash(t, out)
			tc.spoil(lib)
			_, stderr, err := runCmd(t, "build", "--library", lib, "--out", out, "--quiet", "--search-index", archive)
			if err == nil {
				t.Fatal("the broken library built")
			}
			if strings.Contains(stderr, "panic") || !regexp.MustCompile(`\.(md|html):\d+:\d+: `).MatchString(stderr) {
				t.Errorf("stderr does not point at the problem as path:line:col:\n%s", stderr)
			}
			after, err := os.ReadFile(archive)
			if err != nil {
				t.Fatalf("the previous archive is gone: %v", err)
			}
			if string(after) != string(before) {
				t.Error("a failed build replaced the archive")
			}
			if got := treeHash(t, out); got != siteBefore {
				t.Errorf("a failed build changed the site: %s → %s", siteBefore, got)
			}
			assertOnlyEntries(t, archiveDir, "search-index.tar.zst")
			assertOnlyEntries(t, tmp, "data", "public")
		})
	}
}

// When the site renders but its search index cannot be written, the new
// site is not swapped in either: the two would disagree.
func TestUnwritableSearchIndexLeavesPreviousSite(t *testing.T) {
	tmp := t.TempDir()
	lib := writeLibrary(t, flagsLibrary)
	out := filepath.Join(tmp, "public")
	if _, stderr, err := runCmd(t, "build", "--library", lib, "--out", out, "--quiet"); err != nil {
		t.Fatalf("build: %v\n%s", err, stderr)
	}
	siteBefore := treeHash(t, out)
	// An edit the next build would publish, and an archive path under a
	// file, where no folder can be made.
	writeFile(t, filepath.Join(lib, "reviews", "2024-02-03-other.md"), "---\ntitle: Renamed outage\n---\nChanged.\n")
	writeFile(t, filepath.Join(tmp, "blocker"), "a file, not a folder\n")
	_, stderr, err := runCmd(t, "build", "--library", lib, "--out", out, "--quiet", "--search-index", filepath.Join(tmp, "blocker", "search-index.tar.zst"))
	if err == nil {
		t.Fatal("the build succeeded without its search index")
	}
	if !strings.Contains(stderr, "search index:") || strings.Contains(stderr, "panic") {
		t.Errorf("stderr does not say the search index failed:\n%s", stderr)
	}
	if got := treeHash(t, out); got != siteBefore {
		t.Errorf("the site changed although its index could not be written: %s → %s", siteBefore, got)
	}
	assertOnlyEntries(t, tmp, "blocker", "public")
}

// assertOnlyEntries checks that dir holds exactly the names given (none
// when dir does not exist).
func assertOnlyEntries(t *testing.T, dir string, want ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s holds %v, want %v", dir, got, want)
	}
}

func TestBuildDraftsAndRestrictedFlags(t *testing.T) {
	lib := writeLibrary(t, flagsLibrary)
	for _, tc := range []struct {
		flags         []string
		draft, secret bool
	}{
		{nil, false, false},
		{[]string{"--drafts"}, true, false},
		{[]string{"--include-restricted"}, false, true},
		{[]string{"--drafts", "--include-restricted"}, true, true},
	} {
		out := filepath.Join(t.TempDir(), "public")
		stdout, stderr, err := runCmd(t, append([]string{"build", "--library", lib, "--out", out}, tc.flags...)...)
		if err != nil {
			t.Fatalf("build %v: %v\n%s", tc.flags, err, stderr)
		}
		want := 2
		for slug, included := range map[string]bool{"2024-03-04-draft": tc.draft, "2024-04-05-secret": tc.secret} {
			_, err := os.Stat(filepath.Join(out, "reviews", slug, "index.html"))
			if included {
				want++
			}
			if got := err == nil; got != included {
				t.Errorf("build %v: page of %s exists = %v, want %v", tc.flags, slug, got, included)
			}
		}
		if !strings.Contains(stdout, "built "+strconv.Itoa(want)+" reviews") {
			t.Errorf("build %v: %q, want %d reviews built", tc.flags, stdout, want)
		}
		slugs, all := bundleSlugs(t, out)
		if len(slugs) != want {
			t.Errorf("build %v: the search bundle holds %d reviews, want %d", tc.flags, len(slugs), want)
		}
		if !strings.Contains(all, "body: The published review mentions kafka.") {
			t.Errorf("build %v: the search bundle lacks the reviews' bodies", tc.flags)
		}
	}
}

var overdueRe = regexp.MustCompile(`<strong>(\d+)</strong>\s*overdue`)

// "Now" is SOURCE_DATE_EPOCH when it is set, so whether a follow-up is
// overdue depends on it and not on the day the build runs.
func TestBuildSourceDateEpochIsNow(t *testing.T) {
	lib := writeLibrary(t, map[string]string{
		"casebook.yaml": "title: Epoch\n",
		"reviews/2024-01-02-outage.md": "---\ntitle: Outage\nfollow_ups:\n  - title: Fix the thing\n    due: 2025-06-01\n" +
			"  - title: Already done\n    status: done\n    due: 2024-06-01\n---\nBody.\n",
	})
	for _, tc := range []struct {
		epoch   string // 2025-01-01, 2025-12-01
		overdue string
	}{
		{"1735689600", "0"},
		{"1764547200", "1"},
	} {
		t.Setenv("SOURCE_DATE_EPOCH", tc.epoch)
		out := filepath.Join(t.TempDir(), "public")
		if _, stderr, err := runCmd(t, "build", "--library", lib, "--out", out, "--quiet"); err != nil {
			t.Fatalf("build: %v\n%s", err, stderr)
		}
		b, err := os.ReadFile(filepath.Join(out, "follow-ups", "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		m := overdueRe.FindSubmatch(b)
		if m == nil {
			t.Fatalf("follow-ups/index.html has no overdue count:\n%s", b)
		}
		if string(m[1]) != tc.overdue {
			t.Errorf("SOURCE_DATE_EPOCH=%s: %s overdue, want %s", tc.epoch, m[1], tc.overdue)
		}
	}
}
