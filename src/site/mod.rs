//! Stage 5 — site model: the pages and data files of the portal, rendered
//! with the theme's templates in parallel and checked for broken links.
//!
//! `portalgen serve` renders again only the pages whose inputs changed
//! ([`incremental`]): entities a page shows are recorded while it renders
//! (through [`views::Views`]); everything else it shows is its key in
//! `page_key`. A new page kind without a key there is rendered on every
//! change — correct, only slower.

pub mod highlight;
pub mod incremental;
pub mod links;
pub mod markdown;
pub mod theme;
pub mod urls;
pub mod views;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::catalog::{Catalog, Entity};
use crate::config::Config;
use crate::output::Staging;
use crate::problems::{Problem, Severity};
use crate::sources::Source;
use views::{EntityLink, Views};

/// Rows per static catalog page: small pages without JavaScript, and the
/// full list is still one click away.
pub const PAGE_SIZE: usize = 200;

/// What a build wrote.
pub struct SiteReport {
    pub files: usize,
    /// Problems found while rendering: broken internal links, template errors,
    /// and every docs problem (refs, mkdocs.yml, links and anchors in docs pages).
    pub problems: Vec<Problem>,
}

/// One page to render: its output file and what it shows.
enum PageKind {
    Home,
    Content(usize),
    Catalog { page: usize },
    Kind { kind: String, page: usize },
    Entity(usize),
    Problems,
    Sources,
    Search,
    Graph,
    NotFound,
}

struct Planned {
    file: String,
    kind: PageKind,
}

/// A Markdown page from `content/`.
struct ContentPage {
    file: String,
    title: String,
    description: String,
    html: String,
}

#[derive(Serialize)]
struct NavPage {
    title: String,
    url: String,
}

#[derive(Serialize)]
struct ProblemView {
    severity: Severity,
    file: String,
    line: Option<usize>,
    entity: Option<EntityLink>,
    message: String,
}

/// Everything every page shares.
struct Shared<'a> {
    config: &'a Config,
    catalog: &'a Catalog,
    sources: &'a [Source],
    views: Views<'a>,
    hierarchy: views::Hierarchy,
    content: Vec<ContentPage>,
    base: Value,
    problems_by_ref: BTreeMap<String, Vec<ProblemView>>,
    apis: crate::apidef::Pages,
    graphs: &'a crate::graph::Graphs<'a>,
    /// Entity ref → its docs home (site-relative file), own or shared.
    docs_homes: BTreeMap<String, String>,
    docs_problems: Vec<Problem>,
}

/// Writes every page and data file into `staging`.
pub fn render(config: &Config, catalog: &Catalog, sources: &[Source], staging: &Staging) -> Result<SiteReport, String> {
    render_with(config, catalog, sources, staging, None).map(|(report, _)| report)
}

/// Writes the pages whose inputs changed since `state` (and every data
/// file) into `staging`, and returns the new state; see [`incremental`].
pub fn render_changed(
    config: &Config,
    catalog: &Catalog,
    sources: &[Source],
    staging: &Staging,
    state: &incremental::SiteState,
    changed: &incremental::Changed,
) -> Result<(SiteReport, incremental::SiteState), String> {
    render_with(config, catalog, sources, staging, Some((state, changed)))
        .map(|(report, state)| (report, state.unwrap_or_default()))
}

fn render_with(
    config: &Config,
    catalog: &Catalog,
    sources: &[Source],
    staging: &Staging,
    incremental: Option<(&incremental::SiteState, &incremental::Changed)>,
) -> Result<(SiteReport, Option<incremental::SiteState>), String> {
    let theme = theme::load(config)?;
    let style = config.site.url_style;
    let views = Views::new(catalog, style);
    let content = load_content(config);
    let docs = crate::pipeline::timed("docs plan", || crate::docs::plan(catalog, sources));
    let kind_counts = views::kind_counts(catalog, style);
    let apis = crate::pipeline::timed("api definitions", || crate::apidef::render_catalog(catalog, sources));
    let errors = catalog.problems.iter().chain(&apis.problems).filter(|p| p.severity == Severity::Error).count();
    let nav_pages: Vec<NavPage> = content
        .iter()
        .filter(|c| c.file != "index.html")
        .map(|c| NavPage { title: c.title.clone(), url: urls::link_of(&c.file, style) })
        .collect();
    let base = json!({
        "site": {
            "title": config.site.title,
            "description": config.site.description,
            "base_url": config.base_url(),
        },
        "nav": {
            "home": urls::link_of("index.html", style),
            "catalog": urls::link_of(&urls::catalog_page_file(1), style),
            "problems": urls::link_of("problems/index.html", style),
            "sources": urls::link_of("sources/index.html", style),
            "search": urls::link_of("search/index.html", style),
            "graph": urls::link_of("graph/index.html", style),
            "kinds": kind_counts,
            "pages": nav_pages,
        },
        "counts": {
            "entities": catalog.entities.len(),
            "errors": errors,
            "warnings": catalog.problems.len() + apis.problems.len() - errors,
        },
        "url_style": style,
    });
    let mut problems_by_ref: BTreeMap<String, Vec<ProblemView>> = BTreeMap::new();
    for p in catalog.problems.iter().chain(&apis.problems) {
        if let Some(r) = &p.entity_ref {
            problems_by_ref.entry(r.clone()).or_default().push(problem_view(&views, p));
        }
    }
    let graph_index = crate::graph::model::GraphIndex::new(catalog, style);
    let graphs = crate::graph::Graphs::new(&graph_index, catalog);
    let mut shared = Shared {
        graphs: &graphs,
        config,
        catalog,
        sources,
        hierarchy: views::Hierarchy::new(catalog),
        views,
        content,
        base,
        problems_by_ref,
        apis,
        docs_homes: docs.by_entity.keys().filter_map(|r| Some((r.clone(), docs.home_of(r)?))).collect(),
        docs_problems: Vec::new(),
    };

    let mut pages = plan(&shared);
    // A theme written before the Sources page existed simply has none.
    if !theme.tera.get_template_names().any(|t| t == "sources.html") {
        pages.retain(|p| !matches!(p.kind, PageKind::Sources));
    }
    if !theme.tera.get_template_names().any(|t| t == "search.html") {
        pages.retain(|p| !matches!(p.kind, PageKind::Search));
    }
    if !theme.tera.get_template_names().any(|t| t == "graph.html") {
        pages.retain(|p| !matches!(p.kind, PageKind::Graph));
    }
    let mut data_files: Vec<(String, Vec<u8>)> = vec![
        ("api/entities.json".into(), entities_json(catalog)),
        ("api/sources.json".into(), sources_json(&source_views(catalog, sources))),
        ("catalog/_data/entities.js".into(), catalog_data_js(&shared)),
        ("graph/_data/graph.js".into(), graphs.explorer_data()),
        ("static/css/highlight.css".into(), highlight::stylesheet().into_bytes()),
        (
            "robots.txt".into(),
            format!("User-agent: *\nAllow: /\nSitemap: {}sitemap.xml\n", config.base_url()).into_bytes(),
        ),
        (".nojekyll".into(), Vec::new()),
    ];
    for (path, bytes) in &theme.statics {
        data_files.push((format!("static/{path}"), bytes.clone()));
    }
    data_files.push(("sitemap.xml".into(), sitemap(config, &pages, &docs.page_files().collect::<Vec<_>>())));
    data_files.append(&mut shared.apis.files);

    let mut known: HashSet<String> = pages
        .iter()
        .map(|p| p.file.clone())
        .chain(data_files.iter().map(|(f, _)| f.clone()))
        .chain(docs.files())
        .collect();
    for (path, bytes) in &data_files {
        staging.write(path, bytes).map_err(|e| format!("{path}: {e}"))?;
    }
    // Docs pages first: the search index holds their sections.
    let docs_report = crate::pipeline::timed("docs", || render_docs(&shared, &docs, &theme.tera, staging, &known))?;
    let search = crate::pipeline::timed("search index", || crate::search::build(&shared.views, &docs_report.search));
    for (path, bytes) in &search.files {
        staging.write(path, bytes).map_err(|e| format!("{path}: {e}"))?;
        known.insert(path.clone());
    }
    let known = known;
    let mut shared = shared;
    let mut docs_problems = docs.problems.clone();
    docs_problems.extend(docs_report.problems);
    for p in &docs_problems {
        if let Some(r) = &p.entity_ref {
            shared.problems_by_ref.entry(r.clone()).or_default().push(problem_view(&shared.views, p));
        }
    }
    shared.docs_problems = docs_problems;
    let shared = shared;
    let pass = incremental.map(|(state, changed)| incremental::Pass::new(state, changed, &shared.base));
    let keys = pass.as_ref().map(|_| PageKeys::new(&shared));
    let results: Vec<Result<Vec<Problem>, String>> = pages
        .par_iter()
        .map(|page| {
            let key = keys.as_ref().and_then(|k| page_key(&shared, k, page));
            if let Some(kept) = pass.as_ref().and_then(|p| p.reuse(&page.file, key)) {
                return Ok(kept);
            }
            let (html, touched) = incremental::recording(pass.is_some(), || render_page(&shared, &theme.tera, page));
            let html = html?;
            staging.write(&page.file, html.as_bytes()).map_err(|e| format!("{}: {e}", page.file))?;
            let problems = page_problems(page, &html, &known);
            if let Some(pass) = &pass {
                pass.rendered(&page.file, key, touched, &problems);
            }
            Ok(problems)
        })
        .collect();
    let mut problems = shared.apis.problems.clone();
    problems.extend(shared.docs_problems.iter().cloned());
    for r in results {
        problems.extend(r?);
    }
    let files = known.len();
    let state = pass.map(|p| p.finish(known));
    Ok((SiteReport { files, problems }, state))
}

/// Broken internal links of a rendered page.
fn page_problems(page: &Planned, html: &str, known: &HashSet<String>) -> Vec<Problem> {
    // 404.html is served at any path, so its links are root-absolute.
    if page.file == "404.html" {
        return Vec::new();
    }
    links::broken(&page.file, html, known)
        .into_iter()
        .map(|target| {
            Problem::warning(
                page.file.clone(),
                None,
                None,
                format!("broken internal link to {target}: no page or file is written there"),
            )
        })
        .collect()
}

/// What list pages show, computed once for all page keys.
struct PageKeys {
    /// Entity indexes in display order, per kind.
    by_kind: HashMap<String, Vec<usize>>,
    problems: u64,
    sources: u64,
}

impl PageKeys {
    fn new(shared: &Shared) -> PageKeys {
        let mut by_kind: HashMap<String, Vec<usize>> = HashMap::new();
        for &i in &shared.views.order {
            by_kind.entry(shared.catalog.entities[i].kind.clone()).or_default().push(i);
        }
        let all = shared.catalog.problems.iter().chain(&shared.apis.problems).chain(&shared.docs_problems);
        let mut problem_lines: Vec<String> = all.map(|p| format!("{p:?}")).collect();
        // The page also lists dependency cycles and deprecated dependencies.
        problem_lines.push(shared.graphs.problems_context().to_string());
        let problems = incremental::hash(&problem_lines);
        let sources = incremental::hash(&sources_json(&source_views(shared.catalog, shared.sources)));
        PageKeys { by_kind, problems, sources }
    }
}

/// Everything a page shows besides the entities it touches and the base
/// context (see [`incremental`]); `None`: render it on every change.
fn page_key(shared: &Shared, keys: &PageKeys, page: &Planned) -> Option<u64> {
    let slice = |list: &[usize], n: usize| -> u64 {
        let refs: Vec<&str> = list
            .iter()
            .skip((n - 1) * PAGE_SIZE)
            .take(PAGE_SIZE)
            .map(|&i| shared.catalog.entities[i].entity_ref.as_str())
            .collect();
        incremental::hash(&(n, list.len(), refs))
    };
    let content = |c: &ContentPage| incremental::hash(&(&c.file, &c.title, &c.description, &c.html));
    match &page.kind {
        PageKind::Home => {
            let home = shared.content.iter().find(|c| c.file == "index.html").map(content);
            let owners: HashSet<&str> =
                shared.catalog.entities.iter().flat_map(|e| e.related(crate::entities::relations::OWNED_BY)).collect();
            Some(incremental::hash(&(home, owners.len())))
        }
        PageKind::Content(i) => Some(content(&shared.content[*i])),
        PageKind::Catalog { page: n } => Some(slice(&shared.views.order, *n)),
        PageKind::Kind { kind, page: n } => Some(slice(keys.by_kind.get(kind).map_or(&[][..], Vec::as_slice), *n)),
        // The entity itself is touched.
        PageKind::Entity(_) => Some(0),
        PageKind::Problems => Some(keys.problems),
        PageKind::Sources => Some(keys.sources),
        PageKind::Search | PageKind::NotFound => Some(0),
        #[allow(unreachable_patterns)]
        _ => None,
    }
}

/// Docs pages share the portal's header and template context.
fn render_docs(
    shared: &Shared,
    docs: &crate::docs::DocsPlan,
    tera: &tera::Tera,
    staging: &Staging,
    known: &HashSet<String>,
) -> Result<crate::docs::DocsReport, String> {
    let entities: std::collections::HashMap<String, Value> = docs
        .sites
        .iter()
        .filter_map(|site| {
            let e = shared.catalog.entities.get(site.entity)?;
            Some((site.entity_ref.clone(), serde_json::to_value(shared.views.row(e)).unwrap_or(Value::Null)))
        })
        .collect();
    let env = crate::docs::RenderEnv {
        tera: Some(tera),
        staging: Some(staging),
        base: &shared.base,
        style: shared.config.site.url_style,
        base_url: shared.config.base_url(),
        known,
        entities: &entities,
        search: true,
    };
    crate::docs::render::render(docs, shared.sources, &env)
}

fn problem_view(views: &Views, p: &Problem) -> ProblemView {
    ProblemView {
        severity: p.severity,
        file: p.file.clone(),
        line: p.line,
        entity: p.entity_ref.as_ref().map(|r| views.link(r, None)),
        message: p.message.clone(),
    }
}

/// The pages of the site, in a fixed order.
fn plan(shared: &Shared) -> Vec<Planned> {
    let catalog = shared.catalog;
    let mut pages = vec![Planned { file: "index.html".into(), kind: PageKind::Home }];
    for (i, c) in shared.content.iter().enumerate() {
        if c.file != "index.html" {
            pages.push(Planned { file: c.file.clone(), kind: PageKind::Content(i) });
        }
    }
    let total_pages = catalog.entities.len().div_ceil(PAGE_SIZE).max(1);
    for page in 1..=total_pages {
        pages.push(Planned { file: urls::catalog_page_file(page), kind: PageKind::Catalog { page } });
    }
    let mut per_kind: BTreeMap<String, usize> = BTreeMap::new();
    for e in &catalog.entities {
        *per_kind.entry(e.kind.clone()).or_default() += 1;
    }
    for (kind, count) in per_kind {
        for page in 1..=count.div_ceil(PAGE_SIZE).max(1) {
            pages.push(Planned {
                file: urls::kind_page_file(&kind, page),
                kind: PageKind::Kind { kind: kind.clone(), page },
            });
        }
    }
    for (i, e) in catalog.entities.iter().enumerate() {
        pages.push(Planned { file: urls::entity_file(&e.namespace, &e.kind, &e.name), kind: PageKind::Entity(i) });
    }
    pages.push(Planned { file: "problems/index.html".into(), kind: PageKind::Problems });
    pages.push(Planned { file: "sources/index.html".into(), kind: PageKind::Sources });
    pages.push(Planned { file: "search/index.html".into(), kind: PageKind::Search });
    pages.push(Planned { file: "graph/index.html".into(), kind: PageKind::Graph });
    pages.push(Planned { file: "404.html".into(), kind: PageKind::NotFound });
    pages
}

fn pagination(page: usize, pages: usize, file_of: impl Fn(usize) -> String, shared: &Shared) -> Value {
    let style = shared.config.site.url_style;
    let link = |n: usize| urls::link_of(&file_of(n), style);
    json!({
        "page": page,
        "pages": pages,
        "prev": (page > 1).then(|| link(page - 1)),
        "next": (page < pages).then(|| link(page + 1)),
        "links": (1..=pages).map(|n| json!({"number": n, "url": link(n), "current": n == page})).collect::<Vec<_>>(),
    })
}

fn render_page(shared: &Shared, tera: &tera::Tera, page: &Planned) -> Result<String, String> {
    let config = shared.config;
    let catalog = shared.catalog;
    let mut ctx = shared.base.clone();
    let root = if page.file == "404.html" { config.base_path() } else { urls::root_of(&page.file) };
    let link = urls::link_of(&page.file, config.site.url_style);
    let canonical = format!("{}{}", config.base_url(), urls::link_of(&page.file, crate::config::UrlStyle::Directory));
    let (template, title, description, extra): (&str, String, String, Value) = match &page.kind {
        PageKind::Home => {
            let home = shared.content.iter().find(|c| c.file == "index.html");
            let owners: HashSet<&str> =
                catalog.entities.iter().flat_map(|e| e.related(crate::entities::relations::OWNED_BY)).collect();
            (
                "home.html",
                home.map(|h| h.title.clone()).unwrap_or_else(|| config.site.title.clone()),
                home.map(|h| h.description.clone())
                    .filter(|d| !d.is_empty())
                    .unwrap_or_else(|| config.site.description.clone()),
                json!({
                    "content_html": home.map(|h| h.html.clone()).unwrap_or_default(),
                    "owners": owners.len(),
                }),
            )
        }
        PageKind::Content(i) => {
            let c = &shared.content[*i];
            ("page.html", c.title.clone(), c.description.clone(), json!({"content_html": c.html}))
        }
        PageKind::Catalog { page: n } => {
            let all: Vec<&Entity> = shared.views.ordered().collect();
            let pages = all.len().div_ceil(PAGE_SIZE).max(1);
            let rows: Vec<EntityLink> =
                all.iter().skip((n - 1) * PAGE_SIZE).take(PAGE_SIZE).map(|e| shared.views.row(e)).collect();
            let title = if *n > 1 { format!("Catalog (page {n} of {pages})") } else { "Catalog".to_string() };
            (
                "catalog.html",
                title,
                format!("All {} entities of the catalog: who owns what, and what it is.", all.len()),
                json!({"rows": rows, "kind": Value::Null, "total": all.len(), "pagination": pagination(*n, pages, urls::catalog_page_file, shared)}),
            )
        }
        PageKind::Kind { kind, page: n } => {
            let all: Vec<&Entity> = shared.views.ordered().filter(|e| &e.kind == kind).collect();
            let pages = all.len().div_ceil(PAGE_SIZE).max(1);
            let rows: Vec<EntityLink> =
                all.iter().skip((n - 1) * PAGE_SIZE).take(PAGE_SIZE).map(|e| shared.views.row(e)).collect();
            let plural = views::kind_plural(kind);
            let title = if *n > 1 { format!("{plural} (page {n} of {pages})") } else { plural.clone() };
            let k = kind.clone();
            (
                "catalog.html",
                title,
                format!("All {} {} in the catalog.", all.len(), plural.to_lowercase()),
                json!({"rows": rows, "kind": kind, "total": all.len(), "pagination": pagination(*n, pages, move |p| urls::kind_page_file(&k, p), shared)}),
            )
        }
        PageKind::Entity(i) => {
            let e = &catalog.entities[*i];
            incremental::touch(&e.entity_ref);
            let source_file = shared.sources[e.file.source].display(&e.file.rel);
            let view = shared.views.entity(e, source_file);
            let description = if view.link.description.is_empty() {
                format!("{} {} in the catalog", e.kind, e.title())
            } else {
                view.link.description.clone()
            };
            let mut extra = Map::new();
            extra.insert("entity".into(), serde_json::to_value(&view).unwrap_or(Value::Null));
            extra.insert("source".into(), entity_source(&shared.sources[e.file.source], &e.file.rel));
            if let Some(home) = shared.docs_homes.get(&e.entity_ref) {
                extra.insert("docs".into(), json!({"url": urls::link_of(home, config.site.url_style)}));
            }
            extra.insert(
                "problems".into(),
                serde_json::to_value(shared.problems_by_ref.get(&e.entity_ref)).unwrap_or(Value::Null),
            );
            extra.extend(shared.graphs.entity_context(*i, &root));
            match e.kind.as_str() {
                "Group" => {
                    let g = shared.views.group(e, &shared.hierarchy);
                    extra.insert("group".into(), serde_json::to_value(g).unwrap_or(Value::Null));
                }
                "User" => {
                    let u = shared.views.user(e);
                    extra.insert("user".into(), serde_json::to_value(u).unwrap_or(Value::Null));
                }
                "API" => {
                    extra.insert("api".into(), serde_json::to_value(shared.apis.view(*i)).unwrap_or(Value::Null));
                }
                _ => {}
            }
            ("entity.html", format!("{} — {}", e.title(), e.kind), description, Value::Object(extra))
        }
        PageKind::Problems => {
            let mut files: BTreeMap<&str, Vec<ProblemView>> = BTreeMap::new();
            for p in catalog.problems.iter().chain(&shared.apis.problems).chain(&shared.docs_problems) {
                files.entry(p.file.as_str()).or_default().push(problem_view(&shared.views, p));
            }
            let files: Vec<Value> =
                files.into_iter().map(|(file, problems)| json!({"file": file, "problems": problems})).collect();
            (
                "problems.html",
                "Catalog problems".into(),
                "Every error and warning found while reading the catalog, by file.".into(),
                json!({"files": files, "graph_problems": shared.graphs.problems_context()}),
            )
        }
        PageKind::Sources => {
            let views = source_views(catalog, shared.sources);
            let commits = views.iter().filter(|v| v.repository.as_ref().is_some_and(|r| r.commit.is_some())).count();
            (
                "sources.html",
                "Sources".into(),
                format!(
                    "The {} sources of the catalog: {commits} git repositories at the commit the portal was built from, and local folders.",
                    views.len()
                ),
                json!({"sources": views}),
            )
        }
        PageKind::Search => {
            ("search.html", "Search".into(), "Search the catalog and its documentation.".into(), json!({}))
        }
        PageKind::Graph => (
            "graph.html",
            "Graph explorer".into(),
            "How the catalog's components, APIs, resources, systems and domains depend on each other.".into(),
            json!({"explorer": shared.graphs.explorer_context(&root)}),
        ),
        PageKind::NotFound => ("404.html", "Page not found".into(), "This page does not exist.".into(), json!({})),
    };
    if let (Value::Object(ctx_map), Value::Object(extra)) = (&mut ctx, extra) {
        ctx_map.extend(extra);
        ctx_map.insert("root".into(), Value::String(root));
        ctx_map.insert(
            "page".into(),
            json!({"title": title, "description": description, "canonical": canonical, "file": page.file, "url": link}),
        );
    }
    let context = tera::Context::from_value(ctx).map_err(|e| e.to_string())?;
    tera.render(template, &context)
        .map_err(|e| format!("template {template} for {}: {}", page.file, theme::describe_tera_error(&e)))
}

/// `content/**/*.md`: `index.md` is the home page, `about.md` becomes `about/`.
fn load_content(config: &Config) -> Vec<ContentPage> {
    let dir = config.root.join(&config.site.content);
    let mut pages = Vec::new();
    if !dir.is_dir() {
        return pages;
    }
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name().into_iter().flatten() {
        let path = entry.path();
        if !entry.file_type().is_file() || path.extension().and_then(|e| e.to_str()) != Some("md") {
            continue;
        }
        let Ok(rel) = path.strip_prefix(&dir) else { continue };
        let rel = rel.to_string_lossy().replace('\\', "/");
        let Ok(text) = std::fs::read_to_string(path) else { continue };
        let stem = rel.trim_end_matches(".md");
        let file = if stem == "index" {
            "index.html".to_string()
        } else if let Some(dir) = stem.strip_suffix("/index") {
            format!("{dir}/index.html")
        } else {
            format!("{stem}/index.html")
        };
        let (front, body) = markdown::front_matter(&text);
        let field = |k: &str| front.as_ref().and_then(|f| f.get(k)).and_then(Value::as_str).map(String::from);
        let title = field("title").unwrap_or_else(|| first_heading(body).unwrap_or_else(|| stem.to_string()));
        let description = field("description").unwrap_or_else(|| markdown::plain_text(body, 160));
        pages.push(ContentPage { file, title, description, html: markdown::render(body) });
    }
    pages
}

fn first_heading(body: &str) -> Option<String> {
    body.lines().find_map(|l| l.strip_prefix("# ")).map(|t| t.trim().to_string())
}

/// One source as the Sources page and `api/sources.json` show it.
#[derive(Serialize)]
struct SourceView<'a> {
    name: &'a str,
    /// `git` or `local`.
    #[serde(rename = "type")]
    source_type: &'static str,
    /// The folder of a local source, relative to the project.
    path: Option<String>,
    /// Forge URL of the source root, when known.
    url: Option<&'a str>,
    repository: Option<&'a crate::sources::Repository>,
    /// Catalog files read from the source (registered and followed).
    files: usize,
    entities: usize,
    problems: Vec<Value>,
}

fn source_views<'a>(catalog: &Catalog, sources: &'a [Source]) -> Vec<SourceView<'a>> {
    let mut files = vec![HashSet::new(); sources.len()];
    for r in &catalog.records {
        if let Some(set) = files.get_mut(r.file.source) {
            set.insert(r.file.rel.as_str());
        }
    }
    let mut entities = vec![0; sources.len()];
    for e in &catalog.entities {
        if let Some(n) = entities.get_mut(e.file.source) {
            *n += 1;
        }
    }
    sources
        .iter()
        .enumerate()
        .map(|(i, s)| SourceView {
            name: &s.name,
            source_type: if s.repository.is_some() { "git" } else { "local" },
            path: s.local_root().map(|_| s.display("").trim_end_matches('/').to_string()),
            url: s.url.as_deref(),
            repository: s.repository.as_ref(),
            files: files[i].len(),
            entities: entities[i],
            problems: s
                .problems
                .iter()
                .map(|(severity, message)| json!({"severity": severity, "message": message}))
                .collect(),
        })
        .collect()
}

/// `api/sources.json`: every source with the commit the portal was built from.
fn sources_json(views: &[SourceView]) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(&json!({ "sources": views })).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// Where an entity's file came from, for its page.
fn entity_source(source: &Source, rel: &str) -> Value {
    let repo = source.repository.as_ref();
    json!({
        "name": source.name,
        "path": rel,
        "repository": repo.map(|r| &r.url),
        "ref": repo.and_then(|r| r.ref_name.as_ref()),
        "commit": repo.and_then(|r| r.commit.as_ref()),
        "commit_url": repo.and_then(|r| r.commit_url.as_ref()),
        "view_url": source.view_url(rel),
        "edit_url": source.edit_url(rel),
    })
}

/// `api/entities.json`: every entity as Backstage's REST API returns it
/// (`GET /api/catalog/entities`), sorted by ref.
pub fn entities_json(catalog: &Catalog) -> Vec<u8> {
    let list: Vec<Value> = catalog.entities.par_iter().map(Entity::to_api_json).collect();
    let mut bytes = serde_json::to_vec(&list).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// The catalog table's data for client-side filtering, as a script so it
/// also loads from `file://` (where `fetch` of local files is refused).
fn catalog_data_js(shared: &Shared) -> Vec<u8> {
    let rows: Vec<Value> = shared
        .views
        .ordered()
        .map(|e| {
            let r = shared.views.row(e);
            json!({
                "ref": r.entity_ref,
                "kind": r.kind,
                "namespace": r.namespace,
                "name": r.name,
                "title": r.title,
                "type": r.entity_type,
                "lifecycle": r.lifecycle,
                "owner": r.owner.as_ref().map(|o| json!({"ref": o.entity_ref, "title": o.title, "url": o.url})),
                "system": r.system.as_ref().map(|s| json!({"ref": s.entity_ref, "title": s.title, "url": s.url})),
                "tags": r.tags,
                "description": r.description,
                "url": r.url,
                "docs": shared.docs_homes.contains_key(&r.entity_ref),
            })
        })
        .collect();
    let json = serde_json::to_string(&rows).unwrap_or_else(|_| "[]".into());
    // `</` cannot close the script element: JSON allows `<\/`.
    format!("window.PORTALGEN_CATALOG = {};\n", json.replace("</", "<\\/")).into_bytes()
}

fn sitemap(config: &Config, pages: &[Planned], docs_pages: &[String]) -> Vec<u8> {
    let base = config.base_url();
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for file in pages.iter().map(|p| &p.file).filter(|f| *f != "404.html").chain(docs_pages) {
        let loc = format!("{base}{}", urls::link_of(file, crate::config::UrlStyle::Directory));
        out.push_str(&format!("  <url><loc>{}</loc></url>\n", highlight::escape_html(&loc)));
    }
    out.push_str("</urlset>\n");
    out.into_bytes()
}

/// Used by the command line to report where the site went.
pub fn describe_output(out: &Path, report: &SiteReport) -> String {
    format!("{} ({} files)", out.display(), report.files)
}
