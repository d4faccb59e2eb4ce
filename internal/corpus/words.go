package corpus

// The term lists are ordered by intended popularity: the Zipf-like picker
// favours the front, so a handful of terms end up on hundreds of reviews and
// the long tail on a few each, the way real libraries look.

var services = func() []string {
	// Composing names keeps the list long (~120) without hand-writing every
	// entry; the order still runs from core services to obscure ones.
	heads := []string{
		"checkout", "payments", "search", "accounts", "identity", "orders", "inventory",
		"notifications", "billing", "catalog", "shipping", "recommendations", "ledger",
		"media", "messaging", "analytics", "pricing", "reviews", "fraud", "onboarding",
		"support", "reporting", "gateway", "scheduler",
	}
	tails := []string{"api", "worker", "web", "db", "ingest"}
	var out []string
	for _, t := range tails {
		for _, h := range heads {
			out = append(out, h+"-"+t)
		}
	}
	return out
}()

var technologies = []string{
	"kubernetes", "postgresql", "kafka", "redis", "aws", "terraform", "nginx", "envoy",
	"elasticsearch", "mysql", "dns", "tls", "cdn", "load-balancer", "prometheus", "grafana",
	"go", "java", "python", "node.js", "docker", "helm", "argo-cd", "github-actions",
	"jenkins", "vault", "consul", "istio", "linkerd", "rabbitmq", "memcached", "cassandra",
	"mongodb", "dynamodb", "s3", "ec2", "rds", "lambda", "cloudfront", "route53",
	"gcp", "bigquery", "pubsub", "gke", "azure", "aks", "cosmosdb", "spanner",
	"haproxy", "varnish", "cloudflare", "fastly", "akamai", "bgp", "ntp", "ldap",
	"oauth", "saml", "openid-connect", "jwt", "grpc", "graphql", "rest", "websocket",
	"http2", "http3", "quic", "tcp", "udp", "ipv6", "vpc", "nat-gateway",
	"iptables", "ebpf", "systemd", "linux-kernel", "glibc", "openssl", "letsencrypt", "cert-manager",
	"external-dns", "coredns", "etcd", "zookeeper", "flink", "spark", "airflow", "dbt",
	"snowflake", "clickhouse", "druid", "pinot", "presto", "trino", "hive", "hadoop",
	"hdfs", "ceph", "nfs", "ebs", "efs", "zfs", "xfs", "ext4",
	"raid", "ssd", "nvme", "kvm", "vmware", "xen", "firecracker", "containerd",
	"cri-o", "runc", "podman", "buildkit", "bazel", "gradle", "maven", "npm",
	"yarn", "pip", "poetry", "cargo", "rust", "c++", "ruby", "rails",
	"django", "flask", "fastapi", "spring", "spring-boot", "hibernate", "jvm", "g1gc",
	"zgc", "v8", "react", "nextjs", "webpack", "vite", "typescript", "php",
	"laravel", "wordpress", "drupal", "sentry", "datadog", "new-relic", "honeycomb", "opentelemetry",
	"jaeger", "zipkin", "fluentd", "fluent-bit", "logstash", "loki", "splunk", "pagerduty",
	"opsgenie", "statuspage", "slack", "zoom", "jira", "confluence", "okta", "auth0",
	"stripe", "adyen", "braintree", "twilio", "sendgrid", "mailgun", "firebase", "apns",
	"fcm", "feature-flags", "launchdarkly", "unleash", "circuit-breaker", "rate-limiter", "retry-policy", "connection-pool",
	"pgbouncer", "proxysql", "vitess", "citus", "timescaledb", "influxdb", "victoriametrics", "thanos",
	"cortex", "mimir", "alertmanager", "blackbox-exporter", "node-exporter", "kube-state-metrics", "keda", "hpa",
	"vpa", "cluster-autoscaler", "karpenter", "spot-instances", "reserved-instances", "autoscaling-group", "ecs", "fargate",
	"nomad", "packer", "ansible", "chef", "puppet", "saltstack", "pulumi", "cloudformation",
	"crossplane", "kustomize", "flux", "spinnaker", "tekton", "gitlab-ci", "circleci", "buildkite",
	"artifactory", "harbor", "ecr", "gcr", "quay", "sigstore", "cosign", "opa",
	"kyverno", "falco", "wireguard", "openvpn", "ipsec", "direct-connect", "transit-gateway", "privatelink",
	"kinesis", "sqs", "sns", "eventbridge", "step-functions", "temporal", "celery", "sidekiq",
	"resque", "bull", "nats", "pulsar", "debezium", "kafka-connect", "schema-registry", "protobuf",
	"avro", "parquet", "iceberg", "delta-lake", "hudi", "minio", "backblaze-b2", "glacier",
}

var contributingFactors = []string{
	"config-change", "deploy", "capacity", "dependency-failure", "missing-alert", "alert-fatigue",
	"retry-storm", "cache-stampede", "expired-certificate", "schema-migration", "manual-operation",
	"runbook-gap", "noisy-neighbour", "resource-exhaustion", "memory-leak", "connection-exhaustion",
	"thundering-herd", "clock-skew", "dns-misconfiguration", "stale-cache", "feature-flag",
	"rollback-failure", "partial-rollout", "load-spike", "traffic-shift", "quota-limit",
	"rate-limit", "timeout-misconfiguration", "missing-timeout", "unbounded-queue", "backpressure",
	"split-brain", "leader-election", "data-corruption", "replication-lag", "disk-full",
	"log-volume", "third-party-outage", "vendor-change", "api-deprecation", "library-upgrade",
	"os-upgrade", "kernel-bug", "hardware-failure", "network-partition", "packet-loss",
	"bgp-leak", "mtu-mismatch", "firewall-rule", "permission-change", "credential-rotation",
	"secret-leak", "expired-token", "daylight-saving", "leap-second", "integer-overflow",
	"race-condition", "deadlock", "lock-contention", "hot-partition", "skewed-keys",
	"large-payload", "pagination-bug", "n-plus-one", "index-missing", "query-plan-change",
	"vacuum-backlog", "gc-pause", "cold-start", "autoscaling-lag", "health-check-mismatch",
	"load-balancer-drain", "batch-job-overlap", "cron-collision", "test-gap", "staging-drift",
	"documentation-gap", "handoff-gap", "unclear-ownership", "single-point-of-failure",
}

var themes = []string{
	"change-management", "observability", "capacity-planning", "dependency-management",
	"incident-response", "communication", "on-call-health", "automation", "testing",
	"data-integrity", "security", "resilience", "deployment-safety", "knowledge-sharing",
	"cost", "vendor-management", "configuration", "database-operations", "networking",
	"customer-impact", "tooling", "migration", "compliance", "performance", "ownership",
}

// aliases are the spellings a hand-written library would use for the same
// term; a few reviews use them so the builder's vocabulary folding is exercised.
var aliases = map[string][]string{
	"kubernetes":     {"k8s", "kube"},
	"postgresql":     {"postgres", "pg"},
	"elasticsearch":  {"elastic", "es"},
	"node.js":        {"nodejs", "node"},
	"github-actions": {"gha"},
}

// aliasKeys fixes the order in which aliases are written and consulted, so
// map iteration order can never reach the output.
var aliasKeys = []string{"kubernetes", "postgresql", "elasticsearch", "node.js", "github-actions"}

var firstNames = []string{
	"alex", "blake", "casey", "dana", "eli", "fatima", "gabriel", "hana", "ivan", "jamal",
	"keiko", "liam", "maya", "nikhil", "olga", "priya", "quinn", "rosa", "sven", "tariq",
	"uma", "victor", "wen", "ximena", "yusuf", "zoe", "amara", "bruno", "chen", "diego",
	"esther", "farid", "greta", "hugo", "ines", "jonas", "kofi", "lena", "mateo", "noor",
}

var lastNames = []string{
	"abbott", "bauer", "costa", "dubois", "eriksen", "fischer", "garcia", "haddad", "ito", "jensen",
	"kowalski", "larsen", "mensah", "nakamura", "okafor", "petrov", "quispe", "rossi", "silva", "tanaka",
	"umar", "varga", "wagner", "xu", "yilmaz", "zhang", "almeida", "brooks", "castillo", "demir",
	"evans", "ferreira", "gupta", "horvat", "iyer", "juarez", "kim", "lopez", "moreau", "novak",
}

var teams = []string{
	"platform", "payments", "search", "identity", "data", "sre", "networking", "storage",
	"mobile", "web", "developer-experience", "security",
}

var roles = []string{
	"software engineer", "senior software engineer", "staff engineer", "site reliability engineer",
	"engineering manager", "incident commander", "principal engineer", "database administrator",
}

// Prose vocabulary: a few hundred words arranged by part of speech so the
// sentence patterns below read like (dull) English.
var (
	nouns = []string{
		"alert", "dashboard", "deploy", "rollout", "rollback", "cluster", "node", "pod", "replica",
		"primary", "queue", "consumer", "producer", "partition", "request", "response", "latency",
		"error rate", "timeout", "retry", "connection", "pool", "cache", "index", "query",
		"migration", "schema", "certificate", "token", "credential", "secret", "config", "flag",
		"pipeline", "job", "cron", "batch", "backlog", "disk", "volume", "memory", "thread",
		"lock", "lease", "leader", "follower", "quorum", "heartbeat", "health check", "probe",
		"load balancer", "gateway", "proxy", "route", "endpoint", "service", "dependency",
		"vendor", "region", "zone", "network", "firewall", "runbook", "playbook", "pager",
		"on-call engineer", "incident channel", "status page", "customer", "ticket", "metric",
		"trace", "log", "sample", "threshold", "budget", "capacity", "quota", "limit",
		"release", "build", "artifact", "image", "container", "host", "instance", "snapshot",
		"backup", "restore", "failover", "switchover", "handoff", "shift", "team", "owner",
	}
	verbs = []string{
		"triggered", "exhausted", "saturated", "overloaded", "delayed", "dropped", "rejected",
		"restarted", "rolled back", "paused", "drained", "scaled", "throttled", "retried",
		"masked", "hid", "amplified", "revealed", "confirmed", "ruled out", "suspected",
		"noticed", "paged", "escalated", "mitigated", "repaired", "replaced", "rotated",
		"invalidated", "rebuilt", "reindexed", "promoted", "demoted", "fenced", "isolated",
		"disabled", "enabled", "reverted", "patched", "tuned", "raised", "lowered",
		"monitored", "graphed", "queried", "inspected", "compared", "reproduced", "documented",
	}
	adjectives = []string{
		"stale", "slow", "noisy", "missing", "expired", "degraded", "partial", "intermittent",
		"unexpected", "silent", "cascading", "overloaded", "misconfigured", "unbounded",
		"cold", "warm", "primary", "secondary", "regional", "global", "internal", "external",
		"critical", "minor", "flaky", "healthy", "unhealthy", "new", "old", "manual",
		"automated", "delayed", "duplicate", "inconsistent", "elevated", "sustained", "brief",
	}
	adverbs = []string{
		"quickly", "slowly", "eventually", "briefly", "repeatedly", "silently", "gradually",
		"immediately", "partially", "manually", "automatically", "again", "later", "finally",
		"unexpectedly", "temporarily", "consistently", "intermittently",
	}
	preps = []string{
		"after", "before", "during", "behind", "across", "within", "under", "despite",
		"because of", "alongside", "without", "through",
	}
	subjects = []string{
		"the on-call engineer", "the incident commander", "we", "the team", "the responders",
		"the database team", "the platform team", "an engineer", "the vendor", "support",
		"nobody", "the reviewer", "the automation", "the scheduler", "the deploy pipeline",
	}
	connectors = []string{
		"Meanwhile,", "At first,", "In hindsight,", "Later,", "As a result,", "However,",
		"Because of this,", "By then,", "Unfortunately,", "Eventually,", "In practice,",
		"Looking back,", "At the time,", "Separately,",
	}
	// fillers end a paragraph with exactly the number of words left, so the
	// body lands on its word budget without truncated sentences.
	fillers = [][]string{
		1: {"Confirmed.", "Resolved.", "Noted.", "Unclear."},
		2: {"Nobody noticed.", "Alerts fired.", "Latency recovered.", "It worked.", "Traffic returned."},
		3: {"The alert fired.", "Nothing else changed.", "Customers noticed first.", "The queue drained."},
		4: {"The rollback took minutes.", "Nobody owned the dashboard.", "The graphs looked normal.", "We paged the owner."},
		5: {"The runbook was badly outdated.", "Retries made the load worse.", "The cache never warmed up."},
		6: {"Nobody had tested the failover path.", "The deploy went out on Friday.", "The dashboard showed the wrong region."},
	}
	titleSymptoms = []string{
		"errors", "latency", "outage", "degradation", "data delay", "failed payments",
		"stale results", "elevated 5xx", "timeouts", "partial outage", "duplicate messages",
		"login failures", "missing events", "slow queries",
	}
	titleCauses = []string{
		"config push", "broker restart", "certificate expiry", "schema migration", "node drain",
		"traffic spike", "failover", "dependency upgrade", "cache flush", "region evacuation",
		"flag rollout", "DNS change", "quota exhaustion", "disk pressure", "deploy",
	}
	followUpVerbs = []string{
		"Add an alert for", "Write a runbook for", "Load-test", "Add a timeout to", "Document",
		"Automate the rollback of", "Add a canary for", "Set an owner for", "Remove the manual step in",
		"Cap the retries in",
	}
)

var kindsMiddle = []string{"impact", "communication", "hypothesis", "diagnosis", "key-moment", "note", "hypothesis", "diagnosis", "communication"}
