// Package corpus writes deterministic synthetic review libraries, large
// enough to benchmark and stress the builder and varied enough to exercise
// every part of the library contract (taxonomies, aliases, people, timelines,
// follow-ups, cross-references and training paths).
package corpus

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options controls the size and shape of a generated library. Zero values
// select the defaults, so Options{Reviews: n} is a sensible call.
type Options struct {
	Reviews    int   // number of review files; must be at least 1
	Seed       int64 // same seed and options give byte-identical output
	Words      int   // approximate words per review body; default 850
	CodeBlocks int   // fenced code blocks per review; default 2, negative for none
}

const (
	defaultWords      = 850
	defaultCodeBlocks = 2
	numPeople         = 400
	profileEvery      = 8 // every 8th of 400 people gets a profile: 50 profiles
)

var (
	firstDay = time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC)
	lastDay  = time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	spanDays = int64(lastDay.Sub(firstDay).Hours() / 24)
)

// Generate writes a library to dir. dir must be missing or empty: stale files
// from an earlier, larger run would otherwise silently join the library and
// break the same-options-same-bytes promise.
func Generate(dir string, opts Options) error {
	if opts.Reviews < 1 {
		return fmt.Errorf("corpus: need at least one review, got %d", opts.Reviews)
	}
	if opts.Words <= 0 {
		opts.Words = defaultWords
	}
	switch {
	case opts.CodeBlocks == 0:
		opts.CodeBlocks = defaultCodeBlocks
	case opts.CodeBlocks < 0:
		opts.CodeBlocks = 0
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("corpus: %s is not empty", dir)
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("corpus: %w", err)
	}
	for _, sub := range []string{"reviews", "paths", "people"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return fmt.Errorf("corpus: %w", err)
		}
	}
	g := &generator{
		opts:    opts,
		svc:     newZipf(len(services), 1.05),
		tech:    newZipf(len(technologies), 1.1),
		factor:  newZipf(len(contributingFactors), 1.0),
		theme:   newZipf(len(themes), 0.9),
		people:  newZipf(numPeople, 0.8),
		aliased: map[string]bool{},
	}
	for _, k := range aliasKeys {
		g.aliased[k] = true
	}
	if err := os.WriteFile(filepath.Join(dir, "casebook.yaml"), g.settings(), 0o644); err != nil {
		return fmt.Errorf("corpus: %w", err)
	}
	if err := g.writeReviews(dir); err != nil {
		return err
	}
	if err := g.writePaths(dir); err != nil {
		return err
	}
	return g.writePeople(dir)
}

type generator struct {
	opts                             Options
	svc, tech, factor, theme, people *zipf
	aliased                          map[string]bool // read-only after setup
}

// rng gives every review (and every other file) its own stream derived from
// the seed, so reviews can be generated in parallel and in any order while
// the bytes stay the same.
func (g *generator) rng(stream uint64) *rand.Rand {
	s := uint64(g.opts.Seed)
	return rand.New(rand.NewPCG(splitmix(s^0x5eed), splitmix(stream+0x9e3779b97f4a7c15*(s+1))))
}

// splitmix scrambles nearby integers into unrelated PCG seeds; seeding PCG
// with consecutive review numbers directly would give correlated streams.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

const (
	streamPaths  = 1 << 62
	streamPeople = 1<<62 + 1
)

// day is a pure function of the review number so that any review can name
// the slug of an earlier one without generating it, and so that "earlier in
// generation order" also means "earlier in time".
func (g *generator) day(i int) time.Time {
	return firstDay.AddDate(0, 0, int(int64(i)*spanDays/int64(g.opts.Reviews)))
}

// Slug returns the slug of the i-th (0-based) review of a library with n reviews.
func Slug(i, n int) string {
	g := generator{opts: Options{Reviews: n}}
	return g.slug(i)
}

func (g *generator) slug(i int) string {
	return fmt.Sprintf("%s-synthetic-review-%05d", g.day(i).Format("2006-01-02"), i+1)
}

func personID(p int) string {
	// (p%40, (3*(p/40)+p%40)%40) is a bijection onto distinct name pairs
	// for p < 400 because 3 is invertible mod 40.
	a := p % len(firstNames)
	b := (3*(p/len(firstNames)) + a) % len(lastNames)
	return firstNames[a] + "-" + lastNames[b]
}

func personName(p int) string {
	a := p % len(firstNames)
	b := (3*(p/len(firstNames)) + a) % len(lastNames)
	return capitalize(firstNames[a]) + " " + capitalize(lastNames[b])
}

// zipf draws ranks with probability proportional to 1/(rank+1)^s. A
// cumulative table is shared read-only by all workers, unlike rand.Zipf,
// which is bound to one *rand.Rand.
type zipf struct{ cdf []float64 }

func newZipf(n int, s float64) *zipf {
	z := &zipf{cdf: make([]float64, n)}
	total := 0.0
	for k := range n {
		total += 1 / math.Pow(float64(k+1), s)
		z.cdf[k] = total
	}
	for k := range z.cdf {
		z.cdf[k] /= total
	}
	return z
}

func (z *zipf) draw(r *rand.Rand) int {
	k := sort.SearchFloat64s(z.cdf, r.Float64())
	if k >= len(z.cdf) {
		k = len(z.cdf) - 1
	}
	return k
}

// distinct draws k different ranks, in draw order.
func (z *zipf) distinct(r *rand.Rand, k int) []int {
	if k > len(z.cdf) {
		k = len(z.cdf)
	}
	out := make([]int, 0, k)
	for len(out) < k {
		v := z.draw(r)
		if !containsInt(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func containsInt(xs []int, v int) bool {
	for _, x := range xs {
		if x == v {
			return true
		}
	}
	return false
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// between returns an int in [lo, hi].
func between(r *rand.Rand, lo, hi int) int { return lo + r.IntN(hi-lo+1) }

func (g *generator) settings() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "title: Synthetic incident library\n")
	fmt.Fprintf(&b, "# Generated by casebook-corpus: %d reviews, seed %d, %d words, %d code blocks.\n",
		g.opts.Reviews, g.opts.Seed, g.opts.Words, g.opts.CodeBlocks)
	b.WriteString("baseURL: https://incidents.example.com/\n")
	b.WriteString("repo: https://example.com/synthetic/incident-reviews\n")
	b.WriteString("timezone: UTC\n")
	b.WriteString("severities: [SEV1, SEV2, SEV3, SEV4]\n")
	b.WriteString("vocabulary:\n  technologies:\n")
	titles := map[string]string{
		"kubernetes": "Kubernetes", "postgresql": "PostgreSQL", "elasticsearch": "Elasticsearch",
		"node.js": "Node.js", "github-actions": "GitHub Actions",
	}
	for _, k := range aliasKeys {
		fmt.Fprintf(&b, "    %s: {title: %s, aliases: [%s], description: %s}\n",
			k, titles[k], strings.Join(aliases[k], ", "), yamlQuote("Shared "+titles[k]+" used by many services."))
	}
	b.WriteString("  contributing_factors:\n")
	b.WriteString("    config-change: {title: Configuration change, aliases: [config-push, configuration], description: \"A change to configuration rather than code.\"}\n")
	b.WriteString("    deploy: {title: Deploy, aliases: [deployment, release]}\n")
	b.WriteString("  themes:\n")
	b.WriteString("    change-management: {title: Change management, description: \"How changes reach production safely.\"}\n")
	b.WriteString("    observability: {title: Observability, aliases: [monitoring]}\n")
	return b.Bytes()
}

func (g *generator) writeReviews(dir string) error {
	workers := min(runtime.GOMAXPROCS(0), g.opts.Reviews)
	var (
		wg       sync.WaitGroup
		failed   atomic.Bool
		errOnce  sync.Once
		firstErr error
	)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			for i := w; i < g.opts.Reviews && !failed.Load(); i += workers {
				buf.Reset()
				g.review(&buf, i)
				name := filepath.Join(dir, "reviews", g.slug(i)+".md")
				if err := os.WriteFile(name, buf.Bytes(), 0o644); err != nil {
					errOnce.Do(func() { firstErr = fmt.Errorf("corpus: %w", err) })
					failed.Store(true)
				}
			}
		}()
	}
	wg.Wait()
	return firstErr
}

// reviewFacts are the facts one review's front matter and body share.
type reviewFacts struct {
	services, techs, factors, themes []string
	responders                       []int
	investigator                     int
	started, detected, resolved      time.Time
	followUps                        []followUp
	cause                            string // what the title blames; the timeline agrees
}

type followUp struct {
	title, owner, status string
	due                  time.Time
}

func (g *generator) review(b *bytes.Buffer, i int) {
	r := g.rng(uint64(i))
	f := reviewFacts{}
	for _, k := range g.svc.distinct(r, between(r, 1, 2)) {
		f.services = append(f.services, services[k])
	}
	for _, k := range g.tech.distinct(r, between(r, 1, 4)) {
		f.techs = append(f.techs, technologies[k])
	}
	for _, k := range g.factor.distinct(r, between(r, 1, 3)) {
		f.factors = append(f.factors, contributingFactors[k])
	}
	for _, k := range g.theme.distinct(r, between(r, 1, 2)) {
		f.themes = append(f.themes, themes[k])
	}
	f.responders = g.people.distinct(r, between(r, 1, 4))
	f.investigator = g.people.draw(r)

	day := g.day(i)
	f.started = day.Add(time.Duration(between(r, 0, 17*60+59)) * time.Minute)
	f.detected = f.started.Add(time.Duration(between(r, 2, 60)) * time.Minute)
	f.resolved = f.detected.Add(time.Duration(between(r, 15, 360)) * time.Minute)
	for range weighted(r, []int{30, 25, 20, 15, 10}) {
		st := pick(r, []string{"done", "done", "done", "open", "open", "in-progress", "in-progress", "wont-do"})
		f.followUps = append(f.followUps, followUp{
			title:  pick(r, followUpVerbs) + " the " + pick(r, nouns) + " in " + pick(r, f.services),
			owner:  personID(g.people.draw(r)),
			status: st,
			due:    day.AddDate(0, 0, between(r, 7, 120)),
		})
	}

	f.cause = pick(r, titleCauses)
	svc, symptom, cause := f.services[0], pick(r, titleSymptoms), f.cause
	title := fmt.Sprintf("%s %s after %s %s", capitalize(svc), symptom, f.techs[0], cause)
	summary := fmt.Sprintf("%s saw %s for %d minutes after %s %s. %s",
		capitalize(svc), symptom, int(f.resolved.Sub(f.started).Minutes()), f.techs[0], cause, g.sentence(r, &f))

	// Front matter, keys in a fixed order.
	b.WriteString("---\n")
	fmt.Fprintf(b, "title: %s\n", yamlQuote(title))
	fmt.Fprintf(b, "date: %s\n", day.Format("2006-01-02"))
	fmt.Fprintf(b, "summary: %s\n", yamlQuote(summary))
	fmt.Fprintf(b, "severity: SEV%d\n", 1+weighted(r, []int{5, 20, 45, 30}))
	// Only some reviews record precise times, and in both accepted forms.
	switch r.IntN(5) {
	case 0, 1:
		fmt.Fprintf(b, "started: %s\ndetected: %s\nresolved: %s\n",
			f.started.Format(time.RFC3339), f.detected.Format(time.RFC3339), f.resolved.Format(time.RFC3339))
	case 2:
		const short = "2006-01-02 15:04"
		fmt.Fprintf(b, "started: %q\ndetected: %q\nresolved: %q\n",
			f.started.Format(short), f.detected.Format(short), f.resolved.Format(short))
	}
	writeList(b, "services", f.services)
	writeList(b, "technologies", g.spell(r, f.techs))
	writeList(b, "contributing_factors", f.factors)
	writeList(b, "themes", f.themes)
	writeList(b, "responders", idsOf(f.responders))
	writeList(b, "investigators", []string{personID(f.investigator)})
	if len(f.followUps) > 0 {
		b.WriteString("follow_ups:\n")
		for _, fu := range f.followUps {
			fmt.Fprintf(b, "  - title: %s\n    owner: %s\n    status: %s\n    due: %s\n",
				yamlQuote(fu.title), fu.owner, fu.status, fu.due.Format("2006-01-02"))
		}
	}
	if i > 0 {
		var rel []string
		for _, j := range g.earlier(r, i, weighted(r, []int{50, 30, 20})) {
			rel = append(rel, g.slug(j))
		}
		if len(rel) > 0 {
			b.WriteString("related:\n")
			for _, s := range rel {
				fmt.Fprintf(b, "  - %s\n", s)
			}
		}
	}
	b.WriteString("---\n\n")
	g.body(b, r, i, &f)
}

// earlier picks up to k distinct reviews before i, mostly recent ones,
// because that is what authors remember and link to.
func (g *generator) earlier(r *rand.Rand, i, k int) []int {
	k = min(k, i)
	out := make([]int, 0, k)
	for len(out) < k {
		var j int
		if r.IntN(2) == 0 {
			j = i - 1 - r.IntN(min(i, 50))
		} else {
			j = r.IntN(i)
		}
		if !containsInt(out, j) {
			out = append(out, j)
		}
	}
	sort.Ints(out)
	return out
}

// spell writes some technologies the way people type them (an alias, or
// capitalised) so the builder's term folding has work to do.
func (g *generator) spell(r *rand.Rand, terms []string) []string {
	out := make([]string, len(terms))
	for k, t := range terms {
		out[k] = t
		switch n := r.IntN(20); {
		case n < 3 && g.aliased[t]:
			out[k] = pick(r, aliases[t])
		case n == 3:
			out[k] = capitalize(t)
		}
	}
	return out
}

func idsOf(ps []int) []string {
	out := make([]string, len(ps))
	for k, p := range ps {
		out[k] = personID(p)
	}
	return out
}

// weighted returns an index into ws chosen with probability ws[k]/sum(ws).
func weighted(r *rand.Rand, ws []int) int {
	total := 0
	for _, w := range ws {
		total += w
	}
	n := r.IntN(total)
	for k, w := range ws {
		if n < w {
			return k
		}
		n -= w
	}
	return len(ws) - 1
}

func writeList(b *bytes.Buffer, key string, vals []string) {
	b.WriteString(key)
	b.WriteString(": [")
	for k, v := range vals {
		if k > 0 {
			b.WriteString(", ")
		}
		b.WriteString(yamlScalar(v))
	}
	b.WriteString("]\n")
}

// yamlScalar leaves ordinary terms plain, as a person would write them, and
// quotes anything a YAML parser could read as something other than a string.
func yamlScalar(s string) string {
	switch strings.ToLower(s) {
	case "", "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~":
		return yamlQuote(s)
	}
	for k, c := range s {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || (k > 0 && (c >= '0' && c <= '9' || strings.ContainsRune(".-_+/", c)))
		if !ok {
			return yamlQuote(s)
		}
	}
	return s
}

func yamlQuote(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"`
}

func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
