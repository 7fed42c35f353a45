//! Search index benchmark: builds the search index of a site (entities,
//! plus docs sections) and reports its build time and files.
//!
//!     cargo run --release --example searchbench -- --config /tmp/org20k/site.toml --out /tmp/search20k [--full]
//!
//! Docs sections come from the TechDocs trees beside the entities'
//! catalog files (`mkdocs.yml` + `docs/**/*.md`, split at headings): an
//! estimate of what the TechDocs stage hands over, until it does. `--full`
//! also writes the whole indexes as elasticlunr-rs builds them
//! (`full-entities.json`, `full-docs.json`) for the parity check at scale.
//! Then `node tests/browser/search-budget.cjs OUT` measures what queries
//! download (gzipped) and how long they take.

use std::path::{Path, PathBuf};
use std::time::Instant;

use portalgen::config::{Config, UrlStyle};
use portalgen::pipeline::{load_catalog, LoadOptions};
use portalgen::search::{self, DocsSection, DOCS_FIELDS, ENTITY_FIELDS};
use portalgen::site::views::Views;

/// User + system CPU time of this process so far, in seconds (Linux).
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return f64::NAN };
    // Fields after the command name (which may contain spaces) in parentheses.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the whole line: 11 and 12 here.
    (ticks(11) + ticks(12)) / 100.0
}

fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.to_lowercase().chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Splits a Markdown page at its headings into sections of plain-ish text.
fn page_sections(markdown: &str, url: &str, entity_ref: &str, out: &mut Vec<DocsSection>) {
    let mut page_title = String::new();
    let mut heading = String::new();
    let mut text = String::new();
    let mut in_code = false;
    let flush = |heading: &str, text: &mut String, page_title: &str, out: &mut Vec<DocsSection>| {
        if !text.trim().is_empty() || !heading.is_empty() {
            let anchor = if heading.is_empty() { String::new() } else { format!("#{}", slug(heading)) };
            out.push(DocsSection {
                url: format!("{url}{anchor}"),
                page_title: page_title.to_string(),
                heading: heading.to_string(),
                text: std::mem::take(text),
                entity_ref: entity_ref.to_string(),
            });
        }
        text.clear();
    };
    for line in markdown.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if !in_code && line.starts_with('#') {
            let title = line.trim_start_matches('#').trim().to_string();
            if page_title.is_empty() && line.starts_with("# ") {
                page_title = title;
                continue;
            }
            flush(&heading, &mut text, &page_title, out);
            heading = title;
            continue;
        }
        let plain = line.replace(['|', '`', '*', '[', ']'], " ");
        text.push_str(plain.trim());
        text.push(' ');
    }
    flush(&heading, &mut text, &page_title, out);
}

fn docs_sections(loaded: &portalgen::pipeline::Loaded) -> Vec<DocsSection> {
    let mut out = Vec::new();
    for e in &loaded.catalog.entities {
        if e.annotation("backstage.io/techdocs-ref") != Some("dir:.") {
            continue;
        }
        let Some(root) = loaded.sources[e.file.source].local_root() else { continue };
        let dir: PathBuf = root.join(&e.file.rel).parent().map(Path::to_path_buf).unwrap_or_default();
        let docs = dir.join("docs");
        let Ok(entries) = std::fs::read_dir(&docs) else { continue };
        let mut pages: Vec<PathBuf> = entries.flatten().map(|d| d.path()).collect();
        pages.sort();
        for page in pages {
            let Ok(md) = std::fs::read_to_string(&page) else { continue };
            let stem = page.file_stem().and_then(|s| s.to_str()).unwrap_or("index");
            let page_path = if stem == "index" { String::new() } else { format!("{stem}/") };
            let url = format!("docs/{}/{}/{}/{page_path}", e.namespace.to_lowercase(), e.kind.to_lowercase(), e.name);
            page_sections(&md, &url, &e.entity_ref, &mut out);
        }
    }
    out
}

// As the portalgen binary does.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let (Some(config), Some(out)) = (arg("--config"), arg("--out")) else {
        eprintln!("usage: searchbench --config SITE_TOML --out DIR [--full]");
        std::process::exit(2);
    };
    let config = match Config::load(Path::new(&config)) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{config}: {e:?}");
            std::process::exit(2);
        }
    };
    let loaded = load_catalog(&config, LoadOptions { offline: true });
    let sections = docs_sections(&loaded);
    let views = Views::new(&loaded.catalog, UrlStyle::Directory);

    let (cpu, wall) = (cpu_seconds(), Instant::now());
    let built = search::build(&views, &sections);
    let (build_wall, build_cpu) = (wall.elapsed().as_secs_f64(), cpu_seconds() - cpu);

    let out = PathBuf::from(out);
    let _ = std::fs::remove_dir_all(out.join("search"));
    let mut bytes = 0usize;
    for (rel, data) in &built.files {
        let path = out.join(rel);
        if let Some(p) = path.parent() {
            let _ = std::fs::create_dir_all(p);
        }
        if let Err(e) = std::fs::write(&path, data) {
            eprintln!("{}: {e}", path.display());
            std::process::exit(1);
        }
        bytes += data.len();
    }
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/js");
    let _ = std::fs::create_dir_all(out.join("static/js"));
    for f in ["search.js", "elasticlunr.min.js"] {
        let _ = std::fs::copy(theme.join(f), out.join("static/js").join(f));
    }
    let s = &built.stats;
    println!(
        "entities {}, docs sections {}: {} entity shards, {} docs shards, {} record files, {} files, {:.1} MB",
        s.entities,
        s.sections,
        s.entity_shards,
        s.docs_shards,
        s.record_files,
        built.files.len(),
        bytes as f64 / 1e6
    );
    println!("index build: {build_wall:.2} s wall, {build_cpu:.2} s CPU (user+sys)");
    if args.iter().any(|a| a == "--full") {
        let corpus = search::corpus(&views, &sections);
        let started = Instant::now();
        for (name, json) in [
            ("full-entities.json", search::full_index_json(&ENTITY_FIELDS, &corpus.entity_docs)),
            ("full-docs.json", search::full_index_json(&DOCS_FIELDS, &corpus.section_docs)),
        ] {
            println!("{name}: {:.1} MB", json.len() as f64 / 1e6);
            if let Err(e) = std::fs::write(out.join(name), json) {
                eprintln!("{name}: {e}");
            }
        }
        println!("full indexes (elasticlunr-rs): {:.1} s", started.elapsed().as_secs_f64());
    }
}
