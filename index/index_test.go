package index

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/blevesearch/bleve/v2"
	"golang.org/x/tools/txtar"

	"github.com/casebook/casebook/site"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// loadLibrary loads testdata/library.txtar, with edits applied to its
// files (a nil value removes a file).
func loadLibrary(t testing.TB, edits map[string]*string) *site.Site {
	t.Helper()
	ar, err := txtar.ParseFile("testdata/library.txtar")
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for _, f := range ar.Files {
		fsys[f.Name] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
	}
	for name, data := range edits {
		if data == nil {
			delete(fsys, name)
			continue
		}
		fsys[name] = &fstest.MapFile{Data: []byte(*data), Mode: 0o644}
	}
	s, err := site.Load(context.Background(), fsys, site.Options{Now: time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var (
	testIndexOnce sync.Once
	testIndex     *Index
	testIndexErr  error
)

// library is the index of the test library, built once.
func library(t testing.TB) *Index {
	t.Helper()
	s := loadLibrary(t, nil)
	testIndexOnce.Do(func() { testIndex, testIndexErr = Build(s) })
	if testIndexErr != nil {
		t.Fatal(testIndexErr)
	}
	return testIndex
}

// run parses a raw query string and searches.
func run(t testing.TB, ix *Index, raw string) *Result {
	t.Helper()
	v, err := url.ParseQuery(raw)
	if err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	q, err := ParseQuery(v, ix.Taxonomies())
	if err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	res, err := ix.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	return res
}

func slugs(res *Result) []string {
	s := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		s[i] = h.Slug
	}
	return s
}

// sameSet compares hit slugs ignoring order.
func sameSet(got, want []string) bool {
	g, w := slices.Clone(got), slices.Clone(want)
	slices.Sort(g)
	slices.Sort(w)
	return slices.Equal(g, w)
}

const (
	dns    = "2021-03-04-dns-outage"
	lag    = "2022-01-10-kafka-lag"
	ledger = "2022-06-01-ledger-lock"
	cert   = "2023-02-14-cert-expiry"
	storm  = "2023-09-09-retry-storm"
	flagR  = "2024-04-20-flag-rollout"
	upg    = "2025-01-05-kafka-upgrade"
)

var newestFirst = []string{upg, flagR, storm, cert, ledger, lag, dns}

func TestQueries(t *testing.T) {
	ix := library(t)
	tests := []struct {
		name, q string
		want    []string // exact hits, in order unless anyOrder
		total   int      // when different from len(want) (paging)
		set     bool     // compare as a set
		first   string   // the best hit, when only that is certain
	}{
		{name: "empty query lists newest first", q: "", want: newestFirst},
		{name: "star is everything", q: "q=*", want: newestFirst, set: true},
		{name: "word", q: "q=redis", want: []string{storm}},
		{name: "stemming", q: "q=evicting", want: []string{dns, storm}, set: true},
		{name: "phrase", q: `q="exclusive lock"`, want: []string{ledger}},
		{name: "phrase words apart do not match", q: `q="lock exclusive"`, want: []string{}},
		{name: "must and must not", q: "q=%2Bkafka -upgrade", want: []string{lag, storm}, set: true},
		{name: "must not alone", q: "q=-kafka", want: []string{dns, ledger, cert, flagR}, set: true},
		{name: "title field", q: "q=title:kafka", want: []string{lag, upg}, set: true},
		{name: "summary field", q: "q=summary:weekend", want: []string{cert}},
		{name: "taxonomy field folds aliases", q: "q=technologies:k8s", want: []string{dns, lag, cert}, set: true},
		{name: "taxonomy field by front-matter name", q: "q=contributing_factors:config-change", want: []string{lag, flagR}, set: true},
		{name: "severity field", q: "q=severity:sev1", want: []string{dns}},
		{name: "people field", q: "q=people:dana-frost", want: []string{storm, flagR}, set: true},
		{name: "date field range", q: `q=date:>="2024-01-01"`, want: []string{flagR, upg}, set: true},
		{name: "fuzzy", q: "q=certifcate~1", want: []string{cert}},
		{name: "fuzzy capped at 2", q: "q=redsi~9", first: storm},
		{name: "alias in free text", q: "q=k8s", want: []string{dns, lag, cert}, set: true},
		{name: "term title in free text", q: "q=postgresql", want: []string{ledger}},
		{name: "title boosted", q: "q=certificate", first: cert},
		{name: "prefix wildcard", q: "q=rebal*", want: []string{lag}},
		{name: "unicode", q: "q=zürich", want: []string{flagR}},
		{name: "draft and restricted never found", q: "q=zebra", want: []string{}},
		{name: "filter", q: "technologies=kafka", want: []string{upg, storm, lag}},
		{name: "filter alias", q: "technologies=MSK", want: []string{upg, storm, lag}},
		{name: "filter spelled as the front-matter field", q: "contributing_factors=Config+Change", want: []string{flagR, lag}},
		{name: "OR within a taxonomy", q: "technologies=redis&technologies=postgresql", want: []string{storm, ledger}},
		{name: "OR within a taxonomy, comma-separated", q: "technologies=redis,postgresql", want: []string{storm, ledger}},
		{name: "AND across taxonomies", q: "technologies=kafka&themes=capacity", want: []string{storm}},
		{name: "AND across with OR within", q: "technologies=kafka,coredns&themes=capacity", want: []string{storm, dns}},
		{name: "text and filter", q: "q=consumer&technologies=kubernetes", want: []string{lag}},
		{name: "unknown term matches nothing", q: "technologies=cobol", want: []string{}},
		{name: "date range inclusive", q: "from=2022-01-10&to=2023-02-14", want: []string{cert, ledger, lag}},
		{name: "date from only", q: "from=2024-04-20", want: []string{upg, flagR}},
		{name: "date to only", q: "to=2021-12-31", want: []string{dns}},
		// The index's dates end in 2262 and begin in 1677: a bound beyond
		// them is an open end, not a failure.
		{name: "date to far future", q: "to=9999-12-31", want: newestFirst},
		{name: "date from far past", q: "from=1500-01-01&to=2021-12-31", want: []string{dns}},
		{name: "page 1", q: "size=3", want: []string{upg, flagR, storm}, total: 7},
		{name: "page 2", q: "size=3&page=2", want: []string{cert, ledger, lag}, total: 7},
		{name: "page 3", q: "size=3&page=3", want: []string{dns}, total: 7},
		{name: "past the end", q: "size=3&page=9", want: []string{}, total: 7},
		{name: "stop word only", q: "q=the", want: []string{}},
		{name: "stop word in a must clause is ignored", q: "q=%2Bthe %2Bredis", want: []string{storm}},
		{name: "number", q: "q=100", want: []string{flagR}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := run(t, ix, tc.q)
			got := slugs(res)
			if tc.first != "" {
				if len(got) == 0 || got[0] != tc.first {
					t.Fatalf("%s: first hit %v, want %s", tc.q, got, tc.first)
				}
				return
			}
			ok := slices.Equal(got, tc.want)
			if tc.set {
				ok = sameSet(got, tc.want)
			}
			if !ok {
				t.Errorf("%s:\n got %v\nwant %v", tc.q, got, tc.want)
			}
			total := tc.total
			if total == 0 {
				total = len(tc.want)
			}
			if res.Total != total {
				t.Errorf("%s: total %d, want %d", tc.q, res.Total, total)
			}
		})
	}
}

func facetMap(res *Result, key string) map[string]int {
	m := map[string]int{}
	for _, f := range res.Facets[key] {
		m[f.Term] = f.Count
	}
	return m
}

func TestFacetsCountTheFilteredResult(t *testing.T) {
	ix := library(t)

	all := run(t, ix, "")
	if got := facetMap(all, "technologies"); got["kafka"] != 3 || got["kubernetes"] != 3 || got["redis"] != 1 {
		t.Errorf("technologies over everything: %v", got)
	}
	if len(all.Facets) != 4 {
		t.Errorf("want a facet list for each of the 4 taxonomies, got %v", all.Facets)
	}

	res := run(t, ix, "technologies=kafka")
	want := map[string]map[string]int{
		"technologies":         {"kafka": 3, "kubernetes": 1, "redis": 1, "go": 1},
		"services":             {"tracking": 1, "webhooks": 1},
		"contributing-factors": {"config-change": 1, "retry-storm": 1, "capacity-planning": 1, "dependency-upgrade": 1},
		"themes":               {"observability": 1, "capacity": 1, "data-integrity": 1},
	}
	for key, w := range want {
		if got := facetMap(res, key); !mapsEqual(got, w) {
			t.Errorf("%s facets over technologies=kafka:\n got %v\nwant %v", key, got, w)
		}
	}
	// Facets come most frequent first, with the term's display title.
	f := res.Facets["technologies"][0]
	if f.Term != "kafka" || f.Title != "Apache Kafka" || f.Count != 3 {
		t.Errorf("first technology facet = %+v", f)
	}

	// Text and a date range narrow the facets too.
	res = run(t, ix, "q=lock&from=2022-01-01&to=2022-12-31")
	if got := facetMap(res, "services"); !mapsEqual(got, map[string]int{"ledger": 1}) {
		t.Errorf("services facets over a text query: %v", got)
	}

	// An empty result has empty facet lists, not missing ones.
	res = run(t, ix, "technologies=cobol")
	for _, k := range []string{"services", "technologies", "contributing-factors", "themes"} {
		if l, ok := res.Facets[k]; !ok || l == nil || len(l) != 0 {
			t.Errorf("facets[%s] = %#v, want []", k, l)
		}
	}
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestHits(t *testing.T) {
	ix := library(t)
	res := run(t, ix, "q=script")
	if len(res.Hits) != 1 {
		t.Fatalf("hits %v", slugs(res))
	}
	h := res.Hits[0]
	if h.Slug != flagR || h.URL != "/reviews/"+flagR+"/" || h.Date != "2024-04-20" ||
		h.Title != "Feature flag rolled out to everyone at once" || h.Summary != "A percentage rollout was edited to 100% by mistake." {
		t.Errorf("hit = %+v", h)
	}
	if len(h.Fragments) == 0 {
		t.Fatal("no fragments")
	}
	frag := strings.Join(h.Fragments, " ")
	if !strings.Contains(frag, "&lt;<mark>script</mark>&gt;") || strings.Contains(frag, "<script") {
		t.Errorf("fragment is not escaped HTML with <mark>: %s", frag)
	}

	// No text, no fragments; but never null.
	res = run(t, ix, "technologies=flagd")
	if res.Hits[0].Fragments == nil || len(res.Hits[0].Fragments) != 0 {
		t.Errorf("fragments without text = %#v", res.Hits[0].Fragments)
	}

	// Matches in a heading only still give a fragment.
	res = run(t, ix, "q=headings:detection")
	if len(res.Hits) != 1 || len(res.Hits[0].Fragments) == 0 || !strings.Contains(res.Hits[0].Fragments[0], "<mark>Detection</mark>") {
		t.Errorf("heading fragments: %+v", res.Hits)
	}
}

func TestBadQueries(t *testing.T) {
	ix := library(t)
	h := NewHandler(func() *Index { return ix })
	for _, raw := range []string{
		"bogus=1",
		"q=a&q=b",
		"page=0",
		"page=-1",
		"page=abc",
		"page=101",
		"size=0",
		"size=21",
		"from=yesterday",
		"to=2024-13-01",
		"from=2024-02-01&to=2024-01-01",
		"q=" + strings.Repeat("a", MaxQueryBytes+1),
		`q="unterminated`,
		"q=nosuchfield:x",
		"q=nosuchfield:*",
		"q=%2B",
		"q=a~x",
		"q=/[/",
		"q=date:>%22not-a-date%22",
		"q=summary:>%222024-01-01%22",
		"q=%ff",
		"technologies=%ff",
		"technologies=" + strings.Repeat("x", MaxValueBytes+1),
		"technologies=" + strings.Repeat("a,", MaxFilterValues+1),
		"technologies=---",
		"q=%zz",
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/search?"+strings.ReplaceAll(raw, " ", "+"), nil))
		var body struct {
			Error string `json:"error"`
		}
		err := json.Unmarshal(rec.Body.Bytes(), &body)
		if rec.Code != http.StatusBadRequest || err != nil || body.Error == "" {
			t.Errorf("%.60s: status %d, body %.200s", raw, rec.Code, rec.Body)
		}
	}
}

func TestHandler(t *testing.T) {
	ix := library(t)
	h := NewHandler(func() *Index { return ix })
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "/api/search?q=x", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", rec.Code)
	}
	rec = httptest.NewRecorder()
	NewHandler(func() *Index { return nil }).ServeHTTP(rec, httptest.NewRequest("GET", "/api/search", nil))
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("no index: %d", rec.Code)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/search?q=kafka", nil))
	if ct := rec.Header().Get("Content-Type"); rec.Code != 200 || !strings.HasPrefix(ct, "application/json") {
		t.Errorf("status %d, content type %q", rec.Code, ct)
	}
	// The JSON has exactly the contract's keys.
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(rec.Body.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	if len(raw) != 3 || raw["total"] == nil || raw["hits"] == nil || raw["facets"] == nil {
		t.Errorf("top-level keys: %s", rec.Body)
	}
	var hits []map[string]json.RawMessage
	json.Unmarshal(raw["hits"], &hits)
	for _, hit := range hits {
		var keys []string
		for k := range hit {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if !slices.Equal(keys, []string{"date", "fragments", "slug", "summary", "title", "url"}) {
			t.Errorf("hit keys %v", keys)
		}
	}
}

// TestGolden pins one representative response byte for byte.
func TestGolden(t *testing.T) {
	ix := library(t)
	h := NewHandler(func() *Index { return ix })
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/search?q=consumer+lag&technologies=kafka&from=2020-01-01", nil))
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, rec.Body.Bytes(), "", "  "); err != nil {
		t.Fatal(err)
	}
	got := buf.Bytes()
	golden := filepath.Join("testdata", "golden", "search-consumer-lag.json")
	if *update {
		os.MkdirAll(filepath.Dir(golden), 0o755)
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./index -run Golden -update)", err)
	}
	if string(got) != string(want) {
		t.Errorf("response differs from %s (go test ./index -run Golden -update to accept):\n%s", golden, got)
	}
}

// A sync that fails part-way leaves the index trusting nothing it did:
// the next sync rebuilds from scratch, and then finds the change.
func TestSyncAfterAFailedSyncRebuilds(t *testing.T) {
	ix, err := Build(loadLibrary(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	retitled := strings.Replace(mustFile(t, "reviews/2023-09-09-retry-storm.md"), "Webhook retry storm overwhelmed Redis", "Webhook stampede overwhelmed Redis", 1)
	s2 := loadLibrary(t, map[string]*string{"reviews/2023-09-09-retry-storm.md": &retitled})

	syncDocs = func(bleve.Index, []*document, []string, int) error { return errors.New("disk full") }
	err = ix.Sync(s2)
	syncDocs = indexDocs
	if err == nil {
		t.Fatal("the failing sync succeeded")
	}
	if err := ix.Sync(s2); err != nil {
		t.Fatalf("the sync after a failed one: %v", err)
	}
	if ix.lastSync.indexed != ix.Len() {
		t.Errorf("the sync after a failed one indexed %d of %d reviews: it should rebuild", ix.lastSync.indexed, ix.Len())
	}
	if got := slugs(run(t, ix, "q=stampede")); !slices.Equal(got, []string{storm}) {
		t.Errorf("after the rebuild, q=stampede finds %v", got)
	}
}

func TestSync(t *testing.T) {
	ix, err := Build(loadLibrary(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()

	// Nothing changed: nothing re-indexed.
	if err := ix.Sync(loadLibrary(t, nil)); err != nil {
		t.Fatal(err)
	}
	if ix.lastSync != (syncStats{}) {
		t.Errorf("unchanged library re-indexed %+v", ix.lastSync)
	}

	retitled := strings.Replace(mustFile(t, "reviews/2023-09-09-retry-storm.md"), "Webhook retry storm overwhelmed Redis", "Webhook stampede overwhelmed Redis", 1)
	added := "---\ntitle: Quokka sighting in the data centre\ndate: 2025-11-11\ntechnologies: [kafka]\n---\nA quokka chewed a cable.\n"
	s2 := loadLibrary(t, map[string]*string{
		"reviews/2023-09-09-retry-storm.md": &retitled,
		"reviews/2025-11-11-quokka.md":      &added,
		"reviews/2021-03-04-dns-outage.md":  nil,
	})
	if err := ix.Sync(s2); err != nil {
		t.Fatal(err)
	}
	if want := (syncStats{indexed: 2, deleted: 1}); ix.lastSync != want {
		t.Errorf("sync %+v, want %+v", ix.lastSync, want)
	}
	if got := slugs(run(t, ix, "q=stampede")); !slices.Equal(got, []string{storm}) {
		t.Errorf("changed title: %v", got)
	}
	if got := slugs(run(t, ix, "q=title:storm")); len(got) != 0 {
		t.Errorf("old title still found: %v", got)
	}
	if got := slugs(run(t, ix, "q=quokka")); !slices.Equal(got, []string{"2025-11-11-quokka"}) {
		t.Errorf("added review: %v", got)
	}
	if got := slugs(run(t, ix, "q=checkout")); len(got) != 0 {
		t.Errorf("removed review still found: %v", got)
	}
	if res := run(t, ix, "technologies=kafka"); res.Total != 4 {
		t.Errorf("kafka total after sync = %d", res.Total)
	}
	if ix.Len() != 7 {
		t.Errorf("Len = %d", ix.Len())
	}

	// A change of taxonomies rebuilds with the new fields.
	cfg := "vocabulary:\n  technologies:\n    kubernetes: {aliases: [k8s, kube]}\ntaxonomies:\n  - key: technologies\n    title: Tech\n  - key: teams\n    field: teams\n"
	s3 := loadLibrary(t, map[string]*string{"casebook.yaml": &cfg})
	if err := ix.Sync(s3); err != nil {
		t.Fatal(err)
	}
	if got := ix.Taxonomies(); !slices.Equal(got, []string{"technologies", "teams"}) {
		t.Errorf("taxonomies after sync: %v", got)
	}
	if res := run(t, ix, "technologies=k8s"); res.Total != 3 {
		t.Errorf("after rebuild: %v", slugs(res))
	}
	if _, err := ParseQuery(url.Values{"themes": {"capacity"}}, ix.Taxonomies()); err == nil {
		t.Error("a removed taxonomy is still accepted")
	}
}

func mustFile(t *testing.T, name string) string {
	t.Helper()
	ar, err := txtar.ParseFile("testdata/library.txtar")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range ar.Files {
		if f.Name == name {
			return string(f.Data)
		}
	}
	t.Fatalf("no %s in the library", name)
	return ""
}

// TestSearchDuringSync runs searches while the index is synced, under
// the race detector.
func TestSearchDuringSync(t *testing.T) {
	ix, err := Build(loadLibrary(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	body := "---\ntitle: Changing\ndate: 2025-02-02\n---\nword %d\n"
	// Loaded here: loadLibrary may stop the test, which only its own
	// goroutine can do.
	var sites []*site.Site
	for i := range 10 {
		b := strings.Replace(body, "%d", string(rune('a'+i)), 1)
		sites = append(sites, loadLibrary(t, map[string]*string{"reviews/2025-02-02-changing.md": &b}))
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, s := range sites {
			if err := ix.Sync(s); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for {
		select {
		case <-done:
			return
		default:
			if res := run(t, ix, "q=kafka&technologies=kafka"); res.Total != 3 {
				t.Errorf("total %d during sync", res.Total)
			}
		}
	}
}

// An archive built on disk in batches and merged answers every query as
// the in-memory index does, and holds one segment.
func TestBuildArchive(t *testing.T) {
	defer func(n int) { archiveBatch = n }(archiveBatch)
	archiveBatch = 2 // several segments to merge, even in the small library
	var buf bytes.Buffer
	if err := BuildArchive(loadLibrary(t, nil), &buf); err != nil {
		t.Fatal(err)
	}
	fromArchive, err := OpenArchive(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	compareIndexes(t, library(t), fromArchive)
	segments, err := filepath.Glob(filepath.Join(fromArchive.tmpDir, "store", "*.zap"))
	if err != nil || len(segments) != 1 {
		t.Errorf("segments in the archive: %v (%v), want one", segments, err)
	}
	if err := fromArchive.Sync(loadLibrary(t, nil)); err == nil {
		t.Error("Sync of a read-only index succeeded")
	}
	tmp := fromArchive.tmpDir
	if err := fromArchive.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Errorf("Close left %s behind", tmp)
	}
	if _, err := OpenArchive(nil); err != ErrNoArchive {
		t.Errorf("empty archive: %v", err)
	}
	if _, err := OpenArchive([]byte("not an archive")); err == nil {
		t.Error("garbage archive opened")
	}
}

func compareIndexes(t *testing.T, a, b *Index) {
	t.Helper()
	for _, q := range []string{"", "q=kafka", `q="exclusive lock"`, "technologies=k8s&q=certificate", "q=script", "from=2023-01-01&size=2&page=2"} {
		ra, rb := run(t, a, q), run(t, b, q)
		ja, _ := MarshalResult(ra)
		jb, _ := MarshalResult(rb)
		if string(ja) != string(jb) {
			t.Errorf("%s differs:\n%s\n%s", q, ja, jb)
		}
	}
}

func TestTimeoutIsABadQuery(t *testing.T) {
	ix := library(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	// A cancelled caller gets its own error back, not a 400.
	if _, err := ix.Search(ctx, Query{Text: "kafka"}); err == nil || IsQueryError(err) {
		t.Errorf("cancelled: %v", err)
	}

	// A search that cannot finish by the deadline (here: every slot is
	// taken by searches that never end) is answered at the deadline, as
	// a query the reader can change, and the handler says 400.
	// ix is shared by the package's tests: put it back as it was.
	ix.timeout = 50 * time.Millisecond
	for range cap(ix.sem) {
		ix.sem <- struct{}{}
	}
	defer func() {
		ix.timeout = 0
		for range cap(ix.sem) {
			<-ix.sem
		}
	}()
	start := time.Now()
	_, err := ix.Search(context.Background(), Query{Text: "kafka"})
	if !IsQueryError(err) || !strings.Contains(err.Error(), "took longer than 50ms") {
		t.Errorf("past the deadline: %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("answered after %s, want about 50ms", d)
	}
	rec := httptest.NewRecorder()
	NewHandler(func() *Index { return ix }).ServeHTTP(rec, httptest.NewRequest("GET", "/api/search?q=kafka", nil))
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "took longer") {
		t.Errorf("handler past the deadline: %d %s", rec.Code, rec.Body.String())
	}
}

// A caller that builds url.Values itself may leave a name with no value:
// that is an empty parameter, not a panic.
func TestParseQueryEmptyValues(t *testing.T) {
	q, err := ParseQuery(url.Values{"q": {}, "page": {}}, nil)
	if err != nil || q.Text != "" {
		t.Errorf("got %+v, %v; want an empty query", q, err)
	}
}
