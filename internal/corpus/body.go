package corpus

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// part is one block of a review body: either fixed text (headings, code,
// timeline, lists) or a prose paragraph whose length is decided once the
// fixed text has been counted, so the body lands on the word budget.
type part struct {
	text  string
	slot  bool
	words int
}

var extraSections = []string{"Detection", "Analysis", "What went well", "What was difficult"}

var codeLangs = []string{"go", "yaml", "bash", "sql"}

func (g *generator) body(b *bytes.Buffer, r *rand.Rand, i int, f *reviewFacts) {
	slot := func() part { return part{slot: true} }
	lit := func(s string) part { return part{text: s} }

	type section struct {
		heading string
		parts   []part
		hosts   bool // may hold code blocks and the cross-reference
	}
	secs := []section{
		{heading: "Summary", parts: []part{slot()}},
		{heading: "Impact", parts: []part{slot()}, hosts: true},
		{heading: "Timeline", parts: []part{lit(g.timeline(r, f)), slot()}},
		{heading: "Contributing factors", parts: []part{slot(), slot()}, hosts: true},
	}
	if r.IntN(3) > 0 {
		secs[1].parts = append(secs[1].parts, slot())
	}
	for _, k := range r.Perm(len(extraSections))[:r.IntN(3)] {
		secs = append(secs, section{heading: extraSections[k], parts: []part{slot()}, hosts: true})
	}
	secs = append(secs, section{heading: "Follow-ups", parts: []part{slot(), lit(g.followUpList(f))}})

	var hosts []int
	for k, s := range secs {
		if s.hosts {
			hosts = append(hosts, k)
		}
	}
	// Code goes after a section's first paragraph, as it would in a review
	// that quotes the offending config or query.
	offset := r.IntN(len(hosts))
	for k := range g.opts.CodeBlocks {
		s := &secs[hosts[(offset+k)%len(hosts)]]
		code := lit(g.codeBlock(r, f, codeLangs[(i+k)%len(codeLangs)]))
		s.parts = append(s.parts[:1], append([]part{code}, s.parts[1:]...)...)
	}
	if i > 0 && r.IntN(5) == 0 {
		j := g.earlier(r, i, 1)[0]
		text := pick(r, []string{"see earlier", "a similar incident", "the last time this happened", "an earlier review"})
		s := &secs[hosts[r.IntN(len(hosts))]]
		s.parts = append(s.parts, lit(fmt.Sprintf("This looked a lot like [%s](%s.md), and the same %s was involved.", text, g.slug(j), pick(r, nouns))))
	}

	// Share out the prose budget. Headings, code and lists count as words
	// because a reader (and a word counter) sees them too.
	fixed, slots := 0, 0
	for _, s := range secs {
		fixed += 1 + wordCount(s.heading)
		for _, p := range s.parts {
			if p.slot {
				slots++
			} else {
				fixed += wordCount(p.text)
			}
		}
	}
	target := int(float64(g.opts.Words) * (0.93 + 0.14*r.Float64()))
	prose := max(target-fixed, slots*4)
	weights := make([]float64, slots)
	sum := 0.0
	for k := range weights {
		weights[k] = 0.6 + 0.8*r.Float64()
		sum += weights[k]
	}
	k, given := 0, 0
	for si := range secs {
		for pi := range secs[si].parts {
			p := &secs[si].parts[pi]
			if !p.slot {
				continue
			}
			if k == slots-1 {
				p.words = prose - given
			} else {
				p.words = max(1, int(float64(prose)*weights[k]/sum))
			}
			given += p.words
			k++
		}
	}

	for _, s := range secs {
		fmt.Fprintf(b, "## %s\n\n", s.heading)
		for _, p := range s.parts {
			if p.slot {
				g.paragraph(b, r, f, p.words)
				b.WriteString("\n\n")
			} else {
				b.WriteString(p.text)
				b.WriteString("\n\n")
			}
		}
	}
	// One trailing newline, not two, like a file saved by an editor.
	b.Truncate(b.Len() - 1)
}

func wordCount(s string) int {
	n, in := 0, false
	for i := 0; i < len(s); i++ {
		space := s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r'
		if !space && !in {
			n++
		}
		in = !space
	}
	return n
}

// paragraph writes exactly n words of prose, ending with a short stock
// sentence of the right length rather than a truncated one.
func (g *generator) paragraph(b *bytes.Buffer, r *rand.Rand, f *reviewFacts, n int) {
	first := true
	for n > 0 {
		var s string
		if n <= 6 {
			s, n = pick(r, fillers[n]), 0
		} else {
			s = g.sentence(r, f)
			w := wordCount(s)
			if w > n {
				s, w = pick(r, fillers[6]), 6
			}
			n -= w
		}
		if !first {
			b.WriteByte(' ')
		}
		b.WriteString(s)
		first = false
	}
}

func (g *generator) sentence(r *rand.Rand, f *reviewFacts) string {
	// Patterns 8 and 10 repeat the review's few factors and themes, so they
	// are drawn far less often than the rest to keep paragraphs varied.
	k := r.IntN(22)
	if k >= 12 {
		k = []int{0, 1, 2, 3, 4, 5, 6, 7, 9, 11}[k-12]
	}
	switch k {
	case 0:
		return fmt.Sprintf("%s %s the %s %s the %s %s.", capitalize(pick(r, subjects)), pick(r, verbs), pick(r, nouns), pick(r, preps), pick(r, adjectives), pick(r, nouns))
	case 1:
		return fmt.Sprintf("The %s %s %s the %s on %s.", pick(r, adjectives), pick(r, nouns), pick(r, verbs), pick(r, nouns), pick(r, f.services))
	case 2:
		return fmt.Sprintf("%s %s %s the %s %s.", pick(r, connectors), pick(r, subjects), pick(r, verbs), pick(r, nouns), pick(r, adverbs))
	case 3:
		return fmt.Sprintf("%s found that the %s in %s was %s.", capitalize(pick(r, subjects)), pick(r, nouns), pick(r, f.techs), pick(r, adjectives))
	case 4:
		return fmt.Sprintf("Requests to %s were %s %s the %s %s.", pick(r, f.services), pick(r, verbs), pick(r, preps), pick(r, adjectives), pick(r, nouns))
	case 5:
		return fmt.Sprintf("%s the %s was %s and the %s was %s.", pick(r, connectors), pick(r, nouns), pick(r, adjectives), pick(r, nouns), pick(r, adjectives))
	case 6:
		return fmt.Sprintf("%s %s the %s, but the %s stayed %s.", capitalize(pick(r, subjects)), pick(r, verbs), pick(r, nouns), pick(r, nouns), pick(r, adjectives))
	case 7:
		return fmt.Sprintf("We did not expect %s to behave this way when the %s was %s.", pick(r, f.techs), pick(r, nouns), pick(r, adjectives))
	case 8:
		return fmt.Sprintf("We count %s as a contributing factor because the %s %s %s.", pick(r, f.factors), pick(r, nouns), pick(r, verbs), pick(r, adverbs))
	case 9:
		return fmt.Sprintf("The `%s` %s %s the %s **%s**.", pick(r, f.techs), pick(r, nouns), pick(r, verbs), pick(r, nouns), pick(r, adverbs))
	case 10:
		return fmt.Sprintf("This is a %s story as much as %s one.", pick(r, f.themes), article(pick(r, nouns)))
	default:
		return fmt.Sprintf("The %s %s %s %s the %s.", pick(r, nouns), pick(r, preps), pick(r, f.services), pick(r, verbs), pick(r, nouns))
	}
}

func (g *generator) timeline(r *rand.Rand, f *reviewFacts) string {
	n := between(r, 5, 10)
	kinds := []string{"trigger", "detection"}
	for range n - 3 {
		kinds = append(kinds, pick(r, kindsMiddle))
	}
	kinds = append(kinds, "repair")

	var b strings.Builder
	b.WriteString("```timeline\n")
	span := f.resolved.Sub(f.detected)
	var prev time.Time
	for k, kind := range kinds {
		var t time.Time
		switch k {
		case 0:
			t = f.started
		case 1:
			t = f.detected
		default:
			t = f.detected.Add(span * time.Duration(k-1) / time.Duration(n-2)).Truncate(time.Minute)
		}
		// The date is repeated whenever the incident crosses midnight, as
		// the format requires.
		if k == 0 || t.YearDay() != prev.YearDay() {
			b.WriteString(t.Format("2006-01-02 15:04"))
		} else {
			b.WriteString(t.Format("15:04"))
		}
		prev = t
		fmt.Fprintf(&b, " | %s | %s\n", kind, g.event(r, f, kind))
	}
	b.WriteString("```")
	return b.String()
}

func (g *generator) event(r *rand.Rand, f *reviewFacts, kind string) string {
	who := "@" + personID(f.responders[r.IntN(len(f.responders))])
	switch kind {
	case "trigger":
		return fmt.Sprintf("The %s %s hit %s while %s was on call", f.techs[0], f.cause, f.services[0], who)
	case "detection":
		return fmt.Sprintf("%s was paged for %s on %s", who, pick(r, titleSymptoms), pick(r, f.services))
	case "communication":
		return fmt.Sprintf("%s posted an update in the incident channel", who)
	case "repair":
		return fmt.Sprintf("%s %s the %s and %s recovered", who, pick(r, []string{"rolled back", "reverted", "patched", "restarted", "scaled"}), pick(r, nouns), pick(r, f.services))
	}
	if r.IntN(4) == 0 {
		return fmt.Sprintf("The %s %s %s", pick(r, nouns), pick(r, verbs), pick(r, adverbs))
	}
	return fmt.Sprintf("%s %s the %s in `%s`", who, pick(r, verbs), pick(r, nouns), pick(r, f.techs))
}

func (g *generator) followUpList(f *reviewFacts) string {
	if len(f.followUps) == 0 {
		return "No follow-ups were filed; the existing alerts and runbooks covered this."
	}
	var b strings.Builder
	for k, fu := range f.followUps {
		if k > 0 {
			b.WriteByte('\n')
		}
		box, title := "[ ]", fu.title
		switch fu.status {
		case "done":
			box = "[x]"
		case "wont-do":
			title = "~~" + title + "~~"
		}
		fmt.Fprintf(&b, "- %s %s (@%s, due %s)", box, title, fu.owner, fu.due.Format("2006-01-02"))
	}
	return b.String()
}

func (g *generator) codeBlock(r *rand.Rand, f *reviewFacts, lang string) string {
	n := between(r, 6, 15)
	svc := pick(r, f.services)
	ns := strings.SplitN(svc, "-", 2)[0]
	var lines []string
	switch lang {
	case "go":
		pool := []string{
			"\tctx, cancel := context.WithTimeout(ctx, 2*time.Second)",
			"\tdefer cancel()",
			"\tresp, err := c.Do(ctx, req)",
			"\tif err != nil { return fmt.Errorf(\"call %s: %w\", c.name, err) }",
			"\tmetrics.Inc(\"retries_total\")",
			"\ttime.Sleep(backoff(attempt)) // no jitter: every client retried in lockstep",
			"\tpool.SetMaxConns(64) // was 512 before the incident",
			"\tlog.Printf(\"pool size %d, waiting %d\", pool.Size(), pool.Waiting())",
			"\tif resp.StatusCode >= 500 { continue }",
			"\tcache.Invalidate(key)",
			"\t// The timeout below is shorter than the upstream's, so we gave up first.",
			"\treturn nil",
		}
		lines = append(lines, fmt.Sprintf("func call%s(ctx context.Context, c *Client, req *Request) error {", capitalize(ns)))
		lines = append(lines, draw(r, pool, n-2)...)
		lines = append(lines, "}")
	case "yaml":
		pool := []string{
			"replicas: %d", "maxSurge: 25%", "timeoutSeconds: %d", "retries: %d",
			"poolSize: %d", "memoryLimit: %dMi", "# raised after the incident", "cacheTTL: %ds",
			"failureThreshold: %d", "rateLimitPerSecond: %d", "drainSeconds: %d",
			"minReplicas: %d", "maxConnections: %d", "readTimeoutMs: %d", "queueDepth: %d",
		}
		lines = append(lines, "service: "+svc)
		for _, line := range draw(r, pool, n-1) {
			if strings.Contains(line, "%d") {
				line = fmt.Sprintf(line, between(r, 1, 512))
			} else {
				line = strings.ReplaceAll(line, "%%", "%")
			}
			lines = append(lines, line)
		}
	case "bash":
		pool := []string{
			"kubectl -n %[1]s rollout undo deployment/%[2]s",
			"kubectl -n %[1]s get pods -l app=%[2]s -o wide",
			"kubectl -n %[1]s logs deploy/%[2]s --since=15m | grep -c timeout",
			"curl -sS -o /dev/null -w '%%{http_code}\\n' https://%[2]s.internal/healthz",
			"psql \"$DATABASE_URL\" -c 'select count(*) from pg_stat_activity'",
			"dig +short %[2]s.internal",
			"openssl s_client -connect %[2]s.internal:443 </dev/null | openssl x509 -noout -enddate",
			"df -h /var/lib/%[1]s",
			"journalctl -u %[2]s --since '-30 min' | tail -n 50",
			"# this is the command that fixed it",
		}
		for _, l := range draw(r, pool, n) {
			lines = append(lines, expand(l, ns, svc))
		}
	case "sql":
		pool := []string{
			"  AND created_at > now() - interval '1 hour'",
			"  AND state = 'pending'",
			"  AND region = 'eu-west-1'",
			"  -- this filter was missing, so the query scanned the whole table",
			"  AND retries > 3",
			"  AND shard_id IN (3, 7, 11)",
			"  AND deleted_at IS NULL",
		}
		table := strings.ReplaceAll(ns, "-", "_")
		lines = append(lines, "SELECT id, state, created_at", "FROM "+table, "WHERE true")
		lines = append(lines, draw(r, pool, n-5)...)
		lines = append(lines, "ORDER BY created_at DESC", "LIMIT 100;")
	}
	return "```" + lang + "\n" + strings.Join(lines, "\n") + "\n```"
}

// draw picks k lines from pool, repeating one only once all have been used,
// because a snippet with the same line twice in a row reads as a bug.
func draw(r *rand.Rand, pool []string, k int) []string {
	var out []string
	for len(out) < k {
		for _, j := range r.Perm(len(pool)) {
			if len(out) == k {
				break
			}
			out = append(out, pool[j])
		}
	}
	return out
}

func article(noun string) string {
	if strings.ContainsRune("aeiou", rune(noun[0])) {
		return "an " + noun
	}
	return "a " + noun
}

var pathSpecs = []struct{ file, title, audience, summary string }{
	{"first-week-on-call", "First week on call", "Engineers joining the on-call rotation",
		"Reviews that show how incidents start, how we notice them and how we talk about them."},
	{"how-changes-break-things", "How changes break things", "Anyone who ships to production",
		"Config pushes, deploys and migrations that went wrong, and what caught them."},
	{"databases-under-pressure", "Databases under pressure", "Backend engineers",
		"Connection pools, replication lag and slow queries, in the order we met them."},
}

func (g *generator) writePaths(dir string) error {
	r := g.rng(streamPaths)
	f := &reviewFacts{services: services[:5], techs: technologies[:5], factors: contributingFactors[:5], themes: themes[:5]}
	for _, spec := range pathSpecs {
		steps := r.Perm(g.opts.Reviews)[:min(5, g.opts.Reviews)]
		// Chronological order, so a reader meets the older incident first.
		sort.Ints(steps)
		var b bytes.Buffer
		fmt.Fprintf(&b, "---\ntitle: %s\naudience: %s\nsummary: %s\nsteps:\n", yamlQuote(spec.title), yamlQuote(spec.audience), yamlQuote(spec.summary))
		for k, s := range steps {
			fmt.Fprintf(&b, "  - review: %s\n", g.slug(s))
			if k%2 == 0 {
				fmt.Fprintf(&b, "    note: %s\n", yamlQuote(g.sentence(r, f)))
			}
			if k%3 != 2 {
				fmt.Fprintf(&b, "    questions:\n      - %s\n", yamlQuote(fmt.Sprintf("What would you have checked first about the %s?", pick(r, nouns))))
			}
		}
		b.WriteString("---\n\n")
		g.paragraph(&b, r, f, 40)
		b.WriteString("\n")
		if err := os.WriteFile(filepath.Join(dir, "paths", spec.file+".md"), b.Bytes(), 0o644); err != nil {
			return fmt.Errorf("corpus: %w", err)
		}
	}
	return nil
}

func (g *generator) writePeople(dir string) error {
	r := g.rng(streamPeople)
	for p := 0; p < numPeople; p += profileEvery {
		var b bytes.Buffer
		joined := time.Date(2012+r.IntN(13), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
		team := pick(r, teams)
		fmt.Fprintf(&b, "---\nname: %s\nteam: %s\nrole: %s\njoined: %s\n---\n\n", personName(p), team, pick(r, roles), joined.Format("2006-01-02"))
		fmt.Fprintf(&b, "%s works on the %s team and has been on call for %s since %d.\n",
			personName(p), team, pick(r, services), joined.Year())
		if err := os.WriteFile(filepath.Join(dir, "people", personID(p)+".md"), b.Bytes(), 0o644); err != nil {
			return fmt.Errorf("corpus: %w", err)
		}
	}
	return nil
}

// expand fills a code line's %[1]s (namespace) and %[2]s (service)
// placeholders; lines with neither are used as written, which Sprintf
// would otherwise decorate with %!(EXTRA ...).
func expand(line, ns, svc string) string {
	return strings.NewReplacer("%[1]s", ns, "%[2]s", svc).Replace(line)
}
