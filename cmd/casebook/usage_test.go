package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// usageLibrary declares a taxonomy, so that search's taxonomy flags
// (made from the library's settings) are among the flags checked.
var usageLibrary = map[string]string{
	"casebook.yaml":           "taxonomies:\n  - {key: teams, title: Teams, singular: Team}\n",
	"reviews/2025-01-01-a.md": "---\ntitle: A\nteams: [payments]\n---\nBody.\n",
}

// commandFlags runs `casebook NAME -h` and returns its usage lines (the
// synopses after "Usage: casebook NAME", and after "casebook NAME" on the
// lines below it) and the flags the flag set
// printed, which are exactly those it defines.
func commandFlags(t *testing.T, name, lib string) (synopsis string, flags []string) {
	t.Helper()
	stdout, stderr, err := runCmd(t, name, "--library", lib, "-h")
	if err != nil { // a command without --library (version)
		stdout, stderr, err = runCmd(t, name, "-h")
	}
	if err != nil {
		t.Fatalf("casebook %s -h: %v\n%s%s", name, err, stdout, stderr)
	}
	lines := strings.Split(stderr, "\n")
	prefix := "Usage: casebook " + name
	if !strings.HasPrefix(lines[0], prefix) {
		t.Fatalf("casebook %s -h: first line %q, want %q…", name, lines[0], prefix)
	}
	// A command with two forms (new TITLE, new --from) has a line each.
	synopsis = strings.TrimPrefix(lines[0], prefix)
	for _, l := range lines[1:] {
		more, ok := strings.CutPrefix(strings.TrimSpace(l), "casebook "+name+" ")
		if !ok {
			break
		}
		synopsis += " " + more
	}
	for _, m := range regexp.MustCompile(`(?m)^  -([\w-]+)`).FindAllStringSubmatch(stderr, -1) {
		flags = append(flags, m[1])
	}
	return synopsis, flags
}

// namesFlag reports whether text names --flag as a whole word.
func namesFlag(text, flag string) bool {
	return regexp.MustCompile(`--` + regexp.QuoteMeta(flag) + `([^\w-]|$)`).MatchString(text)
}

// A flag's spelling for the usage line: a taxonomy's flag is one of the
// library's, so the line names them all as --<taxonomy>.
func usageSpelling(name, flag string) string {
	if name == "search" && !searchFlagNames[flag] {
		return "<taxonomy>"
	}
	return flag
}

// Every flag a subcommand defines is on its usage line, so the line
// cannot drift from the flag set as flags are added.
func TestUsageLinesListEveryFlag(t *testing.T) {
	lib := writeLibrary(t, usageLibrary)
	for _, c := range commands {
		synopsis, flags := commandFlags(t, c.name, lib)
		if c.name == "search" && !slices.Contains(flags, "teams") {
			t.Errorf("search -h lists no --teams flag from the library's taxonomy: %q", flags)
		}
		for _, f := range flags {
			if want := usageSpelling(c.name, f); !namesFlag(synopsis, want) {
				t.Errorf("casebook %s: the usage line does not name --%s:\n%s", c.name, want, synopsis)
			}
		}
	}
}

// README's command table has a row for every subcommand, and the rows of
// a subcommand name every flag it defines.
func TestReadmeCommandTableListsEveryFlag(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{}
	for _, m := range regexp.MustCompile("(?m)^\\| `casebook ([a-z]+)([^`]*)` \\|").FindAllStringSubmatch(string(readme), -1) {
		rows[m[1]] += m[2] + " "
	}
	lib := writeLibrary(t, usageLibrary)
	for _, c := range commands {
		row, ok := rows[c.name]
		if !ok {
			t.Errorf("README's command table has no row for casebook %s", c.name)
			continue
		}
		_, flags := commandFlags(t, c.name, lib)
		for _, f := range flags {
			if want := usageSpelling(c.name, f); !namesFlag(row, want) {
				t.Errorf("README's row for casebook %s does not name --%s:\n%s", c.name, want, row)
			}
		}
	}
}

// The Go version README asks for is go.mod's.
func TestReadmeGoVersionIsGoMod(t *testing.T) {
	gomod, err := os.ReadFile(filepath.Join("..", "..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^go (\S+)$`).FindSubmatch(gomod)
	if m == nil {
		t.Fatal("go.mod has no go directive")
	}
	want := string(m[1])
	mentions := regexp.MustCompile(`with Go (\d+\.\d+(?:\.\d+)?)`).FindAllSubmatch(readme, -1)
	if len(mentions) == 0 {
		t.Fatal(`README says nowhere "with Go X.Y.Z"`)
	}
	for _, got := range mentions {
		if string(got[1]) != want {
			t.Errorf("README asks for Go %s, go.mod for %s", got[1], want)
		}
	}
}
