//! Rendering docs pages: page by page in parallel, each written as soon as
//! it is rendered (memory grows with the largest page, not with the site).
//! Links are rewritten from `.md` paths to page URLs and checked, with the
//! Markdown file and line, once every page's anchors are known.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use rayon::prelude::*;
use serde_json::{json, Value};

use super::markdown::{self, Host, Rendered};
use super::nav::{self, Nav};
use super::plan::{DocSite, DocsPlan};
use crate::config::UrlStyle;
use crate::output::Staging;
use crate::problems::Problem;
use crate::site::highlight::escape_html;
use crate::site::urls;
use crate::sources::{normalize_rel, parent_dir, percent_decode, Source};

/// Above this many entries a page's navigation shows only the branch of the
/// current page (and its siblings at each level): no page of a large docs set
/// embeds the whole navigation (MkDocs' quadratic trap).
pub const NAV_FULL_LIMIT: usize = 120;

/// Longest text kept per search section.
pub const SEARCH_TEXT_LIMIT: usize = 2000;

/// A section of a docs page, for the search index.
pub use crate::search::DocsSection as SearchSection;

/// What the docs pages need from the rest of the site.
pub struct RenderEnv<'a> {
    /// Templates; without them pages are only checked (`portalgen check`).
    pub tera: Option<&'a tera::Tera>,
    pub staging: Option<&'a Staging>,
    /// The template context every page shares (site, nav, counts).
    pub base: &'a Value,
    pub style: UrlStyle,
    pub base_url: String,
    /// Every file the site writes (site-relative), docs included.
    pub known: &'a HashSet<String>,
    /// Entity ref → its row (title, URL, owner) for the docs header.
    pub entities: &'a HashMap<String, Value>,
    /// Collect the pages' sections for the search index.
    pub search: bool,
}

#[derive(Default)]
pub struct DocsReport {
    pub problems: Vec<Problem>,
    pub search: Vec<SearchSection>,
    pub pages: usize,
    pub files: usize,
}

/// A link to check once all pages are rendered: an anchor on another page.
struct AnchorCheck {
    line: usize,
    site: usize,
    page: usize,
    anchor: String,
}

struct PageOutcome {
    ids: HashSet<String>,
    anchors: Vec<AnchorCheck>,
    problems: Vec<Problem>,
    search: Vec<SearchSection>,
}

/// Renders (and, with staging, writes) every docs page and asset.
pub fn render(plan: &DocsPlan, sources: &[Source], env: &RenderEnv) -> Result<DocsReport, String> {
    let jobs: Vec<(usize, usize)> =
        plan.sites.iter().enumerate().flat_map(|(s, site)| (0..site.pages.len()).map(move |p| (s, p))).collect();
    let outcomes: Vec<Result<PageOutcome, String>> =
        jobs.par_iter().map(|&(s, p)| render_page(plan, sources, env, s, p)).collect();
    let mut report = DocsReport { pages: jobs.len(), ..DocsReport::default() };
    let mut ids: HashMap<(usize, usize), HashSet<String>> = HashMap::new();
    let mut checks = Vec::new();
    for (&(s, p), outcome) in jobs.iter().zip(outcomes) {
        let outcome = outcome?;
        report.problems.extend(outcome.problems);
        report.search.extend(outcome.search);
        checks.extend(outcome.anchors.into_iter().map(|c| (s, p, c)));
        ids.insert((s, p), outcome.ids);
    }
    for (s, p, check) in checks {
        let found = ids.get(&(check.site, check.page)).is_some_and(|set| set.contains(&check.anchor));
        if !found {
            let site = &plan.sites[s];
            let target = &plan.sites[check.site].pages[check.page];
            report.problems.push(Problem::warning(
                sources[site.source].display(&site.pages[p].source_rel),
                Some(check.line),
                Some(site.entity_ref.clone()),
                format!(
                    "broken anchor: {} has no heading or element with id \"{}\"; fix the link (heading ids are the heading text, lower-cased, spaces as -)",
                    target.src, check.anchor
                ),
            ));
        }
    }
    if let Some(staging) = env.staging {
        let assets: Vec<(usize, &(String, String))> =
            plan.sites.iter().enumerate().flat_map(|(s, site)| site.assets.iter().map(move |a| (s, a))).collect();
        let results: Vec<Result<Option<Problem>, String>> = assets
            .par_iter()
            .map(|&(s, (rel, out))| {
                let site = &plan.sites[s];
                let source = &sources[site.source];
                let path = format!("{}{out}", site.base);
                match source.read(rel) {
                    Ok(bytes) => staging.write(&path, &bytes).map(|_| None).map_err(|e| format!("{path}: {e}")),
                    Err(e) => Ok(Some(Problem::warning(
                        source.display(rel),
                        None,
                        Some(site.entity_ref.clone()),
                        format!("cannot copy this docs file: {e}"),
                    ))),
                }
            })
            .collect();
        for r in results {
            report.problems.extend(r?);
        }
        report.files = report.pages + assets.len();
    }
    Ok(report)
}

/// Resolves and records a page's links while its Markdown renders.
struct PageHost<'a> {
    plan: &'a DocsPlan,
    sources: &'a [Source],
    site_index: usize,
    site: &'a DocSite,
    page_index: usize,
    /// Site-relative output file of this page.
    from: String,
    style: UrlStyle,
    known: &'a HashSet<String>,
    anchors: Mutex<Vec<AnchorCheck>>,
    problems: Mutex<Vec<(usize, String)>>,
}

impl PageHost<'_> {
    fn problem(&self, line: usize, message: String) {
        if let Ok(mut p) = self.problems.lock() {
            p.push((line, message));
        }
    }

    fn anchor(&self, line: usize, site: usize, page: usize, anchor: &str) {
        if anchor.is_empty() {
            return;
        }
        if let Ok(mut a) = self.anchors.lock() {
            a.push(AnchorCheck { line, site, page, anchor: percent_decode(anchor) });
        }
    }

    fn page_link(&self, site: usize, page: usize, fragment: &str) -> String {
        let target = &self.plan.sites[site];
        let file = format!("{}{}", target.base, target.pages[page].file);
        format!("{}{fragment}", relative_link(&self.from, &file, self.style))
    }
}

impl Host for PageHost<'_> {
    fn link(&self, target: &str, is_image: bool, line: usize) -> Option<String> {
        let target = target.trim();
        if target.is_empty() || is_external(target) {
            return None;
        }
        let (path, fragment) = match target.find(['#', '?']) {
            Some(i) => (&target[..i], &target[i..]),
            None => (target, ""),
        };
        let anchor = fragment.strip_prefix('#').unwrap_or("");
        if path.is_empty() {
            self.anchor(line, self.site_index, self.page_index, anchor);
            return None;
        }
        let decoded = percent_decode(path);
        let page = &self.site.pages[self.page_index];
        if decoded.starts_with('/') {
            // Backstage's routes (`/docs/<ns>/<kind>/<name>/…`, `/catalog/…`)
            // become links inside the portal; other absolute paths stay as written.
            if decoded.starts_with("/docs/") || decoded.starts_with("/catalog/") {
                let file = output_file_of(decoded.trim_start_matches('/'));
                if self.known.contains(&file) {
                    return Some(format!("{}{fragment}", relative_link(&self.from, &file, self.style)));
                }
                self.problem(line, format!("link to {target} leads to no page of the portal; it is kept as written (an absolute path, which breaks under a sub-path)"));
            }
            return None;
        }
        let in_docs = normalize_rel(parent_dir(&page.src), &decoded);
        if let Some(src) = &in_docs {
            if let Some(&i) = self.site.by_src.get(src) {
                if !is_image {
                    self.anchor(line, self.site_index, i, anchor);
                }
                return Some(self.page_link(self.site_index, i, fragment));
            }
            if self.site.asset_by_out.contains_key(src) {
                let file = format!("{}{src}", self.site.base);
                return Some(format!("{}{fragment}", relative_link(&self.from, &file, self.style)));
            }
        }
        // Relative to the file in its repository: another entity's docs.
        let in_source = normalize_rel(parent_dir(&page.source_rel), &decoded);
        if let Some(rel) = &in_source {
            if let Some(&(s, p)) = self.plan.by_source_rel.get(&(self.site.source, rel.clone())) {
                self.anchor(line, s, p, anchor);
                return Some(self.page_link(s, p, fragment));
            }
        }
        let what = if is_image { "image" } else { "link" };
        if nav::is_markdown(&decoded) {
            self.problem(
                line,
                format!(
                    "broken {what} to {target}: no such page in the docs folder; fix the path (relative to this file)"
                ),
            );
            return None;
        }
        // Folder links (`guide/`) and other paths are kept as MkDocs keeps
        // them; they still have to lead somewhere the portal writes.
        let out_dir = parent_dir(&self.from);
        let resolved = normalize_rel(out_dir, &decoded).map(|r| {
            if r.is_empty() || decoded.ends_with('/') {
                output_file_of(&format!("{r}/"))
            } else {
                r
            }
        });
        let exists = resolved
            .as_ref()
            .is_some_and(|f| self.known.contains(f) || self.known.contains(&format!("{f}/index.html")));
        if !exists {
            let outside = in_source.as_ref().is_some_and(|rel| self.sources[self.site.source].exists(rel));
            if outside {
                self.problem(line, format!("{what} to {target} points outside docs_dir: only files inside the docs folder are published; move the file into it"));
            } else {
                self.problem(line, format!("broken {what} to {target}: no such file in the docs folder; fix the path (relative to this file)"));
            }
        }
        None
    }

    /// `path` is relative to the folder of `mkdocs.yml` (the renderer has
    /// already joined the configured `base_path`); it must stay in the source.
    fn snippet(&self, path: &str) -> Result<String, String> {
        let source = &self.sources[self.site.source];
        if is_external(path) {
            return Err(format!("snippet {path}: remote snippets are not fetched"));
        }
        let Some(rel) = normalize_rel(&self.site.root, path) else {
            return Err(format!("snippet {path} leads outside the repository; snippets must stay inside it"));
        };
        if !source.exists(&rel) {
            return Err(format!("snippet {path} not found; fix the path (relative to mkdocs.yml and base_path)"));
        }
        source.read(&rel).map(|b| String::from_utf8_lossy(&b).into_owned()).map_err(|e| format!("snippet {path}: {e}"))
    }
}

fn is_external(target: &str) -> bool {
    let lower = target.to_ascii_lowercase();
    if lower.starts_with("//") {
        return true;
    }
    // A scheme: letters, digits, `+.-` before the first `:`.
    match lower.find(':') {
        Some(i) => {
            let scheme = &lower[..i];
            !scheme.is_empty()
                && !scheme.contains(['/', '#', '?'])
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
        }
        None => false,
    }
}

/// `a/b/` → `a/b/index.html`; files stay.
fn output_file_of(site_path: &str) -> String {
    if site_path.is_empty() || site_path.ends_with('/') {
        format!("{site_path}index.html")
    } else {
        site_path.to_string()
    }
}

/// The relative link from the page written at `from` to the file `to`
/// (both site-relative), in the portal's URL style.
pub fn relative_link(from: &str, to: &str, style: UrlStyle) -> String {
    let to = urls::link_of(to, style);
    let from_dir: Vec<&str> = parent_dir(from).split('/').filter(|p| !p.is_empty()).collect();
    let (to_dir, name) = match to.rfind('/') {
        Some(i) => (&to[..i], &to[i + 1..]),
        None => ("", to.as_str()),
    };
    let to_dir: Vec<&str> = to_dir.split('/').filter(|p| !p.is_empty()).collect();
    let common = from_dir.iter().zip(&to_dir).take_while(|(a, b)| a == b).count();
    let mut out = "../".repeat(from_dir.len() - common);
    for part in &to_dir[common..] {
        out.push_str(part);
        out.push('/');
    }
    out.push_str(name);
    if out.is_empty() {
        "./".into()
    } else {
        encode_path(&out)
    }
}

/// Percent-encodes what cannot stand in a URL path (spaces, `#`, `?`,
/// non-ASCII), as MkDocs quotes page and file URLs.
fn encode_path(path: &str) -> String {
    if path.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b)) {
        return path.to_string();
    }
    let mut out = String::with_capacity(path.len() + 8);
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn render_page(
    plan: &DocsPlan,
    sources: &[Source],
    env: &RenderEnv,
    s: usize,
    p: usize,
) -> Result<PageOutcome, String> {
    let site = &plan.sites[s];
    let page = &site.pages[p];
    let source = &sources[site.source];
    let shown = source.display(&page.source_rel);
    let from = format!("{}{}", site.base, page.file);
    let mut problems = Vec::new();
    let markdown_text = match source.read(&page.source_rel) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => {
            problems.push(Problem::warning(
                shown.clone(),
                None,
                Some(site.entity_ref.clone()),
                format!("cannot read: {e}"),
            ));
            format!("# {}\n\nThis page could not be read when the portal was built.\n", page.title)
        }
    };
    let host = PageHost {
        plan,
        sources,
        site_index: s,
        site,
        page_index: p,
        from: from.clone(),
        style: env.style,
        known: env.known,
        anchors: Mutex::new(Vec::new()),
        problems: Mutex::new(Vec::new()),
    };
    let rendered = markdown::render(&markdown_text, &site.extensions, &host);
    let host_problems = host.problems.into_inner().unwrap_or_default();
    let anchors = host.anchors.into_inner().unwrap_or_default();
    for (line, message) in host_problems.into_iter().chain(rendered.problems.iter().cloned()) {
        problems.push(Problem::warning(shown.clone(), Some(line), Some(site.entity_ref.clone()), message));
    }
    let part_has_nav = site_part_has_nav(site, page.part);
    let exempt = site.not_in_nav.as_ref().is_some_and(|g| g.is_match(&page.src));
    if part_has_nav && !page.in_nav && !exempt {
        problems.push(Problem::warning(
            shown.clone(),
            None,
            Some(site.entity_ref.clone()),
            format!(
                "{} is not in the nav of {}; add it to nav (it is still built, but readers cannot find it)",
                page.src, site.config_file
            ),
        ));
    }
    let title = final_title(site, page, &rendered);
    let ids = element_ids(&rendered.html);
    let page_link = urls::link_of(&from, env.style);
    let search = rendered
        .sections
        .iter()
        .filter(|_| env.search)
        .filter(|sec| !sec.text.trim().is_empty() || sec.id.is_some())
        .map(|sec| SearchSection {
            url: match &sec.id {
                Some(id) => format!("{page_link}#{id}"),
                None => page_link.clone(),
            },
            page_title: title.clone(),
            heading: if sec.heading.is_empty() { title.clone() } else { sec.heading.clone() },
            text: bounded(&sec.text, SEARCH_TEXT_LIMIT),
            entity_ref: site.entity_ref.clone(),
        })
        .collect();
    if let (Some(tera), Some(staging)) = (env.tera, env.staging) {
        let html = page_html(site, p, &from, &title, &rendered, env, tera)?;
        staging.write(&from, html.as_bytes()).map_err(|e| format!("{from}: {e}"))?;
    }
    Ok(PageOutcome { ids, anchors, problems, search })
}

fn site_part_has_nav(site: &DocSite, part: usize) -> bool {
    // The main site's nav lists its own pages; monorepo parts only appear
    // where they are included, so only the main nav's completeness is checked.
    part == 0 && site.config.nav.is_some()
}

/// The page's title as TechDocs shows it (Material's `<title>`): front
/// matter `title`, then MkDocs' order: nav title, first-block H1, "Home",
/// file name. The navigation itself keeps the nav titles.
fn final_title(site: &DocSite, page: &nav::Page, rendered: &Rendered) -> String {
    if let Some(t) = meta_title(rendered) {
        return t;
    }
    if let Some(t) = &page.nav_title {
        return t.clone();
    }
    if let Some(t) = &rendered.title {
        return t.clone();
    }
    if page.src == "index.md" || page.src == "README.md" {
        return "Home".into();
    }
    let _ = site;
    nav::title_from_file(&page.src)
}

fn meta_title(rendered: &Rendered) -> Option<String> {
    match rendered.meta.get("title")? {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Every `id="…"` in the page (headings, attr_list ids, footnotes, raw HTML).
fn element_ids(html: &str) -> HashSet<String> {
    let mut ids = HashSet::new();
    let mut rest = html;
    while let Some(i) = rest.find("id=\"") {
        let preceded = i == 0 || rest.as_bytes()[i - 1].is_ascii_whitespace();
        let after = &rest[i + 4..];
        let Some(end) = after.find('"') else { break };
        if preceded {
            ids.insert(after[..end].replace("&amp;", "&"));
        }
        rest = &after[end..];
    }
    ids
}

fn bounded(text: &str, limit: usize) -> String {
    let text = text.trim();
    if text.len() <= limit {
        return text.to_string();
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_string()
}

/// Index path from the navigation's root to the first entry of `page`.
fn branch_to(nav: &[Nav], page: usize) -> Option<Vec<usize>> {
    for (i, item) in nav.iter().enumerate() {
        match item {
            Nav::Page { page: p, .. } if *p == page => return Some(vec![i]),
            Nav::Section { children, .. } => {
                if let Some(mut rest) = branch_to(children, page) {
                    rest.insert(0, i);
                    return Some(rest);
                }
            }
            _ => {}
        }
    }
    None
}

/// The page of a section whose only entry is a folder's index page, when
/// the docs ask for Material's `navigation.indexes`.
pub fn only_index(site: &DocSite, children: &[Nav]) -> Option<usize> {
    if !site.config.section_indexes {
        return None;
    }
    match children {
        [Nav::Page { page, .. }] if nav::is_index(&site.pages[*page].src) => Some(*page),
        _ => None,
    }
}

fn first_page(nav: &[Nav]) -> Option<usize> {
    nav.iter().find_map(|item| match item {
        Nav::Page { page, .. } => Some(*page),
        Nav::Section { children, .. } => first_page(children),
        Nav::Link { .. } => None,
    })
}

struct NavWriter<'a> {
    site: &'a DocSite,
    from: &'a str,
    style: UrlStyle,
    current: usize,
    collapse: bool,
    out: String,
}

impl NavWriter<'_> {
    fn href(&self, page: usize) -> String {
        relative_link(self.from, &format!("{}{}", self.site.base, self.site.pages[page].file), self.style)
    }

    fn items(&mut self, items: &[Nav], branch: Option<&[usize]>) {
        self.out.push_str("<ul>");
        for (i, item) in items.iter().enumerate() {
            let on = branch.and_then(|b| b.first()).is_some_and(|&b| b == i);
            let rest = if on { branch.map(|b| &b[1..]) } else { None };
            match item {
                Nav::Page { page, title } => {
                    let text = title.as_deref().unwrap_or(&self.site.pages[*page].title);
                    let current = *page == self.current && on;
                    self.out.push_str(&format!(
                        "<li><a href=\"{}\"{}>{}</a></li>",
                        escape_html(&self.href(*page)),
                        if current { " aria-current=\"page\"" } else { "" },
                        escape_html(text)
                    ));
                }
                Nav::Link { title, url } => {
                    let external = is_external(url);
                    self.out.push_str(&format!(
                        "<li><a href=\"{}\"{}>{}</a></li>",
                        escape_html(url),
                        if external { " class=\"external\" rel=\"noopener\"" } else { "" },
                        escape_html(title)
                    ));
                }
                // A folder holding only its index page: one link, titled by the folder.
                Nav::Section { title, children } if only_index(self.site, children).is_some() => {
                    if let [Nav::Page { page, .. }] = children.as_slice() {
                        let current = *page == self.current && on;
                        self.out.push_str(&format!(
                            "<li><a href=\"{}\"{}>{}</a></li>",
                            escape_html(&self.href(*page)),
                            if current { " aria-current=\"page\"" } else { "" },
                            escape_html(title)
                        ));
                    }
                }
                Nav::Section { title, children } => {
                    if self.collapse && !on {
                        // A closed branch of a large set: one link, no children.
                        match first_page(children) {
                            Some(first) => self.out.push_str(&format!(
                                "<li class=\"docs-nav-section docs-nav-collapsed\"><a href=\"{}\">{}</a></li>",
                                escape_html(&self.href(first)),
                                escape_html(title)
                            )),
                            None => self.out.push_str(&format!(
                                "<li class=\"docs-nav-section\"><span>{}</span></li>",
                                escape_html(title)
                            )),
                        }
                        continue;
                    }
                    self.out.push_str(&format!(
                        "<li class=\"docs-nav-section\"><details{}><summary>{}</summary>",
                        if on { " open" } else { "" },
                        escape_html(title)
                    ));
                    self.items(children, rest);
                    self.out.push_str("</details></li>");
                }
            }
        }
        self.out.push_str("</ul>");
    }
}

/// The docs navigation of one page as HTML (built here rather than in a
/// template: recursion in templates costs more than the rest of the page).
pub fn nav_html(site: &DocSite, page: usize, from: &str, style: UrlStyle) -> String {
    let branch = branch_to(&site.nav, page);
    let mut w = NavWriter {
        site,
        from,
        style,
        current: page,
        collapse: nav::count(&site.nav) > NAV_FULL_LIMIT,
        out: String::with_capacity(1024),
    };
    w.items(&site.nav, branch.as_deref());
    w.out
}

/// Section titles from the root to the page.
fn breadcrumbs(site: &DocSite, page: usize) -> Vec<String> {
    let Some(branch) = branch_to(&site.nav, page) else { return Vec::new() };
    let mut out = Vec::new();
    let mut items = &site.nav;
    for &i in &branch[..branch.len().saturating_sub(1)] {
        if let Nav::Section { title, children } = &items[i] {
            out.push(title.clone());
            items = children;
        }
    }
    out
}

fn page_html(
    site: &DocSite,
    p: usize,
    from: &str,
    title: &str,
    rendered: &Rendered,
    env: &RenderEnv,
    tera: &tera::Tera,
) -> Result<String, String> {
    let page = &site.pages[p];
    let link_to = |page: usize| {
        json!({
            "title": site.pages[page].nav_title.clone().unwrap_or_else(|| site.pages[page].title.clone()),
            "url": relative_link(from, &format!("{}{}", site.base, site.pages[page].file), env.style),
        })
    };
    let position = site.order.iter().position(|&i| i == p);
    let prev = position.and_then(|i| i.checked_sub(1)).map(|i| link_to(site.order[i]));
    let next = position.and_then(|i| site.order.get(i + 1)).map(|&i| link_to(i));
    let home = site.pages.iter().position(|pg| pg.file == "index.html").or_else(|| site.order.first().copied());
    let toc: Vec<Value> = rendered
        .headings
        .iter()
        .filter(|h| (2..=4).contains(&h.level))
        .map(|h| json!({"level": h.level, "id": h.id, "text": h.text}))
        .collect();
    let entity = env.entities.get(&site.entity_ref).cloned().unwrap_or(Value::Null);
    let description = site
        .config
        .site_description
        .clone()
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| format!("Documentation of {}", site.title));
    let docs = json!({
        "title": site.title,
        "description": site.config.site_description,
        "home": home.map(|h| relative_link(from, &format!("{}{}", site.base, site.pages[h].file), env.style)),
        "entity": entity,
        "nav_html": nav_html(site, p, from, env.style),
        "toc": toc,
        "breadcrumbs": breadcrumbs(site, p),
        "prev": prev,
        "next": next,
        "edit_url": page.edit_url,
        "content_html": rendered.html,
        "uses_mermaid": rendered.uses_mermaid,
        "in_nav": page.in_nav,
    });
    let mut ctx = env.base.clone();
    if let Value::Object(map) = &mut ctx {
        map.insert("root".into(), Value::String(urls::root_of(from)));
        map.insert(
            "page".into(),
            json!({
                "title": title,
                "description": description,
                "canonical": format!("{}{}", env.base_url, urls::link_of(from, UrlStyle::Directory)),
                "file": from,
                "url": urls::link_of(from, env.style),
            }),
        );
        map.insert("docs".into(), docs);
    }
    let context = tera::Context::from_value(ctx).map_err(|e| e.to_string())?;
    tera.render("docs.html", &context)
        .map_err(|e| format!("template docs.html for {from}: {}", crate::site::theme::describe_tera_error(&e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_between_pages() {
        let d = UrlStyle::Directory;
        assert_eq!(relative_link("docs/a/index.html", "docs/a/guide/index.html", d), "guide/");
        assert_eq!(relative_link("docs/a/guide/index.html", "docs/a/index.html", d), "../");
        assert_eq!(relative_link("docs/a/guide/index.html", "docs/a/guide/index.html", d), "./");
        assert_eq!(relative_link("docs/a/x/y/index.html", "docs/a/img/p.png", d), "../../img/p.png");
        assert_eq!(relative_link("docs/a/index.html", "docs/b/index.html", UrlStyle::File), "../b/index.html");
        assert_eq!(relative_link("docs/a/x.html", "docs/a/y.html", d), "y.html");
        assert_eq!(relative_link("docs/a/index.html", "docs/a/My Page/index.html", d), "My%20Page/");
    }

    #[test]
    fn externals() {
        assert!(is_external("https://x") && is_external("mailto:a@b") && is_external("//cdn/x"));
        assert!(!is_external("a.md") && !is_external("a.md#x:y") && !is_external("../x"));
    }

    #[test]
    fn ids_and_bounds() {
        let ids = element_ids(r#"<h2 id="a">x</h2><div data-id="no" id="b&amp;c"></div>"#);
        assert!(ids.contains("a") && ids.contains("b&c") && ids.len() == 2);
        assert_eq!(bounded("héllo", 2), "h");
    }
}
