package corpus

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// treeHash hashes every file's path and bytes in WalkDir's lexical order.
func treeHash(t *testing.T, dir string) string {
	t.Helper()
	h := sha256.New()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		fmt.Fprintf(h, "%s\x00%d\x00", filepath.ToSlash(rel), len(data))
		h.Write(data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

func generate(t *testing.T, opts Options) string {
	t.Helper()
	dir := t.TempDir()
	if err := Generate(dir, opts); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestDeterministic(t *testing.T) {
	opts := Options{Reviews: 300, Seed: 7}
	a, b := treeHash(t, generate(t, opts)), treeHash(t, generate(t, opts))
	if a != b {
		t.Fatalf("two generations differ: %s vs %s", a, b)
	}
	if c := treeHash(t, generate(t, Options{Reviews: 300, Seed: 8})); c == a {
		t.Fatal("a different seed gave the same library")
	}
}

// split returns the front matter and body of a review file.
func split(t *testing.T, name string, data []byte) ([]byte, string) {
	t.Helper()
	s := string(data)
	if !strings.HasPrefix(s, "---\n") {
		t.Fatalf("%s: no front matter", name)
	}
	end := strings.Index(s[4:], "\n---\n")
	if end < 0 {
		t.Fatalf("%s: unterminated front matter", name)
	}
	return []byte(s[4 : 4+end+1]), s[4+end+5:]
}

type frontMatter struct {
	Title               string   `yaml:"title"`
	Date                string   `yaml:"date"`
	Summary             string   `yaml:"summary"`
	Severity            string   `yaml:"severity"`
	Services            []string `yaml:"services"`
	Technologies        []string `yaml:"technologies"`
	ContributingFactors []string `yaml:"contributing_factors"`
	Themes              []string `yaml:"themes"`
	Responders          []string `yaml:"responders"`
	Investigators       []string `yaml:"investigators"`
	FollowUps           []struct {
		Title, Owner, Status, Due string
	} `yaml:"follow_ups"`
	Related []string `yaml:"related"`
}

var (
	reviewLink   = regexp.MustCompile(`\]\(([^)\s]+)\.md\)`)
	timelineLine = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2} )?\d{2}:\d{2} \| (trigger|detection|diagnosis|hypothesis|repair|impact|communication|key-moment|note) \| .+$`)
)

func TestLibrary(t *testing.T) {
	const n, words, code = 400, 850, 2
	dir := generate(t, Options{Reviews: n, Seed: 1})

	var settings map[string]any
	data, err := os.ReadFile(filepath.Join(dir, "casebook.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, &settings); err != nil {
		t.Fatalf("casebook.yaml: %v", err)
	}
	for _, k := range []string{"title", "baseURL", "severities", "vocabulary"} {
		if settings[k] == nil {
			t.Errorf("casebook.yaml: missing %s", k)
		}
	}

	entries, err := os.ReadDir(filepath.Join(dir, "reviews"))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != n {
		t.Fatalf("got %d review files, want %d", len(entries), n)
	}
	// Generation order is the review number in the file name; "earlier"
	// is checked against that, not against the date, which can repeat.
	order := map[string]int{}
	for i := range n {
		order[Slug(i, n)] = i
	}
	links, related := 0, 0
	for _, e := range entries {
		name := e.Name()
		slug := strings.TrimSuffix(name, ".md")
		self, ok := order[slug]
		if !ok {
			t.Fatalf("unexpected file %s", name)
		}
		data, err := os.ReadFile(filepath.Join(dir, "reviews", name))
		if err != nil {
			t.Fatal(err)
		}
		fmData, body := split(t, name, data)
		var fm frontMatter
		if err := yaml.Unmarshal(fmData, &fm); err != nil {
			t.Fatalf("%s: front matter: %v\n%s", name, err, fmData)
		}
		if fm.Title == "" || fm.Summary == "" || !strings.HasPrefix(name, fm.Date) {
			t.Errorf("%s: title %q, summary %q, date %q", name, fm.Title, fm.Summary, fm.Date)
		}
		if len(fm.Services) < 1 || len(fm.Services) > 2 || len(fm.Technologies) < 1 || len(fm.Technologies) > 4 ||
			len(fm.ContributingFactors) < 1 || len(fm.ContributingFactors) > 3 || len(fm.Themes) < 1 || len(fm.Themes) > 2 ||
			len(fm.Responders) < 1 || len(fm.Responders) > 4 || len(fm.Investigators) != 1 || len(fm.FollowUps) > 4 {
			t.Errorf("%s: term or people counts out of range: %+v", name, fm)
		}
		for _, s := range fm.Related {
			related++
			if j, ok := order[s]; !ok || j >= self {
				t.Errorf("%s: related %q is not an earlier review", name, s)
			}
		}
		for _, m := range reviewLink.FindAllStringSubmatch(body, -1) {
			links++
			if j, ok := order[m[1]]; !ok || j >= self {
				t.Errorf("%s: link to %q is not an earlier review", name, m[1])
			}
		}

		if got := strings.Count(body, "\n```timeline\n"); got != 1 {
			t.Errorf("%s: %d timeline blocks", name, got)
		}
		if got := countCode(body); got != code {
			t.Errorf("%s: %d code blocks, want %d", name, got, code)
		}
		checkTimeline(t, name, body)

		got := len(strings.Fields(body))
		if got < words*85/100 || got > words*115/100 {
			t.Errorf("%s: %d words, want %d±15%%", name, got, words)
		}
	}
	if links == 0 || related == 0 {
		t.Errorf("no cross-references: %d links, %d related", links, related)
	}

	checkPaths(t, dir, order)
	people, err := os.ReadDir(filepath.Join(dir, "people"))
	if err != nil {
		t.Fatal(err)
	}
	if len(people) < 40 || len(people) > 60 {
		t.Errorf("%d profiles, want about 50", len(people))
	}
	for _, e := range people {
		data, _ := os.ReadFile(filepath.Join(dir, "people", e.Name()))
		fmData, _ := split(t, e.Name(), data)
		var p struct{ Name, Team, Role, Joined string }
		if err := yaml.Unmarshal(fmData, &p); err != nil || p.Name == "" || p.Team == "" || p.Role == "" || p.Joined == "" {
			t.Errorf("%s: bad profile %+v: %v", e.Name(), p, err)
		}
	}
}

// countCode counts fenced blocks other than the timeline.
func countCode(body string) int {
	n := 0
	for _, line := range strings.Split(body, "\n") {
		for _, lang := range codeLangs {
			if line == "```"+lang {
				n++
			}
		}
	}
	return n
}

func checkTimeline(t *testing.T, name, body string) {
	t.Helper()
	start := strings.Index(body, "```timeline\n") + len("```timeline\n")
	block := body[start : start+strings.Index(body[start:], "\n```")]
	lines := strings.Split(block, "\n")
	if len(lines) < 5 || len(lines) > 10 {
		t.Errorf("%s: %d timeline lines", name, len(lines))
	}
	for k, l := range lines {
		m := timelineLine.FindStringSubmatch(l)
		if m == nil || (k == 0 && m[1] == "") {
			t.Errorf("%s: bad timeline line %q", name, l)
		}
	}
	if !strings.Contains(lines[0], "@") {
		t.Errorf("%s: timeline mentions nobody", name)
	}
}

func checkPaths(t *testing.T, dir string, order map[string]int) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, "paths"))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 3 {
		t.Errorf("%d paths, want 3", len(entries))
	}
	for _, e := range entries {
		data, _ := os.ReadFile(filepath.Join(dir, "paths", e.Name()))
		fmData, _ := split(t, e.Name(), data)
		var p struct {
			Title string
			Steps []struct {
				Review    string
				Note      string
				Questions []string
			}
		}
		if err := yaml.Unmarshal(fmData, &p); err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		if p.Title == "" || len(p.Steps) == 0 {
			t.Errorf("%s: empty path %+v", e.Name(), p)
		}
		for _, s := range p.Steps {
			if _, ok := order[s.Review]; !ok {
				t.Errorf("%s: step names missing review %q", e.Name(), s.Review)
			}
		}
	}
}

func TestFillersHaveTheirLength(t *testing.T) {
	for n, fs := range fillers {
		for _, f := range fs {
			if wordCount(f) != n {
				t.Errorf("filler %q has %d words, listed under %d", f, wordCount(f), n)
			}
		}
	}
}

func TestWordsOption(t *testing.T) {
	dir := generate(t, Options{Reviews: 20, Seed: 3, Words: 2000, CodeBlocks: 4})
	entries, _ := os.ReadDir(filepath.Join(dir, "reviews"))
	for _, e := range entries {
		data, _ := os.ReadFile(filepath.Join(dir, "reviews", e.Name()))
		_, body := split(t, e.Name(), data)
		if got := len(strings.Fields(body)); got < 1700 || got > 2300 {
			t.Errorf("%s: %d words, want 2000±15%%", e.Name(), got)
		}
		if got := countCode(body); got != 4 {
			t.Errorf("%s: %d code blocks, want 4", e.Name(), got)
		}
	}
}

func TestRefusesNonEmptyDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "stale.md"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Generate(dir, Options{Reviews: 1}); err == nil {
		t.Fatal("generated into a non-empty directory")
	}
	if err := Generate(t.TempDir(), Options{}); err == nil {
		t.Fatal("generated a library with no reviews")
	}
}
