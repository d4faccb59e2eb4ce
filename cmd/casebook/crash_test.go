package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMain lets the crash test run this binary as the casebook command.
func TestMain(m *testing.M) {
	if os.Getenv("CASEBOOK_TEST_AS_CLI") == "1" {
		err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)
		os.Exit(exitCode(err))
	}
	os.Exit(m.Run())
}

// tree maps each file under dir to its hash.
func tree(t *testing.T, dir string) map[string][32]byte {
	t.Helper()
	files := map[string][32]byte{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		files[strings.TrimPrefix(p, dir)] = sha256.Sum256(b)
		return err
	})
	if err != nil {
		t.Fatalf("%s: %v", dir, err)
	}
	return files
}

func sameTree(a, b map[string][32]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestBuildSurvivesKill kills casebook build (a child process, with
// --search-index) at random moments: the output folder is always the
// complete old site or the complete new one, and the next build removes
// every temporary folder the killed ones left (beside the output, beside
// the archive, and bleve's in TMPDIR).
func TestBuildSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns builds")
	}
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
	files := map[string]string{"casebook.yaml": "title: Crash library\n"}
	for i := range 80 {
		files[fmt.Sprintf("reviews/2024-01-%02d-r%d.md", i%28+1, i)] = fmt.Sprintf("---\ntitle: Review %d\ntechnologies: [postgres, t%d]\n---\n%s\n", i, i%7, strings.Repeat("The database failed over and the queue backed up. ", 60))
	}
	lib := writeLibrary(t, files)
	parent, tmpdir := t.TempDir(), t.TempDir()
	out, archive := filepath.Join(parent, "public"), filepath.Join(parent, "idx", "search.tar.zst")
	edited := filepath.Join(lib, "reviews/2024-01-01-r0.md")
	versions := []string{files["reviews/2024-01-01-r0.md"], strings.Replace(files["reviews/2024-01-01-r0.md"], "Review 0", "Review 0, revised", 1)}
	build := func(kill time.Duration) error {
		cmd := exec.Command(os.Args[0], "build", "--quiet", "--library", lib, "--out", out, "--search-index", archive)
		cmd.Env = append(os.Environ(), "CASEBOOK_TEST_AS_CLI=1", "TMPDIR="+tmpdir)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if kill > 0 {
			timer := time.AfterFunc(kill, func() { cmd.Process.Kill() })
			defer timer.Stop()
		}
		err := cmd.Wait()
		if err != nil && kill == 0 {
			t.Fatalf("build: %v\n%s", err, stderr.String())
		}
		return err
	}
	var sites [2]map[string][32]byte
	var full time.Duration
	for v := range versions {
		writeFile(t, edited, versions[v])
		start := time.Now()
		build(0)
		full = max(full, time.Since(start))
		sites[v] = tree(t, out)
	}
	if sameTree(sites[0], sites[1]) {
		t.Fatal("the two versions build the same site")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	kills := 0
	for i := range 10 {
		writeFile(t, edited, versions[i%2])
		d := time.Duration(rng.Int64N(int64(full))) + time.Millisecond
		if build(d) != nil {
			kills++
		}
		got := tree(t, out)
		if !sameTree(got, sites[0]) && !sameTree(got, sites[1]) {
			t.Fatalf("kill %d after %s: %s is neither the old nor the new site (%d files)", i, d, out, len(got))
		}
	}
	if kills == 0 {
		t.Error("no build was killed")
	}
	build(0)
	for dir, want := range map[string]int{parent: 2, filepath.Dir(archive): 1, tmpdir: 0} {
		entries, _ := os.ReadDir(dir)
		if len(entries) != want {
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			t.Errorf("after %d kills and a clean build, %s holds %v", kills, dir, names)
		}
	}
}
