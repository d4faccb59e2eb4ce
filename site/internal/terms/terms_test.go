package terms

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// ids lists the ids of matches.
func ids(ms []Match) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.ID)
	}
	return out
}

// all is every term found in a text, substantial or not, sorted.
func all(r *Recogniser, text string) []string {
	out := ids(r.find([]Section{{Text: text}}, false))
	slices.Sort(out)
	return out
}

func expectIDs(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
		t.Errorf("%s:\n got %q\nwant %q", what, got, want)
	}
}

func TestVocabulary(t *testing.T) {
	b := Builtin()
	if len(b) < 300 {
		t.Errorf("%d built-in entries, want a few hundred", len(b))
	}
	common := commonWords()
	for _, e := range b {
		if e.Taxonomy != BuiltinTaxonomy || e.Title == "" || len(e.Aliases) == 0 {
			t.Errorf("%+v", e)
		}
		for _, s := range e.specs {
			// A common word matched in any case would make prose a
			// technology.
			if s.tier == strong && common[key(s.text)] {
				t.Errorf("%s: %q is a common word and needs ^, ? or =", e.ID, s.text)
			}
		}
	}
	// Builtin hands out copies.
	b[0].Aliases[0] = "changed"
	if Builtin()[0].Aliases[0] == "changed" {
		t.Error("Builtin shares its slices")
	}
	if _, err := parseVocabulary("x | X\n"); err == nil {
		t.Error("a line without forms parses")
	}
	if _, err := parseVocabulary("x | X | ?Foo\n"); err == nil {
		t.Error("a qualified form without qualifiers parses")
	}
}

func TestWholeWords(t *testing.T) {
	r := New(nil)
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"PostgreSQL, then Postgres, then postgres", []string{"postgresql"}},
		{"postgresqlish postgres_host pg_dump", nil},
		{"Route 53 and route53 and Route-53", []string{"aws-route53"}},
		{"Route 54", nil},
		{"GitHub Actions ran; GitHub was fine", []string{"github", "github-actions"}},
		{"Node.js and NodeJS", []string{"nodejs"}},
		{"Pub/Sub topics", []string{"gcp-pubsub"}},
		{".NET and C# and C++ and C", []string{"cpp", "csharp", "dotnet"}},
		{"ASP.NET Core", []string{"dotnet"}},
		{"see api.github.com and redis.conf", nil},
		{"kube-proxy and k8s and K8S", []string{"kubernetes"}},
		{"AWS Lambda functions", []string{"aws-lambda"}},
		{"an Elastic Load Balancer", []string{"aws-elb"}},
		{"Let’s Encrypt", []string{"lets-encrypt"}},
		{"TLS/SSL", []string{"tls"}},
		{"the Kafka's broker", []string{"kafka"}},
		{"Kubernetesing", nil},
		{"ELK and elk", []string{"elk"}},
		{"Straße Kafka café", []string{"kafka"}},
	} {
		got := all(r, tc.text)
		expectIDs(t, tc.text, got, tc.want...)
	}
	// Two names of one term count once each.
	ms := r.find([]Section{{Text: "Postgres (PostgreSQL) and postgres"}}, false)
	if len(ms) != 1 || ms[0].Count != 3 {
		t.Errorf("%+v", ms)
	}
}

// Words of English that are also names need evidence.
func TestAmbiguousWords(t *testing.T) {
	r := New(nil)
	for _, tc := range []struct {
		text string
		want []string
	}{
		// English.
		{"We decided to go ahead. Go live was at noon. The go/no-go call. Go to the dashboard.", nil},
		{"A swift rollback. Swift action was taken.", nil},
		{"There was rust on the cabinet. Rust had formed.", nil},
		{"The spark for the change. A chef in the kitchen. Salt in the wound.", nil},
		{"The express lane. Express delivery. We express concern.", nil},
		{"At the helm was the incident lead. A bank vault. A consul of Rome. An envoy from the vendor.", nil},
		{"A token bucket, a token, tokens.", nil},
		{"There was no slack in the schedule; a flask of coffee; a puppet show.", nil},
		{"Nomad workers, digital nomads. Node 3 was drained. The node process.", nil},
		{"Lambda is a Greek letter. Elastic capacity. React quickly. In Spring we moved.", nil},
		{"VAULT OUTAGE. GO LIVE.", nil},
		// Proper nouns: capitalised inside a sentence, or with a qualifier.
		{"We unsealed Vault at noon.", []string{"vault"}},
		{"HashiCorp Vault restarted.", []string{"vault"}},
		{"the vault token expired", []string{"vault"}},
		{"the helm chart and helm upgrade", []string{"helm"}},
		{"We rewrote it in Rust.", []string{"rust"}},
		{"the Spark executors died", []string{"spark"}},
		{"Messages in Slack were slow.", []string{"slack"}},
		// Qualified: as written, beside a qualifier.
		{"The Go service leaked.", []string{"go"}},
		{"We upgraded to Go 1.22. It is written in Go.", []string{"go"}},
		{"the go service", nil},
		{"golang is fine", []string{"go"}},
		{"The Express middleware and Express.js", []string{"express"}},
		{"The Chef client run failed; Puppet agents; the Salt minions", []string{"chef", "puppet", "saltstack"}},
		{"Kong gateway plugins", []string{"kong"}},
		{"Hong Kong", nil},
		{"a Swift package", []string{"swift"}},
		{"the Node process and Node 20", []string{"nodejs"}},
	} {
		got := all(r, tc.text)
		expectIDs(t, tc.text, got, tc.want...)
	}
}

// A capital says nothing when every word around it has one.
func TestTitleCase(t *testing.T) {
	r := New(nil)
	expectIDs(t, "title case", all(r, "Guard Rails Were Missing"))
	expectIDs(t, "sentence", all(r, "the Rails monolith"), "rails")
	// In a heading, the first word may be the name.
	ms := r.find([]Section{{Heading: "Vault outage"}}, false)
	expectIDs(t, "heading", ids(ms), "vault")
	ms = r.find([]Section{{Heading: "Upgrading Consul"}}, false)
	expectIDs(t, "heading", ids(ms), "consul")
	// In text, not the first word of a sentence.
	expectIDs(t, "first word", all(r, "Consul the runbook. Envoy: none."))
}

// On a key line, or under a key heading, a capitalised name counts at
// once.
func TestKeyLines(t *testing.T) {
	r := New(nil)
	for _, text := range []string{
		"Systems: Vault, Go, Kafka",
		"| Affected services | Vault, Go, Kafka |",
		"- Tech stack: Vault, Go, Kafka",
		"Detected: 10:00\nSystems:\tVault, Go, Kafka\nTeam: sre",
	} {
		ms := r.Find([]Section{{Text: text}})
		got := ids(ms)
		slices.Sort(got)
		expectIDs(t, text, got, "go", "kafka", "vault")
	}
	ms := r.Find([]Section{{Heading: "Affected services", Text: "Vault and Kong"}})
	got := ids(ms)
	slices.Sort(got)
	expectIDs(t, "key heading", got, "kong", "vault")
	// Not a key line: the label is elsewhere in the line.
	expectIDs(t, "prose", ids(r.Find([]Section{{Text: "We use these systems: Vault and Go."}})))
}

// A term is returned only when substantial.
func TestSubstance(t *testing.T) {
	r := New(nil)
	for _, tc := range []struct {
		name     string
		sections []Section
		want     []string
	}{
		{"once in passing", []Section{{Heading: "Summary", Text: "Unlike our Kafka pipeline, the batch job failed."}, {Heading: "Impact", Text: "Reports were late."}}, nil},
		{"twice in one section", []Section{{Heading: "Summary", Text: "Kafka lag. Kafka again."}}, nil},
		{"three times in one section", []Section{{Heading: "Summary", Text: "Kafka lag. Kafka again. And Kafka."}}, []string{"kafka"}},
		{"two sections", []Section{{Heading: "Summary", Text: "Kafka lag."}, {Heading: "Fix", Text: "We scaled Kafka."}}, []string{"kafka"}},
		{"a heading", []Section{{Heading: "Kafka consumer lag", Text: "Lag grew."}}, []string{"kafka"}},
		{"a key line", []Section{{Text: "Systems: Kafka\n\nLag grew."}}, []string{"kafka"}},
	} {
		expectIDs(t, tc.name, ids(r.Find(tc.sections)), tc.want...)
	}
	// Counts and order: most sections first, then occurrences, then id.
	ms := r.Find([]Section{
		{Heading: "Summary", Text: "Redis and Kafka and Redis. DNS, DNS, DNS."},
		{Heading: "Fix", Text: "Kafka and Redis."},
	})
	want := []Match{
		{ID: "redis", Title: "Redis", Taxonomy: BuiltinTaxonomy, Count: 3, Sections: 2},
		{ID: "kafka", Title: "Apache Kafka", Taxonomy: BuiltinTaxonomy, Count: 2, Sections: 2},
		{ID: "dns", Title: "DNS", Taxonomy: BuiltinTaxonomy, Count: 3, Sections: 1},
	}
	if !slices.Equal(ms, want) {
		t.Errorf("got %+v\nwant %+v", ms, want)
	}
}

// The library's own vocabulary comes first, folds in the built-in entry
// it shares a form with, and its common words need evidence.
func TestLibraryVocabulary(t *testing.T) {
	r := New([]Entry{
		{ID: "postgres", Title: "Postgres", Taxonomy: "technologies"},
		{ID: "search", Title: "Search", Taxonomy: "services"},
		{ID: "checkout-api", Title: "Checkout API", Taxonomy: "services", Aliases: []string{"checkout"}},
		{ID: "go", Title: "Go", Taxonomy: "technologies"},
		{ID: "ledger-db", Title: "Ledger DB", Taxonomy: "services", Aliases: []string{"kafka"}},
	})
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"PostgreSQL and psql", []string{"postgres"}},
		{"We search the logs. Search results.", nil},
		{"the search service and the Search cluster", []string{"search"}},
		{"the checkout page; the checkout API", []string{"checkout-api"}},
		{"Checkout API", []string{"checkout-api"}},
		{"go ahead; the Go service", []string{"go"}},
		{"kafka", []string{"ledger-db"}},
	} {
		expectIDs(t, tc.text, all(r, tc.text), tc.want...)
	}
	ms := r.find([]Section{{Text: "PostgreSQL and the search service"}}, false)
	for _, m := range ms {
		if m.ID == "postgres" && (m.Title != "Postgres" || m.Taxonomy != "technologies") || m.ID == "search" && m.Taxonomy != "services" {
			t.Errorf("%+v", m)
		}
	}
	// Without the built-in vocabulary, only the library's terms.
	expectIDs(t, "compile", all(Compile([]Entry{{ID: "search", Title: "Search"}}), "Kubernetes and Redis"))
}

// readReview splits a Markdown review into plain-text sections, roughly as
// package site hands them over.
func readReview(t *testing.T, path string) []Section {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []Section
	cur := Section{}
	var text strings.Builder
	flush := func() {
		cur.Text = text.String()
		if cur.Heading != "" || strings.TrimSpace(cur.Text) != "" {
			out = append(out, cur)
		}
		text.Reset()
	}
	for _, line := range strings.Split(string(src), "\n") {
		if h, ok := strings.CutPrefix(line, "#"); ok {
			flush()
			cur = Section{Heading: strings.TrimSpace(strings.TrimLeft(h, "#"))}
			continue
		}
		line = strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(line, "- [ ] "), "- [x] "), "- ")
		text.WriteString(strings.NewReplacer("`", "", "**", "").Replace(line))
		text.WriteByte('\n')
	}
	flush()
	return out
}

// TestPlausible reads a Kubernetes-heavy library of 40 reviews: Kubernetes
// is found on most reviews about it and on none that mention it once in
// passing, the Postgres, DNS and Kafka reviews find theirs, and no common
// English word the reviews use ("go", "swift", "rust", "spark", "chef",
// "token", "express", ...) becomes a technology.
func TestPlausible(t *testing.T) {
	files, err := filepath.Glob("testdata/kube-heavy/*.md")
	if err != nil || len(files) != 40 {
		t.Fatalf("%d reviews: %v", len(files), err)
	}
	aboutKubernetes := []string{
		"2023-01-09-node-pool-exhaustion", "2023-02-14-ingress-certificate-rotation", "2023-03-02-etcd-disk-latency",
		"2023-03-20-pdb-blocks-drain", "2023-04-11-coredns-ndots", "2023-05-05-hpa-flapping", "2023-06-18-image-pull-backoff",
		"2023-07-07-oomkilled-sidecar", "2023-08-01-namespace-deleted", "2023-08-29-control-plane-upgrade",
		"2023-09-15-persistent-volume-zone", "2023-10-03-kubelet-certificate-expiry", "2023-11-12-network-policy-default-deny",
		"2023-12-04-crashloop-config", "2024-01-16-cluster-dns-upgrade", "2024-02-08-secrets-in-logs", "2024-03-03-resource-quota",
		"2024-04-22-go-service-goroutine-leak", "2024-05-30-spot-node-reclaim", "2024-06-11-helm-chart-values",
	}
	inPassing := []string{"2023-02-27-postgres-replication-lag", "2024-03-18-slow-query-index", "2023-11-30-rebalance-storm"}
	expected := map[string][]string{
		"2023-02-27-postgres-replication-lag": {"postgresql"}, "2023-05-21-connection-pool-exhaustion": {"postgresql", "pgbouncer"},
		"2023-09-02-vacuum-wraparound": {"postgresql"}, "2024-01-30-failover-split-brain": {"postgresql"},
		"2024-03-18-slow-query-index":  {"postgresql"},
		"2023-04-28-dns-ttl-migration": {"dns"}, "2023-07-19-expired-domain": {"dns"}, "2023-10-25-resolver-outage": {"dns"},
		"2024-02-26-dnssec-signature": {"dns"}, "2023-04-11-coredns-ndots": {"dns", "coredns"},
		"2023-06-05-kafka-consumer-lag": {"kafka"}, "2023-08-14-broker-disk": {"kafka"}, "2023-11-30-rebalance-storm": {"kafka"},
		"2024-04-04-schema-change": {"kafka"}, "2024-08-19-zookeeper-migration": {"kafka"},
		"2024-04-22-go-service-goroutine-leak": {"go"}, "2023-12-19-vault-seal": {"vault"},
		"2024-05-09-wildcard-certificate": {"tls"}, "2024-07-25-terraform-state": {"terraform"},
	}
	// Words the reviews use as English: none may become a technology
	// unless the review is expected to name it.
	never := []string{"go", "swift", "rust", "spark", "chef", "saltstack", "express", "helm", "vault", "consul", "envoy",
		"nomad", "flask", "puppet", "slack", "elk", "aws-lambda", "nodejs", "react", "spring", "kong", "ruby", "rails"}

	r := New(nil)
	found := map[string][]string{}
	onPage := 0
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".md")
		got := ids(r.Find(readReview(t, f)))
		found[name] = got
		t.Logf("%s: %v", name, got)
		if slices.Contains(got, "kubernetes") {
			onPage++
		}
		for _, id := range expected[name] {
			if !slices.Contains(got, id) {
				t.Errorf("%s: %s not found (got %v)", name, id, got)
			}
		}
		for _, id := range never {
			if slices.Contains(got, id) && !slices.Contains(expected[name], id) {
				t.Errorf("%s: %s found in prose (got %v)", name, id, got)
			}
		}
	}
	about := 0
	for _, name := range aboutKubernetes {
		if slices.Contains(found[name], "kubernetes") {
			about++
		}
	}
	if about*10 < len(aboutKubernetes)*8 {
		t.Errorf("Kubernetes found on %d of the %d reviews about it, want at least 80%%", about, len(aboutKubernetes))
	}
	for _, name := range inPassing {
		if slices.Contains(found[name], "kubernetes") {
			t.Errorf("%s mentions Kubernetes in passing, yet it is found", name)
		}
	}
	// Kubernetes is the library's main technology: the largest term page.
	if onPage < about || onPage > len(aboutKubernetes) {
		t.Errorf("Kubernetes on %d reviews", onPage)
	}
}
