//! TechDocs compatibility: every tree of `../shared/corpus/techdocs` is built
//! as one entity's docs, and each page's title, heading ids and set of links
//! to other pages are compared with what MkDocs + techdocs-core produced
//! (facts extracted by tests/techdocs/extract_facts.py into
//! tests/fixtures/techdocs/, so no Python is needed). Every page must render,
//! every nav entry must resolve, and at least 95% of pages must match.
//! `cargo test --test techdocs -- --nocapture` prints the per-tree figures
//! the README reports.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::*;
use serde_json::Value;

/// Pages of all trees that must match MkDocs in title, ids and links.
const REQUIRED_SHARE: f64 = 0.95;

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().flatten() {
        let Ok(rel) = entry.path().strip_prefix(from) else { continue };
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap_or_else(|e| panic!("{}: {e}", target.display()));
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &target).unwrap_or_else(|e| panic!("{}: {e}", target.display()));
        }
    }
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&")
}

/// The value of `name="…"` inside one tag's text.
fn attr(tag: &str, name: &str) -> Option<String> {
    let mut rest = tag;
    let needle = format!("{name}=\"");
    while let Some(i) = rest.find(&needle) {
        let ok = i > 0 && rest.as_bytes()[i - 1].is_ascii_whitespace();
        let after = &rest[i + needle.len()..];
        let end = after.find('"')?;
        if ok {
            return Some(unescape(&after[..end]));
        }
        rest = &after[end..];
    }
    None
}

/// Tags named `name` in `html` (the text between `<` and `>`).
fn tags<'a>(html: &'a str, names: &'a [&str]) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
    let mut rest = html;
    std::iter::from_fn(move || loop {
        let i = rest.find('<')?;
        let after = &rest[i + 1..];
        let end = after.find('>')?;
        let tag = &after[..end];
        rest = &after[end..];
        let name = tag.split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or("");
        if let Some(n) = names.iter().find(|n| n.eq_ignore_ascii_case(name)) {
            return Some((*n, tag));
        }
    })
}

/// Python's `posixpath.normpath(posixpath.join(dir, target))`, as the
/// extraction script resolves links (`..` above the root is kept).
fn normalize(dir: &str, target: &str) -> String {
    let absolute = target.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    let joined = if absolute { target.to_string() } else { format!("{dir}/{target}") };
    for piece in joined.split('/') {
        match piece {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            ".." if absolute => {}
            p => parts.push(p),
        }
    }
    let path = parts.join("/");
    if absolute {
        format!("/{path}")
    } else {
        path
    }
}

/// A link as the site-relative file (and fragment) it leads to, as the
/// extraction script resolves MkDocs' links.
fn resolve(page: &str, href: &str) -> Option<String> {
    let (path, fragment) = match href.find('#') {
        Some(i) => (&href[..i], &href[i..]),
        None => (href, ""),
    };
    let path = path.split('?').next().unwrap_or("");
    let dir = page.rfind('/').map_or("", |i| &page[..i]);
    let decoded = decode(path);
    let target = if path.is_empty() {
        page.to_string()
    } else if path.ends_with('/') || path == "." || path == ".." {
        format!("{}/index.html", normalize(dir, &decoded)).trim_start_matches('/').to_string()
    } else {
        normalize(dir, &decoded)
    };
    Some(format!("{target}{fragment}"))
}

/// `%XX` decoded (MkDocs and portalgen may quote different characters).
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() && s.is_char_boundary(i + 3) {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn is_external(href: &str) -> bool {
    let lower = href.to_ascii_lowercase();
    lower.starts_with("//")
        || lower.find(':').is_some_and(|i| lower[..i].chars().all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c)))
}

struct PageFacts {
    title: String,
    ids: Vec<String>,
    links: BTreeSet<String>,
}

fn facts_of(html: &str, page: &str) -> PageFacts {
    let title = html
        .find("<span aria-current=\"page\">")
        .map(|i| {
            let rest = &html[i + 26..];
            unescape(&rest[..rest.find("</span>").unwrap_or(0)])
        })
        .unwrap_or_default();
    let start = html.find("<article class=\"docs-content").unwrap_or(0);
    let end = html[start..].find("</article>").map_or(html.len(), |e| start + e);
    let article = &html[start..end];
    let mut ids = Vec::new();
    let mut links = BTreeSet::new();
    for (name, tag) in tags(article, &["h1", "h2", "h3", "h4", "h5", "h6", "a"]) {
        if name == "a" {
            let Some(href) = attr(tag, "href") else { continue };
            let class = attr(tag, "class").unwrap_or_default();
            if class.contains("headerlink") || href.is_empty() || href.starts_with('#') || is_external(&href) {
                continue;
            }
            if let Some(target) = resolve(page, &href) {
                links.insert(target);
            }
        } else if let Some(id) = attr(tag, "id") {
            ids.push(id);
        }
    }
    PageFacts { title, ids, links }
}

#[derive(Default)]
struct Score {
    pages: usize,
    rendered: usize,
    title: usize,
    ids: usize,
    links: usize,
    all: usize,
    nav_entries: usize,
    nav_matched: usize,
}

fn flatten_nav(
    site: &portalgen::docs::plan::DocSite,
    nav: &[portalgen::docs::nav::Nav],
    level: usize,
    out: &mut Vec<String>,
) {
    use portalgen::docs::nav::Nav;
    for item in nav {
        match item {
            Nav::Page { page, title } => {
                let p = &site.pages[*page];
                let t = title.clone().unwrap_or_else(|| p.title.clone());
                out.push(format!("page {level} {t} -> {}", p.file));
            }
            Nav::Link { title, url } => out.push(format!("link {level} {title} -> {url}")),
            // A folder holding only its index page is drawn as that page (Material).
            Nav::Section { title, children } if portalgen::docs::render::only_index(site, children).is_some() => {
                if let Some(page) = portalgen::docs::render::only_index(site, children) {
                    out.push(format!("page {level} {title} -> {}", site.pages[page].file));
                }
            }
            Nav::Section { title, children } => {
                out.push(format!("section {level} {title}"));
                flatten_nav(site, children, level + 1, out);
            }
        }
    }
}

fn expected_nav(facts: &Value) -> Vec<String> {
    facts["nav"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            let kind = e["kind"].as_str().unwrap_or("");
            let level = e["level"].as_u64().unwrap_or(0);
            // A section's index page under `navigation.indexes`: title unknown.
            let title = e["title"].as_str().unwrap_or("*");
            match e["target"].as_str() {
                Some(t) => format!("{kind} {level} {title} -> {}", decode(t)),
                None => format!("{kind} {level} {title}"),
            }
        })
        .collect()
}

#[test]
fn corpus_trees_render_like_mkdocs() {
    let corpus = shared().join("corpus/techdocs");
    let fixture_dir = fixtures().join("techdocs");
    let mut trees: Vec<(String, Value)> = std::fs::read_dir(&fixture_dir)
        .unwrap_or_else(|e| panic!("{}: {e}", fixture_dir.display()))
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .map(|e| {
            let facts = json(&read(&e.path()));
            (facts["tree"].as_str().unwrap_or_default().to_string(), facts)
        })
        .collect();
    trees.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(trees.len() >= 9, "expected a fixture per corpus tree");

    let dir = tempdir();
    let mut config = String::from("[site]\ntitle = \"Corpus\"\n");
    for (i, (tree, facts)) in trees.iter().enumerate() {
        let repo = dir.path().join(tree);
        copy_tree(&corpus.join(tree), &repo);
        let root = facts["root"].as_str().unwrap_or(".");
        write_files(
            dir.path(),
            &[(
                &format!("{tree}/portalgen-catalog.yaml"),
                &format!(
                    "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: tree-{i}\n  annotations:\n    backstage.io/techdocs-ref: dir:{root}\nspec:\n  type: documentation\n  lifecycle: production\n  owner: docs-team\n"
                ),
            )],
        );
        config.push_str(&format!(
            "\n[[sources]]\nname = \"{tree}\"\npath = \"{tree}\"\ncatalog = [\"portalgen-catalog.yaml\"]\n"
        ));
    }
    write_files(dir.path(), &[("site.toml", &config)]);
    let out = portalgen(dir.path(), &["build"]);
    assert!(out.status.success(), "build failed: {}", stderr(&out));

    let site_config = portalgen::config::Config::load(&dir.path().join("site.toml")).unwrap_or_else(|e| panic!("{e}"));
    let loaded = portalgen::pipeline::load_catalog(&site_config, Default::default());
    let plan = portalgen::docs::plan(&loaded.catalog, &loaded.sources);

    let mut total = Score::default();
    let mut report = String::from(
        "| tree | pages | rendered | title | heading ids | links | all three | nav entries matching |\n|---|---|---|---|---|---|---|---|\n",
    );
    let mut mismatches = Vec::new();
    for (i, (tree, facts)) in trees.iter().enumerate() {
        let base = format!("docs/default/component/tree-{i}/");
        let mut score = Score::default();
        let pages = facts["pages"].as_object().cloned().unwrap_or_default();
        for (file, expected) in &pages {
            score.pages += 1;
            let path = dir.path().join("public").join(&base).join(file);
            let Ok(html) = std::fs::read_to_string(&path) else {
                mismatches.push(format!("{tree} {file}: not rendered"));
                continue;
            };
            score.rendered += 1;
            let got = facts_of(&html, file);
            let site_name = facts["site_name"].as_str().unwrap_or("");
            let want_title = expected["title"].as_str().unwrap_or("");
            let title_ok = match want_title.strip_suffix(&format!(" - {site_name}")) {
                Some(t) => got.title == t,
                // The home page's <title> is the site name alone.
                None => file == "index.html" || got.title == want_title,
            };
            let want_ids: Vec<String> =
                expected["ids"].as_array().into_iter().flatten().filter_map(|v| v.as_str().map(String::from)).collect();
            let want_links: BTreeSet<String> =
                expected["links"].as_array().into_iter().flatten().filter_map(|v| v.as_str().map(decode)).collect();
            let ids_ok = got.ids == want_ids;
            let links_ok = got.links == want_links;
            score.title += usize::from(title_ok);
            score.ids += usize::from(ids_ok);
            score.links += usize::from(links_ok);
            if title_ok && ids_ok && links_ok {
                score.all += 1;
            } else {
                let mut why = Vec::new();
                if !title_ok {
                    why.push(format!("title {:?} != {:?}", got.title, want_title));
                }
                if !ids_ok {
                    let missing: Vec<_> = want_ids.iter().filter(|i| !got.ids.contains(i)).take(3).collect();
                    let extra: Vec<_> = got.ids.iter().filter(|i| !want_ids.contains(i)).take(3).collect();
                    why.push(format!("ids missing {missing:?} extra {extra:?}"));
                }
                if !links_ok {
                    let missing: Vec<_> = want_links.difference(&got.links).take(3).collect();
                    let extra: Vec<_> = got.links.difference(&want_links).take(3).collect();
                    why.push(format!("links missing {missing:?} extra {extra:?}"));
                }
                mismatches.push(format!("{tree} {file}: {}", why.join("; ")));
            }
        }
        // Navigation: same entries, order, titles and targets as MkDocs.
        let entity = format!("component:default/tree-{i}");
        let site = plan.by_entity.get(&entity).map(|&s| &plan.sites[s]);
        let mut got_nav = Vec::new();
        if let Some(site) = site {
            flatten_nav(site, &site.nav, 1, &mut got_nav);
            for entry in &got_nav {
                if let Some(target) = entry.split(" -> ").nth(1).filter(|_| entry.starts_with("page")) {
                    assert!(
                        dir.path().join("public").join(&base).join(target).is_file(),
                        "{tree}: nav entry {entry} does not resolve to a written page"
                    );
                }
            }
        }
        let want_nav = expected_nav(facts);
        score.nav_entries = want_nav.len();
        let got_set: BTreeMap<&String, usize> = got_nav.iter().enumerate().map(|(i, e)| (e, i)).collect();
        let found = |e: &String| {
            got_set.contains_key(e)
                || e.split_once(" * -> ").is_some_and(|(head, target)| {
                    got_nav.iter().any(|g| g.starts_with(&format!("{head} ")) && g.ends_with(&format!(" -> {target}")))
                })
        };
        score.nav_matched = want_nav.iter().filter(|e| found(e)).count();
        for e in want_nav.iter().filter(|e| !found(e)).take(5) {
            mismatches.push(format!("{tree} nav: missing {e}"));
        }
        report.push_str(&format!(
            "| {tree} | {} | {} | {} | {} | {} | {} ({:.0}%) | {}/{} |\n",
            score.pages,
            score.rendered,
            score.title,
            score.ids,
            score.links,
            score.all,
            100.0 * score.all as f64 / score.pages.max(1) as f64,
            score.nav_matched,
            score.nav_entries
        ));
        total.pages += score.pages;
        total.rendered += score.rendered;
        total.title += score.title;
        total.ids += score.ids;
        total.links += score.links;
        total.all += score.all;
        total.nav_entries += score.nav_entries;
        total.nav_matched += score.nav_matched;
    }
    let share = total.all as f64 / total.pages.max(1) as f64;
    report.push_str(&format!(
        "| **all** | {} | {} | {} | {} | {} | {} ({:.1}%) | {}/{} |\n",
        total.pages,
        total.rendered,
        total.title,
        total.ids,
        total.links,
        total.all,
        100.0 * share,
        total.nav_matched,
        total.nav_entries
    ));
    println!("{report}");
    for m in &mismatches {
        println!("{m}");
    }
    assert_eq!(total.rendered, total.pages, "every page must render");
    assert!(
        share >= REQUIRED_SHARE,
        "{:.1}% of pages match MkDocs (title, heading ids, links); at least {:.0}% must",
        100.0 * share,
        100.0 * REQUIRED_SHARE
    );
}
