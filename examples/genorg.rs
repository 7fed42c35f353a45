//! Deterministic benchmark-organisation generator for portalgen.
//!
//! Writes a synthetic, Backstage-compatible organisation (groups, users,
//! domains, systems, components, APIs, resources) plus TechDocs trees
//! (`mkdocs.yml` + `docs/*.md`) and a `site.toml` that builds it with
//! portalgen. Uses only the standard library; the same arguments always
//! produce byte-identical output.
//!
//! Usage:
//!
//! ```text
//! cargo run --release --example genorg -- --components 20000 --out DIR
//! ```
//!
//! Options: `--components N` (default 200), `--out DIR` (required),
//! `--seed S` (default 42), `--docs-ratio F` (default 0.8), `--force`
//! (replace a non-empty DIR), `--help`.

use std::collections::BTreeSet;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
genorg: generate a deterministic Backstage-style organisation for benchmarking portalgen

USAGE:
    genorg --out DIR [--components N] [--seed S] [--docs-ratio F] [--force]

OPTIONS:
    --components N   number of components to generate (default 200)
    --out DIR        output directory (required; must be empty or absent)
    --seed S         PRNG seed, unsigned integer (default 42)
    --docs-ratio F   share of components with a TechDocs tree, 0..1 (default 0.8)
    --force          delete and recreate DIR if it exists and is not empty
    --help           print this help
";

// ---------------------------------------------------------------------------
// Word lists
// ---------------------------------------------------------------------------

const COMPONENT_NOUNS: &[&str] = &[
    "payment",
    "order",
    "checkout",
    "cart",
    "invoice",
    "billing",
    "customer",
    "account",
    "identity",
    "auth",
    "session",
    "profile",
    "catalog",
    "product",
    "pricing",
    "inventory",
    "warehouse",
    "shipment",
    "delivery",
    "tracking",
    "notification",
    "email",
    "sms",
    "search",
    "recommendation",
    "review",
    "rating",
    "media",
    "image",
    "video",
    "content",
    "analytics",
    "metrics",
    "report",
    "audit",
    "ledger",
    "tax",
    "refund",
    "coupon",
    "loyalty",
    "subscription",
    "partner",
    "vendor",
    "fraud",
    "risk",
    "compliance",
    "consent",
    "feature-flag",
    "config",
    "scheduler",
    "workflow",
    "document",
    "storage",
    "geo",
    "address",
    "currency",
    "exchange",
    "chat",
    "support",
    "feedback",
];

const SERVICE_SUFFIXES: &[&str] = &[
    "service",
    "gateway",
    "api",
    "worker",
    "processor",
    "engine",
    "manager",
    "broker",
    "indexer",
    "sync",
    "router",
    "aggregator",
    "scheduler",
    "store",
    "proxy",
];

const WEBSITE_SUFFIXES: &[&str] = &["portal", "frontend", "dashboard", "ui", "console", "web", "admin"];

const LIBRARY_SUFFIXES: &[&str] = &["client", "sdk", "lib", "utils", "common", "models", "schema"];

const TAGS: &[&str] = &[
    "java",
    "kotlin",
    "go",
    "rust",
    "python",
    "typescript",
    "react",
    "grpc",
    "rest",
    "graphql",
    "kafka",
    "postgres",
    "redis",
    "elasticsearch",
    "kubernetes",
    "serverless",
    "internal",
    "customer-facing",
    "pci",
    "gdpr",
    "tier-1",
    "tier-2",
    "batch",
    "streaming",
    "ml",
    "legacy",
    "observability",
    "security",
    "mobile",
    "partner-api",
];

const DEPT_AREAS: &[&str] = &[
    "consumer",
    "enterprise",
    "platform",
    "data",
    "growth",
    "core",
    "mobile",
    "cloud",
    "commerce",
    "infrastructure",
    "marketplace",
    "payments",
];

const DEPT_FUNCTIONS: &[&str] = &["engineering", "product", "operations", "research", "services", "solutions"];

const TEAM_PREFIXES: &[&str] = &[
    "payments",
    "checkout",
    "identity",
    "search",
    "discovery",
    "pricing",
    "catalog",
    "fulfilment",
    "logistics",
    "messaging",
    "growth",
    "onboarding",
    "billing",
    "risk",
    "fraud",
    "trust",
    "analytics",
    "insights",
    "ml",
    "data",
    "storage",
    "network",
    "compute",
    "runtime",
    "release",
    "developer",
    "mobile",
    "web",
    "design-system",
    "accessibility",
    "localisation",
    "support",
    "partner",
    "merchant",
    "loyalty",
    "media",
    "content",
    "edge",
    "security",
    "observability",
];

const TEAM_SUFFIXES: &[&str] = &[
    "core",
    "platform",
    "squad",
    "crew",
    "guild",
    "ops",
    "infra",
    "experience",
    "foundations",
    "tooling",
    "enablement",
    "services",
];

const DOMAIN_QUALIFIERS: &[&str] =
    &["customer", "partner", "core", "global", "retail", "enterprise", "digital", "internal"];

const DOMAIN_AREAS: &[&str] = &[
    "commerce",
    "identity",
    "logistics",
    "payments",
    "analytics",
    "content",
    "messaging",
    "finance",
    "operations",
    "marketing",
    "security",
    "search",
];

const SYSTEM_SUFFIXES: &[&str] = &["platform", "system", "suite", "hub", "engine", "pipeline", "stack", "mesh"];

const FIRST_NAMES: &[&str] = &[
    "ada", "alan", "amara", "anna", "arjun", "ben", "carla", "chen", "chloe", "dan", "diego", "elif", "emma", "farah",
    "felix", "grace", "hana", "hugo", "ines", "ivan", "jade", "jamal", "jane", "jonas", "kai", "kim", "lara", "leo",
    "lina", "luca", "maya", "mei", "mila", "nadia", "noah", "omar", "oscar", "priya", "quinn", "rahul", "rosa", "sam",
    "sara", "tariq", "theo", "uma", "vera", "wei", "yara", "zoe",
];

const LAST_NAMES: &[&str] = &[
    "adams", "ahmed", "baker", "berg", "costa", "cruz", "dubois", "evans", "fischer", "garcia", "gupta", "hall",
    "hansen", "ito", "jensen", "kaur", "khan", "kim", "kowalski", "larsen", "lee", "lopez", "martin", "meyer",
    "moreau", "murphy", "nakamura", "nguyen", "novak", "okafor", "olsen", "patel", "perez", "quinn", "rossi", "santos",
    "schmidt", "silva", "singh", "smith", "suzuki", "tanaka", "torres", "walsh", "wang", "weber", "wilson", "yamada",
    "young", "zhang",
];

const DESC_VERBS: &[&str] = &[
    "that processes",
    "responsible for validating",
    "which aggregates",
    "that exposes",
    "that synchronises",
    "that stores",
    "that enriches",
    "that routes",
    "that reconciles",
    "that publishes",
];

const DESC_OBJECTS: &[&str] = &[
    "order events",
    "customer profiles",
    "invoice records",
    "inventory snapshots",
    "search queries",
    "notification requests",
    "audit logs",
    "pricing rules",
    "session tokens",
    "shipment updates",
    "payment intents",
    "product metadata",
    "usage metrics",
    "consent preferences",
];

const DESC_CONTEXTS: &[&str] = &[
    "across all regions",
    "in near real time",
    "on behalf of internal teams",
    "for partner integrations",
    "for the mobile apps",
    "during nightly batch windows",
    "with strict latency budgets",
];

const DESC_SECOND: &[&str] = &[
    "It is deployed on Kubernetes with blue/green rollouts.",
    "All writes are idempotent and safe to retry.",
    "Data is retained for 90 days before archival.",
    "It emits structured logs and OpenTelemetry traces.",
    "Configuration is loaded from the central config service at startup.",
    "It is scheduled for consolidation into the platform tier next year.",
    "Traffic is served from three availability zones.",
];

const SUBJECTS: &[&str] = &[
    "The service",
    "This component",
    "Each request",
    "The ingestion pipeline",
    "The scheduler",
    "The cache layer",
    "Every deployment",
    "The public API",
    "The background worker",
    "The read model",
    "The retry policy",
    "Our on-call rotation",
];

const VERBS: &[&str] = &[
    "validates",
    "forwards",
    "caches",
    "aggregates",
    "persists",
    "deduplicates",
    "encrypts",
    "batches",
    "streams",
    "indexes",
    "observes",
    "throttles",
    "replays",
    "normalises",
];

const OBJECTS: &[&str] = &[
    "incoming events",
    "customer records",
    "outbound messages",
    "configuration changes",
    "audit entries",
    "partial failures",
    "idempotency keys",
    "feature flags",
    "schema migrations",
    "health checks",
    "rate limits",
    "background jobs",
    "cache entries",
    "search documents",
];

const TAILS: &[&str] = &[
    "before persisting them",
    "using a bounded worker pool",
    "so that downstream consumers stay consistent",
    "within the agreed latency budget",
    "whenever the upstream system is unavailable",
    "according to the policies in the platform handbook",
    "and reports the outcome to the metrics pipeline",
    "without blocking the request path",
    "on a fixed schedule",
    "at most once per tenant",
];

const BULLETS: &[&str] = &[
    "Keep handlers small and side-effect free",
    "Prefer structured logging over free-form messages",
    "Use feature flags for risky rollouts",
    "Never share database credentials between environments",
    "Alert on symptoms, not causes",
    "Document every new configuration option",
    "Run the load test suite before a major release",
    "Tag every metric with the service name",
    "Rotate secrets at least every 90 days",
    "Prefer additive schema changes",
    "Pin dependency versions in production builds",
    "Add a runbook entry for every new alert",
];

const SECTION_TITLES: &[&str] = &[
    "Overview",
    "Background",
    "Design",
    "Data flow",
    "Dependencies",
    "Operational notes",
    "Failure modes",
    "Scaling",
    "Local development",
    "Testing",
    "Rollout",
    "Known limitations",
    "Ownership",
    "Service levels",
];

const SUBSECTION_TITLES: &[&str] = &[
    "Prerequisites",
    "Step by step",
    "Examples",
    "Caveats",
    "Metrics",
    "Alerts",
    "Timeouts",
    "Retries",
    "Storage",
    "Permissions",
];

const PAGES: &[(&str, &str)] = &[
    ("getting-started", "Getting started"),
    ("architecture", "Architecture"),
    ("configuration", "Configuration"),
    ("deployment", "Deployment"),
    ("runbook", "Runbook"),
    ("monitoring", "Monitoring"),
    ("troubleshooting", "Troubleshooting"),
    ("faq", "FAQ"),
    ("contributing", "Contributing"),
    ("security", "Security"),
    ("api-usage", "API usage"),
    ("release-notes", "Release notes"),
];

const SETTINGS: &[(&str, &str, &str)] = &[
    ("port", "8080", "HTTP listen port"),
    ("log_level", "info", "Minimum log level"),
    ("read_timeout", "5s", "Timeout for reading a request"),
    ("pool_size", "16", "Database connection pool size"),
    ("cache_ttl", "300s", "Time to live of cache entries"),
    ("max_retries", "3", "Retries for upstream calls"),
    ("region", "eu-west-1", "Primary deployment region"),
    ("metrics_enabled", "true", "Expose Prometheus metrics"),
];

const ADMONITIONS: &[(&str, &str)] =
    &[("note", "Good to know"), ("warning", "Handle with care"), ("tip", "Pro tip"), ("info", "Background")];

/// API resource nouns: singular, plural, schema name.
const API_NOUNS: &[(&str, &str, &str)] = &[
    ("order", "orders", "Order"),
    ("customer", "customers", "Customer"),
    ("invoice", "invoices", "Invoice"),
    ("payment", "payments", "Payment"),
    ("product", "products", "Product"),
    ("shipment", "shipments", "Shipment"),
    ("account", "accounts", "Account"),
    ("subscription", "subscriptions", "Subscription"),
    ("review", "reviews", "Review"),
    ("ticket", "tickets", "Ticket"),
    ("report", "reports", "Report"),
    ("notification", "notifications", "Notification"),
];

/// Schema fields: name, type, optional format.
const API_FIELDS: &[(&str, &str, &str)] = &[
    ("name", "string", ""),
    ("status", "string", ""),
    ("amount", "number", "double"),
    ("currency", "string", ""),
    ("email", "string", "email"),
    ("quantity", "integer", "int32"),
    ("description", "string", ""),
    ("createdAt", "string", "date-time"),
    ("updatedAt", "string", "date-time"),
    ("active", "boolean", ""),
    ("priority", "integer", "int32"),
    ("url", "string", "uri"),
];

// ---------------------------------------------------------------------------
// PRNG
// ---------------------------------------------------------------------------

/// SplitMix64: tiny, fast, deterministic.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// Independent stream derived from `seed` and `stream`.
    fn derive(seed: u64, stream: u64) -> Self {
        let mut r = Rng(seed ^ stream.wrapping_mul(0xD6E8_FEB8_6659_FD93));
        r.next_u64();
        r
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform integer in `0..n` (0 when `n == 0`).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform integer in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// Uniform float in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// `k` distinct indices from `0..n`, in ascending order.
    fn distinct(&mut self, n: usize, k: usize) -> Vec<usize> {
        let k = k.min(n);
        let mut out: Vec<usize> = Vec::with_capacity(k);
        while out.len() < k {
            let i = self.below(n);
            if !out.contains(&i) {
                out.push(i);
            }
        }
        out.sort_unstable();
        out
    }
}

// ---------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------

struct Config {
    components: usize,
    out: PathBuf,
    seed: u64,
    docs_ratio: f64,
    force: bool,
}

enum Command {
    Run(Config),
    Help,
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Command, String> {
    let mut components = 200usize;
    let mut out: Option<PathBuf> = None;
    let mut seed = 42u64;
    let mut docs_ratio = 0.8f64;
    let mut force = false;

    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            match inline.clone() {
                Some(v) => Ok(v),
                None => it.next().ok_or_else(|| format!("missing value for {name}")),
            }
        };
        match flag.as_str() {
            "--help" | "-h" => return Ok(Command::Help),
            "--force" => force = true,
            "--components" => {
                let v = value("--components")?;
                components = v.parse().map_err(|_| format!("invalid --components value: {v:?}"))?;
            }
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--seed" => {
                let v = value("--seed")?;
                seed = v.parse().map_err(|_| format!("invalid --seed value: {v:?}"))?;
            }
            "--docs-ratio" => {
                let v = value("--docs-ratio")?;
                docs_ratio = v
                    .parse()
                    .ok()
                    .filter(|r: &f64| (0.0..=1.0).contains(r))
                    .ok_or_else(|| format!("invalid --docs-ratio value (expected 0..1): {v:?}"))?;
            }
            other => return Err(format!("unknown argument: {other}")),
        }
    }
    let out = out.ok_or("--out DIR is required")?;
    Ok(Command::Run(Config { components, out, seed, docs_ratio, force }))
}

fn main() -> ExitCode {
    let cfg = match parse_args(std::env::args().skip(1)) {
        Ok(Command::Help) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Ok(Command::Run(cfg)) => cfg,
        Err(msg) => {
            eprintln!("genorg: {msg}\nrun with --help for usage");
            return ExitCode::from(2);
        }
    };
    match is_non_empty_dir(&cfg.out) {
        Ok(true) if !cfg.force => {
            eprintln!(
                "genorg: output directory {} exists and is not empty; use --force to replace it",
                cfg.out.display()
            );
            return ExitCode::from(2);
        }
        Ok(_) => {}
        Err(e) => {
            eprintln!("genorg: {e}");
            return ExitCode::FAILURE;
        }
    }
    match run(&cfg) {
        Ok(stats) => {
            println!(
                "genorg: {} domains, {} systems, {} groups, {} users, {} components, {} APIs, \
                 {} resources, {} docs pages -> {}",
                stats.domains,
                stats.systems,
                stats.groups,
                stats.users,
                stats.components,
                stats.apis,
                stats.resources,
                stats.docs_pages,
                cfg.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("genorg: {e}");
            ExitCode::FAILURE
        }
    }
}

// ---------------------------------------------------------------------------
// I/O helpers
// ---------------------------------------------------------------------------

/// Wraps an I/O error so that its message names `path`.
fn with_path(path: &Path) -> impl FnOnce(io::Error) -> io::Error + '_ {
    move |e| io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

fn is_non_empty_dir(path: &Path) -> io::Result<bool> {
    match fs::read_dir(path) {
        Ok(mut entries) => Ok(entries.next().is_some()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(with_path(path)(e)),
    }
}

fn create_dir(path: &Path) -> io::Result<()> {
    fs::create_dir_all(path).map_err(with_path(path))
}

fn write_file(path: &Path, data: &[u8]) -> io::Result<()> {
    let file = File::create(path).map_err(with_path(path))?;
    let mut w = BufWriter::with_capacity(64 * 1024, file);
    w.write_all(data).and_then(|()| w.flush()).map_err(with_path(path))
}

/// YAML double-quoted scalar.
fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `payment-gateway` -> `Payment Gateway`.
fn title_case(name: &str) -> String {
    name.split('-').map(capitalize).collect::<Vec<_>>().join(" ")
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) => c.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// Returns `base`, or `base-2`, `base-3`, ... whichever is not yet in `taken`.
fn unique(taken: &mut BTreeSet<String>, base: String) -> String {
    let mut name = base.clone();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{base}-{n}");
        n += 1;
    }
    taken.insert(name.clone());
    name
}

// ---------------------------------------------------------------------------
// Organisation model
// ---------------------------------------------------------------------------

struct Group {
    name: String,
    kind: &'static str,
    parent: Option<usize>,
    children: Vec<usize>,
    members: Vec<usize>,
}

struct User {
    name: String,
    display: String,
    email: String,
    member_of: Vec<usize>,
}

struct Domain {
    name: String,
    owner: usize,
    area: &'static str,
}

struct System {
    name: String,
    domain: usize,
    owner: usize,
}

struct Org {
    groups: Vec<Group>,
    /// Indices into `groups` of the team-level groups.
    teams: Vec<usize>,
    /// Indices into `groups` of the department-level groups.
    depts: Vec<usize>,
    users: Vec<User>,
    domains: Vec<Domain>,
    systems: Vec<System>,
}

fn build_org(n: usize, rng: &mut Rng) -> Org {
    let n_teams = n.div_ceil(8).max(1);
    let n_depts = ((n_teams as f64).sqrt().round() as usize).clamp(1, n_teams);
    let n_domains = (n / 400).max(2);
    let n_systems = (n / 40).max(3);

    let mut group_names = BTreeSet::new();
    let mut groups = vec![Group {
        name: unique(&mut group_names, "org".to_string()),
        kind: "organization",
        parent: None,
        children: Vec::new(),
        members: Vec::new(),
    }];

    let mut depts = Vec::with_capacity(n_depts);
    for _ in 0..n_depts {
        let base = format!("{}-{}", rng.pick(DEPT_AREAS), rng.pick(DEPT_FUNCTIONS));
        let idx = groups.len();
        groups.push(Group {
            name: unique(&mut group_names, base),
            kind: "department",
            parent: Some(0),
            children: Vec::new(),
            members: Vec::new(),
        });
        groups[0].children.push(idx);
        depts.push(idx);
    }

    let mut teams = Vec::with_capacity(n_teams);
    for t in 0..n_teams {
        let base = format!("{}-{}", rng.pick(TEAM_PREFIXES), rng.pick(TEAM_SUFFIXES));
        let dept = depts[t * n_depts / n_teams];
        let idx = groups.len();
        groups.push(Group {
            name: unique(&mut group_names, base),
            kind: "team",
            parent: Some(dept),
            children: Vec::new(),
            members: Vec::new(),
        });
        groups[dept].children.push(idx);
        teams.push(idx);
    }

    // About two users per team; the first user of a department's first team
    // also leads (is a member of) the department.
    let mut user_names = BTreeSet::new();
    let mut users: Vec<User> = Vec::with_capacity(n_teams * 2);
    for &team in &teams {
        for _ in 0..rng.range(1, 3) {
            let first = *rng.pick(FIRST_NAMES);
            let last = *rng.pick(LAST_NAMES);
            let name = unique(&mut user_names, format!("{first}-{last}"));
            let suffix = name.rsplit_once('-').map_or("", |(_, s)| s);
            let num = if suffix.bytes().all(|b| b.is_ascii_digit()) { suffix } else { "" };
            let idx = users.len();
            users.push(User {
                email: format!("{first}.{last}{num}@acme.example"),
                display: format!("{} {}", capitalize(first), capitalize(last)),
                name,
                member_of: vec![team],
            });
            groups[team].members.push(idx);
        }
    }
    for &dept in &depts {
        let lead = groups[dept].children.first().and_then(|&team| groups[team].members.first().copied());
        if let Some(lead) = lead {
            groups[dept].members.push(lead);
            users[lead].member_of.push(dept);
        }
    }

    let mut domain_names = BTreeSet::new();
    let domains: Vec<Domain> = (0..n_domains)
        .map(|_| {
            let area = *rng.pick(DOMAIN_AREAS);
            let base = format!("{}-{area}", rng.pick(DOMAIN_QUALIFIERS));
            Domain { name: unique(&mut domain_names, base), owner: *rng.pick(&depts), area }
        })
        .collect();

    let mut system_names = BTreeSet::new();
    let systems: Vec<System> = (0..n_systems)
        .map(|j| {
            let base = format!("{}-{}", rng.pick(COMPONENT_NOUNS), rng.pick(SYSTEM_SUFFIXES));
            // Every domain gets at least one system.
            let domain = if j < n_domains { j } else { rng.below(n_domains) };
            System { name: unique(&mut system_names, base), domain, owner: *rng.pick(&teams) }
        })
        .collect();

    Org { groups, teams, depts, users, domains, systems }
}

fn write_org(buf: &mut Vec<u8>, org: &Org) -> io::Result<()> {
    let mut first = true;
    let mut sep = |buf: &mut Vec<u8>| -> io::Result<()> {
        if !first {
            writeln!(buf, "---")?;
        }
        first = false;
        Ok(())
    };
    for g in &org.groups {
        sep(buf)?;
        let display = if g.kind == "organization" { "ACME Corporation".to_string() } else { title_case(&g.name) };
        writeln!(buf, "apiVersion: backstage.io/v1alpha1")?;
        writeln!(buf, "kind: Group")?;
        writeln!(buf, "metadata:")?;
        writeln!(buf, "  name: {}", g.name)?;
        writeln!(buf, "  description: {}", q(&format!("The {display} {}.", g.kind)))?;
        writeln!(buf, "spec:")?;
        writeln!(buf, "  type: {}", g.kind)?;
        writeln!(buf, "  profile:")?;
        writeln!(buf, "    displayName: {}", q(&display))?;
        writeln!(buf, "    email: {}", q(&format!("{}@acme.example", g.name)))?;
        if let Some(p) = g.parent {
            writeln!(buf, "  parent: {}", org.groups[p].name)?;
        }
        write_name_list(buf, "  children", g.children.iter().map(|&c| &org.groups[c].name))?;
        if !g.members.is_empty() {
            write_name_list(buf, "  members", g.members.iter().map(|&u| &org.users[u].name))?;
        }
    }
    for u in &org.users {
        sep(buf)?;
        writeln!(buf, "apiVersion: backstage.io/v1alpha1")?;
        writeln!(buf, "kind: User")?;
        writeln!(buf, "metadata:")?;
        writeln!(buf, "  name: {}", u.name)?;
        writeln!(buf, "spec:")?;
        writeln!(buf, "  profile:")?;
        writeln!(buf, "    displayName: {}", q(&u.display))?;
        writeln!(buf, "    email: {}", q(&u.email))?;
        write_name_list(buf, "  memberOf", u.member_of.iter().map(|&g| &org.groups[g].name))?;
    }
    for d in &org.domains {
        sep(buf)?;
        writeln!(buf, "apiVersion: backstage.io/v1alpha1")?;
        writeln!(buf, "kind: Domain")?;
        writeln!(buf, "metadata:")?;
        writeln!(buf, "  name: {}", d.name)?;
        writeln!(buf, "  title: {}", q(&title_case(&d.name)))?;
        writeln!(
            buf,
            "  description: {}",
            q(&format!("Everything related to {} for the {} business.", d.area, title_case(&d.name)))
        )?;
        writeln!(buf, "spec:")?;
        writeln!(buf, "  owner: {}", org.groups[d.owner].name)?;
    }
    for s in &org.systems {
        sep(buf)?;
        writeln!(buf, "apiVersion: backstage.io/v1alpha1")?;
        writeln!(buf, "kind: System")?;
        writeln!(buf, "metadata:")?;
        writeln!(buf, "  name: {}", s.name)?;
        writeln!(buf, "  title: {}", q(&title_case(&s.name)))?;
        writeln!(
            buf,
            "  description: {}",
            q(&format!(
                "The {} groups the services behind {}.",
                title_case(&s.name),
                title_case(&org.domains[s.domain].name)
            ))
        )?;
        writeln!(buf, "spec:")?;
        writeln!(buf, "  owner: {}", org.groups[s.owner].name)?;
        writeln!(buf, "  domain: {}", org.domains[s.domain].name)?;
    }
    Ok(())
}

/// Writes `key:` followed by a block list, or `key: []` when empty.
fn write_name_list<'a>(buf: &mut Vec<u8>, key: &str, items: impl Iterator<Item = &'a String>) -> io::Result<()> {
    let indent = key.len() - key.trim_start().len();
    let mut items = items.peekable();
    if items.peek().is_none() {
        return writeln!(buf, "{key}: []");
    }
    writeln!(buf, "{key}:")?;
    for item in items {
        writeln!(buf, "{:indent$}  - {item}", "")?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Components
// ---------------------------------------------------------------------------

#[derive(Default)]
struct Stats {
    domains: usize,
    systems: usize,
    groups: usize,
    users: usize,
    components: usize,
    apis: usize,
    resources: usize,
    docs_pages: usize,
}

/// Everything the per-component writers need to know about one component.
struct Component {
    name: String,
    title: String,
    description: String,
    kind: &'static str,
    lifecycle: &'static str,
    owner: String,
    system: String,
    has_docs: bool,
    api: Option<String>,
    resource: Option<String>,
}

fn run(cfg: &Config) -> io::Result<Stats> {
    if cfg.force && is_non_empty_dir(&cfg.out)? {
        fs::remove_dir_all(&cfg.out).map_err(with_path(&cfg.out))?;
    }
    create_dir(&cfg.out)?;

    let mut rng = Rng::new(cfg.seed);
    let org = build_org(cfg.components, &mut rng);
    let mut stats = Stats {
        domains: org.domains.len(),
        systems: org.systems.len(),
        groups: org.groups.len(),
        users: org.users.len(),
        ..Stats::default()
    };
    debug_assert!(!org.depts.is_empty());

    let mut buf: Vec<u8> = Vec::with_capacity(256 * 1024);
    write_site_toml(&mut buf, cfg.components)?;
    write_file(&cfg.out.join("site.toml"), &buf)?;

    let org_dir = cfg.out.join("org");
    create_dir(&org_dir)?;
    buf.clear();
    write_org(&mut buf, &org)?;
    write_file(&org_dir.join("catalog-info.yaml"), &buf)?;

    let repos = cfg.out.join("repos");
    create_dir(&repos)?;
    let width = cfg.components.to_string().len().max(4);
    let mut component_names: Vec<String> = Vec::with_capacity(cfg.components);
    let mut resource_names: Vec<String> = Vec::new();
    let mut api_names: Vec<String> = Vec::new();

    for i in 0..cfg.components {
        let mut rng = Rng::derive(cfg.seed, i as u64 + 1);
        let kind_roll = rng.unit();
        let (kind, suffixes) = if kind_roll < 0.60 {
            ("service", SERVICE_SUFFIXES)
        } else if kind_roll < 0.75 {
            ("website", WEBSITE_SUFFIXES)
        } else {
            ("library", LIBRARY_SUFFIXES)
        };
        let life_roll = rng.unit();
        let lifecycle = if life_roll < 0.70 {
            "production"
        } else if life_roll < 0.90 {
            "experimental"
        } else {
            "deprecated"
        };
        let noun = *rng.pick(COMPONENT_NOUNS);
        let suffix = *rng.pick(suffixes);
        let name = format!("{noun}-{suffix}-{:0width$}", i + 1);
        let title = format!("{} {:0width$}", title_case(&format!("{noun}-{suffix}")), i + 1);
        let team = &org.groups[org.teams[i % org.teams.len()]];
        let system = &org.systems[rng.below(org.systems.len())];

        let mut description = format!(
            "{} {} {} {} {}.",
            capitalize(&title_case(noun).to_lowercase()),
            suffix,
            rng.pick(DESC_VERBS),
            rng.pick(DESC_OBJECTS),
            rng.pick(DESC_CONTEXTS)
        );
        if rng.chance(0.5) {
            description.push(' ');
            let second = *rng.pick(DESC_SECOND);
            description.push_str(second);
        }

        let has_docs = rng.chance(cfg.docs_ratio);
        let api = (kind == "service" && rng.chance(0.4)).then(|| format!("{name}-api"));
        let resource = rng.chance(0.1).then(|| format!("{name}-db"));

        let comp = Component {
            name,
            title,
            description,
            kind,
            lifecycle,
            owner: team.name.clone(),
            system: system.name.clone(),
            has_docs,
            api,
            resource,
        };

        let dir = repos.join(&comp.name);
        create_dir(&dir)?;
        buf.clear();
        write_component(&mut buf, &mut rng, &comp, &component_names, &resource_names, &api_names)?;
        write_file(&dir.join("catalog-info.yaml"), &buf)?;

        if comp.api.is_some() {
            buf.clear();
            write_openapi(&mut buf, &mut rng, &comp)?;
            write_file(&dir.join("openapi.yaml"), &buf)?;
            stats.apis += 1;
        }
        if comp.has_docs {
            stats.docs_pages += write_docs(&mut buf, &mut rng, &comp, &dir)?;
        }

        if let Some(api) = comp.api {
            api_names.push(api);
        }
        if let Some(res) = comp.resource {
            resource_names.push(res);
            stats.resources += 1;
        }
        component_names.push(comp.name);
        stats.components += 1;
    }
    Ok(stats)
}

fn write_site_toml(buf: &mut Vec<u8>, n: usize) -> io::Result<()> {
    write!(
        buf,
        "[site]\n\
         title = \"Generated org ({n} components)\"\n\
         base_url = \"/\"\n\
         output = \"public\"\n\
         \n\
         [[sources]]\n\
         name = \"org\"\n\
         path = \"org\"\n\
         catalog = [\"**/catalog-info.yaml\"]\n\
         \n\
         [[sources]]\n\
         name = \"repos\"\n\
         path = \"repos\"\n\
         catalog = [\"*/catalog-info.yaml\"]\n"
    )
}

fn write_component(
    buf: &mut Vec<u8>,
    rng: &mut Rng,
    c: &Component,
    components: &[String],
    resources: &[String],
    apis: &[String],
) -> io::Result<()> {
    writeln!(buf, "apiVersion: backstage.io/v1alpha1")?;
    writeln!(buf, "kind: Component")?;
    writeln!(buf, "metadata:")?;
    writeln!(buf, "  name: {}", c.name)?;
    writeln!(buf, "  title: {}", q(&c.title))?;
    writeln!(buf, "  description: {}", q(&c.description))?;
    writeln!(buf, "  tags:")?;
    let n_tags = rng.range(1, 3);
    for t in rng.distinct(TAGS.len(), n_tags) {
        writeln!(buf, "    - {}", TAGS[t])?;
    }
    if rng.chance(0.5) {
        const LINKS: &[(&str, &str, &str)] = &[
            ("https://grafana.acme.example/d/", "Grafana dashboard", "dashboard"),
            ("https://github.com/acme/", "Source code", "github"),
            ("https://wiki.acme.example/display/", "Design notes", "docs"),
        ];
        writeln!(buf, "  links:")?;
        let n_links = rng.range(1, 3);
        for l in rng.distinct(LINKS.len(), n_links) {
            let (base, title, icon) = LINKS[l];
            writeln!(buf, "    - url: {}", q(&format!("{base}{}", c.name)))?;
            writeln!(buf, "      title: {}", q(title))?;
            writeln!(buf, "      icon: {icon}")?;
        }
    }
    writeln!(buf, "  annotations:")?;
    writeln!(buf, "    github.com/project-slug: acme/{}", c.name)?;
    if rng.chance(0.3) {
        const ALNUM: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
        let id: String = (0..7).map(|k| if k == 0 { 'P' } else { char::from(*rng.pick(ALNUM)) }).collect();
        writeln!(buf, "    pagerduty.com/service-id: {}", q(&id))?;
    }
    if c.has_docs {
        writeln!(buf, "    backstage.io/techdocs-ref: dir:.")?;
    }
    writeln!(buf, "spec:")?;
    writeln!(buf, "  type: {}", c.kind)?;
    writeln!(buf, "  lifecycle: {}", c.lifecycle)?;
    writeln!(buf, "  owner: {}", c.owner)?;
    writeln!(buf, "  system: {}", c.system)?;

    // Dependencies: own database first, then earlier components/resources.
    let mut deps: Vec<String> = Vec::new();
    if let Some(res) = &c.resource {
        deps.push(format!("resource:{res}"));
    }
    let want = rng.range(0, 4).max(deps.len());
    let mut attempts = 0;
    while deps.len() < want && attempts < 16 {
        attempts += 1;
        let dep = if !resources.is_empty() && rng.chance(0.25) {
            format!("resource:{}", rng.pick(resources))
        } else if !components.is_empty() {
            format!("component:{}", rng.pick(components))
        } else {
            continue;
        };
        if !deps.contains(&dep) {
            deps.push(dep);
        }
    }
    if !deps.is_empty() {
        write_name_list(buf, "  dependsOn", deps.iter())?;
    }
    if let Some(api) = &c.api {
        writeln!(buf, "  providesApis:")?;
        writeln!(buf, "    - {api}")?;
    }
    let n_consumed = rng.range(0, 3);
    if n_consumed > 0 && !apis.is_empty() {
        let picked = rng.distinct(apis.len(), n_consumed);
        write_name_list(buf, "  consumesApis", picked.iter().map(|&a| &apis[a]))?;
    }

    if let Some(api) = &c.api {
        writeln!(buf, "---")?;
        writeln!(buf, "apiVersion: backstage.io/v1alpha1")?;
        writeln!(buf, "kind: API")?;
        writeln!(buf, "metadata:")?;
        writeln!(buf, "  name: {api}")?;
        writeln!(buf, "  title: {}", q(&format!("{} API", c.title)))?;
        writeln!(buf, "  description: {}", q(&format!("HTTP API exposed by {}.", c.title)))?;
        writeln!(buf, "  tags:")?;
        writeln!(buf, "    - rest")?;
        writeln!(buf, "spec:")?;
        writeln!(buf, "  type: openapi")?;
        writeln!(buf, "  lifecycle: {}", c.lifecycle)?;
        writeln!(buf, "  owner: {}", c.owner)?;
        writeln!(buf, "  system: {}", c.system)?;
        writeln!(buf, "  definition:")?;
        writeln!(buf, "    $text: ./openapi.yaml")?;
    }
    if let Some(res) = &c.resource {
        writeln!(buf, "---")?;
        writeln!(buf, "apiVersion: backstage.io/v1alpha1")?;
        writeln!(buf, "kind: Resource")?;
        writeln!(buf, "metadata:")?;
        writeln!(buf, "  name: {res}")?;
        writeln!(buf, "  title: {}", q(&format!("{} database", c.title)))?;
        writeln!(buf, "  description: {}", q(&format!("PostgreSQL database backing {}.", c.title)))?;
        writeln!(buf, "spec:")?;
        writeln!(buf, "  type: database")?;
        writeln!(buf, "  owner: {}", c.owner)?;
        writeln!(buf, "  system: {}", c.system)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// OpenAPI
// ---------------------------------------------------------------------------

fn write_openapi(buf: &mut Vec<u8>, rng: &mut Rng, c: &Component) -> io::Result<()> {
    let n_paths = rng.range(2, 6);
    let nouns = rng.distinct(API_NOUNS.len(), n_paths.div_ceil(2));
    writeln!(buf, "openapi: 3.0.3")?;
    writeln!(buf, "info:")?;
    writeln!(buf, "  title: {}", q(&format!("{} API", c.title)))?;
    writeln!(buf, "  version: {}", q(&format!("{}.{}.{}", rng.range(1, 3), rng.below(10), rng.below(20))))?;
    writeln!(buf, "  description: {}", q(&c.description))?;
    writeln!(buf, "  contact:")?;
    writeln!(buf, "    name: {}", q(&c.owner))?;
    writeln!(buf, "    email: {}", q(&format!("{}@acme.example", c.owner)))?;
    writeln!(buf, "servers:")?;
    writeln!(buf, "  - url: {}", q(&format!("https://{}.acme.example/v1", c.name)))?;
    writeln!(buf, "tags:")?;
    for &n in &nouns {
        writeln!(buf, "  - name: {}", API_NOUNS[n].1)?;
    }
    writeln!(buf, "paths:")?;
    let mut written = 0;
    for &n in &nouns {
        let (singular, plural, schema) = API_NOUNS[n];
        if written < n_paths {
            written += 1;
            write_collection_path(buf, singular, plural, schema)?;
        }
        if written < n_paths {
            written += 1;
            write_item_path(buf, singular, plural, schema)?;
        }
    }
    writeln!(buf, "components:")?;
    writeln!(buf, "  schemas:")?;
    for &n in &nouns {
        let (_, _, schema) = API_NOUNS[n];
        let n_fields = rng.range(3, 6);
        let fields = rng.distinct(API_FIELDS.len(), n_fields);
        writeln!(buf, "    {schema}:")?;
        writeln!(buf, "      type: object")?;
        writeln!(buf, "      required:")?;
        writeln!(buf, "        - id")?;
        writeln!(buf, "        - {}", API_FIELDS[fields[0]].0)?;
        writeln!(buf, "      properties:")?;
        writeln!(buf, "        id:")?;
        writeln!(buf, "          type: string")?;
        writeln!(buf, "          format: uuid")?;
        writeln!(buf, "          readOnly: true")?;
        for f in fields {
            let (fname, ftype, format) = API_FIELDS[f];
            writeln!(buf, "        {fname}:")?;
            writeln!(buf, "          type: {ftype}")?;
            if !format.is_empty() {
                writeln!(buf, "          format: {format}")?;
            }
        }
    }
    writeln!(buf, "    Error:")?;
    writeln!(buf, "      type: object")?;
    writeln!(buf, "      required:")?;
    writeln!(buf, "        - code")?;
    writeln!(buf, "        - message")?;
    writeln!(buf, "      properties:")?;
    writeln!(buf, "        code:")?;
    writeln!(buf, "          type: string")?;
    writeln!(buf, "        message:")?;
    writeln!(buf, "          type: string")?;
    Ok(())
}

fn write_error_response(buf: &mut Vec<u8>, code: &str, description: &str) -> io::Result<()> {
    writeln!(buf, "        {code}:")?;
    writeln!(buf, "          description: {}", q(description))?;
    writeln!(buf, "          content:")?;
    writeln!(buf, "            application/json:")?;
    writeln!(buf, "              schema:")?;
    writeln!(buf, "                $ref: '#/components/schemas/Error'")
}

fn write_collection_path(buf: &mut Vec<u8>, singular: &str, plural: &str, schema: &str) -> io::Result<()> {
    let plural_pascal = capitalize(plural);
    writeln!(buf, "  {}:", q(&format!("/{plural}")))?;
    writeln!(buf, "    get:")?;
    writeln!(buf, "      operationId: list{plural_pascal}")?;
    writeln!(buf, "      summary: {}", q(&format!("List {plural}")))?;
    writeln!(buf, "      tags:")?;
    writeln!(buf, "        - {plural}")?;
    writeln!(buf, "      parameters:")?;
    writeln!(buf, "        - name: limit")?;
    writeln!(buf, "          in: query")?;
    writeln!(buf, "          required: false")?;
    writeln!(buf, "          description: Maximum number of items to return.")?;
    writeln!(buf, "          schema:")?;
    writeln!(buf, "            type: integer")?;
    writeln!(buf, "            format: int32")?;
    writeln!(buf, "            minimum: 1")?;
    writeln!(buf, "            maximum: 100")?;
    writeln!(buf, "            default: 20")?;
    writeln!(buf, "        - name: cursor")?;
    writeln!(buf, "          in: query")?;
    writeln!(buf, "          required: false")?;
    writeln!(buf, "          description: Opaque pagination cursor.")?;
    writeln!(buf, "          schema:")?;
    writeln!(buf, "            type: string")?;
    writeln!(buf, "      responses:")?;
    writeln!(buf, "        '200':")?;
    writeln!(buf, "          description: {}", q(&format!("A page of {plural}")))?;
    writeln!(buf, "          content:")?;
    writeln!(buf, "            application/json:")?;
    writeln!(buf, "              schema:")?;
    writeln!(buf, "                type: object")?;
    writeln!(buf, "                properties:")?;
    writeln!(buf, "                  items:")?;
    writeln!(buf, "                    type: array")?;
    writeln!(buf, "                    items:")?;
    writeln!(buf, "                      $ref: '#/components/schemas/{schema}'")?;
    writeln!(buf, "                  nextCursor:")?;
    writeln!(buf, "                    type: string")?;
    write_error_response(buf, "default", "Unexpected error")?;
    writeln!(buf, "    post:")?;
    writeln!(buf, "      operationId: create{}", capitalize(singular))?;
    writeln!(buf, "      summary: {}", q(&format!("Create a {singular}")))?;
    writeln!(buf, "      tags:")?;
    writeln!(buf, "        - {plural}")?;
    writeln!(buf, "      requestBody:")?;
    writeln!(buf, "        required: true")?;
    writeln!(buf, "        content:")?;
    writeln!(buf, "          application/json:")?;
    writeln!(buf, "            schema:")?;
    writeln!(buf, "              $ref: '#/components/schemas/{schema}'")?;
    writeln!(buf, "      responses:")?;
    writeln!(buf, "        '201':")?;
    writeln!(buf, "          description: {}", q(&format!("The created {singular}")))?;
    writeln!(buf, "          content:")?;
    writeln!(buf, "            application/json:")?;
    writeln!(buf, "              schema:")?;
    writeln!(buf, "                $ref: '#/components/schemas/{schema}'")?;
    write_error_response(buf, "'400'", "Invalid request")
}

fn write_item_path(buf: &mut Vec<u8>, singular: &str, plural: &str, schema: &str) -> io::Result<()> {
    let id = format!("{singular}Id");
    writeln!(buf, "  {}:", q(&format!("/{plural}/{{{id}}}")))?;
    writeln!(buf, "    get:")?;
    writeln!(buf, "      operationId: get{}", capitalize(singular))?;
    writeln!(buf, "      summary: {}", q(&format!("Get a {singular} by id")))?;
    writeln!(buf, "      tags:")?;
    writeln!(buf, "        - {plural}")?;
    writeln!(buf, "      parameters:")?;
    writeln!(buf, "        - name: {id}")?;
    writeln!(buf, "          in: path")?;
    writeln!(buf, "          required: true")?;
    writeln!(buf, "          schema:")?;
    writeln!(buf, "            type: string")?;
    writeln!(buf, "            format: uuid")?;
    writeln!(buf, "      responses:")?;
    writeln!(buf, "        '200':")?;
    writeln!(buf, "          description: {}", q(&format!("The requested {singular}")))?;
    writeln!(buf, "          content:")?;
    writeln!(buf, "            application/json:")?;
    writeln!(buf, "              schema:")?;
    writeln!(buf, "                $ref: '#/components/schemas/{schema}'")?;
    write_error_response(buf, "'404'", &format!("No such {singular}"))
}

// ---------------------------------------------------------------------------
// TechDocs
// ---------------------------------------------------------------------------

fn sentence(rng: &mut Rng) -> String {
    format!("{} {} {} {}.", rng.pick(SUBJECTS), rng.pick(VERBS), rng.pick(OBJECTS), rng.pick(TAILS))
}

fn paragraph(rng: &mut Rng) -> String {
    let n = rng.range(2, 5);
    (0..n).map(|_| sentence(rng)).collect::<Vec<_>>().join(" ")
}

fn code_block(rng: &mut Rng, name: &str) -> (&'static str, String) {
    let port = 8000 + rng.below(100);
    match rng.below(6) {
        0 => (
            "bash",
            format!(
                "# Build and run {name} locally\nmake build\n./bin/{name} --config config/local.yaml\ncurl -s http://localhost:{port}/healthz"
            ),
        ),
        1 => (
            "yaml",
            format!(
                "server:\n  port: {port}\n  readTimeout: 5s\ndatabase:\n  url: postgres://{name}-db:5432/app\n  poolSize: {}\nlogging:\n  level: info",
                rng.range(4, 64)
            ),
        ),
        2 => (
            "json",
            format!(
                "{{\n  \"service\": \"{name}\",\n  \"replicas\": {},\n  \"region\": \"eu-west-1\",\n  \"port\": {port}\n}}",
                rng.range(2, 12)
            ),
        ),
        3 => (
            "python",
            format!(
                "from acme_client import Client\n\nclient = Client(\"https://{name}.acme.example\")\nstatus = client.health()\nprint(status)"
            ),
        ),
        4 => (
            "go",
            format!(
                "package main\n\nimport \"github.com/acme/{name}/client\"\n\nfunc main() {{\n\tc := client.New(\"https://{name}.acme.example\")\n\t_ = c.Ping()\n}}"
            ),
        ),
        _ => (
            "rust",
            format!(
                "fn main() -> Result<(), Box<dyn std::error::Error>> {{\n    let url = \"https://{name}.acme.example/healthz\";\n    println!(\"checking {{url}} on port {port}\");\n    Ok(())\n}}"
            ),
        ),
    }
}

/// Writes the common body of a page: sections with prose, a list, a code
/// block, a table, a link to `link` and sometimes an admonition.
fn write_page_body(buf: &mut Vec<u8>, rng: &mut Rng, c: &Component, link: (&str, &str)) -> io::Result<()> {
    let n_sections = rng.range(2, 4);
    let sections = rng.distinct(SECTION_TITLES.len(), n_sections);
    let code_at = rng.below(n_sections);
    let table_at = rng.below(n_sections);
    let list_at = rng.below(n_sections);
    let admonition_at = if rng.chance(0.4) { Some(rng.below(n_sections)) } else { None };
    for (k, &s) in sections.iter().enumerate() {
        writeln!(buf, "## {}\n", SECTION_TITLES[s])?;
        writeln!(buf, "{}\n", paragraph(rng))?;
        if k == 0 {
            writeln!(buf, "See [{}]({}) for related information.\n", link.1, link.0)?;
        }
        if k == list_at {
            let n_bullets = rng.range(3, 5);
            for b in rng.distinct(BULLETS.len(), n_bullets) {
                writeln!(buf, "- {}", BULLETS[b])?;
            }
            writeln!(buf)?;
        }
        if k == code_at {
            writeln!(buf, "### {}\n", rng.pick(SUBSECTION_TITLES))?;
            writeln!(buf, "{}\n", sentence(rng))?;
            let (lang, code) = code_block(rng, &c.name);
            writeln!(buf, "```{lang}\n{code}\n```\n")?;
        }
        if k == table_at {
            writeln!(buf, "| Setting | Default | Description |")?;
            writeln!(buf, "| --- | --- | --- |")?;
            let n_rows = rng.range(2, 4);
            for r in rng.distinct(SETTINGS.len(), n_rows) {
                let (key, default, desc) = SETTINGS[r];
                writeln!(buf, "| `{key}` | `{default}` | {desc} |")?;
            }
            writeln!(buf)?;
        }
        if admonition_at == Some(k) {
            let (kind, title) = *rng.pick(ADMONITIONS);
            writeln!(buf, "!!! {kind} \"{title}\"")?;
            writeln!(buf, "    {}", sentence(rng))?;
            writeln!(buf, "    {}\n", sentence(rng))?;
        }
    }
    Ok(())
}

/// Writes `mkdocs.yml` and `docs/*.md`; returns the number of pages.
fn write_docs(buf: &mut Vec<u8>, rng: &mut Rng, c: &Component, dir: &Path) -> io::Result<usize> {
    let n_pages = rng.range(2, 5);
    let pages: Vec<(&str, &str)> = rng.distinct(PAGES.len(), n_pages).into_iter().map(|p| PAGES[p]).collect();

    buf.clear();
    writeln!(buf, "site_name: {}", q(&c.title))?;
    writeln!(buf, "site_description: {}", q(&c.description))?;
    writeln!(buf, "nav:")?;
    writeln!(buf, "  - Home: index.md")?;
    for (slug, title) in &pages {
        writeln!(buf, "  - {title}: {slug}.md")?;
    }
    writeln!(buf, "plugins:")?;
    writeln!(buf, "  - techdocs-core")?;
    write_file(&dir.join("mkdocs.yml"), buf)?;

    let docs = dir.join("docs");
    create_dir(&docs)?;

    // index.md
    buf.clear();
    writeln!(buf, "# {}\n", c.title)?;
    writeln!(buf, "{}\n", c.description)?;
    writeln!(buf, "| Property | Value |")?;
    writeln!(buf, "| --- | --- |")?;
    writeln!(buf, "| Type | {} |", c.kind)?;
    writeln!(buf, "| Lifecycle | {} |", c.lifecycle)?;
    writeln!(buf, "| Owner | {} |", c.owner)?;
    writeln!(buf, "| System | {} |", c.system)?;
    writeln!(buf)?;
    writeln!(buf, "## Contents\n")?;
    for (slug, title) in &pages {
        writeln!(buf, "- [{title}]({slug}.md)")?;
    }
    writeln!(buf)?;
    let (first_slug, first_title) = pages[0];
    write_page_body(buf, rng, c, (&format!("{first_slug}.md"), first_title))?;
    write_file(&docs.join("index.md"), buf)?;

    for (k, (slug, title)) in pages.iter().enumerate() {
        buf.clear();
        writeln!(buf, "# {title}\n")?;
        writeln!(buf, "{}\n", paragraph(rng))?;
        // Link to the next page in the tree, wrapping back to the index.
        let link = match pages.get(k + 1) {
            Some((s, t)) => (format!("{s}.md"), *t),
            None => ("index.md".to_string(), "the overview"),
        };
        write_page_body(buf, rng, c, (&link.0, link.1))?;
        write_file(&docs.join(format!("{slug}.md")), buf)?;
    }
    Ok(pages.len() + 1)
}
