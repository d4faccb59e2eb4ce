package main

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casebook/casebook/site"
)

const (
	slackExport  = "../../site/slack/testdata/export"
	slackLibrary = "../../site/slack/testdata/library"
	slackReview  = "reviews/2024-06-14-search-alias.md"
)

// copyLibrary copies the Slack test library to a new folder.
func copyLibrary(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(slackLibrary)); err != nil {
		t.Fatal(err)
	}
	return dir
}

// zipExport writes the fixture export as a .zip, with change applied to
// its files (path → new content).
func zipExport(t *testing.T, change map[string]string) string {
	t.Helper()
	name := filepath.Join(t.TempDir(), "export.zip")
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	err := filepath.WalkDir(slackExport, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(slackExport, p)
		data, err := os.ReadFile(p)
		if c, ok := change[filepath.ToSlash(rel)]; ok {
			data = []byte(c)
		}
		if err != nil {
			return err
		}
		w, err := zw.Create(filepath.ToSlash(rel))
		if err == nil {
			_, err = w.Write(data)
		}
		return err
	})
	if err == nil {
		err = zw.Close()
	}
	if err == nil {
		err = os.WriteFile(name, buf.Bytes(), 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
	return name
}

func TestTimelinePrints(t *testing.T) {
	want, err := os.ReadFile("../../site/slack/testdata/timeline.golden")
	if err != nil {
		t.Fatal(err)
	}
	for _, export := range []string{slackExport, zipExport(t, nil)} {
		stdout, stderr, code := casebook(t, "timeline", "--library", slackLibrary, "--slack", export, "--channel", "search-incident, incident-comms")
		if code != 0 || stdout != string(want) {
			t.Errorf("%s: code %d\n%s\nstderr %s", export, code, stdout, stderr)
		}
		for _, s := range []string{"1 Slack user matches nobody", "@lena-fischer: Lena Fischer (Slack U04LENA, @lena)", "people/lena-fischer.md:\n    ---\n    name: Lena Fischer\n    slack: U04LENA\n"} {
			if !strings.Contains(stderr, s) {
				t.Errorf("stderr lacks %q:\n%s", s, stderr)
			}
		}
	}
}

func TestTimelineInto(t *testing.T) {
	lib := copyLibrary(t)
	review := filepath.Join(lib, slackReview)
	before, err := os.ReadFile(review)
	if err != nil {
		t.Fatal(err)
	}
	_, stderr, code := casebook(t, "timeline", "--library", lib, "--slack", slackExport, "--channel", "search-incident,incident-comms", "--into", review)
	if code != 0 {
		t.Fatalf("code %d: %s", code, stderr)
	}
	after, err := os.ReadFile(review)
	if err != nil {
		t.Fatal(err)
	}
	// Everything outside the review's own timeline block is byte for byte
	// as it was (the example block in ````markdown included).
	open := []byte("## Timeline\n\n```timeline\n")
	i := bytes.Index(before, open) + len(open)
	j := i + bytes.Index(before[i:], []byte("```\n"))
	k := bytes.Index(after, open) + len(open)
	l := k + bytes.Index(after[k:], []byte("```\n"))
	if !bytes.Equal(before[:i], after[:k]) || !bytes.Equal(before[j:], after[l:]) {
		t.Errorf("bytes outside the block changed:\n%s", after)
	}
	golden, _ := os.ReadFile("../../site/slack/testdata/timeline.golden")
	if got, want := string(after[k:l]), strings.TrimSuffix(strings.TrimPrefix(string(golden), "```timeline\n"), "```\n"); got != want {
		t.Errorf("block:\n%s\nwant:\n%s", got, want)
	}
	s, err := site.Load(context.Background(), os.DirFS(lib), site.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if tl := s.Reviews[0].Timeline; tl == nil || len(tl.Events) != 11 || tl.Events[0].Source != "search-incident" {
		t.Errorf("timeline %+v", tl)
	}
	// A second import over the first changes nothing.
	if _, stderr, code := casebook(t, "timeline", "--library", lib, "--slack", slackExport, "--channel", "search-incident,incident-comms", "--into", review); code != 0 {
		t.Fatal(stderr)
	}
	if again, _ := os.ReadFile(review); !bytes.Equal(again, after) {
		t.Errorf("a second import changed the review")
	}
	left, _ := filepath.Glob(filepath.Join(lib, "reviews", ".*"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// A review whose timeline block does not build can still be imported
// into: the library is loaded without it.
func TestTimelineIntoReplacesBrokenBlock(t *testing.T) {
	lib := copyLibrary(t)
	review := filepath.Join(lib, slackReview)
	src, _ := os.ReadFile(review)
	broken := bytes.Replace(src, []byte("| trigger |"), []byte("| explosion |"), 1)
	if err := os.WriteFile(review, broken, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := casebook(t, "timeline", "--library", lib, "--slack", slackExport, "--channel", "search-incident", "--into", review); code != 0 {
		t.Fatalf("code %d: %s", code, stderr)
	}
	if _, err := site.Load(context.Background(), os.DirFS(lib), site.Options{}); err != nil {
		t.Fatal(err)
	}
}

func TestTimelineErrors(t *testing.T) {
	lib := copyLibrary(t)
	review := filepath.Join(lib, slackReview)
	before, _ := os.ReadFile(review)
	twoBlocks := filepath.Join(lib, "two.md")
	os.WriteFile(twoBlocks, []byte("# Two\n\n```timeline\n```\n\n```timeline\n```\n"), 0o644)
	badLib := newLibrary(t, map[string]string{"casebook.yaml": "timezone: Mars/Olympus\n", "reviews/a.md": "---\ntitle: A\ndate: 2024-01-01\n---\n"})
	export := []string{"--slack", slackExport, "--channel", "search-incident"}
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown channel", []string{"--slack", slackExport, "--channel", "search-incident,incidnet-comms"},
			slackExport + "/channels.json: no channel \"incidnet-comms\" in the export (it has incident-comms, random, search-incident)\n"},
		{"malformed JSON", []string{"--slack", zipExport(t, map[string]string{"search-incident/2024-06-15.json": "[\n  {\"ts\": 1}\n]"}), "--channel", "search-incident"},
			"/search-incident/2024-06-15.json:2:10: JSON: ts must be string, not number\n"},
		{"no export", []string{"--slack", filepath.Join(lib, "nope.zip"), "--channel", "x"}, "nope.zip: cannot read: no such file or directory\n"},
		{"not an export", []string{"--slack", review, "--channel", "x"}, "2024-06-14-search-alias.md: not a folder or a .zip"},
		{"bad from", append([]string{"--from", "yesterday"}, export...), "casebook timeline: --from: cannot read time \"yesterday\" (want YYYY-MM-DD, YYYY-MM-DD HH:MM or RFC 3339)\n"},
		{"bad to", append([]string{"--to", "2024-06-14 25:00"}, export...), "casebook timeline: --to: cannot read time \"2024-06-14 25:00\""},
		{"from after to", append([]string{"--from", "2024-06-15", "--to", "2024-06-14"}, export...), "casebook timeline: --from 2024-06-15 is not before --to 2024-06-14\n"},
		{"empty period", append([]string{"--from", "2025-01-01"}, export...), ": no messages in search-incident from 2025-01-01; nothing written\n"},
		{"two blocks", append([]string{"--into", twoBlocks}, export...), "two.md:6:1: a second timeline block"},
		{"unreadable review", append([]string{"--into", filepath.Join(lib, "gone.md")}, export...), "gone.md: cannot read: no such file or directory\n"},
		{"library errors", []string{"--library", badLib, "--slack", slackExport, "--channel", "search-incident"}, "casebook.yaml:1:11: timezone: unknown time zone \"Mars/Olympus\""},
		{"no channels", []string{"--slack", slackExport}, "casebook timeline: give the export and its channels"},
	} {
		args := append([]string{"timeline"}, c.args...)
		if !strings.Contains(strings.Join(c.args, " "), "--library") {
			args = append(args, "--library", lib)
		}
		if !strings.Contains(strings.Join(c.args, " "), "--into") {
			args = append(args, "--into", review)
		}
		stdout, stderr, code := casebook(t, args...)
		if code == 0 || stdout != "" || !strings.Contains(stderr, c.want) {
			t.Errorf("%s: code %d, stdout %q\nstderr %s\nwant %s", c.name, code, stdout, stderr, c.want)
		}
		if after, _ := os.ReadFile(review); !bytes.Equal(after, before) {
			t.Fatalf("%s: the review was written", c.name)
		}
	}
}

// Without a library, times are UTC and nobody is matched, which stderr says.
func TestTimelineWithoutLibrary(t *testing.T) {
	export, err := filepath.Abs(slackExport)
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	stdout, stderr, code := casebook(t, "timeline", "--slack", export, "--channel", "search-incident")
	if code != 0 || !strings.HasPrefix(stdout, "```timeline\n2024-06-14 22:38 | responder/joins [#search-incident] | @priya-raman joined") || !strings.Contains(stderr, "no content folder here, so times are in UTC") {
		t.Errorf("code %d\n%s\n%s", code, stdout, stderr)
	}
}
