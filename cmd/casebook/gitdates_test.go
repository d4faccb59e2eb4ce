package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A review with no date and no date in its name is dated by the commit that
// added it; git runs once for the whole library.
func TestBuildDatesReviewsFromGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	lib := writeLibrary(t, map[string]string{
		"Database failover.md": "# Database failover\n\nIt failed over.\n",
		"README.md":            "# Our reviews\n",
	})
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = lib
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_DATE=2021-03-04T10:00:00Z", "GIT_COMMITTER_DATE=2021-03-04T10:00:00Z",
			"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q")
	git("add", ".")
	git("commit", "-q", "-m", "first")
	out := filepath.Join(t.TempDir(), "public")
	if _, stderr, err := runCmd(t, "build", "--library", lib, "--out", out, "--quiet"); err != nil {
		t.Fatalf("build: %v\n%s", err, stderr)
	}
	page, err := os.ReadFile(filepath.Join(out, "reviews", "database-failover", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "2021-03-04") {
		t.Errorf("the review page does not carry the commit date 2021-03-04")
	}
	if _, err := os.Stat(filepath.Join(out, "reviews", "readme")); err == nil {
		t.Errorf("README.md was published as a review")
	}
}
