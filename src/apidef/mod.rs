//! API definitions rendered by `spec.type`: a readable reference for
//! OpenAPI and AsyncAPI, an outlined and cross-linked source for GraphQL
//! SDL and protobuf, highlighted text for anything else. Every view keeps
//! the raw definition (highlighted, downloadable).
//!
//! The views are HTML built here rather than in templates: schemas nest and
//! recurse, which Tera expresses slowly; every piece of definition text goes
//! through [`esc`], and descriptions through the sanitising Markdown renderer.
//! Work is bounded: the inlined raw text and the reference stop at fixed
//! sizes (the page says so and the full file is downloadable), schema
//! expansion stops at a node budget and at cycles.

mod asyncapi;
mod graphql;
mod grpc;
mod lexer;
mod openapi;
mod schema;

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;

use crate::catalog::{Catalog, Entity};
use crate::problems::Problem;
use crate::site::{highlight, urls};
use crate::sources::Source;

/// At most this much of the definition is highlighted inline; the rest is
/// in the downloadable file.
pub const RAW_INLINE_BYTES: usize = 96 * 1024;
/// Highlighted HTML is several times its text; past this it is shown plain.
const RAW_HTML_BUDGET: usize = 384 * 1024;
/// The reference view stops adding operations past this size (HTML bytes).
pub const REFERENCE_BUDGET: usize = 400 * 1024;

/// What an API page shows of its definition (the `api` template context).
#[derive(Debug, Serialize)]
pub struct ApiView {
    /// `openapi`, `asyncapi`, `graphql`, `grpc`, or `raw`.
    pub format: &'static str,
    /// "OpenAPI 3.0.0", "AsyncAPI 2.6.0", "GraphQL SDL", "Protocol Buffers"; empty for raw text.
    pub format_label: String,
    /// The structured view (escaped and sanitised HTML); empty for raw text
    /// and definitions that do not parse.
    pub reference_html: String,
    /// The table of contents of the reference: groups of links to anchors on the page.
    pub outline: Vec<OutlineGroup>,
    /// Set when the reference was cut to keep the page small.
    pub reference_note: Option<String>,
    /// Highlighting language of the raw definition.
    pub language: &'static str,
    /// The highlighted raw definition (or its first [`RAW_INLINE_BYTES`]).
    pub definition_html: String,
    pub lines: usize,
    pub bytes: usize,
    /// `bytes` for people: "12.3 kB".
    pub size: String,
    /// Lines shown in `definition_html` when it was cut (`None`: all of it).
    pub shown_lines: Option<usize>,
    /// The definition as a file next to the page: `{file, url}` (url relative to the site root).
    pub download: Download,
    /// Why the definition could not be shown as a reference, for the page.
    pub problem: Option<String>,
}

#[derive(Debug, Serialize, Clone)]
pub struct Download {
    pub file: String,
    pub url: String,
    /// `yaml`, `json`, `graphql`, `proto` or `txt`.
    pub extension: &'static str,
}

#[derive(Debug, Serialize, Default)]
pub struct OutlineGroup {
    pub title: String,
    /// Anchor of the group's heading (without `#`), if it has one.
    pub anchor: Option<String>,
    pub items: Vec<OutlineItem>,
    /// Items left out of `items` (long lists are cut).
    pub more: usize,
}

/// Outline entries shown per group; the rest are counted.
const MAX_OUTLINE_ITEMS: usize = 300;

impl OutlineGroup {
    /// Adds an item, or counts it in `more` once the list is long enough.
    pub fn add(&mut self, item: OutlineItem) {
        if self.items.len() < MAX_OUTLINE_ITEMS {
            self.items.push(item);
        } else {
            self.more += 1;
        }
    }
}

#[derive(Debug, Serialize)]
pub struct OutlineItem {
    pub label: String,
    /// An HTTP method (`get`), an AsyncAPI action (`send`), or a kind (`type`, `rpc`).
    pub badge: Option<String>,
    /// A second, quieter text: the summary of an operation, a signature.
    pub detail: Option<String>,
    pub anchor: String,
    pub deprecated: bool,
}

/// A definition that could not be read as its type says, with the line
/// within the definition when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefinitionIssue {
    pub line: Option<usize>,
    pub message: String,
}

/// What rendering one definition produced.
pub struct Rendered {
    pub view: ApiView,
    /// The raw definition, to be written at `view.download.url`.
    pub raw: Vec<u8>,
    pub issue: Option<DefinitionIssue>,
}

/// The output of a format's reference renderer.
pub(crate) struct Reference {
    pub label: String,
    pub html: String,
    pub outline: Vec<OutlineGroup>,
    pub note: Option<String>,
    /// Replaces the plain highlighted raw view (GraphQL and proto link their names).
    pub source_html: Option<String>,
    /// Lines in `source_html` when it was cut.
    pub source_shown_lines: Option<usize>,
}

/// Renders `definition` (the substituted `spec.definition`: a string, or
/// data when a `$yaml`/`$json` placeholder produced it) of an API whose
/// `spec.type` is `api_type`. `page_dir` is the folder of the entity page
/// relative to the site root (`catalog/default/api/petstore/`).
pub fn render(api_type: &str, definition: &Value, page_dir: &str) -> Rendered {
    let (text, data): (std::borrow::Cow<str>, Option<&Value>) = match definition {
        Value::String(s) => (s.as_str().into(), None),
        Value::Null => ("".into(), None),
        other => (serde_json::to_string_pretty(other).unwrap_or_default().into(), Some(other)),
    };
    let api_type = api_type.trim().to_ascii_lowercase();
    let language = highlight::language_of_definition(&api_type, &text);
    let (format, reference): (&'static str, Result<Option<Reference>, DefinitionIssue>) = match api_type.as_str() {
        "openapi" | "swagger" => ("openapi", parsed(&text, data).and_then(|doc| openapi::render(&doc).map(Some))),
        "asyncapi" => ("asyncapi", parsed(&text, data).and_then(|doc| asyncapi::render(&doc).map(Some))),
        "graphql" => ("graphql", graphql::render(&text).map(Some)),
        "grpc" | "proto" | "protobuf" => ("grpc", grpc::render(&text).map(Some)),
        _ => ("raw", Ok(None)),
    };
    let (reference, issue) = match reference {
        Ok(r) => (r, None),
        Err(issue) => (None, Some(issue)),
    };
    let extension = match language {
        "json" => "json",
        "yaml" => "yaml",
        "graphql" => "graphql",
        "proto" => "proto",
        _ => "txt",
    };
    let file = format!("definition.{extension}");
    let lines = text.lines().count();
    let problem = issue.as_ref().map(|i| describe_issue(&api_type, i));
    let download = Download { url: format!("{page_dir}{file}"), file, extension };
    let bytes = text.len();
    let view = match reference {
        Some(r) => {
            let (definition_html, shown_lines) = match r.source_html {
                Some(html) => (html, r.source_shown_lines),
                None => raw_html(&text, language),
            };
            ApiView {
                format,
                format_label: r.label,
                reference_html: r.html,
                outline: r.outline,
                reference_note: r.note,
                language,
                definition_html,
                lines,
                bytes,
                size: size_label(bytes),
                shown_lines,
                download,
                problem,
            }
        }
        None => {
            let (definition_html, shown_lines) = raw_html(&text, language);
            ApiView {
                format: "raw",
                format_label: String::new(),
                reference_html: String::new(),
                outline: Vec::new(),
                reference_note: None,
                language,
                definition_html,
                lines,
                bytes,
                size: size_label(bytes),
                shown_lines,
                download,
                problem,
            }
        }
    };
    Rendered { view, raw: text.into_owned().into_bytes(), issue }
}

/// The API views of a whole catalog, computed before the pages so their
/// problems reach the problems page too.
#[derive(Default)]
pub struct Pages {
    views: HashMap<usize, ApiView>,
    /// Raw definitions to write: (path under the site root, bytes).
    pub files: Vec<(String, Vec<u8>)>,
    /// Definitions that do not parse, located in their files.
    pub problems: Vec<Problem>,
}

impl Pages {
    /// The view of the API at `entity` (an index into `catalog.entities`).
    pub fn view(&self, entity: usize) -> Option<&ApiView> {
        self.views.get(&entity)
    }
}

/// Renders the definition of every API entity, in parallel.
pub fn render_catalog(catalog: &Catalog, sources: &[Source]) -> Pages {
    let rendered: Vec<(usize, Rendered, Option<Problem>)> = catalog
        .entities
        .par_iter()
        .enumerate()
        .filter(|(_, e)| e.kind == "API")
        .map(|(i, e)| {
            let definition = e.spec().and_then(|s| s.get("definition")).unwrap_or(&Value::Null);
            let api_type = e.spec_str("type").unwrap_or("");
            let page = urls::entity_file(&e.namespace, &e.kind, &e.name);
            let page_dir = page.strip_suffix("index.html").unwrap_or(&page);
            let r = render(api_type, definition, page_dir);
            let problem = r.issue.as_ref().map(|issue| problem_of(e, sources, api_type, issue));
            (i, r, problem)
        })
        .collect();
    let mut pages = Pages::default();
    for (i, r, problem) in rendered {
        pages.files.push((r.view.download.url.clone(), r.raw));
        pages.views.insert(i, r.view);
        pages.problems.extend(problem);
    }
    pages
}

/// A problem for an issue, pointing at the definition's own file and line:
/// the `$text` target, or the entity's file with the line inside the block.
fn problem_of(e: &Entity, sources: &[Source], api_type: &str, issue: &DefinitionIssue) -> Problem {
    let source = &sources[e.file.source];
    let mut file = source.display(&e.file.rel);
    let mut line = Some(e.line);
    if let Ok(bytes) = source.read(&e.file.rel) {
        let text = String::from_utf8_lossy(&bytes);
        // The entity's own document: from its first line to the next `---`.
        let doc: String = text
            .lines()
            .skip(e.line.saturating_sub(1))
            .enumerate()
            .take_while(|(n, l)| *n == 0 || !(l.starts_with("---") || l.starts_with("...")))
            .map(|(_, l)| format!("{l}\n"))
            .collect();
        let path = ["spec".to_string(), "definition".to_string()];
        if let Some(at) = crate::entities::lines::locate(&doc, e.line, &path) {
            line = Some(at);
            let field = doc.lines().nth(at - e.line).unwrap_or("");
            let next = doc.lines().nth(at - e.line + 1).unwrap_or("");
            let placeholder = [field, next].into_iter().find_map(|l| {
                let l = l.trim_start().trim_start_matches("definition:").trim_start().trim_start_matches('{');
                ["$text:", "$yaml:", "$json:"]
                    .iter()
                    .find_map(|p| l.strip_prefix(p))
                    .map(|t| t.trim().trim_end_matches('}').trim().trim_matches(['"', '\'']).to_string())
            });
            if let Some(target) = placeholder {
                let resolved = if target.contains("://") {
                    crate::sources::resolve_url_ref(sources, &target)
                } else {
                    crate::sources::normalize_rel(crate::sources::parent_dir(&e.file.rel), &target)
                        .map(|rel| (e.file.source, rel))
                };
                if let Some((s, rel)) = resolved {
                    file = sources[s].display(&rel);
                    line = issue.line;
                }
            } else if let Some(l) = issue.line {
                let block = field.trim_end().ends_with(['|', '>', '-', '+']);
                line = Some(if block { at + l } else { at });
            }
        }
    }
    let detail = match issue.line {
        Some(l) => format!("line {l} of the definition: {}", issue.message),
        None => issue.message.clone(),
    };
    Problem::warning(
        file,
        line,
        Some(e.entity_ref.clone()),
        format!(
            "the {api_type} definition (spec.definition) cannot be shown as a reference: {detail}; the API page shows it as raw text — fix the definition, or set spec.type to what it is"
        ),
    )
}

fn size_label(bytes: usize) -> String {
    match bytes {
        b if b < 1000 => format!("{b} bytes"),
        b if b < 1_000_000 => format!("{:.1} kB", b as f64 / 1e3),
        b => format!("{:.1} MB", b as f64 / 1e6),
    }
}

/// The sentence shown on the page for an issue (the problems list adds the file).
fn describe_issue(api_type: &str, issue: &DefinitionIssue) -> String {
    match issue.line {
        Some(line) => format!("line {line} of the {api_type} definition: {}", issue.message),
        None => format!("the {api_type} definition: {}", issue.message),
    }
}

/// The highlighted raw text, cut at a line boundary past [`RAW_INLINE_BYTES`].
fn raw_html(text: &str, language: &str) -> (String, Option<usize>) {
    let bounded = |shown: &str| {
        let html = highlight::highlight(shown, language);
        if html.len() > RAW_HTML_BUDGET {
            highlight::escape_html(shown)
        } else {
            html
        }
    };
    if text.len() <= RAW_INLINE_BYTES {
        return (bounded(text), None);
    }
    let mut cut = RAW_INLINE_BYTES;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let cut = text[..cut].rfind('\n').map_or(cut, |i| i + 1);
    let shown = &text[..cut];
    (bounded(shown), Some(shown.lines().count()))
}

/// The definition as data: already data (from `$yaml`/`$json`), or parsed
/// as JSON or YAML.
fn parsed(text: &str, data: Option<&Value>) -> Result<Value, DefinitionIssue> {
    if let Some(data) = data {
        return Ok(data.clone());
    }
    if text.trim().is_empty() {
        return Err(DefinitionIssue { line: None, message: "the definition is empty".into() });
    }
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(text).map_err(|e| DefinitionIssue {
            line: Some(e.line()).filter(|l| *l > 0),
            message: format!("not valid JSON: {}", strip_position(&e.to_string())),
        });
    }
    if let Some(value) = crate::entities::fastyaml::parse(text) {
        return Ok(value);
    }
    match serde_yaml::from_str::<serde_yaml::Value>(text) {
        Ok(value) => Ok(crate::entities::yaml::yaml_to_json(value)),
        Err(e) => Err(DefinitionIssue {
            line: e.location().map(|l| l.line()),
            message: format!("not valid YAML: {}", strip_position(&e.to_string())),
        }),
    }
}

/// Parser messages end in "at line X column Y"; the problem carries the line.
fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// Escapes text for HTML element content and attribute values.
pub(crate) fn esc(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// Markdown from the definition (descriptions), sanitised. Plain one-line
/// text, by far the most common, skips the Markdown and sanitiser passes.
pub(crate) fn markdown(out: &mut String, text: &str) {
    let text = text.trim();
    if text.is_empty() {
        return;
    }
    let plain = !text.contains(['*', '_', '`', '[', '<', '>', '#', '&', '|', '\n', '!', '~', '\\'])
        && !text.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+' || c == '=');
    out.push_str("<div class=\"api-desc prose\">");
    if plain {
        out.push_str("<p>");
        esc(out, text);
        out.push_str("</p>");
    } else {
        out.push_str(&crate::site::markdown::render_untrusted(text));
    }
    out.push_str("</div>");
}

/// An `http(s)`/`mailto` URL as a link, anything else as text.
pub(crate) fn link(out: &mut String, url: &str, text: &str) {
    match crate::site::views::safe_url(url) {
        Some(url) => {
            out.push_str("<a href=\"");
            esc(out, url);
            out.push_str("\" rel=\"noopener noreferrer\">");
            esc(out, text);
            out.push_str("</a>");
        }
        None => esc(out, text),
    }
}

/// A JSON value (an example) as indented text in a code block, cut at `max` bytes.
pub(crate) fn example_block(out: &mut String, value: &Value, max: usize) {
    let text = match value {
        Value::String(s) => s.clone(),
        other => serde_json::to_string_pretty(other).unwrap_or_default(),
    };
    out.push_str("<pre class=\"code api-example\"><code>");
    if text.len() > max {
        let mut cut = max;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        esc(out, &text[..cut]);
        out.push_str("\n…");
    } else {
        esc(out, &text);
    }
    out.push_str("</code></pre>");
}

/// An id fragment from arbitrary text: ASCII letters, digits, `-`, `_`, `.`.
pub(crate) fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '_' | '.') {
            out.push(c);
            dash = false;
        } else if !dash && !out.is_empty() {
            out.push('-');
            dash = true;
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Issues the anchors of one page, unique among themselves.
#[derive(Default)]
pub(crate) struct Anchors {
    used: std::collections::HashSet<String>,
}

impl Anchors {
    pub fn make(&mut self, prefix: &str, text: &str) -> String {
        let base = format!("{prefix}{}", slug(text));
        let mut anchor = base.clone();
        let mut n = 2;
        while !self.used.insert(anchor.clone()) {
            anchor = format!("{base}-{n}");
            n += 1;
        }
        anchor
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unknown_types_are_highlighted_raw_text() {
        let r = render("trpc", &json!("export const a = <b>;\n"), "catalog/default/api/x/");
        assert_eq!(r.view.format, "raw");
        assert!(r.view.reference_html.is_empty());
        assert!(r.view.definition_html.contains("&lt;b&gt;"), "{}", r.view.definition_html);
        assert_eq!(r.view.download.url, "catalog/default/api/x/definition.txt");
        assert!(r.issue.is_none());
    }

    #[test]
    fn malformed_yaml_is_shown_raw_with_an_issue_and_its_line() {
        let text = "openapi: 3.0.0\ninfo:\n  title: [unclosed\npaths: {}\n";
        let r = render("openapi", &json!(text), "");
        assert_eq!(r.view.format, "raw");
        let issue = r.issue.expect("an issue");
        assert!(issue.message.starts_with("not valid YAML"), "{}", issue.message);
        assert!(issue.line.is_some_and(|l| (3..=4).contains(&l)), "{:?}", issue.line);
        assert!(r.view.problem.is_some_and(|p| p.contains("line")));
        assert!(r.view.definition_html.contains("unclosed"));
    }

    #[test]
    fn malformed_json_names_the_line() {
        let r = render("openapi", &json!("{\n\"openapi\": \"3.0.0\",\n\"info\": }\n"), "");
        assert_eq!(r.issue.and_then(|i| i.line), Some(3));
        assert_eq!(r.view.download.file, "definition.json");
    }

    #[test]
    fn placeholder_data_renders_like_text() {
        let doc = json!({"openapi": "3.0.0", "info": {"title": "T", "version": "1"}, "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}}});
        let r = render("openapi", &doc, "");
        assert_eq!(r.view.format, "openapi");
        assert!(r.view.reference_html.contains("/a"));
        assert_eq!(r.view.download.file, "definition.json");
    }

    #[test]
    fn huge_raw_text_is_cut_at_a_line() {
        let line = "key: value that is long enough to matter\n";
        let text = line.repeat(RAW_INLINE_BYTES / line.len() * 3);
        let (html, shown) = raw_html(&text, "yaml");
        let shown = shown.expect("cut");
        assert!(shown < text.lines().count());
        assert!(html.len() < RAW_INLINE_BYTES * 4);
    }

    #[test]
    fn anchors_are_unique_slugs() {
        let mut a = Anchors::default();
        assert_eq!(a.make("op-", "get /pets/{id}"), "op-get-pets-id");
        assert_eq!(a.make("op-", "get /pets/{id}"), "op-get-pets-id-2");
        assert_eq!(slug("<script>"), "script");
    }
}
