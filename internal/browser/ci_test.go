package browser_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casebook/casebook/internal/browser"
)

// fakeBin is a PATH folder of stand-in programs: each records that it ran
// in ran/NAME, and apt-get "installs" chromium into the folder.
func fakeBin(t *testing.T, names ...string) (dir string, ran func(string) bool) {
	t.Helper()
	dir = t.TempDir()
	log := filepath.Join(dir, "ran")
	if err := os.Mkdir(log, 0o755); err != nil {
		t.Fatal(err)
	}
	chmod, err := exec.LookPath("chmod")
	if err != nil {
		t.Skip("no chmod")
	}
	for _, n := range names {
		// Only shell built-ins and absolute paths: PATH is this folder.
		script := "#!/bin/sh\n: > " + filepath.Join(log, n) + "\n"
		switch n {
		case "id":
			script += "echo 0\n"
		case "apt-get":
			script += "[ \"$1\" = install ] && printf '#!/bin/sh\\n' > " + filepath.Join(dir, "chromium") + " && " + chmod + " +x " + filepath.Join(dir, "chromium") + "\nexit 0\n"
		}
		if err := os.WriteFile(filepath.Join(dir, n), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir, func(n string) bool { _, err := os.Stat(filepath.Join(log, n)); return err == nil }
}

// ciChromium runs .ci/chromium with only bin on PATH and env added.
func ciChromium(t *testing.T, bin string, env ...string) (stdout, stderr string, err error) {
	t.Helper()
	bash, lerr := exec.LookPath("bash")
	if lerr != nil {
		t.Skip("no bash")
	}
	cmd := exec.Command(bash, filepath.Join("..", "..", ".ci", "chromium"))
	cmd.Env = append([]string{"PATH=" + bin, "HOME=" + t.TempDir()}, env...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	return strings.TrimSpace(o.String()), e.String(), err
}

// noSystemChromium stands for a machine with no Chromium in the fixed
// places .ci/chromium looks (/usr/bin/chromium, Chromium.app).
const noSystemChromium = "CI_CHROMIUM_PATHS=/nonexistent/chromium"

// .ci/run takes its Chromium from .ci/chromium: on a machine where
// Chromium is installed but apt is not (macOS, Fedora), CHROMIUM or PATH
// finds it and apt is never called; where there is none, apt installs
// it, and without apt the script says what to do.
func TestCIChromium(t *testing.T) {
	t.Run("CHROMIUM", func(t *testing.T) {
		bin, ran := fakeBin(t, "apt-get", "sudo", "id")
		custom := filepath.Join(t.TempDir(), "Chromium")
		if err := os.WriteFile(custom, []byte("#!/bin/sh\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		out, errOut, err := ciChromium(t, bin, "CHROMIUM="+custom)
		if err != nil || out != custom || ran("apt-get") {
			t.Errorf("CHROMIUM=%s: %v, printed %q, apt-get ran %v\n%s", custom, err, out, ran("apt-get"), errOut)
		}
		// internal/browser uses the same one.
		t.Setenv("CHROMIUM", custom)
		if p := browser.Path(); p != custom {
			t.Errorf("browser.Path() = %q with CHROMIUM=%s", p, custom)
		}
	})
	t.Run("CHROMIUM nowhere", func(t *testing.T) {
		bin, ran := fakeBin(t, "apt-get", "sudo", "id")
		_, errOut, err := ciChromium(t, bin, "CHROMIUM=/nonexistent/chromium")
		if err == nil || !strings.Contains(errOut, "CHROMIUM=/nonexistent/chromium is not an executable") || ran("apt-get") {
			t.Errorf("err %v, apt-get ran %v, stderr %q", err, ran("apt-get"), errOut)
		}
	})
	t.Run("on PATH", func(t *testing.T) {
		bin, ran := fakeBin(t, "chromium-browser", "apt-get", "sudo", "id")
		out, errOut, err := ciChromium(t, bin)
		if want := filepath.Join(bin, "chromium-browser"); err != nil || out != want || ran("apt-get") {
			t.Errorf("%v, printed %q want %q, apt-get ran %v\n%s", err, out, want, ran("apt-get"), errOut)
		}
	})
	t.Run("none, no apt", func(t *testing.T) {
		bin, _ := fakeBin(t, "id")
		out, errOut, err := ciChromium(t, bin, noSystemChromium)
		if err == nil || !strings.Contains(errOut, "no apt-get to install it: install Chromium and set CHROMIUM") {
			t.Errorf("err %v, stdout %q, stderr %q", err, out, errOut)
		}
	})
	t.Run("none, apt", func(t *testing.T) {
		bin, ran := fakeBin(t, "apt-get", "sudo", "id")
		out, errOut, err := ciChromium(t, bin, noSystemChromium)
		if want := filepath.Join(bin, "chromium"); err != nil || out != want || !ran("apt-get") || ran("sudo") {
			t.Errorf("%v, printed %q want %q, apt-get ran %v, sudo ran %v (as root)\n%s", err, out, want, ran("apt-get"), ran("sudo"), errOut)
		}
	})
}
