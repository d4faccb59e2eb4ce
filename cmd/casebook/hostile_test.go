package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A library's symbolic links may point anywhere inside it, never outside:
// Git carries links, so a pull request could otherwise publish the
// build machine's secrets. Each case is one link; the build must fail
// naming it, and the secret must be in no output.
func TestBuildRefusesLinksOutOfTheLibrary(t *testing.T) {
	outside := t.TempDir()
	const secret = "TOKEN=s3cr3t-canary"
	writeFile(t, filepath.Join(outside, "environ"), secret+"\n")
	writeFile(t, filepath.Join(outside, "review.md"), "---\ntitle: "+secret+"\n---\n"+secret+"\n")
	writeFile(t, filepath.Join(outside, "dir", "x.txt"), secret)
	for _, tc := range []struct{ link, target string }{
		{"static/leak.txt", "environ"},
		{"static/dir", "dir"},
		{"reviews/2024-03-04-evil.md", "review.md"},
		{"reviews/2024-05-06-bundle/leak.txt", "environ"},
		{"theme/static/leak.css", "environ"},
		{"casebook.yaml", "environ"},
	} {
		t.Run(tc.link, func(t *testing.T) {
			files := map[string]string{"reviews/2024-05-06-bundle/index.md": "---\ntitle: Bundle\n---\nBody.\n"}
			for k, v := range goodLibrary {
				files[k] = v
			}
			delete(files, tc.link)
			lib := writeLibrary(t, files)
			link := filepath.Join(lib, filepath.FromSlash(tc.link))
			if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(filepath.Join(outside, tc.target), link); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(t.TempDir(), "out")
			_, stderr, err := runCmd(t, "build", "--library", lib, "--out", out)
			if err == nil {
				t.Errorf("build passed; want it refused")
			}
			if !strings.Contains(stderr, tc.link+": ") || !strings.Contains(stderr, "outside the library") {
				t.Errorf("stderr does not name the link %s as leaving the library:\n%s", tc.link, stderr)
			}
			if strings.Contains(stderr, secret) {
				t.Errorf("stderr shows the link's target:\n%s", stderr)
			}
			assertNoSecret(t, out, secret)
			stdout, stderr, err := runCmd(t, "check", "--library", lib)
			if err == nil || !strings.Contains(stdout+stderr, tc.link+": ") || strings.Contains(stdout+stderr, secret) {
				t.Errorf("check: %v, output:\n%s%s\nwant the link %s reported, and not its target", err, stdout, stderr, tc.link)
			}
		})
	}
}

// Links that stay inside the library are followed.
func TestBuildFollowsLinksInsideTheLibrary(t *testing.T) {
	files := map[string]string{"notes/shared.txt": "shared inside"}
	for k, v := range goodLibrary {
		files[k] = v
	}
	lib := writeLibrary(t, files)
	if err := os.MkdirAll(filepath.Join(lib, "static"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join("..", "notes", "shared.txt"), filepath.Join(lib, "static", "shared.txt")); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	if _, stderr, err := runCmd(t, "build", "--library", lib, "--out", out); err != nil {
		t.Fatalf("build: %v\n%s", err, stderr)
	}
	if b, err := os.ReadFile(filepath.Join(out, "shared.txt")); err != nil || string(b) != "shared inside" {
		t.Errorf("static/shared.txt (a link inside the library): %q, %v", b, err)
	}
}

func assertNoSecret(t *testing.T, dir, secret string) {
	t.Helper()
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if b, err := os.ReadFile(p); err == nil && strings.Contains(string(b), secret) {
			t.Errorf("%s holds the secret", p)
		}
		return nil
	})
}

// A bundle's resources are copied as they are; its Markdown files never
// are, whatever they say: they are sources, not pages.
func TestBuildPublishesNoMarkdownFromBundles(t *testing.T) {
	files := map[string]string{
		"reviews/2024-05-06-bundle/index.md":  "---\ntitle: Bundle\n---\nSee the [notes](notes.md) and ![graph](graph.png).\n",
		"reviews/2024-05-06-bundle/notes.md":  "---\nvisibility: restricted\n---\nRestricted canary.\n",
		"reviews/2024-05-06-bundle/sub/x.MD":  "Nested canary.\n",
		"reviews/2024-05-06-bundle/graph.png": "png",
	}
	for k, v := range goodLibrary {
		files[k] = v
	}
	lib := writeLibrary(t, files)
	out := filepath.Join(t.TempDir(), "out")
	if _, stderr, err := runCmd(t, "build", "--library", lib, "--out", out); err != nil {
		t.Fatalf("build: %v\n%s", err, stderr)
	}
	assertNoSecret(t, out, "Restricted canary")
	assertNoSecret(t, out, "Nested canary")
	if _, err := os.Stat(filepath.Join(out, "reviews", "2024-05-06-bundle", "graph.png")); err != nil {
		t.Errorf("the bundle's image is not published: %v", err)
	}
	stdout, stderr, _ := runCmd(t, "check", "--library", lib)
	if !strings.Contains(stdout+stderr, "reviews/2024-05-06-bundle/notes.md") {
		t.Errorf("check does not say the bundle's Markdown is not published:\n%s%s", stdout, stderr)
	}
}

// --out may name a folder whose parents do not exist yet, as Hugo allows.
func TestBuildMakesTheOutputsParents(t *testing.T) {
	lib := writeLibrary(t, goodLibrary)
	out := filepath.Join(t.TempDir(), "a", "b", "out")
	if _, stderr, err := runCmd(t, "build", "--library", lib, "--out", out); err != nil {
		t.Fatalf("build: %v\n%s", err, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "index.html")); err != nil {
		t.Error(err)
	}
}
