package main

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The production server is tested in internal/host; these tests cover
// the flags: the preview's refusal of a non-loopback address, the flags
// of one mode refused in the other, and a --production run until the
// context ends.

func TestServeRefusesRemotePreview(t *testing.T) {
	lib := writeLibrary(t, serveLibrary)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--addr", "0.0.0.0:0"}, "use casebook serve --production"},
		{[]string{"--addr", ":0"}, "not a loopback address"},
		{[]string{"--watch"}, "--watch needs --production"},
		{[]string{"--base-url", "https://x/"}, "--base-url needs --production"},
		{[]string{"--production", "--allow-remote"}, "--allow-remote is for the preview"},
		{[]string{"--production", "--base-url", "javascript:alert(1)"}, "is not an http(s) URL"},
	} {
		_, stderr, err := runCmd(t, append([]string{"serve", "--library", lib}, tc.args...)...)
		if exitCode(err) != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", tc.args, exitCode(err), stderr, tc.want)
		}
	}
}

var productionRe = regexp.MustCompile(`serving \S+ at (http://\S+)/\n`)

func TestServeProduction(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdout, stderr := &lockedBuffer{}, &lockedBuffer{}
	done := make(chan error, 1)
	args := []string{"serve", "--production", "--library", writeLibrary(t, serveLibrary), "--addr", "127.0.0.1:0"}
	go func() { done <- run(ctx, args, stdout, stderr) }()
	var base string
	for deadline := time.Now().Add(20 * time.Second); base == ""; time.Sleep(10 * time.Millisecond) {
		if m := productionRe.FindStringSubmatch(stderr.String()); m != nil {
			base = m[1]
		} else if time.Now().After(deadline) {
			t.Fatalf("no address printed:\n%s", stderr)
		}
	}
	for p, want := range map[string]int{"/": 200, "/reviews/a/": 200, "/reviews/draft/": 404, "/reviews/secret/": 404, "/healthz": 200} {
		resp, err := http.Get(base + p)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s: status %d, want %d", p, resp.StatusCode, want)
		}
		if strings.Contains(string(body), "livereload") {
			t.Errorf("GET %s: a live-reload script", p)
		}
	}
	if resp, err := http.Get(base + "/api/search?q=hunter2"); err == nil {
		resp.Body.Close()
	}
	log := stdout.String()
	if !regexp.MustCompile(`(?m)^\S+Z GET "/reviews/draft/" 404 \d+ \S+$`).MatchString(log) || !strings.Contains(log, `GET "/api/search" 200`) {
		t.Errorf("no access log line (time, method, path, status, bytes, duration) for a request:\n%s", log)
	}
	if strings.Contains(log, "hunter2") || strings.Contains(log, "127.0.0.1") {
		t.Errorf("the access log holds a query string or a client address:\n%s", log)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve --production returned %v after its context ended", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve --production did not stop")
	}
}

func TestServeProductionBrokenLibrary(t *testing.T) {
	lib := writeLibrary(t, map[string]string{"casebook.yaml": "title: x\n", "reviews/bad.md": "---\ntitle: [unclosed\n---\nBody.\n"})
	_, stderr, err := runCmd(t, "serve", "--production", "--library", lib, "--addr", "127.0.0.1:0")
	if exitCode(err) != 1 || !strings.HasPrefix(stderr, "reviews/bad.md:2:") {
		t.Errorf("exit %d, stderr %q", exitCode(err), stderr)
	}
}
