package lint_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/tools/txtar"

	"github.com/casebook/casebook/site"
	"github.com/casebook/casebook/site/lint"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// TestGolden checks each library in testdata/*.txtar (every file of the
// archive is a library file) and compares the text and JSON reports with
// testdata/golden/NAME.txt and NAME.json. Run with -update to rewrite them.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no archives: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		t.Run(name, func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			lib := fstest.MapFS{}
			for _, f := range ar.Files {
				lib[f.Name] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
			}
			rep := lint.Check(context.Background(), lib, site.Options{Now: now}, nil)
			var text, js bytes.Buffer
			if err := rep.WriteText(&text); err != nil {
				t.Fatal(err)
			}
			if err := rep.WriteJSON(&js); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", "golden", name+".txt"), text.Bytes())
			golden(t, filepath.Join("testdata", "golden", name+".json"), js.Bytes())

			// The JSON is the report, and it is the same every time.
			var back lint.JSON
			if err := json.Unmarshal(js.Bytes(), &back); err != nil {
				t.Fatal(err)
			}
			if back.Version != 1 || len(back.Findings) != len(rep.Findings) || back.Summary.Error != rep.Count(lint.Error) {
				t.Errorf("JSON round trip: %+v", back)
			}
			for range 3 {
				var again bytes.Buffer
				if err := lint.Check(context.Background(), lib, site.Options{Now: now}, nil).WriteJSON(&again); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(again.Bytes(), js.Bytes()) {
					t.Fatal("JSON output differs between runs")
				}
			}
		})
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (go test -update rewrites it):\n--- got ---\n%s\n--- want ---\n%s", path, got, want)
	}
}
