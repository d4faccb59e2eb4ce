package publish

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The crash tests run this test binary again as a "build" that publishes
// generation GEN of a site of childFiles files to DST, and kill it with
// SIGKILL at a chosen step of Swap or after a random delay.
const childFiles = 400

func TestMain(m *testing.M) {
	if dst := os.Getenv("PUBLISH_CHILD_DST"); dst != "" {
		os.Exit(child(dst))
	}
	os.Exit(m.Run())
}

func child(dst string) int {
	gen := os.Getenv("PUBLISH_CHILD_GEN")
	if at := os.Getenv("PUBLISH_CHILD_CRASH_AT"); at != "" {
		hook = func(step string) {
			if step == at {
				syscall.Kill(os.Getpid(), syscall.SIGKILL)
			}
		}
	}
	if os.Getenv("PUBLISH_CHILD_NO_EXCHANGE") != "" {
		swapExchange = func(a, b string) error { return errors.ErrUnsupported }
	}
	t, err := Begin(dst)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer t.Remove()
	out := Dir(t.Sub(SiteDir))
	for i := range childFiles {
		if err := out.WriteFile(fmt.Sprintf("p%02d/%d/index.html", i%50, i), []byte("generation "+gen)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	if err := Swap(t.Sub(SiteDir), dst); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

func runChild(t *testing.T, dst string, gen int, crashAt string, noExchange bool, killAfter time.Duration) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "PUBLISH_CHILD_DST="+dst, "PUBLISH_CHILD_GEN="+strconv.Itoa(gen), "PUBLISH_CHILD_CRASH_AT="+crashAt)
	if noExchange {
		cmd.Env = append(cmd.Env, "PUBLISH_CHILD_NO_EXCHANGE=1")
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if killAfter > 0 {
		timer := time.AfterFunc(killAfter, func() { cmd.Process.Kill() })
		defer timer.Stop()
	}
	err := cmd.Wait()
	if stderr.Len() > 0 {
		t.Fatalf("child: %s", stderr.String())
	}
	if crashAt == "" && killAfter == 0 && err != nil {
		t.Fatalf("child: %v", err)
	}
}

// generation returns the generation of the complete site in dir, or an
// error saying how it is not one.
func generation(dir string) (int, error) {
	gen, n := -1, 0
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		g, err := strconv.Atoi(strings.TrimPrefix(string(b), "generation "))
		if err != nil {
			return fmt.Errorf("%s: %q", p, b)
		}
		if gen >= 0 && g != gen {
			return fmt.Errorf("%s is generation %d, others %d", p, g, gen)
		}
		gen = g
		n++
		return nil
	})
	if err == nil && n != childFiles {
		err = fmt.Errorf("%d files, want %d", n, childFiles)
	}
	return gen, err
}

// TestSwapSurvivesKill kills a publishing process at each step of the
// swap and at random moments, and checks that the output folder is always
// a complete site, the old one or the new, and that the next run removes
// everything the killed ones left.
func TestSwapSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	for _, mode := range []struct {
		name       string
		noExchange bool
		steps      []string
	}{
		{"exchange", false, []string{"exchanged"}},
		{"fallback", true, []string{"aside", "renamed"}},
	} {
		t.Run(mode.name, func(t *testing.T) {
			parent := t.TempDir()
			dst := filepath.Join(parent, "public")
			gen := 1
			start := time.Now()
			runChild(t, dst, gen, "", mode.noExchange, 0)
			full := time.Since(start)
			check := func(what string) {
				t.Helper()
				if mode.noExchange {
					// The fallback's window: dst missing, the old site
					// aside, until the next run's Recover.
					if _, err := os.Lstat(dst); err != nil {
						if _, err := generation(aside(dst)); err != nil {
							t.Fatalf("%s: neither %s nor the copy aside is a site: %v", what, dst, err)
						}
						Recover(dst)
					}
				}
				g, err := generation(dst)
				if err != nil {
					t.Fatalf("%s: %s is not a complete site: %v", what, dst, err)
				}
				if g != gen && g != gen+1 {
					t.Fatalf("%s: %s is generation %d, want %d or %d", what, dst, g, gen, gen+1)
				}
				gen = g
			}
			for _, step := range mode.steps {
				runChild(t, dst, gen+1, step, mode.noExchange, 0)
				check("killed at " + step)
			}
			rng := rand.New(rand.NewPCG(1, 2))
			for i := range 8 {
				d := time.Duration(rng.Int64N(int64(full) + 1))
				runChild(t, dst, gen+1, "", mode.noExchange, d+time.Millisecond)
				check(fmt.Sprintf("kill %d after %s", i, d))
			}
			runChild(t, dst, gen+1, "", mode.noExchange, 0)
			check("a clean run")
			if gen < 2 {
				t.Errorf("no run published a new site (generation %d)", gen)
			}
			entries, _ := os.ReadDir(parent)
			if len(entries) != 1 {
				var names []string
				for _, e := range entries {
					names = append(names, e.Name())
				}
				for _, n := range names {
					sub, _ := os.ReadDir(filepath.Join(parent, n))
					for _, s := range sub {
						t.Logf("%s/%s", n, s.Name())
					}
				}
				t.Errorf("left beside the output: %v", names)
			}
		})
	}
}

func TestSweep(t *testing.T) {
	parent := t.TempDir()
	live, err := MkdirTemp(parent, "x-")
	if err != nil {
		t.Fatal(err)
	}
	defer live.Remove()
	unmarked := filepath.Join(parent, "x-unmarked")
	os.Mkdir(unmarked, 0o755)
	other := filepath.Join(parent, "y-other")
	os.Mkdir(other, 0o755)
	os.WriteFile(filepath.Join(other, markerFile), nil, 0o644)
	// A folder whose process died: marked, unlocked.
	dead := filepath.Join(parent, "x-dead")
	os.Mkdir(dead, 0o755)
	os.WriteFile(filepath.Join(dead, markerFile), nil, 0o644)
	os.WriteFile(filepath.Join(dead, "page.html"), nil, 0o644)

	// Empty and unmarked: killed before its marker was written.
	empty, emptyNew := filepath.Join(parent, "x-empty"), filepath.Join(parent, "x-empty-new")
	os.Mkdir(empty, 0o755)
	os.Mkdir(emptyNew, 0o755)
	hourAgo := time.Now().Add(-time.Hour)
	os.Chtimes(empty, hourAgo, hourAgo)
	os.Chtimes(unmarked, hourAgo, hourAgo)
	os.WriteFile(filepath.Join(unmarked, "keep.txt"), nil, 0o644)

	removed := Sweep(parent, "x-")
	if len(removed) != 2 || removed[0] != dead || removed[1] != empty {
		t.Errorf("Sweep removed %v, want only %s and %s", removed, dead, empty)
	}
	for _, keep := range []string{live.Path, unmarked, other, emptyNew} {
		if _, err := os.Stat(keep); err != nil {
			t.Errorf("Sweep removed %s", keep)
		}
	}
	if err := live.Remove(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(live.Path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Remove left %s", live.Path)
	}
}
