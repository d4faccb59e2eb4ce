// Command adoption measures how well casebook reads incident-review
// repositories that were not written for it. Each folder under testdata/
// reconstructs one shape seen in public repositories (lib/, built as
// `casebook build` would, with no Git) and states, in expected.json, what a
// person reading each review would say it holds: its title and date, how
// many timeline events, follow-ups, people and images it shows, and which
// technologies and services it is about. The program builds each library,
// renders it into memory with the default theme, compares, and prints one
// row per shape and a total.
//
//	go run ./bench/adoption [-v [-notes]] [-dir DIR]
//
// -v also prints, per review, every figure that disagrees with the ground
// truth and where casebook said it took it from.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing/fstest"
	"text/tabwriter"
	"time"

	"github.com/casebook/casebook/site"
	"github.com/casebook/casebook/site/render"
	defaulttheme "github.com/casebook/casebook/themes/default"
)

func main() {
	verbose := flag.Bool("v", false, "print every disagreement, review by review")
	showNotes := flag.Bool("notes", false, "with -v, also print every note the build made")
	dir := flag.String("dir", defaultDir(), "folder of shapes, each with lib/ and expected.json")
	flag.Parse()
	results, err := measureAll(context.Background(), *dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "adoption:", err)
		os.Exit(1)
	}
	printTable(os.Stdout, results)
	if *verbose {
		printDetails(os.Stdout, results, *showNotes)
	}
}

// defaultDir is this package's testdata/, wherever the program is run from.
func defaultDir() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "testdata"
	}
	return filepath.Join(filepath.Dir(file), "testdata")
}

// want is one review's ground truth.
type want struct {
	File      string `json:"file"` // library path of the review
	Title     string `json:"title"`
	Date      string `json:"date"` // YYYY-MM-DD
	Events    int    `json:"events"`
	FollowUps int    `json:"follow_ups"`
	People    int    `json:"people"`
	Images    int    `json:"images"`
	// Terms are the technologies and services it is about; "A|B" accepts
	// either name (Kafka|Apache Kafka), as a reader would.
	Terms []string `json:"terms"`
}

// result is one shape's figures. Every "found" figure counts only reviews
// that are in the ground truth; Extra counts files taken as reviews that
// are not.
type result struct {
	Shape                     string
	BuildErr                  error // the library did not build: every figure below is zero
	Expected, Found, Extra    int
	Missing                   []string
	Titles, Dates             int // right
	TimelinesExpected         int
	TimelinesRead             int
	EventsFound, EventsWanted int
	ImagesWanted, ImagesShown int
	ImagesBroken              int
	FollowUps, FollowUpsWant  int
	People, PeopleWanted      int
	TermsFound, TermsRight    int // inferred, and of those in the ground truth
	TermsWanted, TermsHit     int // in the ground truth, and of those inferred
	Notes, Errors             int
	// Over counts what was found beyond the ground truth, summed over
	// reviews: events, follow-ups, people, images (shown as +N).
	EventsOver, FollowUpsOver, PeopleOver, ImagesOver int
	// LeadTwice counts pages that show their lead again in one of the
	// body's first paragraphs: the same words twice at the top.
	LeadTwice int
	Details   []string
	Edited    *result // measured again with truth.Edit
	NoteList  []string
}

func measureAll(ctx context.Context, dir string) ([]*result, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []*result
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		r, err := measure(ctx, filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name(), err)
		}
		out = append(out, r)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no shapes in %s", dir)
	}
	return out, nil
}

// memOut is an in-memory render.Output.
type memOut struct {
	mu    sync.Mutex
	files map[string][]byte
}

func (m *memOut) WriteFile(name string, data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.files[name] = slices.Clone(data)
	return nil
}

// truth is a shape's expected.json.
type truth struct {
	Reviews []want
	// Edit is the casebook.yaml a user would write after a first build
	// that failed (as `casebook check` suggests): the shape is measured
	// as it is, and again with it, in a row of its own outside the total.
	Edit string `json:"edit"`
}

func measure(ctx context.Context, dir string) (*result, error) {
	data, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	if err != nil {
		return nil, err
	}
	var tr truth
	if err := json.Unmarshal(data, &tr); err != nil {
		return nil, fmt.Errorf("expected.json: %w", err)
	}
	lib := os.DirFS(filepath.Join(dir, "lib"))
	res, err := measureLib(ctx, filepath.Base(dir), lib, tr.Reviews)
	if err != nil || res.BuildErr == nil || tr.Edit == "" {
		return res, err
	}
	edited, err := withConfig(lib, tr.Edit)
	if err != nil {
		return nil, err
	}
	res.Edited, err = measureLib(ctx, res.Shape+" (edited)", edited, tr.Reviews)
	return res, err
}

// withConfig is a copy of a (small) library in memory with casebook.yaml
// replaced.
func withConfig(lib fs.FS, config string) (fs.FS, error) {
	m := fstest.MapFS{}
	err := fs.WalkDir(lib, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(lib, p)
		m[p] = &fstest.MapFile{Data: data, Mode: 0o644}
		return err
	})
	m["casebook.yaml"] = &fstest.MapFile{Data: []byte(config), Mode: 0o644}
	return m, err
}

func measureLib(ctx context.Context, shape string, fsys fs.FS, reviews []want) (*result, error) {
	res := &result{Shape: shape, Expected: len(reviews)}
	byFile := map[string]want{}
	for _, w := range reviews {
		byFile[w.File] = w
		res.FollowUpsWant += w.FollowUps
		res.PeopleWanted += w.People
		res.ImagesWanted += w.Images
		res.EventsWanted += w.Events
		res.TermsWanted += len(w.Terms)
		if w.Events > 0 {
			res.TimelinesExpected++
		}
	}

	// As `casebook build` loads a library, without Git: no review may
	// lean on a commit date, which a shallow clone would not have either.
	opts := site.Options{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	lib, err := site.Parse(ctx, fsys, opts)
	if err != nil {
		return nil, err
	}
	for _, n := range lib.Notes() {
		res.Notes++
		res.NoteList = append(res.NoteList, n.Error())
	}
	s, err := site.Assemble(lib)
	if err != nil {
		var list site.ErrorList
		if !errors.As(err, &list) {
			return nil, err
		}
		res.BuildErr, res.Errors = err, len(list)
		for _, w := range reviews {
			res.Missing = append(res.Missing, w.File)
		}
		return res, nil
	}
	rd, err := render.New(s, defaulttheme.FS)
	if err != nil {
		return nil, err
	}
	out := &memOut{files: map[string][]byte{}}
	if err := rd.Render(ctx, out); err != nil {
		return nil, err
	}

	seen := map[string]bool{}
	for _, r := range s.Reviews {
		w, ok := byFile[r.SourcePath]
		if !ok {
			res.Extra++
			res.Details = append(res.Details, fmt.Sprintf("%s: taken as a review (%q) but is not one", r.SourcePath, r.Title))
			continue
		}
		seen[r.SourcePath] = true
		res.Found++
		res.compare(w, r, out.files[render.OutputName(r.URL())], out.files)
	}
	for _, w := range reviews {
		if !seen[w.File] {
			res.Missing = append(res.Missing, w.File)
			res.Details = append(res.Details, w.File+": not found as a review")
		}
	}
	return res, nil
}

func (res *result) compare(w want, r *site.Review, page []byte, files map[string][]byte) {
	bad := func(format string, args ...any) {
		res.Details = append(res.Details, w.File+": "+fmt.Sprintf(format, args...))
	}
	from := func(field string) string {
		for _, in := range r.Inferred {
			if in.Field == field {
				return " (from " + in.From + ")"
			}
		}
		return ""
	}
	if strings.EqualFold(strings.TrimSpace(r.Title), strings.TrimSpace(w.Title)) {
		res.Titles++
	} else {
		bad("title %q, want %q%s", r.Title, w.Title, from("title"))
	}
	if d := r.Date.Format(time.DateOnly); d == w.Date {
		res.Dates++
	} else {
		bad("date %s, want %s%s", d, w.Date, from("date"))
	}

	events := 0
	if r.Timeline != nil {
		events = len(r.Timeline.Events)
	}
	res.EventsFound += min(events, w.Events)
	res.EventsOver += max(events-w.Events, 0)
	if w.Events > 0 && events > 0 {
		res.TimelinesRead++
	}
	if events != w.Events {
		bad("%d timeline events, want %d", events, w.Events)
	}

	res.FollowUps += min(len(r.FollowUps), w.FollowUps)
	res.FollowUpsOver += max(len(r.FollowUps)-w.FollowUps, 0)
	if len(r.FollowUps) != w.FollowUps {
		bad("%d follow-ups, want %d", len(r.FollowUps), w.FollowUps)
	}

	people := map[*site.Person]bool{}
	for _, p := range slices.Concat(r.Responders, r.Investigators) {
		people[p] = true
	}
	res.People += min(len(people), w.People)
	res.PeopleOver += max(len(people)-w.People, 0)
	if len(people) != w.People {
		var names []string
		for p := range people {
			names = append(names, p.Name)
		}
		slices.Sort(names)
		bad("%d people %q, want %d", len(people), names, w.People)
	}

	shown, broken := images(page, r.URL(), files)
	res.ImagesShown += min(shown, w.Images)
	res.ImagesOver += max(shown-w.Images, 0)
	res.ImagesBroken += len(broken)
	if shown != w.Images {
		bad("%d images shown, want %d", shown, w.Images)
	}
	for _, b := range broken {
		bad("broken image %q", b)
	}

	if leadTwice(page) {
		res.LeadTwice++
		bad("the lead is shown again in the body's first paragraphs")
	}

	res.compareTerms(w, r, bad)
}

var (
	leadRe = regexp.MustCompile(`(?s)<p class="lead">(.*?)</p>`)
	paraRe = regexp.MustCompile(`(?s)<p>(.*?)</p>`)
	tagRe  = regexp.MustCompile(`<[^>]*>`)
)

// leadTwice reports whether a review page's lead is also one of the first
// paragraphs of its body.
func leadTwice(page []byte) bool {
	m := leadRe.FindSubmatch(page)
	_, body, ok := strings.Cut(string(page), `id="review-body"`)
	if m == nil || !ok {
		return false
	}
	plain := func(s string) string { return strings.TrimSpace(html.UnescapeString(tagRe.ReplaceAllString(s, ""))) }
	lead := plain(string(m[1]))
	for _, p := range paraRe.FindAllStringSubmatch(body, 6) {
		if lead != "" && strings.Contains(plain(p[1]), lead) {
			return true
		}
	}
	return false
}

// compareTerms scores the review's technologies and services against the
// ground truth, by casebook's own normal form of a term and its aliases.
func (res *result) compareTerms(w want, r *site.Review, bad func(string, ...any)) {
	wanted := map[string]string{} // normal form of a name → its entry
	for _, t := range w.Terms {
		for _, name := range strings.Split(t, "|") {
			wanted[site.Normalize(name)] = t
		}
	}
	hit := map[string]bool{}
	var wrong []string
	for _, tl := range r.Terms {
		if tl.Taxonomy.Key != "technologies" && tl.Taxonomy.Key != "services" {
			continue
		}
		for _, t := range tl.Terms {
			res.TermsFound++
			right := false
			for _, name := range append([]string{t.Title, t.ID}, t.Aliases...) {
				if entry, ok := wanted[site.Normalize(name)]; ok {
					hit[entry], right = true, true
				}
			}
			if right {
				res.TermsRight++
			} else {
				wrong = append(wrong, tl.Taxonomy.Key+":"+t.Title)
			}
		}
	}
	res.TermsHit += len(hit)
	var missed []string
	for _, t := range w.Terms {
		if !hit[t] {
			missed = append(missed, t)
		}
	}
	if len(wrong) > 0 || len(missed) > 0 {
		bad("terms: not in the review's subject %q; missed %q", wrong, missed)
	}
}

var imgSrc = regexp.MustCompile(`<img\b[^>]*?\bsrc="([^"]*)"`)

// images counts the <img> tags of a review page and returns the sources
// that name no file the build wrote (http(s) sources are taken on trust).
func images(page []byte, pageURL string, files map[string][]byte) (shown int, broken []string) {
	base, _ := url.Parse(pageURL)
	for _, m := range imgSrc.FindAllSubmatch(page, -1) {
		shown++
		src := html.UnescapeString(string(m[1]))
		u, err := url.Parse(src)
		if err != nil {
			broken = append(broken, src)
			continue
		}
		if u.Scheme == "http" || u.Scheme == "https" {
			continue
		}
		if u.Scheme != "" || u.Host != "" {
			broken = append(broken, src)
			continue
		}
		if _, ok := files[strings.TrimPrefix(base.ResolveReference(u).Path, "/")]; !ok {
			broken = append(broken, src)
		}
	}
	return shown, broken
}

func (res *result) add(o *result) {
	res.Expected += o.Expected
	res.Found += o.Found
	res.Extra += o.Extra
	res.Missing = append(res.Missing, o.Missing...)
	res.Titles += o.Titles
	res.Dates += o.Dates
	res.TimelinesExpected += o.TimelinesExpected
	res.TimelinesRead += o.TimelinesRead
	res.EventsFound += o.EventsFound
	res.EventsWanted += o.EventsWanted
	res.ImagesWanted += o.ImagesWanted
	res.ImagesShown += o.ImagesShown
	res.ImagesBroken += o.ImagesBroken
	res.FollowUps += o.FollowUps
	res.FollowUpsWant += o.FollowUpsWant
	res.People += o.People
	res.PeopleWanted += o.PeopleWanted
	res.TermsFound += o.TermsFound
	res.TermsRight += o.TermsRight
	res.TermsWanted += o.TermsWanted
	res.TermsHit += o.TermsHit
	res.Notes += o.Notes
	res.EventsOver += o.EventsOver
	res.FollowUpsOver += o.FollowUpsOver
	res.PeopleOver += o.PeopleOver
	res.ImagesOver += o.ImagesOver
	res.LeadTwice += o.LeadTwice
	res.Errors += o.Errors
}

func total(results []*result) *result {
	t := &result{Shape: "total"}
	for _, r := range results {
		t.add(r)
	}
	return t
}

func pct(n, d int) string {
	if d == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f%%", 100*float64(n)/float64(d))
}

// ratio is "found/wanted", and "+over" when more were found than are there.
func ratio(found, wanted, over int) string {
	s := fmt.Sprintf("%d/%d", found, wanted)
	if over > 0 {
		s += fmt.Sprintf(" +%d", over)
	}
	return s
}

func printTable(w io.Writer, results []*result) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "shape\treviews\textra\ttitles\tdates\ttimelines\tevents\timages\tbroken\tfollow-ups\tpeople\tterms P\tterms R\tlead twice\tnotes\terrors\t")
	rows := append(slices.Clone(results), total(results))
	for _, r := range results {
		if r.Edited != nil {
			rows = append(rows, r.Edited)
		}
	}
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%d/%d\t%d\t%d (%s)\t%d (%s)\t%d/%d\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t\n",
			r.Shape, r.Found, r.Expected, r.Extra,
			r.Titles, pct(r.Titles, r.Expected), r.Dates, pct(r.Dates, r.Expected),
			r.TimelinesRead, r.TimelinesExpected, ratio(r.EventsFound, r.EventsWanted, r.EventsOver),
			ratio(r.ImagesShown, r.ImagesWanted, r.ImagesOver), r.ImagesBroken,
			ratio(r.FollowUps, r.FollowUpsWant, r.FollowUpsOver), ratio(r.People, r.PeopleWanted, r.PeopleOver),
			pct(r.TermsRight, r.TermsFound), pct(r.TermsHit, r.TermsWanted),
			r.LeadTwice, r.Notes, r.Errors)
	}
	tw.Flush()
}

func printDetails(w io.Writer, results []*result, notes bool) {
	var all []*result
	for _, r := range results {
		all = append(all, r)
		if r.Edited != nil {
			all = append(all, r.Edited)
		}
	}
	for _, r := range all {
		fmt.Fprintf(w, "\n%s:\n", r.Shape)
		if r.BuildErr != nil {
			fmt.Fprintf(w, "  does not build:\n    %s\n", strings.ReplaceAll(r.BuildErr.Error(), "\n", "\n    "))
		}
		for _, d := range r.Details {
			fmt.Fprintln(w, "  "+d)
		}
		if notes {
			fmt.Fprintln(w, "  notes:")
			for _, n := range r.NoteList {
				fmt.Fprintln(w, "    "+n)
			}
		}
	}
}
