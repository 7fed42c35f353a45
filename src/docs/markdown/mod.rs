//! TechDocs Markdown: the dialect MkDocs renders with Python-Markdown and the
//! extensions mkdocs-techdocs-core 1.7.1 switches on, rendered with
//! pulldown-cmark in one pass.
//!
//! How it works: [`blocks`] rewrites the page line by line into CommonMark,
//! turning Python-Markdown's indentation-based containers (admonitions,
//! details, content tabs, `markdown` HTML blocks, GitHub alerts) and raw HTML
//! blocks into placeholder lines; [`writer`] turns pulldown-cmark's events
//! into HTML, filling the placeholders, giving headings Python-Markdown's ids,
//! rewriting links through the [`Host`] and applying the inline extensions.
//!
//! Where Python-Markdown and CommonMark disagree, portalgen renders what the
//! author evidently meant:
//! - A list directly after a paragraph line is a list (Python-Markdown keeps
//!   it as paragraph text, which is rarely what the author saw in their
//!   editor's preview).
//! - Nested lists: techdocs-core nests at 2-space indents and leaves a list
//!   indented by 4 spaces as literal text; portalgen nests both. A bullet
//!   list indented 2 spaces under a numbered item follows CommonMark: it is
//!   a sibling list, not nested (the marker's width decides nesting).
//! - An `#Heading` without a space is a heading, as in Python-Markdown.
//! - Raw HTML blocks follow Python-Markdown: a block-level tag at the start
//!   of a line opens raw HTML up to its matching end tag, Markdown inside is
//!   left alone unless the tag has a `markdown` attribute (`md_in_html`).
//!   Unlike MkDocs, `src` and `href` inside raw HTML are rewritten like
//!   Markdown links, so images in `<img>` tags work on the built site.
//! - Mermaid fences become `<pre class="mermaid">` for the bundled script;
//!   PlantUML and Graphviz fences stay code (no external tools are run).
//! - Emoji shortcodes become the Unicode emoji; icon shortcodes
//!   (`:material-…:`, `:octicons-…:`, `:fontawesome-…:`) a small glyph where
//!   one fits, otherwise their name as text.
//! - Front matter: YAML between `---` lines only (MultiMarkdown-style
//!   `Key: value` headers are not read).

mod blocks;
mod code;
mod inline;
mod lexer;
mod sanitize;
mod writer;

use std::collections::HashSet;

pub use code::clear_highlight_cache;

/// What mkdocs.yml's `markdown_extensions` switch on or configure
/// (techdocs-core's set by default).
#[derive(Clone, Debug)]
pub struct Extensions {
    /// toc: the permalink symbol appended to headings (`None`: no permalinks).
    pub permalink: Option<String>,
    pub permalink_title: String,
    /// toc: the deepest heading level shown in the table of contents.
    pub toc_depth: u8,
    /// toc: slugs keep Unicode letters (`pymdownx.slugs.uslugify`).
    pub unicode_slugs: bool,
    pub admonition: bool,
    /// `??? note` / `???+ note` collapsible blocks (pymdownx.details).
    pub details: bool,
    /// `=== "Tab"` content tabs (pymdownx.tabbed).
    pub tabbed: bool,
    pub attr_list: bool,
    pub def_list: bool,
    pub footnotes: bool,
    pub tables: bool,
    pub abbr: bool,
    pub md_in_html: bool,
    /// `--8<--` includes (pymdownx.snippets).
    pub snippets: bool,
    /// Folders (relative to the mkdocs.yml folder) snippet paths are looked up in, in order.
    pub snippet_base_paths: Vec<String>,
    /// Snippet files appended to every page.
    pub snippet_auto_append: Vec<String>,
    pub emoji: bool,
    /// pymdownx.emoji is configured with Material's icon index (`twemoji`), so
    /// `:material-…:` icons are images, not text (they drop out of heading slugs).
    pub material_icons: bool,
    pub tasklist: bool,
    /// `==mark==`
    pub mark: bool,
    /// `^^ins^^`, `H^2^O`
    pub caret: bool,
    /// `~~del~~`, `H~2~O`
    pub tilde: bool,
    /// `++ctrl+alt+del++`
    pub keys: bool,
    /// `{++add++}` and friends.
    pub critic: bool,
    /// `(c)`, `-->`, `1/2` …
    pub smartsymbols: bool,
    /// Bare URLs become links.
    pub magiclink: bool,
    /// `` `#!python x = 1` ``
    pub inlinehilite: bool,
    /// Line numbers on every code block (pymdownx.highlight `linenums`).
    pub linenums: bool,
    /// `> [!NOTE]` alerts (the gh-admonitions plugin).
    pub github_alerts: bool,
}

/// Extensions techdocs-core configures itself; naming them in mkdocs.yml changes nothing more.
const BUILT_IN: &[&str] = &[
    "toc",
    "admonition",
    "attr_list",
    "def_list",
    "footnotes",
    "tables",
    "abbr",
    "md_in_html",
    "extra",
    "meta",
    "fenced_code",
    "codehilite",
    "sane_lists",
    "smarty",
    "nl2br",
    "mdx_truly_sane_lists",
    "pymdownx.extra",
    "pymdownx.details",
    "pymdownx.tabbed",
    "pymdownx.superfences",
    "pymdownx.highlight",
    "pymdownx.inlinehilite",
    "pymdownx.snippets",
    "pymdownx.emoji",
    "pymdownx.tasklist",
    "pymdownx.caret",
    "pymdownx.mark",
    "pymdownx.tilde",
    "pymdownx.keys",
    "pymdownx.critic",
    "pymdownx.betterem",
    "pymdownx.magiclink",
    "pymdownx.smartsymbols",
    "pymdownx.escapeall",
    "pymdownx.saneheaders",
    "pymdownx.blocks.admonition",
    "pymdownx.blocks.details",
    "pymdownx.blocks.tab",
];

impl Extensions {
    /// The extensions mkdocs-techdocs-core 1.7.1 enables.
    pub fn techdocs_core() -> Self {
        Extensions {
            permalink: Some("¶".to_string()),
            permalink_title: "Permanent link".to_string(),
            toc_depth: 6,
            unicode_slugs: false,
            admonition: true,
            details: true,
            tabbed: true,
            attr_list: true,
            def_list: true,
            footnotes: true,
            tables: true,
            abbr: true,
            md_in_html: true,
            snippets: true,
            snippet_base_paths: vec![".".to_string()],
            snippet_auto_append: Vec::new(),
            emoji: true,
            material_icons: false,
            tasklist: true,
            mark: true,
            caret: true,
            tilde: true,
            keys: true,
            critic: true,
            smartsymbols: true,
            magiclink: true,
            inlinehilite: true,
            linenums: true,
            github_alerts: true,
        }
    }

    /// techdocs-core's set plus/overridden by a mkdocs.yml `markdown_extensions`
    /// value (list of names or single-key maps with options, or one map; unknown
    /// YAML tags already turned into strings by the caller). Returns notes about
    /// extensions that are ignored.
    pub fn from_mkdocs(value: Option<&serde_yaml::Value>) -> (Self, Vec<String>) {
        let mut ext = Extensions::techdocs_core();
        let mut notes = Vec::new();
        let mut entries: Vec<(String, Option<&serde_yaml::Value>)> = Vec::new();
        match value {
            Some(serde_yaml::Value::Sequence(items)) => {
                for item in items {
                    match item {
                        serde_yaml::Value::String(name) => entries.push((name.clone(), None)),
                        serde_yaml::Value::Mapping(map) => {
                            for (k, v) in map {
                                if let Some(name) = k.as_str() {
                                    entries.push((name.to_string(), Some(v)));
                                }
                            }
                        }
                        _ => notes.push("markdown_extensions: an entry is neither a name nor a map; ignored".into()),
                    }
                }
            }
            Some(serde_yaml::Value::Mapping(map)) => {
                for (k, v) in map {
                    if let Some(name) = k.as_str() {
                        entries.push((name.to_string(), Some(v)));
                    }
                }
            }
            Some(serde_yaml::Value::Null) | None => {}
            Some(_) => notes.push("markdown_extensions should be a list; ignored".into()),
        }
        for (name, config) in entries {
            let name = name.strip_prefix("markdown.extensions.").unwrap_or(&name).to_string();
            ext.configure(&name, config);
            if name == "pymdownx.extra" {
                // pymdownx.extra's own options configure its members.
                if let Some(serde_yaml::Value::Mapping(members)) = config {
                    for (k, v) in members {
                        if let Some(member) = k.as_str() {
                            ext.configure(member, Some(v));
                        }
                    }
                }
            }
            if !BUILT_IN.contains(&name.as_str()) {
                notes.push(format!(
                    "markdown extension `{name}` is not supported by portalgen; its syntax renders as plain text"
                ));
            }
        }
        (ext, notes)
    }

    fn configure(&mut self, name: &str, config: Option<&serde_yaml::Value>) {
        let get = |key: &str| config.and_then(|c| c.get(key));
        let truthy = |v: &serde_yaml::Value| match v {
            serde_yaml::Value::Bool(b) => *b,
            serde_yaml::Value::Number(n) => n.as_f64() != Some(0.0),
            serde_yaml::Value::String(s) => !s.is_empty(),
            _ => false,
        };
        match name {
            "toc" => {
                match get("permalink") {
                    Some(serde_yaml::Value::String(s)) => self.permalink = Some(s.clone()),
                    Some(v) if truthy(v) => self.permalink = Some("¶".to_string()),
                    Some(_) => self.permalink = None,
                    None => {}
                }
                if let Some(title) = get("permalink_title").and_then(|v| v.as_str()) {
                    self.permalink_title = title.to_string();
                }
                match get("toc_depth") {
                    Some(serde_yaml::Value::Number(n)) => {
                        self.toc_depth = n.as_u64().map_or(6, |d| d.clamp(1, 6) as u8);
                    }
                    Some(serde_yaml::Value::String(range)) => {
                        let end = range.rsplit('-').next().and_then(|d| d.trim().parse::<u8>().ok());
                        self.toc_depth = end.map_or(6, |d| d.clamp(1, 6));
                    }
                    _ => {}
                }
                if let Some(slugify) = get("slugify").and_then(yaml_text) {
                    self.unicode_slugs = slugify.contains("uslugify");
                }
            }
            "pymdownx.emoji" => {
                if let Some(index) = get("emoji_index").and_then(yaml_text) {
                    self.material_icons = index.contains("material") || index.contains("twemoji");
                }
            }
            "pymdownx.highlight" => {
                if let Some(v) = get("linenums") {
                    self.linenums = truthy(v);
                }
            }
            "pymdownx.snippets" => {
                match get("base_path") {
                    Some(serde_yaml::Value::String(s)) => self.snippet_base_paths = vec![s.clone()],
                    Some(serde_yaml::Value::Sequence(list)) => {
                        self.snippet_base_paths = list.iter().filter_map(|v| v.as_str().map(String::from)).collect();
                    }
                    _ => {}
                }
                if let Some(serde_yaml::Value::Sequence(list)) = get("auto_append") {
                    self.snippet_auto_append = list.iter().filter_map(|v| v.as_str().map(String::from)).collect();
                }
            }
            _ => {}
        }
    }
}

/// A YAML string, or a tagged value (`!!python/name:x.y`) as its tag and value.
fn yaml_text(value: &serde_yaml::Value) -> Option<String> {
    match value {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Tagged(tagged) => {
            Some(format!("{}{}", tagged.tag, yaml_text(&tagged.value).unwrap_or_default()))
        }
        _ => None,
    }
}

/// What the renderer needs from the page's surroundings.
pub trait Host: Sync {
    /// The URL to emit for a link or image target written in the page (relative `.md`
    /// links → page URLs with anchors kept, etc.). `None` keeps the target as written.
    /// `line` is the 1-based line of the link in the Markdown file (for problem reports).
    fn link(&self, target: &str, is_image: bool, line: usize) -> Option<String>;
    /// The text of a `--8<--` snippet file; the host confines paths to the repository.
    fn snippet(&self, path: &str) -> Result<String, String>;
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    /// Plain text (no permalink symbol, no attribute list).
    pub text: String,
    /// 1-based line in the Markdown file.
    pub line: usize,
}

/// A heading and the plain text under it, for search (section by section).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// `None` for the text before the first heading.
    pub id: Option<String>,
    pub heading: String,
    pub text: String,
}

#[derive(Clone, Debug, Default)]
pub struct Rendered {
    /// Sanitised body HTML (no `<html>`/`<body>`).
    pub html: String,
    /// MkDocs' title rule from the content: the text of an `h1` that is the
    /// page's first block. Front matter `title:` (in [`Rendered::meta`]) wins
    /// over it in MkDocs.
    pub title: Option<String>,
    /// The YAML front matter (empty when there is none).
    pub meta: serde_yaml::Mapping,
    /// Every heading with its final id (for the TOC and anchor checks).
    pub headings: Vec<Heading>,
    pub sections: Vec<Section>,
    /// The page template loads the bundled mermaid script only then.
    pub uses_mermaid: bool,
    /// (line, message): a snippet that cannot be read, invalid front matter …
    pub problems: Vec<(usize, String)>,
}

/// Renders one TechDocs page.
pub fn render(markdown: &str, extensions: &Extensions, host: &dyn Host) -> Rendered {
    let mut problems = Vec::new();
    let (meta, body, first_line) = front_matter(markdown, &mut problems);
    let prepared = blocks::prepare(body, first_line, extensions, host);
    problems.extend(prepared.problems.iter().cloned());
    let mut rendered = writer::write(&prepared, extensions, host);
    rendered.meta = meta;
    problems.append(&mut rendered.problems);
    problems.sort_by_key(|(line, _)| *line);
    rendered.problems = problems;
    rendered
}

/// Splits YAML front matter (`---` … `---` or `...`) from the page: (meta, body, line of the body's first line).
fn front_matter<'a>(text: &'a str, problems: &mut Vec<(usize, String)>) -> (serde_yaml::Mapping, &'a str, usize) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = text.strip_prefix("---\n").or_else(|| text.strip_prefix("---\r\n")) else {
        return (serde_yaml::Mapping::new(), text, 1);
    };
    let mut offset = 0;
    for (index, line) in rest.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            let meta = match serde_yaml::from_str::<serde_yaml::Value>(yaml) {
                Ok(serde_yaml::Value::Mapping(map)) => map,
                Ok(serde_yaml::Value::Null) => serde_yaml::Mapping::new(),
                Ok(_) => {
                    problems.push((1, "front matter is not a YAML mapping; ignored".into()));
                    serde_yaml::Mapping::new()
                }
                Err(e) => {
                    problems.push((1, format!("front matter is not valid YAML ({e}); ignored")));
                    serde_yaml::Mapping::new()
                }
            };
            return (meta, body, index + 3);
        }
        offset += line.len();
    }
    (serde_yaml::Mapping::new(), text, 1)
}

/// Python-Markdown toc's default slugify (NFKD → ASCII, punctuation dropped,
/// spaces → '-', lower-case).
pub fn slugify(text: &str) -> String {
    slugify_with(text, false)
}

/// `unicode`: keep non-ASCII letters (pymdownx.slugs.uslugify).
pub fn slugify_with(text: &str, unicode: bool) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut kept = String::with_capacity(text.len());
    let mut push = |c: char| {
        if c.is_alphanumeric() || c == '_' || c == '-' || c.is_whitespace() {
            kept.push(c);
        }
    };
    if unicode {
        text.nfc().for_each(&mut push);
    } else if text.is_ascii() {
        text.chars().for_each(&mut push);
    } else {
        text.nfkd().filter(char::is_ascii).for_each(&mut push);
    }
    let mut out = String::with_capacity(kept.len());
    let mut pending_separator = false;
    for c in kept.trim().chars() {
        if c == '-' || c.is_whitespace() {
            pending_separator = true;
            continue;
        }
        if pending_separator {
            out.push('-');
        }
        pending_separator = false;
        out.extend(c.to_lowercase());
    }
    if pending_separator {
        out.push('-');
    }
    out
}

/// Python-Markdown toc's `unique`: `id`, `id_1`, `id_2` … (an empty id becomes `_1`).
pub(crate) fn unique_id(id: String, used: &mut HashSet<String>) -> String {
    let mut id = id;
    while id.is_empty() || used.contains(&id) {
        id = match id.rsplit_once('_') {
            Some((stem, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
                let next = n.parse::<u64>().map_or(1, |n| n + 1);
                format!("{stem}_{next}")
            }
            _ => format!("{id}_1"),
        };
    }
    used.insert(id.clone());
    id
}

#[cfg(test)]
mod tests;
