// Package deploy_test holds the CI files README's Deploying section offers
// (a GitHub Pages workflow, a GitLab Pages job) to what they must do: it
// reads each file, checks the settings a deploy depends on, and runs its
// build command as written on a copy of the example library.
package deploy_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// root is the module root, two folders up.
var root = filepath.Join("..", "..")

func goModVersion(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^go (\S+)$`).FindSubmatch(b)
	if m == nil {
		t.Fatal("go.mod has no go directive")
	}
	return string(m[1])
}

func readYAML(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

type githubStep struct {
	ID   string            `yaml:"id"`
	Uses string            `yaml:"uses"`
	With map[string]any    `yaml:"with"`
	Env  map[string]string `yaml:"env"`
	Run  string            `yaml:"run"`
}

type githubWorkflow struct {
	Permissions map[string]string `yaml:"permissions"`
	Jobs        map[string]struct {
		Needs any          `yaml:"needs"`
		Steps []githubStep `yaml:"steps"`
	} `yaml:"jobs"`
}

type gitlabJob struct {
	Image     string         `yaml:"image"`
	Variables map[string]any `yaml:"variables"`
	Script    []string       `yaml:"script"`
	Artifacts map[string]any `yaml:"artifacts"`
}

// expressions are plausible values for the GitHub expressions the
// workflow's build step reads.
var expressions = map[string]string{
	"steps.pages.outputs.base_url": "https://example.github.io/library",
}

func TestGitHubPagesWorkflow(t *testing.T) {
	var wf githubWorkflow
	readYAML(t, "github-pages.yml", &wf)
	if wf.Permissions["pages"] != "write" || wf.Permissions["id-token"] != "write" {
		t.Errorf("permissions %v: deploy-pages needs pages: write and id-token: write", wf.Permissions)
	}
	var steps []githubStep
	deploys := false
	for _, j := range wf.Jobs {
		steps = append(steps, j.Steps...)
		for _, s := range j.Steps {
			deploys = deploys || strings.HasPrefix(s.Uses, "actions/deploy-pages@") && j.Needs != nil
		}
	}
	if !deploys {
		t.Error("no job runs actions/deploy-pages after the build")
	}
	step := func(action string) *githubStep {
		for i := range steps {
			if strings.HasPrefix(steps[i].Uses, action+"@") {
				return &steps[i]
			}
		}
		t.Fatalf("no step uses %s", action)
		return nil
	}
	if d := step("actions/checkout").With["fetch-depth"]; d != uint64(0) && d != 0 {
		t.Errorf("checkout fetch-depth %v (%T), want 0: dates from Git need the whole history", d, d)
	}
	if f := step("actions/setup-go").With["go-version-file"]; f != "go.mod" {
		t.Errorf("setup-go go-version-file %v, want go.mod", f)
	}
	out := step("actions/upload-pages-artifact").With["path"]

	var build *githubStep
	for i := range steps {
		if strings.Contains(steps[i].Run, "casebook build") {
			build = &steps[i]
		}
	}
	if build == nil {
		t.Fatal("no step runs casebook build")
	}
	env := map[string]string{}
	for k, v := range build.Env {
		env[k] = regexp.MustCompile(`\$\{\{\s*([^}]+?)\s*\}\}`).ReplaceAllStringFunc(v, func(e string) string {
			name := strings.TrimSpace(strings.Trim(e, "${}"))
			val, ok := expressions[name]
			if !ok {
				t.Fatalf("the build step reads ${{ %s }}, which this test has no value for", name)
			}
			return val
		})
	}
	site := runBuild(t, build.Run, env)
	checkSite(t, filepath.Join(site, out.(string)), expressions["steps.pages.outputs.base_url"]+"/")
}

func TestGitLabPagesJob(t *testing.T) {
	var jobs map[string]gitlabJob
	readYAML(t, "gitlab-ci.yml", &jobs)
	job, ok := jobs["pages"]
	if !ok {
		t.Fatal("no job named pages: GitLab publishes the pages job's public/")
	}
	if d := job.Variables["GIT_DEPTH"]; d != uint64(0) && d != 0 && d != "0" {
		t.Errorf("GIT_DEPTH %v, want 0: dates from Git need the whole history", d)
	}
	if want := "golang:" + goModVersion(t); job.Image != want {
		t.Errorf("image %q, want %q (go.mod's version)", job.Image, want)
	}
	paths, _ := job.Artifacts["paths"].([]any)
	if len(paths) != 1 || paths[0] != "public" {
		t.Errorf("artifacts paths %v, want [public]", paths)
	}
	var script string
	for _, line := range job.Script {
		if strings.Contains(line, "casebook build") {
			script = line
		}
	}
	if script == "" || !strings.Contains(script, "--out public") {
		t.Fatalf("no script line builds into public: %q", job.Script)
	}
	const pagesURL = "https://example.gitlab.io/library"
	site := runBuild(t, script, map[string]string{"CI_PAGES_URL": pagesURL})
	checkSite(t, filepath.Join(site, "public"), pagesURL+"/")
}

// runBuild runs a build command as written, with bash, in a scratch
// checkout holding a copy of the example library and go.mod, and returns
// the checkout. `go run ./cmd/casebook` is the binary built once from
// this module (a go on PATH stands in for it and passes anything else on
// to the real one), so the command's words are run, not re-typed.
func runBuild(t *testing.T, command string, env map[string]string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds casebook")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "bin")
	casebook := filepath.Join(bin, "casebook")
	cmd := exec.Command(gobin, "build", "-o", casebook, "./cmd/casebook")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/casebook: %v\n%s", err, out)
	}
	shim := "#!/bin/sh\nif [ \"$1\" = run ] && [ \"$2\" = ./cmd/casebook ]; then shift 2; exec " + casebook + " \"$@\"; fi\nexec " + gobin + " \"$@\"\n"
	if err := os.WriteFile(filepath.Join(bin, "go"), []byte(shim), 0o755); err != nil {
		t.Fatal(err)
	}

	checkout := filepath.Join(tmp, "checkout")
	copyTree(t, filepath.Join(root, "content"), filepath.Join(checkout, "content"))
	copyTree(t, filepath.Join(root, "go.mod"), filepath.Join(checkout, "go.mod"))

	cmd = exec.Command(bash, "-euc", command)
	cmd.Dir = checkout
	cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "CASEBOOK_SEARCH_INDEX=")
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\n%s", command, err, out.String())
	}
	return checkout
}

// checkSite checks that dir is a built site whose links start at base.
func checkSite(t *testing.T, dir, base string) {
	t.Helper()
	home, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatalf("no site: %v", err)
	}
	if want := `<link rel="canonical" href="` + base + `"`; !bytes.Contains(home, []byte(want)) {
		t.Errorf("the home page has no %s", want)
	}
	feed, err := os.ReadFile(filepath.Join(dir, "index.xml"))
	if err != nil || !bytes.Contains(feed, []byte("<link>"+base+"reviews/")) {
		t.Errorf("the feed's links do not start at %s: %v", base, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "search", "bundle", "manifest.json")); err != nil {
		t.Errorf("no static search bundle, which serves search on a static host: %v", err)
	}
}

// copyTree copies a file or a folder.
func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.Walk(from, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if info.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
