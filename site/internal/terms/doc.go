// Package terms recognises the technologies and services a review talks
// about in its own words, for libraries whose front matter does not list
// them.
//
// A Recogniser knows a vocabulary: the library's own entries (casebook.yaml's
// vocabulary: id, title, aliases and taxonomy) and a built-in vocabulary of
// a few hundred common technologies (vocabulary.txt: clouds and their
// services, databases, queues and streams, orchestrators and runtimes,
// proxies and CDNs, languages and frameworks, observability and incident
// tools, CI/CD and infrastructure, DNS, TLS and identity). Find reads a
// review's sections as plain text and returns the terms that are
// substantial in it. The caller (package site) marks them as inferred.
//
// # Words
//
// Text is read in one pass into words: runs of letters, digits and '_'
// (so code identifiers such as redis_host are one word), with ".NET",
// "C++" and "C#" kept whole. A name matches whole words only: "Postgres"
// is not found inside "PostgreSQL" (each is a form of postgresql, and
// counts once). A name of several words matches them joined as in the
// name, where a space matches any run of spaces or a hyphen ("Route 53",
// "GitHub Actions", "kube-proxy" for kube proxy) and '.', '/' and an
// apostrophe match themselves ("Node.js", "Pub/Sub", "Let's Encrypt").
// Where several names start at a word, the longest wins ("AWS Lambda"
// before "AWS", "Elastic Load Balancer" before "Elastic"). A single word
// inside a dotted chain (github in api.github.com, redis in redis.conf)
// is part of a host or file name, not a mention.
//
// # Evidence
//
// Most names are unambiguous and match in any case (kubernetes, K8s,
// PostgreSQL, kafka, nginx, docker: "docker" is not English prose). Some
// match only as written (ELK, NATS, "API Gateway"). The names that are
// also common words need more:
//
//   - Proper nouns (vault, consul, nomad, envoy, helm, rust, spark,
//     elastic, lambda, slack, sentry, celery, ...) count when capitalised
//     inside a sentence ("we unsealed Vault"), not as its first word
//     ("Vault the fence"), not in all capitals, and not when the words on
//     both sides are capitalised too (a title-case heading: "Guard Rails
//     Were Missing"); in a heading, the first word may count. They also
//     count, in any case, beside one of their qualifiers: "HashiCorp
//     Vault", "vault token", "helm chart", "spark executor".
//   - Qualified names (go, swift, express, flask, chef, puppet, salt, kong,
//     ruby, node, react, spring, airflow, cassandra, ...) count only
//     written as in the vocabulary ("Go", never "go") and beside a
//     qualifier: "Go service", "Go 1.22", "written in Go", "Express
//     middleware", "Chef cookbook", "Salt minion". "go live", "a swift
//     rollback", "express lane", "a chef", "salt the hashes" never count.
//   - On a key line ("Systems: Vault, Go", "| Services | Kong |") or in a
//     section headed by such a label ("## Affected services"), a
//     capitalised proper or qualified name counts without more.
//
// The library's own forms are unambiguous, except one written like a
// built-in form (which needs what the built-in form needs) and a one-word
// form that is a common English word (commonwords.txt: a "search" or
// "payments" service), which counts as a proper noun or beside
// "service", "API", "cluster", "server", "database", "queue" or
// "endpoint". A built-in entry that shares a form with a library entry is
// folded into it (a library's postgres also finds PostgreSQL).
//
// # Substance
//
// A term is returned only when the review is, at least in part, about it:
// it occurs in at least two sections, or at least three times, or in a
// heading, or on a key line, or its mentions and the distinct context
// words of its own language (vocabulary.txt: pod, namespace, kubelet for
// Kubernetes; topic, partition, consumer for Kafka; a plural s allowed)
// add up to four: people name the technology once and then speak of
// "the pods". A single mention in passing ("unlike our Kafka pipeline,
// ...") is not enough, nor two in one paragraph.
// Counts include headings; Sections counts the sections it occurs in.
// Matches come most discussed first (sections, then occurrences), then by
// taxonomy and id, so the order is deterministic.
//
// # Speed
//
// Find lower-cases each word into a reused buffer and looks it up in a map
// of the names' first words; only a hit looks further. There is no
// regular expression per name, and a Recogniser is safe for concurrent
// use. BenchmarkFind measures it on a synthetic library.
package terms
