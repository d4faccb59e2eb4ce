package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/BurntSushi/toml"
	"github.com/aws/aws-lambda-go/events"
)

// netlifyConfig is the part of netlify.toml the deploy depends on.
type netlifyConfig struct {
	Build struct {
		Publish     string            `toml:"publish"`
		Command     string            `toml:"command"`
		Environment map[string]string `toml:"environment"`
	} `toml:"build"`
	Context map[string]struct {
		Command string `toml:"command"`
	} `toml:"context"`
	Functions struct {
		Directory string `toml:"directory"`
	} `toml:"functions"`
	Headers []struct {
		For    string            `toml:"for"`
		Values map[string]string `toml:"values"`
	} `toml:"headers"`
	Redirects []struct {
		From   string `toml:"from"`
		To     string `toml:"to"`
		Status int    `toml:"status"`
		Force  bool   `toml:"force"`
	} `toml:"redirects"`
}

// repoRoot is the module root (the folder above this package with
// go.mod), and pkg this package's folder relative to it, slash-separated.
func repoRoot(t *testing.T) (root, pkg string) {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	root = wd
	for !fileExists(filepath.Join(root, "go.mod")) {
		if filepath.Dir(root) == root {
			t.Fatal("no go.mod above " + wd)
		}
		root = filepath.Dir(root)
	}
	rel, err := filepath.Rel(root, wd)
	if err != nil {
		t.Fatal(err)
	}
	return root, filepath.ToSlash(rel)
}

func readNetlify(t *testing.T) netlifyConfig {
	t.Helper()
	root, _ := repoRoot(t)
	var c netlifyConfig
	if _, err := toml.DecodeFile(filepath.Join(root, "netlify.toml"), &c); err != nil {
		t.Fatal(err)
	}
	return c
}

// shellWords splits a build command as sh would for these simple
// commands: backslash-newline continues a line, double quotes group, and
// && separates the steps.
func shellWords(cmd string) [][]string {
	cmd = strings.ReplaceAll(cmd, "\\\n", " ")
	var steps [][]string
	var words []string
	var w strings.Builder
	inWord, quoted := false, false
	flush := func() {
		if inWord {
			words = append(words, w.String())
			w.Reset()
			inWord = false
		}
	}
	for _, r := range cmd {
		switch {
		case r == '"':
			quoted = !quoted
			inWord = true
		case !quoted && (r == ' ' || r == '\t' || r == '\n'):
			flush()
		default:
			w.WriteRune(r)
			inWord = true
		}
	}
	flush()
	for {
		i := slices.Index(words, "&&")
		if i < 0 {
			break
		}
		steps = append(steps, words[:i])
		words = words[i+1:]
	}
	return append(steps, words)
}

// flagValue returns the word after name in a step.
func flagValue(step []string, name string) (string, bool) {
	i := slices.Index(step, name)
	if i < 0 || i+1 >= len(step) {
		return "", false
	}
	return step[i+1], true
}

func TestNetlifyConfig(t *testing.T) {
	c := readNetlify(t)
	root, pkg := repoRoot(t)
	if c.Build.Publish != "public" {
		t.Errorf("publish = %q, want public", c.Build.Publish)
	}
	if c.Functions.Directory != "netlify/functions" {
		t.Errorf("functions directory = %q, want netlify/functions", c.Functions.Directory)
	}

	// /api/search is rewritten (200, not a redirect the browser sees) to
	// the function, even though no file of that name exists.
	fn := ""
	for _, r := range c.Redirects {
		if r.From != "/api/search" {
			continue
		}
		if r.Status != 200 || !r.Force || !strings.HasPrefix(r.To, "/.netlify/functions/") {
			t.Errorf("redirect /api/search → %s status %d force %v, want → /.netlify/functions/NAME status 200 force true", r.To, r.Status, r.Force)
		}
		fn = path.Base(r.To)
	}
	if fn != "search" {
		t.Fatalf("no rewrite of /api/search to /.netlify/functions/search (found %q)", fn)
	}

	// Go on Netlify is the version go.mod asks for.
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	if m := regexp.MustCompile(`(?m)^go (\S+)$`).FindSubmatch(gomod); m == nil || c.Build.Environment["GO_VERSION"] != string(m[1]) {
		t.Errorf("GO_VERSION = %q, go.mod: %q", c.Build.Environment["GO_VERSION"], m)
	}

	commands := map[string]string{"build": c.Build.Command}
	for name, ctx := range c.Context {
		if ctx.Command != "" {
			commands["context."+name] = ctx.Command
		}
	}
	if len(commands) < 3 {
		t.Errorf("commands for %d contexts, want build, deploy-preview and branch-deploy", len(commands))
	}
	for name, cmd := range commands {
		steps := shellWords(cmd)
		if len(steps) != 2 {
			t.Errorf("%s: %d steps, want casebook build && the stage step:\n%s", name, len(steps), cmd)
			continue
		}
		build, stage := steps[0], steps[1]
		if !slices.Equal(build[:min(4, len(build))], []string{"go", "run", "./cmd/casebook", "build"}) {
			t.Errorf("%s: the first step is %q, want go run ./cmd/casebook build", name, build)
		}
		if v, _ := flagValue(build, "--out"); v != c.Build.Publish {
			t.Errorf("%s: builds into %q, publishes %q", name, v, c.Build.Publish)
		}
		archive, _ := flagValue(build, "--search-index")
		want := []string{"go", "run", "./" + pkg, "stage", archive, c.Build.Publish}
		if archive == "" || !slices.Equal(stage, want) {
			t.Errorf("%s: the second step is %q, want %q", name, stage, want)
		}
	}

	// Netlify (zip-it-and-ship-it) and netlify dev take a folder of the
	// functions directory holding main.go (or NAME.go) as a Go function
	// named after the folder, and compile it themselves.
	if filepath.ToSlash(filepath.Join(c.Functions.Directory, fn)) != pkg {
		t.Errorf("the function's package is %s, but Netlify looks for it in %s/%s", pkg, c.Functions.Directory, fn)
	}
	if src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(pkg), "main.go")); err != nil || !regexp.MustCompile(`(?m)^package main$`).Match(src) {
		t.Errorf("%s/main.go is not a main package: %v", pkg, err)
	}

	// No rule for files the build no longer writes (search-index.json);
	// every content-hashed file of the bundle and the function's archive
	// cached for good, the bundle's manifest not.
	immutable := "public, max-age=31536000, immutable"
	for _, h := range c.Headers {
		if h.For == "/search-index.json" {
			t.Errorf("a header rule for %s, which the build does not write", h.For)
		}
	}
	cached := func(p string) bool {
		for _, h := range c.Headers {
			re := "^" + strings.ReplaceAll(regexp.QuoteMeta(h.For), `\*`, ".*") + "$"
			if regexp.MustCompile(re).MatchString(p) && h.Values["Cache-Control"] == immutable {
				return true
			}
		}
		return false
	}
	for _, p := range []string{"/search/bundle/t-0a1b2c3d4e5f.bin", "/search/bundle/p-0a1b2c3d4e5f.bin", "/search/bundle/norms-0a1b2c3d4e5f.bin",
		"/search/bundle/facets-0a1b2c3d4e5f.bin", "/search/bundle/docs/0a1b2c3d4e5f/12.json", "/" + ArchiveDir + "/0a1b2c3d4e5f0a1b2c3d.tar.zst"} {
		if !cached(p) {
			t.Errorf("%s is content-hashed but not cached as %q", p, immutable)
		}
	}
	if cached("/search/bundle/manifest.json") {
		t.Errorf("the bundle's manifest.json, whose name never changes, is cached for good")
	}
}

// The build steps of netlify.toml, run as written (in a scratch folder
// that stands for the checkout, with Netlify's DEPLOY_URL pointing at a
// server of the published folder), publish an archive the function
// fetches and answers from, and a pointer small enough to embed.
func TestNetlifyBuildFeedsFunction(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles casebook")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	root, pkg := repoRoot(t)
	tmp := t.TempDir()
	casebook := filepath.Join(tmp, "casebook")
	cmd := exec.Command(gobin, "build", "-o", casebook, "./cmd/casebook")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/casebook: %v\n%s", err, out)
	}

	checkout := filepath.Join(tmp, "checkout")
	if err := os.MkdirAll(checkout, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(root, "content"), filepath.Join(checkout, "content")); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(filepath.Join(checkout, "public"))))
	defer srv.Close()

	steps := shellWords(readNetlify(t).Build.Command)
	build, stageStep := steps[0], steps[1]
	cmd = exec.Command(casebook, build[3:]...) // after "go run ./cmd/casebook"
	cmd.Dir = checkout
	cmd.Env = append(os.Environ(), "CASEBOOK_SEARCH_INDEX=")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("casebook %q: %v\n%s", build[3:], err, out)
	}
	// The stage step in this process (it is this package's main), in the
	// checkout, as `go run ./netlify/functions/search stage ...` runs it.
	t.Chdir(checkout)
	var msg strings.Builder
	env := func(k string) string {
		if k == "DEPLOY_URL" {
			return srv.URL
		}
		return ""
	}
	if err := stage(stageStep[4:], env, &msg); err != nil {
		t.Fatalf("stage %q: %v\n%s", stageStep[4:], err, msg.String())
	}
	if !strings.Contains(msg.String(), "the function fetches it from "+srv.URL) {
		t.Errorf("stage said: %s", msg.String())
	}

	ptr, err := os.ReadFile(filepath.Join(checkout, filepath.FromSlash(pkg), "data", "index.json"))
	if err != nil || len(ptr) > 1024 {
		t.Fatalf("the pointer the function embeds: %v, %d bytes", err, len(ptr))
	}
	data := fstest.MapFS{pointerName: {Data: ptr}}
	l := newLoader(data, noEnv)
	l.cacheDir = t.TempDir()
	h := newHandler(l.get)
	t.Cleanup(func() {
		if l.ix != nil {
			l.ix.Close()
		}
	})
	resp, res := call(t, h, events.APIGatewayProxyRequest{
		HTTPMethod:            "GET",
		Path:                  "/api/search",
		QueryStringParameters: map[string]string{"q": "cert-manager"},
	})
	if resp.StatusCode != 200 || res.Total == 0 {
		t.Fatalf("the function on the built archive: %d %s", resp.StatusCode, resp.Body)
	}
	found := false
	for _, hit := range res.Hits {
		found = found || hit.Slug == "2023-01-19-expired-ingress-certificate"
	}
	if !found {
		t.Errorf("the example's certificate review was not found: %s", resp.Body)
	}
	if _, err := os.Stat(filepath.Join(checkout, "public", "index.html")); err != nil {
		t.Errorf("the site was not built into the published folder: %v", err)
	}
	if archive, _ := flagValue(build, "--search-index"); fileExists(filepath.Join(checkout, archive)) {
		t.Errorf("the archive is left at %s as well as in the site", archive)
	}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
