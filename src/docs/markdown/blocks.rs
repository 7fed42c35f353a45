//! The line pass: Python-Markdown's block syntax rewritten into CommonMark
//! that pulldown-cmark can parse in one go.
//!
//! Containers that Python-Markdown delimits by indentation (admonitions,
//! `???` details, `===` tabs) and by tags (`<div markdown>`, raw HTML
//! blocks) become placeholder lines `<!--␁N-->` — HTML comment blocks,
//! which CommonMark lets interrupt a paragraph and keeps inside list items —
//! numbered into [`Prepared::directives`]; their bodies are dedented so the
//! Markdown inside parses as it would at the top level. Snippets are
//! expanded first, like pymdownx.snippets' preprocessor. Each output line
//! remembers the line of the Markdown file it came from.

use std::borrow::Cow;

use super::{Extensions, Host};

/// Starts and ends a placeholder; `\u{1}` is removed from the input, so
/// a page cannot forge one.
pub(super) const PLACEHOLDER_START: &str = "<!--\u{1}";

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Directive {
    /// `<div class="admonition {classes}">` + optional title (inline Markdown).
    Admonition { classes: String, title: Option<String> },
    /// `<details class="{classes}" [open]><summary>{title}</summary>`.
    Details { classes: String, title: String, open: bool },
    /// A content tab set: labels (inline Markdown) and the selected tab.
    TabSet { labels: Vec<String>, selected: usize },
    /// One tab's content: opens `<div class="tabbed-block">`.
    Tab,
    /// A GitHub alert (`> [!NOTE]`), rendered as an admonition.
    Alert { kind: String, title: String },
    /// Raw HTML written by the author (sanitised with the page).
    Raw { html: String, line: usize },
    /// Closes what the matching opener opened.
    Close(&'static str),
}

pub(super) struct Prepared {
    /// CommonMark with placeholder lines.
    pub text: String,
    /// For every line of `text`, the 1-based line of the Markdown file.
    pub origins: Vec<usize>,
    pub directives: Vec<Directive>,
    /// `*[HTML]: Hyper Text Markup Language`
    pub abbreviations: Vec<(String, String)>,
    pub problems: Vec<(usize, String)>,
}

impl Prepared {
    /// The line of the Markdown file for a byte offset into `text`.
    pub fn line_at(&self, offset: usize, line_starts: &[usize]) -> usize {
        let index = line_starts.partition_point(|&start| start <= offset).saturating_sub(1);
        self.origins.get(index).copied().unwrap_or(1)
    }
}

/// Block-level tags that start a raw HTML block in Python-Markdown.
const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "canvas",
    "center",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "iframe",
    "li",
    "main",
    "map",
    "math",
    "menu",
    "nav",
    "noscript",
    "object",
    "ol",
    "output",
    "p",
    "pre",
    "progress",
    "script",
    "section",
    "style",
    "summary",
    "table",
    "tbody",
    "td",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
    "video",
];

const VOID_TAGS: &[&str] = &["hr", "br", "img", "input", "col", "embed", "source", "track", "wbr", "area"];

/// Columns of leading whitespace (tabs to the next multiple of 4).
pub(super) fn indent_of(line: &str) -> usize {
    let mut columns = 0;
    for b in line.bytes() {
        match b {
            b' ' => columns += 1,
            b'\t' => columns += 4 - columns % 4,
            _ => break,
        }
    }
    columns
}

/// `line` without its first `columns` columns of leading whitespace.
fn dedent(line: &str, columns: usize) -> Cow<'_, str> {
    if columns == 0 {
        return Cow::Borrowed(line);
    }
    let mut seen = 0;
    for (i, b) in line.bytes().enumerate() {
        if seen >= columns {
            return Cow::Borrowed(&line[i..]);
        }
        match b {
            b' ' => seen += 1,
            b'\t' => {
                let next = seen + 4 - seen % 4;
                if next > columns {
                    // A tab straddling the cut: keep the rest as spaces.
                    let mut out = " ".repeat(next - columns);
                    out.push_str(&line[i + 1..]);
                    return Cow::Owned(out);
                }
                seen = next;
            }
            _ => return Cow::Borrowed(&line[i..]),
        }
    }
    Cow::Borrowed("")
}

fn is_blank(line: &str) -> bool {
    line.bytes().all(|b| b == b' ' || b == b'\t' || b == b'\r')
}

#[derive(Debug)]
enum Kind {
    /// Admonition, details or tab: the body is indented by 4 more.
    Indented { close: &'static str },
    /// A tab set: open while `===` siblings follow at `marker`.
    TabSet,
    /// `> [!NOTE]`: open while lines start with `>`.
    Alert,
    /// `<tag markdown>`: open until `</tag>` at the left margin.
    MarkdownHtml { tag: String },
}

#[derive(Debug)]
struct Container {
    kind: Kind,
    /// Absolute indentation of the marker line.
    marker: usize,
    /// Lines indented less than this (absolute) leave the container.
    body: usize,
    /// Columns removed from lines inside.
    removal: usize,
    /// Indentation the placeholders are written at.
    out_indent: usize,
}

struct Fence {
    ch: u8,
    len: usize,
    /// A line indented less (absolute) than this closes the fence implicitly:
    /// it left the container the fence was in.
    min_indent: usize,
}

struct Pass<'e> {
    ext: &'e Extensions,
    out: String,
    origins: Vec<usize>,
    directives: Vec<Directive>,
    abbreviations: Vec<(String, String)>,
    stack: Vec<Container>,
    fence: Option<Fence>,
    pending_blanks: Vec<usize>,
    /// Content column of the latest list item (relative), while a list may be open.
    list_content: Option<usize>,
}

/// Rewrites a page (front matter already removed) for pulldown-cmark.
pub(super) fn prepare(body: &str, first_line: usize, ext: &Extensions, host: &dyn Host) -> Prepared {
    let mut problems = Vec::new();
    let needs_expansion = ext.snippets && (body.contains("--8<--") || !ext.snippet_auto_append.is_empty());
    let expanded;
    let lines: Vec<(&str, usize)> = if needs_expansion {
        expanded = snippets::expand(body, first_line, ext, host, &mut problems);
        expanded.iter().map(|(text, line)| (text.as_str(), *line)).collect()
    } else {
        body.lines().enumerate().map(|(i, l)| (l, first_line + i)).collect()
    };
    let mut pass = Pass {
        ext,
        out: String::with_capacity(body.len() + body.len() / 8 + 64),
        origins: Vec::with_capacity(lines.len() + 16),
        directives: Vec::new(),
        abbreviations: Vec::new(),
        stack: Vec::new(),
        fence: None,
        pending_blanks: Vec::new(),
        list_content: None,
    };
    pass.run(&lines);
    Prepared {
        text: pass.out,
        origins: pass.origins,
        directives: pass.directives,
        abbreviations: pass.abbreviations,
        problems,
    }
}

impl Pass<'_> {
    fn emit(&mut self, text: &str, origin: usize) {
        if text.contains('\u{1}') {
            self.out.push_str(&text.replace('\u{1}', ""));
        } else {
            self.out.push_str(text);
        }
        self.out.push('\n');
        self.origins.push(origin);
    }

    fn emit_indented(&mut self, indent: usize, text: &str, origin: usize) {
        for _ in 0..indent {
            self.out.push(' ');
        }
        self.emit(text, origin);
    }

    fn placeholder(&mut self, indent: usize, directive: Directive, origin: usize) {
        let n = self.directives.len();
        self.directives.push(directive);
        for _ in 0..indent {
            self.out.push(' ');
        }
        self.out.push_str(PLACEHOLDER_START);
        self.out.push_str(&n.to_string());
        self.out.push_str("-->\n");
        self.origins.push(origin);
    }

    fn flush_blanks(&mut self) {
        for origin in std::mem::take(&mut self.pending_blanks) {
            self.out.push('\n');
            self.origins.push(origin);
        }
    }

    fn removal(&self) -> usize {
        self.stack.last().map_or(0, |c| c.removal)
    }

    fn close_top(&mut self, origin: usize) {
        let Some(top) = self.stack.pop() else { return };
        let close = match top.kind {
            Kind::Indented { close } => close,
            Kind::TabSet => "</div></div>",
            Kind::Alert => "</div>",
            Kind::MarkdownHtml { tag } => {
                let html = format!("</{tag}>");
                self.placeholder(top.out_indent, Directive::Raw { html, line: origin }, origin);
                return;
            }
        };
        self.placeholder(top.out_indent, Directive::Close(close), origin);
    }

    fn run(&mut self, lines: &[(&str, usize)]) {
        let mut i = 0;
        while i < lines.len() {
            i = self.line(lines, i);
        }
        let last = lines.last().map_or(1, |l| l.1);
        if let Some(fence) = self.fence.take() {
            // An unclosed fence ends with the page (as in CommonMark), closed
            // here so containers can close after it.
            let indent = self.stack.last().map_or(0, |c| c.out_indent);
            let fence_line = String::from_utf8(vec![fence.ch; fence.len]).unwrap_or_default();
            self.emit_indented(indent, &fence_line, last);
        }
        while !self.stack.is_empty() {
            self.close_top(last);
        }
        self.flush_blanks();
    }

    /// Handles the line at `i`; returns the index of the next unhandled line.
    fn line(&mut self, lines: &[(&str, usize)], i: usize) -> usize {
        let (raw, origin) = lines[i];
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let blank = is_blank(raw);
        let indent = indent_of(raw);

        if let Some(fence) = &self.fence {
            if blank || indent >= fence.min_indent {
                let removal = self.removal();
                let rel = dedent(raw, removal);
                let trimmed = rel.trim_start();
                let closes = trimmed.len() >= fence.len
                    && trimmed.bytes().take(fence.len).all(|b| b == fence.ch)
                    && trimmed.trim_start_matches(fence.ch as char).trim().is_empty();
                if closes {
                    self.fence = None;
                }
                self.flush_blanks();
                self.emit(&rel, origin);
                return i + 1;
            }
            // The line left the container the fence was in: close the fence.
            let fence_line = String::from_utf8(vec![fence.ch; fence.len]).unwrap_or_default();
            let out_indent = indent_of(&self.out[self.fence_line_start()..]);
            self.fence = None;
            self.emit_indented(out_indent, &fence_line, origin);
        }

        if blank {
            if matches!(self.stack.last().map(|c| &c.kind), Some(Kind::Alert)) {
                self.close_top(origin);
            }
            self.pending_blanks.push(origin);
            return i + 1;
        }

        self.close_containers(raw, indent, origin);

        if let Some(Container { kind: Kind::Alert, out_indent, .. }) = self.stack.last() {
            let out_indent = *out_indent;
            let content = raw.trim_start().strip_prefix('>').unwrap_or("");
            let content = content.strip_prefix(' ').unwrap_or(content);
            self.flush_blanks();
            self.emit_indented(out_indent, content, origin);
            return i + 1;
        }

        let removal = self.removal();
        let rel = dedent(raw, removal);
        let rel_indent = indent.saturating_sub(removal);
        let after_blank = !self.pending_blanks.is_empty();
        let content = rel.trim_start();

        // Block syntax is recognised at the margin, or deeper inside a list item.
        let structural = rel_indent < 4 || self.list_content.is_some_and(|c| rel_indent >= c);
        if let Some(column) = list_item_content(&rel) {
            self.list_content = Some(column);
        } else if rel_indent == 0 && after_blank {
            self.list_content = None;
        }

        if structural {
            if let Some(next) = self.structure(lines, i, &rel, rel_indent, content, indent, origin) {
                return next;
            }
        }

        self.flush_blanks();
        // `#Heading` is a heading in Python-Markdown.
        if rel_indent < 4 && content.starts_with('#') {
            let hashes = content.bytes().take_while(|&b| b == b'#').count();
            if hashes <= 6 && content.len() > hashes && !content.as_bytes()[hashes].is_ascii_whitespace() {
                let fixed =
                    format!("{}{} {}", &rel[..rel.len() - content.len()], &content[..hashes], &content[hashes..]);
                self.emit(&fixed, origin);
                return i + 1;
            }
        }
        self.emit(&rel, origin);
        i + 1
    }

    /// Byte offset where the last line of the output starts.
    fn fence_line_start(&self) -> usize {
        self.out.trim_end_matches('\n').rfind('\n').map_or(0, |p| p + 1)
    }

    /// Closes the containers a non-blank line at `indent` leaves.
    fn close_containers(&mut self, raw: &str, indent: usize, origin: usize) {
        while let Some(top) = self.stack.last() {
            let leave = match &top.kind {
                Kind::Indented { .. } => indent < top.body,
                Kind::TabSet => {
                    let content = raw.trim_start();
                    !(indent == top.marker && tab_marker(content).is_some_and(|t| !t.new_set))
                }
                Kind::Alert => !raw.trim_start().starts_with('>'),
                Kind::MarkdownHtml { .. } => indent < top.removal,
            };
            if !leave {
                break;
            }
            self.flush_blanks();
            self.close_top(origin);
        }
    }

    /// Recognises block syntax at line `i`; `None` when the line is ordinary Markdown.
    #[allow(clippy::too_many_arguments)]
    fn structure(
        &mut self,
        lines: &[(&str, usize)],
        i: usize,
        rel: &str,
        rel_indent: usize,
        content: &str,
        indent: usize,
        origin: usize,
    ) -> Option<usize> {
        let ext = self.ext;
        let first = content.as_bytes().first().copied()?;
        match first {
            b'`' | b'~' => {
                let len = content.bytes().take_while(|&b| b == first).count();
                if len >= 3 && !(first == b'`' && content[len..].contains('`')) {
                    self.flush_blanks();
                    self.fence = Some(Fence { ch: first, len, min_indent: self.stack.last().map_or(0, |c| c.body) });
                    self.emit(rel, origin);
                    return Some(i + 1);
                }
            }
            b'!' if ext.admonition && content.starts_with("!!!") => {
                let (classes, title) = admonition_marker(&content[3..])?;
                let title = match title {
                    Some(t) if t.is_empty() => None,
                    Some(t) => Some(t),
                    None => Some(capitalize(classes.split(' ').next().unwrap_or(""))),
                };
                self.open_indented(Directive::Admonition { classes, title }, "</div>", rel_indent, indent, origin);
                return Some(i + 1);
            }
            b'?' if ext.details && content.starts_with("???") => {
                let open = content[3..].starts_with('+');
                let rest = if open { &content[4..] } else { &content[3..] };
                let (classes, title) = details_marker(rest)?;
                let title = title.unwrap_or_else(|| capitalize(classes.split(' ').next().unwrap_or("")));
                self.open_indented(
                    Directive::Details { classes, title, open },
                    "</details>",
                    rel_indent,
                    indent,
                    origin,
                );
                return Some(i + 1);
            }
            b'=' if ext.tabbed && content.starts_with("===") => {
                tab_marker(content)?;
                self.flush_blanks();
                let in_set =
                    matches!(self.stack.last(), Some(c) if matches!(c.kind, Kind::TabSet) && c.marker == indent);
                if !in_set {
                    let (labels, selected) = self.tab_labels(lines, i, indent);
                    let out_indent = rel_indent;
                    self.placeholder(out_indent, Directive::TabSet { labels, selected }, origin);
                    let removal = self.removal();
                    self.stack.push(Container {
                        kind: Kind::TabSet,
                        marker: indent,
                        body: indent,
                        removal,
                        out_indent,
                    });
                }
                self.open_indented(Directive::Tab, "</div>", rel_indent, indent, origin);
                return Some(i + 1);
            }
            b'>' if ext.github_alerts => {
                let (kind, title) = alert_marker(content)?;
                self.flush_blanks();
                self.placeholder(rel_indent, Directive::Alert { kind, title }, origin);
                let removal = self.removal();
                self.stack.push(Container {
                    kind: Kind::Alert,
                    marker: indent,
                    body: 0,
                    removal,
                    out_indent: rel_indent,
                });
                return Some(i + 1);
            }
            b'*' if ext.abbr && rel_indent < 4 && content.starts_with("*[") => {
                let (abbr, title) = content[2..].split_once("]:")?;
                if abbr.is_empty() {
                    return None;
                }
                self.abbreviations.push((abbr.to_string(), title.trim().to_string()));
                return Some(i + 1);
            }
            b'<' if rel_indent < 4 => return self.html_block(lines, i, rel, content, rel_indent, origin),
            _ => {}
        }
        None
    }

    fn open_indented(
        &mut self,
        directive: Directive,
        close: &'static str,
        rel_indent: usize,
        indent: usize,
        origin: usize,
    ) {
        self.flush_blanks();
        self.placeholder(rel_indent, directive, origin);
        let removal = self.removal() + 4;
        self.stack.push(Container {
            kind: Kind::Indented { close },
            marker: indent,
            body: indent + 4,
            removal,
            out_indent: rel_indent,
        });
    }

    /// Labels of the tab set starting at line `i` (marker at absolute `indent`).
    fn tab_labels(&self, lines: &[(&str, usize)], i: usize, indent: usize) -> (Vec<String>, usize) {
        let mut labels = Vec::new();
        let mut selected = None;
        let mut j = i;
        while j < lines.len() {
            let line = lines[j].0;
            let Some(marker) = tab_marker(line.trim_start()) else { break };
            if j > i && marker.new_set {
                break;
            }
            if marker.selected && selected.is_none() {
                selected = Some(labels.len());
            }
            labels.push(marker.label.to_string());
            j += 1;
            while j < lines.len() && (is_blank(lines[j].0) || indent_of(lines[j].0) >= indent + 4) {
                j += 1;
            }
            if j < lines.len() && indent_of(lines[j].0) != indent {
                break;
            }
        }
        (labels, selected.unwrap_or(0))
    }

    /// A line starting with `<`: raw HTML block or `markdown` HTML.
    fn html_block(
        &mut self,
        lines: &[(&str, usize)],
        i: usize,
        rel: &str,
        content: &str,
        rel_indent: usize,
        origin: usize,
    ) -> Option<usize> {
        let removal = self.removal();
        // A closing tag of an open `<tag markdown>` container.
        if let Some(Container { kind: Kind::MarkdownHtml { tag }, .. }) = self.stack.last() {
            let tag = tag.clone();
            if let Some(rest) = content.strip_prefix("</") {
                if rest.len() > tag.len()
                    && rest[..tag.len()].eq_ignore_ascii_case(&tag)
                    && rest[tag.len()..].trim_start().starts_with('>')
                {
                    self.flush_blanks();
                    self.close_top(origin);
                    let after = rest[tag.len()..].trim_start()[1..].trim();
                    if !after.is_empty() {
                        self.emit(after, origin);
                    }
                    return Some(i + 1);
                }
            }
        }
        if let Some(comment) = content.strip_prefix("<!--") {
            // Comments pass through whole, so nothing inside is taken for syntax.
            self.flush_blanks();
            let mut j = i;
            loop {
                let line = dedent(lines[j].0, removal);
                let done = line.contains("-->") && (j > i || comment.contains("-->"));
                self.emit(&line, lines[j].1);
                j += 1;
                if done || j >= lines.len() {
                    return Some(j);
                }
            }
        }
        let tag = block_tag_name(content)?;
        let open_end = tag_end(content)?;
        let open_tag = &content[..open_end];
        if self.ext.md_in_html && has_markdown_attribute(open_tag) {
            self.flush_blanks();
            let html = remove_markdown_attribute(open_tag);
            self.placeholder(rel_indent, Directive::Raw { html, line: origin }, origin);
            let after = content[open_end..].trim();
            let closes_here = after.to_ascii_lowercase().ends_with(&format!("</{tag}>"));
            let body_text = if closes_here { &after[..after.len() - tag.len() - 3] } else { after };
            if !body_text.is_empty() {
                self.emit_indented(rel_indent, body_text, origin);
            }
            if closes_here {
                self.placeholder(rel_indent, Directive::Raw { html: format!("</{tag}>"), line: origin }, origin);
            } else {
                self.stack.push(Container {
                    kind: Kind::MarkdownHtml { tag: tag.clone() },
                    marker: indent_of(rel) + removal,
                    body: 0,
                    removal,
                    out_indent: rel_indent,
                });
            }
            return Some(i + 1);
        }
        // A raw block runs to the end tag that balances it.
        let void = VOID_TAGS.contains(&tag.as_str()) || open_tag.ends_with("/>");
        let mut depth: i64 = 0;
        let mut j = i;
        let mut html = String::new();
        loop {
            let (line, _) = lines[j];
            if j > i && !is_blank(line) && indent_of(line) < removal {
                break;
            }
            if j > i && is_blank(line) && depth > 0 && !self.balanced_later(lines, j, &tag, depth, removal) {
                break;
            }
            let line = dedent(line, removal);
            if !void {
                depth += tag_balance(&line, &tag);
            }
            html.push_str(&line);
            html.push('\n');
            j += 1;
            if void || depth <= 0 || j >= lines.len() {
                break;
            }
        }
        self.flush_blanks();
        self.placeholder(rel_indent, Directive::Raw { html, line: origin }, origin);
        // Keep line numbers right for what follows.
        for (_, line) in &lines[i + 1..j] {
            self.out.push('\n');
            self.origins.push(*line);
        }
        Some(j)
    }

    /// Whether the tag opened before blank line `j` is closed later (else the
    /// raw block ends at the blank line, as in CommonMark, instead of
    /// swallowing the rest of the page).
    fn balanced_later(&self, lines: &[(&str, usize)], j: usize, tag: &str, depth: i64, removal: usize) -> bool {
        let mut depth = depth;
        for (line, _) in &lines[j..] {
            if !is_blank(line) && indent_of(line) < removal {
                return false;
            }
            depth += tag_balance(line, tag);
            if depth <= 0 {
                return true;
            }
        }
        false
    }
}

/// Opening tags minus closing tags of `tag` in `line` (case-insensitive).
fn tag_balance(line: &str, tag: &str) -> i64 {
    let bytes = line.as_bytes();
    let mut balance = 0;
    let mut pos = 0;
    while let Some(found) = memchr_lt(&bytes[pos..]) {
        let at = pos + found + 1;
        let (closing, name_start) = if bytes.get(at) == Some(&b'/') { (true, at + 1) } else { (false, at) };
        let name_end = name_start + tag.len();
        if name_end <= bytes.len()
            && line[name_start..name_end].eq_ignore_ascii_case(tag)
            && bytes.get(name_end).is_none_or(|b| !b.is_ascii_alphanumeric() && *b != b'-')
        {
            if closing {
                balance -= 1;
            } else {
                // `<div/>` opens nothing.
                let self_closing =
                    line[name_end..].find('>').is_some_and(|e| line[name_end..name_end + e].ends_with('/'));
                if !self_closing {
                    balance += 1;
                }
            }
        }
        pos = at;
    }
    balance
}

fn memchr_lt(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'<')
}

/// The lower-case name of a block-level tag opening `content`.
fn block_tag_name(content: &str) -> Option<String> {
    let rest = content.strip_prefix('<')?;
    let end = rest.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(rest.len());
    let name = rest[..end].to_ascii_lowercase();
    let next = rest[end..].chars().next();
    if !matches!(next, Some(' ' | '>' | '/' | '\t') | None) {
        return None;
    }
    BLOCK_TAGS.contains(&name.as_str()).then_some(name)
}

/// Byte offset just past the `>` ending the tag that starts `content`.
fn tag_end(content: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in content.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(i + 1),
            _ => {}
        }
    }
    None
}

fn has_markdown_attribute(tag: &str) -> bool {
    attribute_span(tag, "markdown").is_some()
}

/// Byte range of attribute `name` (with its value) in an opening tag.
fn attribute_span(tag: &str, name: &str) -> Option<(usize, usize)> {
    let bytes = tag.as_bytes();
    let mut i = tag.find(|c: char| c.is_ascii_whitespace())?;
    while i < bytes.len() {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !matches!(bytes[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let attr = &tag[start..i];
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            match bytes.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    i += 1;
                    while i < bytes.len() && bytes[i] != q {
                        i += 1;
                    }
                    i += 1;
                }
                _ => {
                    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                        i += 1;
                    }
                }
            }
        }
        if attr.eq_ignore_ascii_case(name) {
            return Some((start, i.min(bytes.len())));
        }
        if start == i {
            i += 1;
        }
    }
    None
}

fn remove_markdown_attribute(tag: &str) -> String {
    match attribute_span(tag, "markdown") {
        Some((start, end)) => format!("{}{}", tag[..start].trim_end(), &tag[end..]),
        None => tag.to_string(),
    }
}

/// The content column of a list item line (relative), if `line` starts one.
fn list_item_content(line: &str) -> Option<usize> {
    let indent = indent_of(line);
    let content = line.trim_start();
    let bytes = content.as_bytes();
    let marker_len = match bytes.first()? {
        b'-' | b'*' | b'+' => 1,
        b'0'..=b'9' => {
            let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
            if digits > 9 || !matches!(bytes.get(digits), Some(b'.' | b')')) {
                return None;
            }
            digits + 1
        }
        _ => return None,
    };
    match bytes.get(marker_len) {
        Some(b' ' | b'\t') => {}
        None => return Some(indent + marker_len + 1),
        _ => return None,
    }
    let spaces = bytes[marker_len..].iter().take_while(|&&b| b == b' ').count();
    let spaces = if spaces > 4 { 1 } else { spaces };
    Some(indent + marker_len + spaces)
}

/// `note "Title"` / `note inline end` / `note ""` after `!!!`: (classes, title).
fn admonition_marker(rest: &str) -> Option<(String, Option<String>)> {
    let rest = rest.strip_prefix(' ').unwrap_or(rest);
    let (words, title) = split_title(rest)?;
    if words.is_empty() {
        return None;
    }
    Some((words, title))
}

/// After `???` / `???+`: classes and/or a quoted title.
fn details_marker(rest: &str) -> Option<(String, Option<String>)> {
    let rest = rest.strip_prefix(' ').unwrap_or(rest);
    let (words, title) = split_title(rest)?;
    if words.is_empty() && title.is_none() {
        return None;
    }
    Some((words, title))
}

/// `word word "title"` → ("word word", Some(title)); words are `[\w-]+`.
fn split_title(rest: &str) -> Option<(String, Option<String>)> {
    let rest = rest.trim_end();
    let (words, title) = match rest.find('"') {
        Some(q) => {
            let title = rest[q + 1..].strip_suffix('"')?;
            (&rest[..q], Some(title.to_string()))
        }
        None => (rest, None),
    };
    let words = words.trim();
    if !words.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == ' ') {
        return None;
    }
    if title.is_some() && !words.is_empty() && !rest[..rest.find('"').unwrap_or(0)].ends_with(' ') {
        return None;
    }
    Some((words.split_whitespace().collect::<Vec<_>>().join(" "), title))
}

pub(super) fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars.flat_map(char::to_lowercase)).collect(),
        None => String::new(),
    }
}

struct TabMarker<'a> {
    label: &'a str,
    new_set: bool,
    selected: bool,
}

/// `=== "Label"`, `===! "Label"` (new set), `===+ "Label"` (selected).
fn tab_marker(content: &str) -> Option<TabMarker<'_>> {
    let rest = content.strip_prefix("===")?;
    let (new_set, rest) = match rest.strip_prefix('!') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let (selected, rest) = match rest.strip_prefix('+') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    if !rest.starts_with(' ') {
        return None;
    }
    let label = rest.trim().strip_prefix('"')?.strip_suffix('"')?;
    Some(TabMarker { label, new_set, selected })
}

/// `> [!NOTE]` → ("note", "Note"); the five GitHub alert kinds.
fn alert_marker(content: &str) -> Option<(String, String)> {
    let rest = content.strip_prefix('>')?.trim_start();
    let rest = rest.strip_prefix("[!")?;
    let (kind, after) = rest.split_once(']')?;
    let kind = kind.to_ascii_lowercase();
    let (class, default_title) = match kind.as_str() {
        "note" => ("note", "Note"),
        "tip" => ("tip", "Tip"),
        "important" => ("warning", "Important"),
        "warning" => ("warning", "Warning"),
        "caution" => ("danger", "Caution"),
        _ => return None,
    };
    let after = after.trim();
    let title = if after.is_empty() { default_title.to_string() } else { after.to_string() };
    Some((class.to_string(), title))
}

mod snippets {
    //! pymdownx.snippets: `--8<-- "file"` lines and `--8<--` blocks of file
    //! names, expanded recursively before anything else is parsed.

    use super::super::{Extensions, Host};

    const MAX_DEPTH: usize = 8;

    /// The page's lines with snippets expanded, each with its line in the page.
    pub(super) fn expand(
        body: &str,
        first_line: usize,
        ext: &Extensions,
        host: &dyn Host,
        problems: &mut Vec<(usize, String)>,
    ) -> Vec<(String, usize)> {
        let mut out = Vec::new();
        let mut stack = Vec::new();
        let lines: Vec<(&str, usize)> = body.lines().enumerate().map(|(i, l)| (l, first_line + i)).collect();
        expand_lines(&lines, None, ext, host, &mut stack, &mut out, problems);
        for file in &ext.snippet_auto_append {
            let last = out.last().map_or(first_line, |l: &(String, usize)| l.1);
            include(file, "", last, ext, host, &mut stack, &mut out, problems);
        }
        out
    }

    fn expand_lines(
        lines: &[(&str, usize)],
        origin: Option<usize>,
        ext: &Extensions,
        host: &dyn Host,
        stack: &mut Vec<String>,
        out: &mut Vec<(String, usize)>,
        problems: &mut Vec<(usize, String)>,
    ) {
        let mut block: Option<(String, usize)> = None;
        for &(line, number) in lines {
            let line_no = origin.unwrap_or(number);
            let trimmed = line.trim_start();
            let indent = &line[..line.len() - trimmed.len()];
            if let Some((block_indent, _)) = &block {
                if is_marker(trimmed.trim_end()) {
                    block = None;
                } else if !trimmed.trim().is_empty() && !trimmed.starts_with('#') {
                    let block_indent = block_indent.clone();
                    include(trimmed.trim(), &block_indent, line_no, ext, host, stack, out, problems);
                }
                continue;
            }
            if let Some(rest) = trimmed.strip_prefix(';') {
                if rest.trim_start_matches(';').starts_with("-") && contains_marker(rest) {
                    // `;--8<--` writes the marker itself.
                    out.push((format!("{indent}{rest}"), line_no));
                    continue;
                }
            }
            if trimmed.starts_with('-') && contains_marker(trimmed) {
                let t = trimmed.trim_end();
                if is_marker(t) {
                    block = Some((indent.to_string(), line_no));
                    continue;
                }
                if let Some(path) = single_line(t) {
                    include(path, indent, line_no, ext, host, stack, out, problems);
                    continue;
                }
                if section_marker(t) {
                    continue;
                }
            }
            out.push((line.to_string(), line_no));
        }
    }

    fn contains_marker(s: &str) -> bool {
        s.contains("8<-")
    }

    /// `--8<--` alone (any number of dashes on each side).
    fn is_marker(s: &str) -> bool {
        let Some((before, after)) = s.split_once("8<") else { return false };
        !before.is_empty() && before.bytes().all(|b| b == b'-') && !after.is_empty() && after.bytes().all(|b| b == b'-')
    }

    /// `--8<-- "path"` → path.
    fn single_line(s: &str) -> Option<&str> {
        let (marker, rest) = s.split_once(char::is_whitespace)?;
        if !is_marker(marker) {
            return None;
        }
        let rest = rest.trim();
        let quote = rest.chars().next()?;
        if quote != '"' && quote != '\'' {
            return None;
        }
        rest[1..].strip_suffix(quote)
    }

    /// `--8<-- [start:name]` / `[end:name]` lines are dropped from included text.
    fn section_marker(s: &str) -> bool {
        let Some((marker, rest)) = s.split_once(char::is_whitespace) else { return false };
        let rest = rest.trim();
        is_marker(marker) && (rest.starts_with("[start:") || rest.starts_with("[end:")) && rest.ends_with(']')
    }

    #[allow(clippy::too_many_arguments)]
    fn include(
        spec: &str,
        indent: &str,
        line: usize,
        ext: &Extensions,
        host: &dyn Host,
        stack: &mut Vec<String>,
        out: &mut Vec<(String, usize)>,
        problems: &mut Vec<(usize, String)>,
    ) {
        if spec.starts_with("http://") || spec.starts_with("https://") {
            problems.push((line, format!("snippet {spec}: URL snippets are not fetched")));
            return;
        }
        let (path, selection) = split_spec(spec);
        if stack.iter().any(|p| p == path) || stack.len() >= MAX_DEPTH {
            problems.push((line, format!("snippet {path} includes itself; skipped")));
            return;
        }
        let mut last_error = String::new();
        let mut text = None;
        for base in &ext.snippet_base_paths {
            let candidate = if base.is_empty() || base == "." {
                path.to_string()
            } else {
                format!("{}/{path}", base.trim_end_matches('/'))
            };
            match host.snippet(&candidate) {
                Ok(t) => {
                    text = Some(t);
                    break;
                }
                Err(e) => last_error = e,
            }
        }
        let Some(text) = text else {
            problems.push((line, format!("snippet {path} cannot be read: {last_error}")));
            return;
        };
        let selected = select(&text, selection);
        let Some(selected) = selected else {
            problems.push((line, format!("snippet {spec}: no such section or line range in {path}")));
            return;
        };
        let lines: Vec<String> = selected.iter().map(|l| format!("{indent}{l}")).collect();
        let refs: Vec<(&str, usize)> = lines.iter().map(|l| (l.as_str(), line)).collect();
        stack.push(path.to_string());
        expand_lines(&refs, Some(line), ext, host, stack, out, problems);
        stack.pop();
    }

    enum Selection<'a> {
        All,
        Lines(Vec<(usize, usize)>),
        Section(&'a str),
    }

    /// `file.md:3:5`, `file.md:3`, `file.md:name` → (path, selection).
    fn split_spec(spec: &str) -> (&str, Selection<'_>) {
        let mut parts = spec.splitn(2, ':');
        let path = parts.next().unwrap_or(spec);
        let Some(rest) = parts.next() else { return (spec, Selection::All) };
        // Windows drive letters are not a thing here; `a:b` with a non-range is a section.
        let mut ranges = Vec::new();
        for range in rest.split(',') {
            let mut ends = range.splitn(2, ':');
            let start = ends.next().unwrap_or("").trim();
            let end = ends.next().map(str::trim);
            match (start.parse::<usize>(), end) {
                (Ok(s), None) => ranges.push((s, usize::MAX)),
                (Ok(s), Some("")) => ranges.push((s, usize::MAX)),
                (Ok(s), Some(e)) => match e.parse::<usize>() {
                    Ok(e) => ranges.push((s, e)),
                    Err(_) => return (spec, Selection::All),
                },
                (Err(_), None) if !start.is_empty() && !start.contains('/') => {
                    return (path, Selection::Section(start))
                }
                _ => return (spec, Selection::All),
            }
        }
        (path, Selection::Lines(ranges))
    }

    fn select<'t>(text: &'t str, selection: Selection<'_>) -> Option<Vec<&'t str>> {
        let lines: Vec<&str> = text.lines().collect();
        match selection {
            Selection::All => Some(lines.into_iter().filter(|l| !section_marker(l.trim())).collect()),
            Selection::Lines(ranges) => {
                let mut out = Vec::new();
                for (start, end) in ranges {
                    let start = start.max(1);
                    let end = end.min(lines.len());
                    if start <= end {
                        out.extend(lines[start - 1..end].iter().filter(|l| !section_marker(l.trim())));
                    }
                }
                Some(out)
            }
            Selection::Section(name) => {
                let start = format!("[start:{name}]");
                let end = format!("[end:{name}]");
                let begin = lines.iter().position(|l| is_section(l, &start))?;
                let stop =
                    lines[begin + 1..].iter().position(|l| is_section(l, &end)).map_or(lines.len(), |p| begin + 1 + p);
                Some(lines[begin + 1..stop].iter().filter(|l| !section_marker(l.trim())).copied().collect())
            }
        }
    }

    fn is_section(line: &str, tag: &str) -> bool {
        let t = line.trim();
        section_marker(t) && t.ends_with(tag)
    }
}
