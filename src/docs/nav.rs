//! The pages of one docs site and its navigation, by MkDocs' rules: which
//! files are pages, where each is written, the implicit navigation when
//! `nav` is absent (same order and titles as MkDocs), and page titles.

use std::collections::HashMap;

use super::mkdocs::NavSpec;

/// A Markdown file of the site.
#[derive(Debug, Clone)]
pub struct Page {
    /// Path inside the site's docs, `/`-separated (`guide/intro.md`); for
    /// monorepo sub-sites prefixed with their mount (`component-a/README.md`).
    pub src: String,
    /// Path of the file inside its source.
    pub source_rel: String,
    /// Output path relative to the site's base folder (`guide/intro/index.html`).
    pub file: String,
    /// Title the navigation gives it, when it gives one.
    pub nav_title: Option<String>,
    pub in_nav: bool,
    /// Title known before rendering: front matter, first-line H1 or file name.
    pub title: String,
    pub edit_url: Option<String>,
    /// Index of the sub-site (monorepo) the page belongs to; 0 is the main site.
    pub part: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Nav {
    Page { page: usize, title: Option<String> },
    Link { title: String, url: String },
    Section { title: String, children: Vec<Nav> },
}

/// True for the files MkDocs treats as a folder's index.
pub fn is_index(src: &str) -> bool {
    let name = src.rsplit('/').next().unwrap_or(src);
    matches!(name, "index.md" | "README.md")
}

pub fn is_markdown(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

/// Where a page is written (relative to the site base), MkDocs' rules.
pub fn page_file(src: &str, use_directory_urls: bool) -> String {
    let stem = src.rsplit_once('.').map_or(src, |(s, _)| s);
    let (dir, name) = match stem.rsplit_once('/') {
        Some((d, n)) => (format!("{d}/"), n),
        None => (String::new(), stem),
    };
    if is_index(src) {
        format!("{dir}index.html")
    } else if use_directory_urls {
        format!("{dir}{name}/index.html")
    } else {
        format!("{dir}{name}.html")
    }
}

/// MkDocs' `file_sort_key`: at each level the index first, then files,
/// then folders, each in plain code-point order.
pub fn sort_key(src: &str) -> Vec<(u8, &str)> {
    let parts: Vec<&str> = src.split('/').collect();
    let last = parts.len() - 1;
    parts.iter().enumerate().map(|(i, p)| (if i < last { 2 } else { u8::from(!is_index(src)) }, *p)).collect()
}

/// A folder or file name as MkDocs titles it: `-`/`_` become spaces and an
/// all-lowercase name is capitalised.
pub fn title_from_name(name: &str) -> String {
    let title = name.replace(['-', '_'], " ");
    if title.to_lowercase() == title {
        let mut chars = title.chars();
        match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => title,
        }
    } else {
        title
    }
}

/// The title of a page from its file name (MkDocs' last resort).
pub fn title_from_file(src: &str) -> String {
    let name = src.rsplit('/').next().unwrap_or(src);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let stem = if stem == "README" { "index" } else { stem };
    title_from_name(stem)
}

/// The implicit navigation: every page (already in [`sort_key`] order),
/// nested by folder; folders become sections titled by their name.
pub fn implicit(pages: &[(usize, &str)]) -> Vec<Nav> {
    let mut root: Vec<Nav> = Vec::new();
    for &(index, src) in pages {
        let mut branch = &mut root;
        let dirs: Vec<&str> = src.split('/').collect();
        for dir in &dirs[..dirs.len() - 1] {
            let title = title_from_name(dir);
            let pos = branch.iter().position(|n| matches!(n, Nav::Section { title: t, .. } if *t == title));
            let pos = match pos {
                Some(p) => p,
                None => {
                    branch.push(Nav::Section { title, children: Vec::new() });
                    branch.len() - 1
                }
            };
            branch = match &mut branch[pos] {
                Nav::Section { children, .. } => children,
                _ => unreachable!("position() matched a section"),
            };
        }
        branch.push(Nav::Page { page: index, title: None });
    }
    root
}

/// Resolves an explicit `nav` against the pages (by `src`). Entries that
/// point at no page are returned as problems (the entry, what to do).
pub fn explicit(
    specs: &[NavSpec],
    prefix: &str,
    by_src: &HashMap<String, usize>,
    includes: &mut dyn FnMut(&NavSpec) -> Vec<Nav>,
    problems: &mut Vec<String>,
) -> Vec<Nav> {
    let mut out = Vec::new();
    for spec in specs {
        match spec {
            NavSpec::Page { title, path } => {
                let clean = path.trim_start_matches("./");
                let key = format!("{prefix}{clean}");
                match by_src.get(&key) {
                    Some(&page) => out.push(Nav::Page { page, title: title.clone() }),
                    None => problems.push(format!(
                        "nav entry {path:?} points at no page of the docs folder; fix the path (relative to docs_dir) or add the page"
                    )),
                }
            }
            NavSpec::Link { title, url } => out.push(Nav::Link { title: title.clone(), url: url.clone() }),
            NavSpec::Section { title, children } => out.push(Nav::Section {
                title: title.clone(),
                children: explicit(children, prefix, by_src, includes, problems),
            }),
            NavSpec::Include { .. } => out.extend(includes(spec)),
        }
    }
    out
}

/// Pages of the navigation in reading order (for previous/next links).
pub fn reading_order(nav: &[Nav], out: &mut Vec<usize>) {
    for item in nav {
        match item {
            Nav::Page { page, .. } => {
                if !out.contains(page) {
                    out.push(*page);
                }
            }
            Nav::Section { children, .. } => reading_order(children, out),
            Nav::Link { .. } => {}
        }
    }
}

pub fn count(nav: &[Nav]) -> usize {
    nav.iter()
        .map(|n| match n {
            Nav::Section { children, .. } => 1 + count(children),
            _ => 1,
        })
        .sum()
}

/// Marks pages listed by the navigation and records their nav titles.
pub fn mark_listed(nav: &[Nav], pages: &mut [Page]) {
    for item in nav {
        match item {
            Nav::Page { page, title } => {
                if let Some(p) = pages.get_mut(*page) {
                    p.in_nav = true;
                    if p.nav_title.is_none() {
                        p.nav_title.clone_from(title);
                    }
                }
            }
            Nav::Section { children, .. } => mark_listed(children, pages),
            Nav::Link { .. } => {}
        }
    }
}

/// A page's title before rendering: front matter `title`, else a first-line
/// H1 (MkDocs takes the H1 only when it is the first block), else "Home" for
/// the home page, else the file name.
pub fn quick_title(markdown: &str, src: &str) -> String {
    let (front, body) = split_front_matter(markdown);
    if let Some(title) = front.and_then(front_matter_title) {
        return title;
    }
    if let Some(h1) = first_h1(body) {
        return h1;
    }
    if src == "index.md" || src == "README.md" {
        return "Home".into();
    }
    title_from_file(src)
}

fn split_front_matter(text: &str) -> (Option<&str>, &str) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = text.strip_prefix("---").filter(|r| r.starts_with('\n') || r.starts_with("\r\n")) else {
        return (None, text);
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if offset > 0 && (trimmed == "---" || trimmed == "...") {
            return (Some(&rest[..offset]), &rest[offset + line.len()..]);
        }
        offset += line.len();
    }
    (None, text)
}

fn front_matter_title(yaml: &str) -> Option<String> {
    if !yaml.contains("title") {
        return None;
    }
    let value: serde_yaml::Value = serde_yaml::from_str(yaml).ok()?;
    match value.get("title")? {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn first_h1(body: &str) -> Option<String> {
    let mut lines = body.lines().skip_while(|l| l.trim().is_empty());
    let first = lines.next()?;
    let heading = if let Some(rest) = first.strip_prefix('#').filter(|r| r.is_empty() || r.starts_with([' ', '\t'])) {
        rest.trim().trim_end_matches('#').trim().to_string()
    } else if lines.next().is_some_and(|l| !l.is_empty() && l.trim_end().chars().all(|c| c == '=')) {
        first.trim().to_string()
    } else {
        return None;
    };
    // `# Title {: #id }` (attr_list) is not part of the text.
    let heading = match heading.rfind("{:") {
        Some(i) if heading.ends_with('}') => heading[..i].trim_end().to_string(),
        _ => heading,
    };
    Some(plain_inline(&heading))
}

/// Inline Markdown as plain text (`**x** [y](z)` → `x y`).
pub fn plain_inline(text: &str) -> String {
    use pulldown_cmark::{Event, Parser};
    let mut out = String::new();
    for event in Parser::new(text) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_and_urls() {
        assert_eq!(page_file("index.md", true), "index.html");
        assert_eq!(page_file("guide/README.md", true), "guide/index.html");
        assert_eq!(page_file("guide/intro.md", true), "guide/intro/index.html");
        assert_eq!(page_file("guide/intro.md", false), "guide/intro.html");
        assert_eq!(page_file("a.markdown", true), "a/index.html");
    }

    #[test]
    fn mkdocs_sort_order() {
        let mut files = vec!["z.md", "b/index.md", "a.md", "index.md", "B.md", "b/a.md", "a/x.md"];
        files.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));
        assert_eq!(files, vec!["index.md", "B.md", "a.md", "z.md", "a/x.md", "b/index.md", "b/a.md"]);
    }

    #[test]
    fn implicit_nav_sections_and_titles() {
        let nav = implicit(&[(0, "index.md"), (1, "getting-started/install.md"), (2, "API_docs/x.md")]);
        assert_eq!(nav.len(), 3);
        assert!(matches!(&nav[1], Nav::Section { title, .. } if title == "Getting started"));
        assert!(matches!(&nav[2], Nav::Section { title, .. } if title == "API docs"));
        assert_eq!(title_from_file("dev_guide-2.md"), "Dev guide 2");
        assert_eq!(title_from_file("FAQ.md"), "FAQ");
    }

    #[test]
    fn titles_before_rendering() {
        assert_eq!(quick_title("---\ntitle: Front\n---\n# H1\n", "a.md"), "Front");
        assert_eq!(quick_title("\n# The `code` *title* {: #x }\ntext", "a.md"), "The code title");
        assert_eq!(quick_title("Setext\n======\n", "a.md"), "Setext");
        assert_eq!(quick_title("intro\n\n# Later\n", "my-page.md"), "My page");
        assert_eq!(quick_title("text", "index.md"), "Home");
        assert_eq!(quick_title("#hashtag\n", "x.md"), "X");
    }
}
