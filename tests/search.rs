//! The search index on the demo organisation: every file the manifest names
//! exists, file names follow content, and — with Node — the sharded client
//! ranks exactly as elasticlunr.js on the whole index (tests/browser/search-parity.cjs).

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use common::*;
use portalgen::config::Config;
use portalgen::pipeline::{load_catalog, LoadOptions};
use portalgen::search::{self, DocsSection, DOCS_FIELDS, ENTITY_FIELDS};
use portalgen::site::views::Views;

fn demo() -> portalgen::pipeline::Loaded {
    let project = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = Config::load(&project.join("site.toml")).unwrap_or_else(|e| panic!("site.toml: {e:?}"));
    load_catalog(&config, LoadOptions { offline: true })
}

/// Deterministic docs sections over the demo entities: a skewed vocabulary
/// (a few very common words, many rare ones) with the entities' names mixed in.
fn sections(catalog: &portalgen::catalog::Catalog, n: usize) -> Vec<DocsSection> {
    const WORDS: &[&str] = &[
        "service",
        "deploy",
        "deployment",
        "deploying",
        "database",
        "payments",
        "payment",
        "kafka",
        "consumer",
        "consumers",
        "retry",
        "retries",
        "timeout",
        "latency",
        "cluster",
        "clusters",
        "install",
        "installing",
        "configure",
        "configuration",
        "monitoring",
        "alerts",
        "alerting",
        "runbook",
        "incident",
        "rollback",
        "release",
        "releases",
        "schema",
        "migration",
        "migrations",
        "cache",
        "caching",
        "queue",
        "queues",
        "token",
        "tokens",
        "authentication",
        "authorization",
        "playback",
        "archive",
        "search",
        "index",
        "indexing",
        "artist",
        "artists",
        "podcast",
        "storage",
        "ingestion",
        "pipeline",
        "pipelines",
        "grpc",
        "openapi",
        "endpoint",
        "endpoints",
        "metrics",
        "dashboard",
        "tracing",
        "logging",
        "on-call",
        "sla",
    ];
    let mut state: u64 = 42;
    let mut next = move |bound: usize| {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((state >> 33) as usize) % bound.max(1)
    };
    let names: Vec<&str> = catalog.entities.iter().map(|e| e.name.as_str()).collect();
    (0..n)
        .map(|i| {
            let e = &catalog.entities[i % catalog.entities.len()];
            let word = |next: &mut dyn FnMut(usize) -> usize| {
                // Skewed: low indexes far more often.
                let r = next(WORDS.len());
                let r = r * next(WORDS.len()) / WORDS.len();
                if next(10) == 0 {
                    names[next(names.len())].to_string()
                } else {
                    WORDS[r].to_string()
                }
            };
            let len = 10 + next(60);
            let text: Vec<String> = (0..len).map(|_| word(&mut next)).collect();
            let heading: Vec<String> = (0..1 + next(3)).map(|_| word(&mut next)).collect();
            DocsSection {
                url: format!("docs/default/{}/{}/page{}/#s{i}", e.kind.to_lowercase(), e.name, i % 3),
                page_title: format!("{} page {}", e.name, i % 3),
                heading: heading.join(" "),
                text: text.join(" "),
                entity_ref: e.entity_ref.clone(),
            }
        })
        .collect()
}

fn small(shard_bytes: usize) -> search::Limits {
    search::Limits { shard_bytes, ..Default::default() }
}

fn write(dir: &Path, files: &[(String, Vec<u8>)]) {
    for (rel, bytes) in files {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap_or(dir)).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

#[test]
fn manifest_names_only_files_that_exist_and_names_follow_content() {
    let loaded = demo();
    let views = Views::new(&loaded.catalog, portalgen::config::UrlStyle::Directory);
    let docs = sections(&loaded.catalog, 600);
    let built = search::build_with(&views, &docs, small(2048));
    let names: BTreeSet<&str> = built.files.iter().map(|(f, _)| f.as_str()).collect();
    let manifest = built.files.iter().find(|(f, _)| f == "search/manifest.js").map(|(_, b)| String::from_utf8_lossy(b));
    let manifest = manifest.unwrap_or_else(|| panic!("no manifest in {names:?}"));
    let json_text = manifest.trim().trim_start_matches("PORTALGEN_SEARCH_LOAD(\"manifest\",").trim_end_matches(");");
    let m = json(json_text);
    assert_eq!(m["entities"]["n"], loaded.catalog.entities.len());
    assert_eq!(m["docs"]["n"], 600);
    for (part, dir) in [("entities", "e"), ("docs", "d")] {
        let shards = m[part]["shards"].as_object().unwrap_or_else(|| panic!("{m}"));
        assert!(shards.len() > 10, "{part}: {} shards", shards.len());
        for (key, hash) in shards {
            assert!(key.chars().count() >= 1);
            let file = format!("search/{dir}/{}.js", hash.as_str().unwrap_or_default());
            assert!(names.contains(file.as_str()), "{file} (shard {key}) not written");
        }
        // Buckets are named by their group's hash and their number.
        let groups = m[part]["records"].as_array().cloned().unwrap_or_default();
        let (bucket, group) = (search::BUCKET, search::GROUP);
        let n = m[part]["n"].as_u64().unwrap_or(0) as usize;
        for b in 0..n.div_ceil(bucket) {
            let file = format!("search/r/{}-{b}.js", groups[b / group].as_str().unwrap_or_default());
            assert!(names.contains(file.as_str()), "{file} not written");
        }
    }
    assert!(names.contains(format!("search/{}.js", m["facets"].as_str().unwrap_or_default()).as_str()));
    // A small change (one section's text) changes few files.
    let mut changed = docs.clone();
    changed[7].text.push_str(" zebrafish");
    let again = search::build_with(&views, &changed, small(2048));
    let after: BTreeSet<&str> = again.files.iter().map(|(f, _)| f.as_str()).collect();
    let same = search::build_with(&views, &docs, small(2048));
    let same: BTreeSet<&str> = same.files.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(names, same, "the same input gives the same files");
    // Only the docs shards holding that section's terms change (its length
    // norm is baked into each of its postings), and its record bucket.
    let gone: Vec<&&str> = names.difference(&after).collect();
    assert!(!gone.iter().any(|f| f.starts_with("search/e/")), "entity shards changed: {gone:?}");
    assert!(gone.iter().filter(|f| f.starts_with("search/r/")).count() <= search::GROUP, "{gone:?}");
    let terms: BTreeSet<String> = changed[7].text.split_whitespace().map(|w| w.to_lowercase()).collect();
    let shards = gone.iter().filter(|f| f.starts_with("search/d/")).count();
    assert!(
        shards >= 1 && shards <= terms.len(),
        "{shards} docs shards changed for a section of {} words",
        terms.len()
    );
}

#[test]
fn entity_records_and_facets_describe_the_demo() {
    let loaded = demo();
    let views = Views::new(&loaded.catalog, portalgen::config::UrlStyle::Directory);
    let built = search::build(&views, &[]);
    let all: String = built
        .files
        .iter()
        .filter(|(f, _)| f.starts_with("search/r/"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert!(all.contains("\"catalog/default/component/artist-lookup/\""), "no record for artist-lookup");
    let facets = built
        .files
        .iter()
        .find(|(f, _)| f.starts_with("search/f/"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned());
    let facets = facets.unwrap_or_default();
    assert!(facets.contains("\"group:default/team-a\""), "owner dictionary lacks team-a");
    assert!(facets.contains("\"owner_parent\""));
}

#[test]
fn sharded_client_ranks_like_elasticlunr_on_the_full_index() {
    let project = Path::new(env!("CARGO_MANIFEST_DIR"));
    if Command::new("node").arg("--version").output().map(|o| !o.status.success()).unwrap_or(true) {
        assert!(std::env::var_os("PORTALGEN_REQUIRE_BROWSER").is_none(), "the parity test needs node");
        eprintln!("skipped: needs node");
        return;
    }
    let loaded = demo();
    let views = Views::new(&loaded.catalog, portalgen::config::UrlStyle::Directory);
    let docs = sections(&loaded.catalog, 3000);
    let dir = tempdir();
    // A small shard limit, so that prefixes split several levels deep, and
    // every posting kept: the exact ranking.
    let exact = search::Limits { shard_bytes: 4096, docs_postings: usize::MAX };
    write(dir.path(), &search::build_with(&views, &docs, exact).files);
    let corpus = search::corpus(&views, &docs);
    let full = [
        ("full-entities.json", search::full_index_json(&ENTITY_FIELDS, &corpus.entity_docs)),
        ("full-docs.json", search::full_index_json(&DOCS_FIELDS, &corpus.section_docs)),
    ];
    for (name, text) in full {
        std::fs::write(dir.path().join(name), text).unwrap_or_else(|e| panic!("{e}"));
    }
    let queries = dir.path().join("queries.txt");
    std::fs::write(
        &queries,
        [
            "wayback",
            "wayb",
            "pa",
            "pay",
            "payments",
            "artist lookup",
            "team-a",
            "playback sdk",
            "kafka consumer retries",
            "deploy",
            "deployment rollback",
            "se",
            "search index",
            "service",
            "petstore",
            "go",
            "java",
            "production",
            "install configure",
            "grace hopper",
            "backstage",
            "podcast api",
            "no-such-word-anywhere",
            "the database",
            "on-call runbook",
            "metrics dashboard tracing",
            "storage",
            "ingest",
            "ca",
            "cache cluster",
        ]
        .join("\n"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let run = Command::new("node")
        .arg(project.join("tests/browser/search-parity.cjs"))
        .arg(dir.path().join("search").parent().unwrap_or(dir.path()))
        .arg(&queries)
        .output()
        .unwrap_or_else(|e| panic!("node: {e}"));
    let report = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "parity failed:\n{report}\n{}", String::from_utf8_lossy(&run.stderr));
    assert!(report.contains("60 passed, 0 failed"), "{report}");

    // With the docs terms capped (here at 300 sections, as the default
    // 1,000 does at scale), entities stay exact; docs results may differ
    // for queries with capped terms (reported, not asserted).
    let capped = search::Limits { shard_bytes: 4096, docs_postings: 300 };
    std::fs::remove_dir_all(dir.path().join("search")).unwrap_or_else(|e| panic!("{e}"));
    write(dir.path(), &search::build_with(&views, &docs, capped).files);
    let run = Command::new("node")
        .arg(project.join("tests/browser/search-parity.cjs"))
        .arg(dir.path())
        .arg(&queries)
        .output()
        .unwrap_or_else(|e| panic!("node: {e}"));
    let report = String::from_utf8_lossy(&run.stdout);
    let entities_ok = report.lines().filter(|l| l.starts_with("ok - entities")).count();
    let docs_ok = report.lines().filter(|l| l.starts_with("ok - docs")).count();
    assert_eq!(entities_ok, 30, "{report}");
    eprintln!("docs terms capped at 300 postings: {docs_ok} of 30 docs queries keep the exact top 10");
}
