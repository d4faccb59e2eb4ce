package index

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf8"

	"golang.org/x/tools/txtar"

	"github.com/casebook/casebook/internal/corpus"
	"github.com/casebook/casebook/internal/publish"
	"github.com/casebook/casebook/site"
)

const clientScript = "../themes/default/static/js/search-static.js"

// nodeClient runs the static client under Node (testdata/node/run.js)
// against the bundle in dir; ask sends one request and reads its answer.
type nodeClient struct {
	mu  sync.Mutex
	in  io.WriteCloser
	out *bufio.Reader
}

func startNode(t testing.TB, dir string) *nodeClient {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CASEBOOK_REQUIRE_BROWSER") == "1" {
			t.Fatal("node is not installed and CASEBOOK_REQUIRE_BROWSER=1")
		}
		t.Skip("node is not installed: the static search client is not tested")
	}
	cmd := exec.Command(node, "testdata/node/run.js", clientScript, dir)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		in.Close()
		cmd.Wait()
	})
	return &nodeClient{in: in, out: bufio.NewReaderSize(out, 1<<20)}
}

func (c *nodeClient) ask(t testing.TB, req any, resp any) {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	b, _ := json.Marshal(req)
	if _, err := c.in.Write(append(b, '\n')); err != nil {
		t.Fatal(err)
	}
	line, err := c.out.ReadBytes('\n')
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	if err := json.Unmarshal(line, resp); err != nil {
		t.Fatalf("node answered %q: %v", line, err)
	}
}

// dirOut writes a bundle under a folder.
type dirOut string

func (d dirOut) WriteFile(name string, data []byte) error {
	p := filepath.Join(string(d), filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, data, 0o644)
}

// TestStaticAnalyzerMatchesBleve holds the client's analysis (tokens,
// positions, possessives, case, stop words, stemming) equal to the bleve
// mapping's on every word of a generated library and on awkward text.
func TestStaticAnalyzerMatchesBleve(t *testing.T) {
	texts := analysisTexts(generatedSite(t, 40, 3))
	c := startNode(t, "")
	a := newMapping().AnalyzerNamed(analyzerName)
	stop := stopWords()
	words := 0
	for _, text := range texts {
		var want [][2]any
		for _, tok := range a.Analyze([]byte(text)) {
			want = append(want, [2]any{string(tok.Term), float64(tok.Position)})
		}
		var got struct {
			Tokens [][4]any `json:"tokens"`
		}
		c.ask(t, map[string]any{"analyze": text, "stop": stop}, &got)
		var gotPairs [][2]any
		for _, tk := range got.Tokens {
			gotPairs = append(gotPairs, [2]any{tk[0], tk[1]})
		}
		words += len(want)
		if fmt.Sprint(gotPairs) != fmt.Sprint(want) {
			for i := range max(len(want), len(gotPairs)) {
				var w, g any
				if i < len(want) {
					w = want[i]
				}
				if i < len(gotPairs) {
					g = gotPairs[i]
				}
				if fmt.Sprint(w) != fmt.Sprint(g) {
					t.Errorf("%.60q: token %d: bleve %v, client %v", text, i, w, g)
					break
				}
			}
		}
	}
	if words < 10000 {
		t.Errorf("only %d words compared", words)
	}
}

// TestStaticBundleLeavesOutDraftsAndRestricted: what the site leaves
// out, the bundle leaves out, in every file.
func TestStaticBundleLeavesOutDraftsAndRestricted(t *testing.T) {
	s := loadLibrary(t, nil)
	out := &memOutput{files: map[string][]byte{}}
	if err := WriteStaticBundle(s, out); err != nil {
		t.Fatal(err)
	}
	var man bundleManifest
	if err := json.Unmarshal(out.files[BundleManifest], &man); err != nil {
		t.Fatal(err)
	}
	if man.DocCount != len(s.Reviews) || man.DocCount == 0 {
		t.Errorf("docCount %d, want the %d published reviews", man.DocCount, len(s.Reviews))
	}
	docs := 0
	for name, b := range out.files {
		if !strings.HasPrefix(name, BundleDir+"/") {
			t.Errorf("%s is outside %s", name, BundleDir)
		}
		if strings.Contains(name, "/docs/") {
			docs++
		}
		for _, secret := range []string{"zebra", "secret-draft", "restricted", "credentials"} {
			if strings.Contains(strings.ToLower(string(b)), secret) {
				t.Errorf("%s holds %q", name, secret)
			}
		}
	}
	if docs != len(s.Reviews) {
		t.Errorf("%d document files, want %d", docs, len(s.Reviews))
	}

	// And with them included, they are there: the test can fail.
	all, err := site.Load(context.Background(), libraryFS(t), site.Options{Drafts: true, IncludeRestricted: true, Now: time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	out2 := &memOutput{files: map[string][]byte{}}
	if err := WriteStaticBundle(all, out2); err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, b := range out2.files {
		if strings.Contains(string(b), "zebra") {
			found++
		}
	}
	if found == 0 {
		t.Error("a site with drafts and restricted reviews: no zebra in its bundle")
	}
}

// TestStaticBundleIsDeterministic: the same site gives the same files.
func TestStaticBundleIsDeterministic(t *testing.T) {
	s := loadLibrary(t, nil)
	a := &memOutput{files: map[string][]byte{}}
	b := &memOutput{files: map[string][]byte{}}
	if err := WriteStaticBundle(s, a); err != nil {
		t.Fatal(err)
	}
	if err := WriteStaticBundle(s, b); err != nil {
		t.Fatal(err)
	}
	if len(a.files) != len(b.files) {
		t.Fatalf("%d files, then %d", len(a.files), len(b.files))
	}
	for name, data := range a.files {
		if string(b.files[name]) != string(data) {
			t.Errorf("%s differs between two writes", name)
		}
	}
}

// parityQueries is a fixed list of queries over a generated library:
// words drawn from its text at every frequency, pairs, phrases, required
// and excluded words, fields, prefixes, aliases, people, filters, dates
// and pages.
func parityQueries(s *site.Site) []url.Values {
	r := rand.New(rand.NewPCG(7, 11))
	a := newMapping().AnalyzerNamed(analyzerName)
	var bodyWords []string
	var phrases []string
	seen := map[string]bool{}
	for i, rv := range s.Reviews {
		if i%7 != 0 {
			continue
		}
		ws := strings.Fields(rv.Text())
		for j, w := range ws {
			w = strings.Trim(strings.ToLower(w), ".,;:`*()[]\"'")
			if w == "" || strings.ContainsAny(w, "*?:~^\\/\"+-=&|><!(){}[]") || len(a.Analyze([]byte(w))) == 0 {
				continue
			}
			if !seen[w] {
				seen[w] = true
				bodyWords = append(bodyWords, w)
			}
			if j+1 < len(ws) && j%37 == 0 {
				w2 := strings.Trim(strings.ToLower(ws[j+1]), ".,;:`*()[]\"'")
				if w2 != "" && !strings.ContainsAny(w2, "*?:~^\\/\"+-=&|><!(){}[]") {
					phrases = append(phrases, w+" "+w2)
				}
			}
		}
	}
	slices.Sort(bodyWords)
	slices.Sort(phrases)
	pick := func(l []string) string { return l[r.IntN(len(l))] }
	var people []string
	for _, p := range s.People {
		people = append(people, p.ID)
	}
	slices.Sort(people)
	var qs []url.Values
	add := func(q string, kv ...string) {
		v := url.Values{"q": {q}}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Add(kv[i], kv[i+1])
		}
		qs = append(qs, v)
	}
	for range 50 {
		add(pick(bodyWords))
	}
	for range 50 {
		add(pick(bodyWords) + " " + pick(bodyWords))
	}
	for range 20 {
		add(`"` + pick(phrases) + `"`)
	}
	for range 15 {
		add("+" + pick(bodyWords) + " " + pick(bodyWords))
	}
	for range 15 {
		add(pick(bodyWords) + " -" + pick(bodyWords))
	}
	for _, f := range []string{"title", "summary", "headings", "body"} {
		for range 4 {
			add(f + ":" + pick(bodyWords))
		}
	}
	for range 10 {
		w := pick(bodyWords)
		if len(w) > 4 {
			w = w[:4]
		}
		add(w + "*")
	}
	for _, q := range []string{"k8s", "kube", "kubernetes", "postgres", "technologies:k8s", "technologies:pg", "contributing_factors:deployment", "themes:monitoring", "es", "gha"} {
		add(q)
	}
	for range 10 {
		id := pick(people)
		first, _, _ := strings.Cut(id, "-")
		add(first)
		add("people:" + id)
	}
	for range 10 {
		add(pick(bodyWords), "technologies", "kubernetes", "from", "2019-01-01")
	}
	for range 5 {
		add(pick(bodyWords)+" "+pick(bodyWords), "page", "2")
	}
	add("", "technologies", "k8s")
	add("", "from", "2020-01-01", "to", "2020-12-31")
	return qs
}

// generatedBundle writes the static bundle of a generated library of n
// reviews and returns the library's site and the bundle's folder.
func generatedBundle(t *testing.T, n int, seed int64) (*site.Site, string) {
	t.Helper()
	lib := t.TempDir()
	if err := corpus.Generate(lib, corpus.Options{Reviews: n, Seed: seed}); err != nil {
		t.Fatal(err)
	}
	s, err := site.Load(context.Background(), os.DirFS(lib), site.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if err := WriteStaticBundle(s, dirOut(out)); err != nil {
		t.Fatal(err)
	}
	return s, filepath.Join(out, filepath.FromSlash(BundleDir))
}

// TestStaticSearchMatchesTheAPI holds the client to /api/search on a
// generated library: the same totals and facets for every query, and
// the top ten shared at least 80 % on average.
func TestStaticSearchMatchesTheAPI(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a library")
	}
	s, dir := generatedBundle(t, 400, 5)
	// The Netlify function's index: one merged segment, whose statistics
	// the bundle reproduces.
	var ar strings.Builder
	if err := BuildArchive(s, &ar); err != nil {
		t.Fatal(err)
	}
	ix, err := OpenArchive([]byte(ar.String()))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	c := startNode(t, dir)

	queries := parityQueries(s)
	if len(queries) < 200 {
		t.Fatalf("only %d queries", len(queries))
	}
	var overlapSum float64
	compared := 0
	for _, v := range queries {
		status, body := Serve(context.Background(), v, ix)
		want, _ := MarshalResult(body)
		var api, got struct {
			Total  int                `json:"total"`
			Hits   []Hit              `json:"hits"`
			Facets map[string][]Facet `json:"facets"`
			Error  string             `json:"error"`
		}
		json.Unmarshal(want, &api)
		c.ask(t, map[string]string{"search": v.Encode()}, &got)
		if status != 200 {
			if got.Error == "" {
				t.Errorf("%s: the API answers %d %q, the client %d hits", v.Encode(), status, api.Error, got.Total)
			}
			continue
		}
		if got.Error != "" {
			t.Errorf("%s: the client fails: %s", v.Encode(), got.Error)
			continue
		}
		if got.Total != api.Total {
			t.Errorf("%s: total %d, the API %d", v.Encode(), got.Total, api.Total)
		}
		if fmt.Sprint(got.Facets) != fmt.Sprint(api.Facets) {
			t.Errorf("%s: facets differ:\n client %v\n api    %v", v.Encode(), got.Facets, api.Facets)
		}
		if len(api.Hits) == 0 {
			if len(got.Hits) != 0 {
				t.Errorf("%s: %d hits, the API none", v.Encode(), len(got.Hits))
			}
			continue
		}
		apiSlugs := map[string]bool{}
		for _, h := range api.Hits {
			apiSlugs[h.Slug] = true
		}
		shared := 0
		for _, h := range got.Hits {
			if apiSlugs[h.Slug] {
				shared++
			}
		}
		ov := float64(shared) / float64(len(api.Hits))
		if ov < 0.5 {
			t.Logf("%s: top %d shares %.0f%%", v.Encode(), len(api.Hits), 100*ov)
		}
		overlapSum += ov
		compared++
		if len(got.Hits) > 0 && len(got.Hits[0].Fragments) == 0 && len(api.Hits[0].Fragments) > 0 {
			t.Errorf("%s: no fragments for %s; the API has %q", v.Encode(), got.Hits[0].Slug, api.Hits[0].Fragments)
		}
	}
	avg := overlapSum / float64(compared)
	t.Logf("%d queries, %d with hits: top-10 overlap %.1f%% on average", len(queries), compared, 100*avg)
	if avg < 0.8 {
		t.Errorf("top-10 overlap %.1f%% on average, want at least 80%%", 100*avg)
	}
}

// TestStaticPrefetch: what search.js asks for while a query is typed is
// the query's dictionary shards (and a phrase's positions), never a
// document, and a query that cannot be read yet is no error.
func TestStaticPrefetch(t *testing.T) {
	_, dir := generatedBundle(t, 150, 3)
	var m bundleManifest
	if b, err := os.ReadFile(filepath.Join(dir, "manifest.json")); err != nil || json.Unmarshal(b, &m) != nil {
		t.Fatalf("manifest: %v", err)
	}
	if len(m.Shards) < 4 {
		t.Fatalf("%d shards: the test needs a dictionary in several", len(m.Shards))
	}
	c := startNode(t, dir)
	prefetch := func(text string) []string {
		t.Helper()
		var resp struct{ Loaded []string }
		c.ask(t, map[string]string{"prefetch": text}, &resp)
		return resp.Loaded
	}

	got := prefetch("connection timeout")
	var shards int
	for _, name := range got {
		switch {
		case name == "manifest.json":
		case strings.HasPrefix(name, "t-"):
			shards++
		default:
			t.Errorf("prefetching two words read %s", name)
		}
	}
	if shards == 0 || shards > 2 {
		t.Errorf("prefetching two words read %d shards (%v), want 1 or 2 of %d", shards, got, len(m.Shards))
	}
	if again := prefetch("connection timeout"); len(again) != 0 {
		t.Errorf("the same words again read %v", again)
	}
	if got := prefetch(`"connection timeout"`); !slices.ContainsFunc(got, func(n string) bool { return strings.HasPrefix(n, "p-") }) {
		t.Errorf("prefetching a phrase read %v, want its positions", got)
	}
	// A word still being typed waits until the terms it may grow into
	// lie in one shard; once a space ends it, it is fetched. A shard's
	// first letter begins terms of two shards: that one and the one
	// before it.
	_, size := utf8.DecodeRuneInString(m.Shards[2][0])
	letter := m.Shards[2][0][:size]
	if letter == m.Shards[2][0] {
		t.Fatalf("shard 2 begins with the one-letter term %q; the test needs a longer one", letter)
	}
	if got := prefetch(letter); len(got) != 0 {
		t.Errorf("prefetching the beginning %q read %v", letter, got)
	}
	if got := prefetch(letter + " "); len(got) != 1 || !strings.HasPrefix(got[0], "t-") {
		t.Errorf("prefetching the word %q read %v, want its shard", letter, got)
	}
	// Half-typed: an open quote, a bare operator.
	for _, text := range []string{`"connection tim`, "title:", "+", "(replica"} {
		for _, name := range prefetch(text) {
			if strings.HasPrefix(name, "docs/") || strings.HasPrefix(name, m.Docs) {
				t.Errorf("prefetching %q read the document %s", text, name)
			}
		}
	}
}

// libraryFS is testdata/library.txtar as a file system.
func libraryFS(t testing.TB) fstest.MapFS {
	t.Helper()
	ar, err := txtar.ParseFile("testdata/library.txtar")
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, f := range ar.Files {
		fsys[f.Name] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
	}
	return fsys
}

// TestBundleAnalysisMatchesBleve: the bundle analyses word by word, with
// a memo; the terms and positions must be the prose analyzer's.
func TestBundleAnalysisMatchesBleve(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Generate(dir, corpus.Options{Reviews: 20, Seed: 9}); err != nil {
		t.Fatal(err)
	}
	s, err := site.Load(context.Background(), os.DirFS(dir), site.Options{})
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"The team's RE-BALANCED Kafka’s brokers; İstanbul ΣΊΣΥΦΟΣ 東京の障害 don't ＇s it's K-8s"}
	for _, r := range s.Reviews {
		texts = append(texts, r.Title, r.Text())
	}
	a := newMapping().AnalyzerNamed(analyzerName)
	p, err := newBundlePart()
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range texts {
		var want, got []string
		for _, tok := range a.Analyze([]byte(text)) {
			want = append(want, fmt.Sprint(string(tok.Term), tok.Position))
		}
		b := []byte(text)
		scanWords(b, func(start, end, pos int) {
			if term := p.term(b[start:end]); term != "" {
				got = append(got, fmt.Sprint(term, pos))
			}
		})
		if !slices.Equal(got, want) {
			t.Errorf("%.50q: bundle %v\nbleve %v", text, got[:min(len(got), 20)], want[:min(len(want), 20)])
		}
	}
}

// TestBundleJSON: the hand-written document files are the JSON that
// encoding/json reads back to the same strings.
func TestBundleJSON(t *testing.T) {
	d := &document{Slug: "a-b", Title: "Quote \" and \\ and <tag> & é", Summary: "tab\there\nline\x01ctl\u2028sep",
		Headings: []string{"One", "Two \"2\""}, Body: "bad \xff utf-8", Date: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}
	var got struct {
		Slug, Title, URL, Date, Summary, Body string
		Headings                              []string
	}
	// Appended after what a reused buffer holds.
	b := d.appendBundleJSON([]byte("stale bytes"))
	if !bytes.HasPrefix(b, []byte("stale bytes{")) {
		t.Fatalf("appended %q", b)
	}
	b = b[len("stale bytes"):]
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	if got.Slug != d.Slug || got.Title != d.Title || got.Summary != d.Summary || got.URL != "/reviews/a-b/" || got.Date != "2024-01-02" ||
		!slices.Equal(got.Headings, d.Headings) || got.Body != "bad \ufffd utf-8" {
		t.Errorf("read back %+v", got)
	}
}

// TestStaticBundleWrittenOnceEqualsTwice: an output that renames (a
// folder on disk) gets each document written once, into a staging folder
// renamed at the end; the files are those of an output that cannot.
func TestStaticBundleWrittenOnceEqualsTwice(t *testing.T) {
	s := loadLibrary(t, nil)
	mem := &memOutput{files: map[string][]byte{}}
	if err := WriteStaticBundle(s, mem); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := WriteStaticBundle(s, publish.Dir(dir)); err != nil {
		t.Fatal(err)
	}
	onDisk := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		onDisk[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(onDisk) != len(mem.files) {
		t.Errorf("%d files on disk, %d in memory", len(onDisk), len(mem.files))
	}
	for name, data := range mem.files {
		if got, ok := onDisk[name]; !ok {
			t.Errorf("%s: not on disk", name)
		} else if string(got) != string(data) {
			t.Errorf("%s differs on disk", name)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "search/bundle/docs/staging")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the staging folder is left: %v", err)
	}
}
