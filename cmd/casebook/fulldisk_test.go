package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A build onto a full disk says so once, naming the output folder (it
// printed 1,140 lines, 1,133 with an empty path), and the previous site
// stays in place. The disk is a small tmpfs, which only root can mount:
// elsewhere the test skips, and site/render's TestOutputErrorOnce covers
// the same with an injected error.
func TestBuildOntoAFullDisk(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root")
	}
	disk := t.TempDir()
	// Room for one small site (about 440 KB on tmpfs) and not two.
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=700k", "tmpfs", disk).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", disk).Run() })
	out := filepath.Join(disk, "public")
	if _, stderr, err := runCmd(t, "build", "--library", writeLibrary(t, goodLibrary), "--out", out); err != nil {
		t.Fatalf("the first build does not fit: %v\n%s", err, stderr)
	}
	before := treeHash(t, out)
	files := map[string]string{"reviews/2024-03-04-long.md": "---\ntitle: Long\n---\n" + strings.Repeat("A long review body. ", 20000) + "\n"}
	for k, v := range goodLibrary {
		files[k] = v
	}
	_, stderr, err := runCmd(t, "build", "--library", writeLibrary(t, files), "--out", out)
	if err == nil {
		t.Fatal("the second build fitted; want the disk full")
	}
	want := out + ": cannot write the site: no space left on device\n"
	if stderr != want {
		t.Errorf("stderr:\n%s\nwant one line:\n%s", stderr, want)
	}
	if after := treeHash(t, out); after != before {
		t.Errorf("the previous site changed: %s, was %s", after, before)
	}
	entries, _ := os.ReadDir(disk)
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("the disk holds %v, want only public: the failed build's temporary folder is left", names)
	}
}
