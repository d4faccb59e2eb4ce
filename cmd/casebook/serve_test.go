package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// The preview server itself is tested in internal/preview; these tests
// cover what the command adds: flags, exit codes, stopping on a signal.

func TestServeUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"serve", "--library", filepath.Join(t.TempDir(), "missing")}, &out, &errOut)
	if exitCode(err) != 2 || !strings.Contains(errOut.String(), "not a folder") {
		t.Errorf("missing library: err %v, stderr %q", err, errOut.String())
	}
	errOut.Reset()
	err = run(context.Background(), []string{"serve", "extra"}, &out, &errOut)
	if exitCode(err) != 2 {
		t.Errorf("extra argument: err %v", err)
	}
	// A port in use is an error, not a hang.
	ln, lerr := net.Listen("tcp", "127.0.0.1:0")
	if lerr != nil {
		t.Fatal(lerr)
	}
	defer ln.Close()
	errOut.Reset()
	err = run(context.Background(), []string{"serve", "--library", writeLibrary(t, serveLibrary), "--addr", ln.Addr().String()}, &out, &errOut)
	if err == nil || exitCode(err) != 1 || !strings.HasPrefix(errOut.String(), "casebook serve: ") {
		t.Errorf("port in use: err %v, stderr %q", err, errOut.String())
	}
	// Hugo's --port reaches the same address: the port in use again.
	_, portStr, _ := net.SplitHostPort(ln.Addr().String())
	errOut.Reset()
	err = run(context.Background(), []string{"serve", "--library", writeLibrary(t, serveLibrary), "--port", portStr}, &out, &errOut)
	if err == nil || exitCode(err) != 1 || !strings.Contains(errOut.String(), ":"+portStr) {
		t.Errorf("--port %s: err %v, stderr %q", portStr, err, errOut.String())
	}
	// Hugo's --bind to a non-loopback interface is refused in the preview.
	errOut.Reset()
	err = run(context.Background(), []string{"serve", "--library", writeLibrary(t, serveLibrary), "--bind", "0.0.0.0", "--port", "0"}, &out, &errOut)
	if exitCode(err) != 2 || !strings.Contains(errOut.String(), "--addr 0.0.0.0:") {
		t.Errorf("--bind 0.0.0.0: err %v, stderr %q", err, errOut.String())
	}
}

var serveLibrary = map[string]string{
	"casebook.yaml":        "title: Serve command library\n",
	"reviews/a.md":         "---\ntitle: Alpha outage\ndate: 2024-01-02\n---\nThe alpha body.\n",
	"reviews/secret.md":    "---\ntitle: Secret outage\ndate: 2024-01-03\nvisibility: restricted\n---\nHidden.\n",
	"reviews/draft.md":     "---\ntitle: Draft outage\ndate: 2024-01-04\nstatus: draft\n---\nUnfinished.\n",
	"static/css/extra.css": "body { color: black; }\n",
}

// lockedBuffer is a bytes.Buffer safe for the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var servingRe = regexp.MustCompile(`Serving on (http://\S+)/\n`)

// TestServeCommand runs casebook serve until its context (the signal, in
// main) ends: the flags reach the server, and it stops cleanly.
func TestServeCommand(t *testing.T) {
	for _, tc := range []struct {
		args       []string
		restricted int // status of the restricted review's page
	}{
		{nil, http.StatusNotFound},
		{[]string{"--include-restricted"}, http.StatusOK},
	} {
		ctx, cancel := context.WithCancel(context.Background())
		out := &lockedBuffer{}
		done := make(chan error, 1)
		args := append([]string{"serve", "--library", writeLibrary(t, serveLibrary), "--addr", "127.0.0.1:0"}, tc.args...)
		go func() { done <- run(ctx, args, out, out) }()
		var base string
		for deadline := time.Now().Add(10 * time.Second); base == ""; time.Sleep(10 * time.Millisecond) {
			if m := servingRe.FindStringSubmatch(out.String()); m != nil {
				base = m[1]
			} else if time.Now().After(deadline) {
				cancel()
				t.Fatalf("%v: no address printed:\n%s", args, out)
			}
		}
		for p, want := range map[string]int{"/": 200, "/reviews/a/": 200, "/reviews/draft/": 200, "/reviews/secret/": tc.restricted} {
			resp, err := http.Get(base + p)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != want {
				t.Errorf("%v: GET %s: status %d, want %d", args, p, resp.StatusCode, want)
			}
			if want == 200 && !strings.Contains(string(body), "/_casebook/livereload.js") {
				t.Errorf("%v: GET %s: no live-reload script", args, p)
			}
		}
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("%v: serve returned %v after its context ended", args, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%v: serve did not stop", args)
		}
	}
}
