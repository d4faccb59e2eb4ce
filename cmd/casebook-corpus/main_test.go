package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "lib")
	var out, errb bytes.Buffer
	if err := run([]string{"-n", "12", "-seed", "3", "-words", "300", "-code", "0", dir}, &out, &errb); err != nil {
		t.Fatalf("run: %v (stderr %q)", err, errb.String())
	}
	if !strings.Contains(out.String(), "wrote 12 reviews") {
		t.Errorf("stdout = %q", out.String())
	}
	entries, err := os.ReadDir(filepath.Join(dir, "reviews"))
	if err != nil || len(entries) != 12 {
		t.Fatalf("got %d reviews, err %v", len(entries), err)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "reviews", entries[0].Name()))
	if bytes.Contains(data, []byte("```go")) || bytes.Contains(data, []byte("```sql")) {
		t.Error("-code 0 still wrote code blocks")
	}
	// A second run into the now non-empty dir is an I/O-style error, not usage.
	if err := run([]string{"-n", "1", dir}, &out, &errb); err == nil || errors.As(err, new(usageError)) {
		t.Errorf("rerun into non-empty dir: %v", err)
	}
}

func TestRunUsage(t *testing.T) {
	for _, args := range [][]string{{}, {"-n", "x", "d"}, {"-n", "0", "d"}, {"a", "b"}, {"-bogus", "d"}} {
		var out, errb bytes.Buffer
		err := run(args, &out, &errb)
		if !errors.As(err, new(usageError)) {
			t.Errorf("run(%q) = %v, want a usage error", args, err)
		}
	}
}
