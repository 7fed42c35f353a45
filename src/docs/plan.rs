//! Which entities have docs and where they come from: `backstage.io/techdocs-ref`
//! (`dir:` relative to the entity's catalog file, `url:` into a configured
//! source) and `backstage.io/techdocs-entity` (show another entity's docs).
//! Every path stays inside its source; a ref that points nowhere is a
//! problem on the entity, and the rest of the site still builds.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use super::markdown::Extensions;
use super::mkdocs::{self, MkDocs, NavSpec};
use super::nav::{self, Nav, Page};
use crate::catalog::Catalog;
use crate::problems::Problem;
use crate::sources::{normalize_rel, parent_dir, Source};

pub const TECHDOCS_REF: &str = "backstage.io/techdocs-ref";
pub const TECHDOCS_ENTITY: &str = "backstage.io/techdocs-entity";

/// One entity's docs site.
pub struct DocSite {
    pub entity: usize,
    pub entity_ref: String,
    pub source: usize,
    /// The `mkdocs.yml` inside the source.
    pub config_file: String,
    pub config: MkDocs,
    /// The folder holding `mkdocs.yml` (snippets resolve against it).
    pub root: String,
    /// Site-relative output folder, ending in `/` (`docs/default/component/x/`).
    pub base: String,
    pub pages: Vec<Page>,
    pub nav: Vec<Nav>,
    /// Pages in navigation order.
    pub order: Vec<usize>,
    /// Files copied verbatim: (path in the source, output path under `base`).
    pub assets: Vec<(String, String)>,
    pub extensions: Extensions,
    /// Page by `src`, asset by its path under `base`.
    pub by_src: HashMap<String, usize>,
    pub asset_by_out: HashMap<String, usize>,
    /// Pages `not_in_nav` exempts from the missing-from-nav report.
    pub not_in_nav: Option<globset::GlobSet>,
    /// Title shown in the docs header: `site_name`, else the entity's title.
    pub title: String,
}

/// Everything known about docs before any page is rendered.
#[derive(Default)]
pub struct DocsPlan {
    pub sites: Vec<DocSite>,
    /// Entity ref → site index, for entities with docs (their own, or
    /// another's through `backstage.io/techdocs-entity`).
    pub by_entity: HashMap<String, usize>,
    /// Problems found while resolving refs and reading `mkdocs.yml`.
    pub problems: Vec<Problem>,
    /// (source, path in the source) → (site, page): links between sites.
    pub by_source_rel: HashMap<(usize, String), (usize, usize)>,
}

impl DocsPlan {
    /// Every file the docs write, relative to the site root.
    pub fn files(&self) -> impl Iterator<Item = String> + '_ {
        self.sites.iter().flat_map(|s| {
            s.pages
                .iter()
                .map(move |p| format!("{}{}", s.base, p.file))
                .chain(s.assets.iter().map(move |(_, out)| format!("{}{out}", s.base)))
        })
    }

    /// Every docs page, relative to the site root.
    pub fn page_files(&self) -> impl Iterator<Item = String> + '_ {
        self.sites.iter().flat_map(|s| s.pages.iter().map(move |p| format!("{}{}", s.base, p.file)))
    }

    /// The docs home of an entity (site-relative output file), if it has docs.
    pub fn home_of(&self, entity_ref: &str) -> Option<String> {
        let site = &self.sites[*self.by_entity.get(entity_ref)?];
        let first = site.pages.iter().position(|p| p.file == "index.html").or_else(|| site.order.first().copied());
        Some(format!("{}{}", site.base, site.pages.get(first.unwrap_or(0))?.file))
    }
}

/// The output folder of an entity's docs: Backstage's `/docs/<namespace>/<kind>/<name>/`.
pub fn docs_base(namespace: &str, kind: &str, name: &str) -> String {
    let entity = crate::site::urls::entity_file(namespace, kind, name);
    let rest = entity.strip_prefix("catalog/").unwrap_or(&entity).trim_end_matches("index.html");
    format!("docs/{rest}")
}

/// Resolves every entity's docs and reads each site's structure (no rendering).
pub fn plan(catalog: &Catalog, sources: &[Source]) -> DocsPlan {
    let candidates: Vec<(usize, &str)> =
        catalog.entities.iter().enumerate().filter_map(|(i, e)| e.annotation(TECHDOCS_REF).map(|r| (i, r))).collect();
    let results: Vec<Result<DocSite, Vec<Problem>>> =
        candidates.par_iter().map(|&(i, reference)| site_for(catalog, sources, i, reference)).collect();
    let mut out = DocsPlan::default();
    for result in results {
        match result {
            Ok(mut site) => {
                out.problems.append(&mut site_problems(&mut site));
                out.by_entity.insert(site.entity_ref.clone(), out.sites.len());
                out.sites.push(site);
            }
            Err(problems) => out.problems.extend(problems),
        }
    }
    for (s, site) in out.sites.iter().enumerate() {
        for (p, page) in site.pages.iter().enumerate() {
            out.by_source_rel.entry((site.source, page.source_rel.clone())).or_insert((s, p));
        }
    }
    for e in &catalog.entities {
        let Some(target) = e.annotation(TECHDOCS_ENTITY) else { continue };
        let file = sources[e.file.source].display(&e.file.rel);
        let target_entity = crate::entities::EntityRef::parse(target.trim(), Some("component"), &e.namespace)
            .ok()
            .and_then(|r| catalog.get(&r.canonical()));
        match target_entity.and_then(|t| out.by_entity.get(&t.entity_ref)) {
            Some(&site) => {
                out.by_entity.entry(e.entity_ref.clone()).or_insert(site);
            }
            None => out.problems.push(Problem::warning(
                file,
                Some(e.line),
                Some(e.entity_ref.clone()),
                format!(
                    "{TECHDOCS_ENTITY} points at {target}, which has no docs (no such entity, or it has no {TECHDOCS_REF}); fix the ref"
                ),
            )),
        }
    }
    out
}

/// Problems recorded while reading a site, taken out of it.
fn site_problems(site: &mut DocSite) -> Vec<Problem> {
    std::mem::take(&mut site.config.notes)
        .into_iter()
        .map(|n| Problem::warning(site.config_file.clone(), None, Some(site.entity_ref.clone()), n))
        .collect()
}

fn site_for(catalog: &Catalog, sources: &[Source], index: usize, reference: &str) -> Result<DocSite, Vec<Problem>> {
    let e = &catalog.entities[index];
    let source = &sources[e.file.source];
    let entity_file = source.display(&e.file.rel);
    let problem = |message: String| {
        vec![Problem::warning(entity_file.clone(), Some(e.line), Some(e.entity_ref.clone()), message)]
    };
    let reference = reference.trim();
    let (source_index, dir) = if let Some(path) = reference.strip_prefix("dir:") {
        match normalize_rel(parent_dir(&e.file.rel), path.trim()) {
            Some(dir) => (e.file.source, dir),
            None => {
                return Err(problem(format!(
                    "{TECHDOCS_REF} {reference} leads outside the repository; docs must live inside it"
                )))
            }
        }
    } else if reference.starts_with("url:") {
        match crate::sources::resolve_url_ref(sources, reference) {
            Some((s, rel)) => (s, rel),
            None => {
                return Err(problem(format!(
                    "{TECHDOCS_REF} {reference} points into no configured source; add the repository as a source or use dir:"
                )))
            }
        }
    } else {
        return Err(problem(format!("{TECHDOCS_REF} {reference:?} must start with dir: or url: (e.g. dir:.)")));
    };
    let source = &sources[source_index];
    let dir = if nav::is_markdown(&dir) || dir.ends_with(".yml") || dir.ends_with(".yaml") {
        parent_dir(&dir).to_string()
    } else {
        dir
    };
    let config_file = ["mkdocs.yml", "mkdocs.yaml"]
        .iter()
        .map(|n| if dir.is_empty() { n.to_string() } else { format!("{dir}/{n}") })
        .find(|f| source.exists(f));
    let Some(config_file) = config_file else {
        let shown = if dir.is_empty() { source.display("") } else { source.display(&dir) };
        return Err(problem(format!(
            "{TECHDOCS_REF} {reference}: no mkdocs.yml in {shown}; add one (site_name, nav) or fix the ref"
        )));
    };
    let shown_config = source.display(&config_file);
    let text = match source.read(&config_file) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(err) => {
            return Err(vec![Problem::warning(
                shown_config,
                None,
                Some(e.entity_ref.clone()),
                format!("cannot read: {err}"),
            )])
        }
    };
    let config = mkdocs::parse(&text).map_err(|(line, message)| {
        vec![Problem::warning(shown_config.clone(), line, Some(e.entity_ref.clone()), message)]
    })?;
    let base = docs_base(&e.namespace, &e.kind, &e.name);
    let mut problems = Vec::new();
    let mut site = build_site(source, &dir, config, &shown_config, &text, &mut problems)?;
    site.entity = index;
    site.entity_ref = e.entity_ref.clone();
    site.source = source_index;
    site.config_file = shown_config.clone();
    site.base = base;
    if site.title.is_empty() {
        site.title = e.title().to_string();
    }
    // Sites without repo_url edit on the forge the source came from.
    if site.config.repo_url.is_none() && site.config.edit_uri_template.is_none() {
        for page in &mut site.pages {
            page.edit_url = source.edit_url(&page.source_rel);
        }
    }
    site.config.notes.extend(problems);
    Ok(site)
}

/// A mounted part of a site: the main site or a monorepo `!include`.
struct Part {
    /// Mount inside the site's `src` space (`""` or `component-a/`).
    mount: String,
    docs_dir: String,
    config: MkDocs,
}

/// Reads the pages and navigation of the site whose `mkdocs.yml` is in `dir`.
fn build_site(
    source: &Source,
    dir: &str,
    config: MkDocs,
    shown_config: &str,
    config_text: &str,
    notes: &mut Vec<String>,
) -> Result<DocSite, Vec<Problem>> {
    let docs_dir = match normalize_rel(dir, &config.docs_dir) {
        Some(d)
            if !config.docs_dir.starts_with('/')
                && (dir.is_empty() || d == dir || d.starts_with(&format!("{dir}/"))) =>
        {
            d
        }
        _ => {
            return Err(vec![Problem::warning(
                shown_config,
                line_of(config_text, "docs_dir"),
                None,
                format!(
                    "docs_dir {:?} must be a relative folder inside the docs tree (a TechDocs rule); fix docs_dir",
                    config.docs_dir
                ),
            )])
        }
    };
    let (extensions, extension_notes) = Extensions::from_mkdocs(config.markdown_extensions.as_ref());
    notes.extend(extension_notes);
    let mut parts = vec![Part { mount: String::new(), docs_dir, config }];
    // Monorepo includes, resolved once so the navigation can refer to them.
    let mut include_parts: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    collect_includes(
        source,
        dir,
        &parts[0].config.nav.clone().unwrap_or_default(),
        &mut parts,
        &mut include_parts,
        notes,
    );

    let mut pages: Vec<Page> = Vec::new();
    let mut assets = Vec::new();
    let mut part_files: Vec<Vec<usize>> = Vec::new();
    for (part_index, part) in parts.iter().enumerate() {
        let prefix = format!("{}/", part.docs_dir);
        let files = source.list_files().iter().filter(|f| part.docs_dir.is_empty() || f.starts_with(&prefix));
        let exclude = excluder(&part.config.exclude_docs);
        let mut these = Vec::new();
        for rel in files {
            let inside = if part.docs_dir.is_empty() { rel.as_str() } else { &rel[prefix.len()..] };
            if inside.split('/').any(|p| p.starts_with('.'))
                || inside.starts_with("templates/")
                || inside.contains("/templates/")
            {
                continue;
            }
            if exclude.as_ref().is_some_and(|g| g.is_match(inside)) {
                continue;
            }
            let src = format!("{}{inside}", part.mount);
            if nav::is_markdown(inside) {
                these.push(pages.len());
                pages.push(Page {
                    file: nav::page_file(&src, parts[0].config.use_directory_urls),
                    src,
                    source_rel: rel.clone(),
                    nav_title: None,
                    in_nav: false,
                    title: String::new(),
                    edit_url: mkdocs::edit_url(&part.config, inside)
                        .filter(|_| part.config.repo_url.is_some() || part.config.edit_uri_template.is_some()),
                    part: part_index,
                });
            } else if !matches!(inside, "mkdocs.yml" | "mkdocs.yaml") {
                assets.push((rel.clone(), src));
            }
        }
        part_files.push(these);
    }
    // README.md beside index.md is dropped, as MkDocs does.
    let mut dropped = vec![false; pages.len()];
    {
        let by_src: HashMap<&str, usize> = pages.iter().enumerate().map(|(i, p)| (p.src.as_str(), i)).collect();
        for (i, p) in pages.iter().enumerate() {
            if let Some(dir) = p.src.strip_suffix("README.md") {
                if by_src.contains_key(format!("{dir}index.md").as_str()) {
                    dropped[i] = true;
                    notes.push(format!(
                        "{} is ignored because {dir}index.md exists in the same folder (MkDocs uses index.md)",
                        p.source_rel
                    ));
                }
            }
        }
    }
    if dropped.iter().any(|d| *d) {
        let mut remap = vec![usize::MAX; pages.len()];
        let mut kept = Vec::new();
        for (i, p) in pages.drain(..).enumerate() {
            if !dropped[i] {
                remap[i] = kept.len();
                kept.push(p);
            }
        }
        pages = kept;
        for files in &mut part_files {
            *files = files.iter().filter(|&&i| remap[i] != usize::MAX).map(|&i| remap[i]).collect();
        }
    }
    // Titles before rendering, for the navigation (read in parallel).
    let titles: Vec<String> = pages
        .par_iter()
        .map(|p| match source.read(&p.source_rel) {
            Ok(bytes) => nav::quick_title(&String::from_utf8_lossy(&bytes), &p.src),
            Err(_) => nav::title_from_file(&p.src),
        })
        .collect();
    for (p, t) in pages.iter_mut().zip(titles) {
        p.title = t;
    }
    let by_src: HashMap<String, usize> = pages.iter().enumerate().map(|(i, p)| (p.src.clone(), i)).collect();
    let part_nav = |part: usize, notes: &mut Vec<String>, includes: &mut dyn FnMut(&NavSpec) -> Vec<Nav>| -> Vec<Nav> {
        let p = &parts[part];
        match &p.config.nav {
            Some(specs) => {
                let mut nav_problems = Vec::new();
                let nav = nav::explicit(specs, &p.mount, &by_src, includes, &mut nav_problems);
                notes.extend(nav_problems);
                nav
            }
            None => {
                let mut files: Vec<(usize, &str)> =
                    part_files[part].iter().map(|&i| (i, pages[i].src.as_str())).collect();
                files.sort_by(|a, b| nav::sort_key(&a.1[p.mount.len()..]).cmp(&nav::sort_key(&b.1[p.mount.len()..])));
                let local: Vec<(usize, &str)> = files.iter().map(|&(i, s)| (i, &s[p.mount.len()..])).collect();
                nav::implicit(&local)
            }
        }
    };
    let mut include_notes = Vec::new();
    let mut includes = |spec: &NavSpec| -> Vec<Nav> {
        let NavSpec::Include { title, path, glob } = spec else { return Vec::new() };
        let mut out = Vec::new();
        for &part in include_parts.get(path).map(Vec::as_slice).unwrap_or(&[]) {
            let children = part_nav(part, &mut include_notes, &mut |_| Vec::new());
            let section_title = match (glob, title) {
                (false, Some(t)) => t.clone(),
                _ => parts[part].config.site_name.clone(),
            };
            out.push(Nav::Section { title: section_title, children });
        }
        if *glob {
            if let Some(t) = title {
                return vec![Nav::Section { title: t.clone(), children: out }];
            }
        }
        out
    };
    let mut main_notes = Vec::new();
    let nav = part_nav(0, &mut main_notes, &mut includes);
    notes.extend(main_notes);
    notes.extend(include_notes);
    nav::mark_listed(&nav, &mut pages);
    let mut order = Vec::new();
    nav::reading_order(&nav, &mut order);
    let config = parts.swap_remove(0).config;
    let asset_by_out = assets.iter().enumerate().map(|(i, (_, out))| (out.clone(), i)).collect();
    Ok(DocSite {
        by_src,
        asset_by_out,
        not_in_nav: excluder(&config.not_in_nav),
        entity: 0,
        entity_ref: String::new(),
        source: 0,
        config_file: String::new(),
        title: config.site_name.clone(),
        root: dir.to_string(),
        base: String::new(),
        pages,
        nav,
        order,
        assets,
        extensions,
        config,
    })
}

/// Reads the `mkdocs.yml` files a nav includes (no nested includes, as the plugin).
fn collect_includes(
    source: &Source,
    dir: &str,
    specs: &[NavSpec],
    parts: &mut Vec<Part>,
    include_parts: &mut BTreeMap<String, Vec<usize>>,
    notes: &mut Vec<String>,
) {
    for spec in specs {
        match spec {
            NavSpec::Section { children, .. } => collect_includes(source, dir, children, parts, include_parts, notes),
            NavSpec::Include { path, glob, .. } => {
                let files: Vec<String> = if *glob {
                    let pattern = normalize_rel(dir, path).unwrap_or_default();
                    source.glob(&[pattern])
                } else {
                    normalize_rel(dir, path).into_iter().filter(|f| source.exists(f)).collect()
                };
                if files.is_empty() {
                    notes.push(format!("!include {path}: no mkdocs.yml there; fix the path (relative to mkdocs.yml)"));
                }
                let mut indexes = Vec::new();
                for file in files {
                    let text = match source.read(&file) {
                        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
                        Err(e) => {
                            notes.push(format!("!include {file}: cannot read: {e}"));
                            continue;
                        }
                    };
                    let config = match mkdocs::parse(&text) {
                        Ok(c) => c,
                        Err((_, message)) => {
                            notes.push(format!("!include {file}: {message}"));
                            continue;
                        }
                    };
                    let sub_dir = parent_dir(&file);
                    let Some(docs_dir) = normalize_rel(sub_dir, &config.docs_dir) else {
                        notes.push(format!("!include {file}: docs_dir leaves the repository"));
                        continue;
                    };
                    let mount = format!("{}/", monorepo_slug(&config.site_name));
                    indexes.push(parts.len());
                    parts.push(Part { mount, docs_dir, config });
                }
                include_parts.insert(path.clone(), indexes);
            }
            _ => {}
        }
    }
}

/// The monorepo plugin's folder for a sub-site: its `site_name`, slugified
/// (`Component A` → `component-a`; `/` kept, so `versions/v1` nests).
pub fn monorepo_slug(site_name: &str) -> String {
    let mut out = String::new();
    for c in site_name.trim().to_lowercase().chars() {
        if c.is_alphanumeric() || matches!(c, '/' | '_' | '.') {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() || out.split('/').any(|p| p == ".." || p == ".") {
        "site".into()
    } else {
        out
    }
}

/// gitignore-style patterns of `exclude_docs` as globs.
pub fn excluder(patterns: &[String]) -> Option<globset::GlobSet> {
    if patterns.is_empty() {
        return None;
    }
    let mut set = globset::GlobSetBuilder::new();
    for p in patterns {
        if p.starts_with('!') {
            continue;
        }
        let anchored = p.starts_with('/');
        let p = p.trim_start_matches('/').trim_end_matches('/');
        for glob in [
            if anchored { p.to_string() } else { format!("**/{p}") },
            if anchored { format!("{p}/**") } else { format!("**/{p}/**") },
        ] {
            if let Ok(g) = globset::Glob::new(&glob) {
                set.add(g);
            }
        }
    }
    set.build().ok()
}

/// The line of the first occurrence of `needle` in `text` (1-based).
pub fn line_of(text: &str, needle: &str) -> Option<usize> {
    let at = text.find(needle)?;
    Some(text[..at].matches('\n').count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_bases() {
        assert_eq!(monorepo_slug("Component A"), "component-a");
        assert_eq!(monorepo_slug("versions/v1"), "versions/v1");
        assert_eq!(monorepo_slug("../x"), "site");
        assert_eq!(docs_base("Default", "Component", "svc"), "docs/default/component/svc/");
    }

    #[test]
    fn excludes_like_gitignore() {
        let g = excluder(&["drafts/".into(), "*.tmp.md".into(), "/top.md".into()]).unwrap();
        assert!(g.is_match("drafts/a.md") && g.is_match("x/drafts/a.md"));
        assert!(g.is_match("a/b.tmp.md") && g.is_match("top.md"));
        assert!(!g.is_match("a/top.md") && !g.is_match("a.md"));
    }
}
