package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casebook/casebook/site"
)

// gitRepo makes lib a Git repository and returns a function that commits
// everything in it at the given time.
func gitRepo(t *testing.T, lib string) (commit func(when string)) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	// The user's Git settings must not decide the outcome: core.quotePath
	// = false in ~/.gitconfig would hide the quoting of non-ASCII paths.
	t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	git := func(env []string, args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = lib
		cmd.Env = append(os.Environ(), env...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git(nil, "init", "-q")
	return func(when string) {
		t.Helper()
		env := []string{"GIT_AUTHOR_DATE=" + when, "GIT_COMMITTER_DATE=" + when,
			"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com"}
		git(env, "add", ".")
		git(env, "commit", "-q", "-m", "at "+when)
	}
}

// countGitLog counts the runs of git log for the rest of the test.
func countGitLog(t *testing.T) *int {
	t.Helper()
	n := new(int)
	prev := gitLog
	gitLog = func(dir string, args ...string) ([]byte, error) {
		*n++
		return prev(dir, args...)
	}
	t.Cleanup(func() { gitLog = prev })
	return n
}

func reviewPage(t *testing.T, out, slug string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, "reviews", slug, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A review with no date and no date in its name is dated by the commit that
// added it; git runs once for the whole library.
func TestBuildDatesReviewsFromGit(t *testing.T) {
	lib := writeLibrary(t, map[string]string{
		"Database failover.md": "# Database failover\n\nIt failed over.\n",
		"README.md":            "# Our reviews\n",
	})
	commit := gitRepo(t, lib)
	commit("2021-03-04T10:00:00Z")
	out := filepath.Join(t.TempDir(), "public")
	if _, stderr, err := runCmd(t, "build", "--library", lib, "--out", out, "--quiet"); err != nil {
		t.Fatalf("build: %v\n%s", err, stderr)
	}
	if !strings.Contains(reviewPage(t, out, "database-failover"), "2021-03-04") {
		t.Errorf("the review page does not carry the commit date 2021-03-04")
	}
	if _, err := os.Stat(filepath.Join(out, "reviews", "readme")); err == nil {
		t.Errorf("README.md was published as a review")
	}
}

// Paths that git would quote (non-ASCII letters, spaces, quotes) are
// dated too, each by its own first commit, in one git log for the whole
// library however many reviews need a date.
func TestBuildDatesNonASCIIPathsFromGit(t *testing.T) {
	lib := writeLibrary(t, map[string]string{
		"casebook.yaml":                    "title: Git dates\n",
		"reviews/Årsrapport driftstopp.md": "# Årsrapport driftstopp\n\nDriften stoppade.\n",
		`reviews/The "quoted" outage.md`:   "# The quoted outage\n\nQuotes.\n",
	})
	commit := gitRepo(t, lib)
	commit("2021-03-04T10:00:00Z")
	writeFile(t, filepath.Join(lib, "reviews", "Ünïcode later.md"), "# Unicode later\n\nAdded later.\n")
	commit("2022-07-08T10:00:00Z")
	// A later edit must not move the first commit's date.
	writeFile(t, filepath.Join(lib, "reviews", "Årsrapport driftstopp.md"), "# Årsrapport driftstopp\n\nDriften stoppade igen.\n")
	commit("2023-09-10T10:00:00Z")

	runs := countGitLog(t)
	out := filepath.Join(t.TempDir(), "public")
	if _, stderr, err := runCmd(t, "build", "--library", lib, "--out", out, "--quiet"); err != nil {
		t.Fatalf("build: %v\n%s", err, stderr)
	}
	for name, want := range map[string]string{
		"Årsrapport driftstopp": "2021-03-04",
		`The "quoted" outage`:   "2021-03-04",
		"Ünïcode later":         "2022-07-08",
	} {
		page := reviewPage(t, out, site.Slugify(name))
		if !strings.Contains(page, want) {
			t.Errorf("%s: the page does not carry its first commit's date %s", name, want)
		}
		if strings.Contains(page, "2023-09-10") {
			t.Errorf("%s: dated by a later commit", name)
		}
	}
	if *runs != 1 {
		t.Errorf("git log ran %d times for 3 undated reviews, want 1", *runs)
	}
}

// The parser's corner cases, on git's own -z output.
func TestReadGitDatesFormat(t *testing.T) {
	prev := gitLog
	t.Cleanup(func() { gitLog = prev })
	gitLog = func(string, ...string) ([]byte, error) {
		return []byte("\x00200\x00\na.md\x00@300.md\x00\x00100\x00\n\nnewline.md\x00a.md\x00\x00bad\x00\nskipped.md\x00"), nil
	}
	got := readGitDates("")
	want := map[string]int64{"a.md": 100, "@300.md": 200, "\nnewline.md": 100}
	if len(got) != len(want) {
		t.Errorf("got %d paths %v, want %v", len(got), got, want)
	}
	for p, sec := range want {
		if d, ok := got[p]; !ok || d.Unix() != sec {
			t.Errorf("%q: %v (%v), want %d", p, d, ok, sec)
		}
	}
}

// A repository imported in one commit, and a shallow clone of it (CI's
// default fetch depth), date every review by the same commit: check says
// once that dates from Git are not reliable there, rather than leaving
// every review silently on the same day.
func TestGitDatesUnreliable(t *testing.T) {
	lib := writeLibrary(t, map[string]string{
		"Database failover.md": "# Database failover\n\n## Impact\n\nIt failed over.\n",
		"Cache stampede.md":    "# Cache stampede\n\n## Impact\n\nThe cache emptied.\n",
		"DNS outage.md":        "# DNS outage\n\n## Impact\n\nResolvers timed out.\n",
	})
	commit := gitRepo(t, lib)
	commit("2021-03-04T10:00:00Z")
	stdout, _, err := runCmd(t, "check", "--library", lib)
	if err != nil {
		t.Fatalf("check: %v\n%s", err, stdout)
	}
	if !strings.Contains(stdout, ".: note: dates from Git are not reliable here: all 3 reviews dated from Git were added on the same day") {
		t.Errorf("check does not say the one-commit import's dates are unreliable:\n%s", stdout)
	}

	// More history, then a clone of depth 1.
	if err := os.WriteFile(filepath.Join(lib, "Queue backlog.md"), []byte("# Queue backlog\n\n## Impact\n\nIt backed up.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	commit("2022-05-06T10:00:00Z")
	clone := filepath.Join(t.TempDir(), "clone")
	if out, err := exec.Command("git", "clone", "-q", "--depth", "1", "file://"+lib, clone).CombinedOutput(); err != nil {
		t.Fatalf("git clone: %v\n%s", err, out)
	}
	stdout, _, err = runCmd(t, "check", "--library", clone)
	if err != nil {
		t.Fatalf("check: %v\n%s", err, stdout)
	}
	if !strings.Contains(stdout, "dates from Git are not reliable here: this is a shallow clone, so 4 reviews are dated by the clone's commit") {
		t.Errorf("check does not say the shallow clone's dates are unreliable:\n%s", stdout)
	}
	if !strings.Contains(stdout, "date from its first Git commit, which a shallow clone makes unreliable") {
		t.Errorf("the reviews' notes do not say their Git dates are unreliable:\n%s", stdout)
	}
}
