//! pulldown-cmark events → HTML, in one pass over the event list, with
//! Python-Markdown's heading ids and permalinks, the placeholders of
//! [`super::blocks`] filled in, links rewritten through the host, code
//! highlighted and the inline extensions applied.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{Alignment, CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};

use crate::site::highlight::escape_html;

use super::blocks::{Directive, Prepared, PLACEHOLDER_START};
use super::inline::{self, Attrs, TextContext};
use super::{code, sanitize, slugify_with, unique_id, Extensions, Heading, Host, Rendered, Section};

type Ev<'a> = (Event<'a>, Range<usize>);

fn options(ext: &Extensions) -> Options {
    let mut options = Options::ENABLE_STRIKETHROUGH;
    if ext.tables {
        options |= Options::ENABLE_TABLES;
    }
    if ext.footnotes {
        options |= Options::ENABLE_FOOTNOTES;
    }
    if ext.tasklist {
        options |= Options::ENABLE_TASKLISTS;
    }
    if ext.def_list {
        options |= Options::ENABLE_DEFINITION_LIST;
    }
    options
}

pub(super) fn write(prepared: &Prepared, ext: &Extensions, host: &dyn Host) -> Rendered {
    let events: Vec<Ev<'_>> = Parser::new_ext(&prepared.text, options(ext)).into_offset_iter().collect();
    let mut line_starts = Vec::with_capacity(prepared.origins.len() + 1);
    line_starts.push(0);
    line_starts.extend(prepared.text.match_indices('\n').map(|(i, _)| i + 1));
    let mut w = Writer {
        ext,
        host,
        prepared,
        line_starts,
        out: String::with_capacity(prepared.text.len() * 2),
        raw_html: false,
        used_ids: HashSet::new(),
        headings: Vec::new(),
        sections: Vec::new(),
        section: Section { id: None, heading: String::new(), text: String::new() },
        title: None,
        block_written: false,
        uses_mermaid: false,
        problems: Vec::new(),
        footnote_order: Vec::new(),
        footnote_refs: HashMap::new(),
        footnote_defs: Vec::new(),
        footnote_capture: Vec::new(),
        tab_sets: 0,
        table: None,
        source: Source { text: &prepared.text, fixed_line: None },
    };
    w.blocks(&events);
    w.finish()
}

#[derive(Clone, Copy)]
struct Source<'s> {
    text: &'s str,
    /// Lines of inline Markdown rendered out of place (titles, labels).
    fixed_line: Option<usize>,
}

struct TableState {
    alignments: Vec<Alignment>,
    in_head: bool,
    cell: usize,
}

struct Writer<'a> {
    ext: &'a Extensions,
    host: &'a dyn Host,
    prepared: &'a Prepared,
    line_starts: Vec<usize>,
    out: String,
    /// Raw HTML from the author was written: sanitise the page.
    raw_html: bool,
    used_ids: HashSet<String>,
    headings: Vec<Heading>,
    sections: Vec<Section>,
    section: Section,
    title: Option<String>,
    block_written: bool,
    uses_mermaid: bool,
    problems: Vec<(usize, String)>,
    /// Footnote labels in the order of their first reference.
    footnote_order: Vec<String>,
    footnote_refs: HashMap<String, usize>,
    footnote_defs: Vec<(String, String)>,
    footnote_capture: Vec<(String, String)>,
    tab_sets: usize,
    table: Option<TableState>,
    source: Source<'a>,
}

fn is_inline(event: &Event<'_>) -> bool {
    match event {
        Event::Text(_)
        | Event::Code(_)
        | Event::InlineHtml(_)
        | Event::SoftBreak
        | Event::HardBreak
        | Event::FootnoteReference(_)
        | Event::TaskListMarker(_)
        | Event::InlineMath(_)
        | Event::DisplayMath(_) => true,
        Event::Start(tag) => {
            matches!(tag, Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. } | Tag::Image { .. })
        }
        Event::End(tag) => {
            matches!(tag, TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link | TagEnd::Image)
        }
        _ => false,
    }
}

/// Index of the event closing the block opened at `start`.
fn matching_end(events: &[Ev<'_>], start: usize) -> usize {
    let mut depth = 0usize;
    for (i, (event, _)) in events.iter().enumerate().skip(start) {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    events.len()
}

/// The block attribute list on a paragraph's own last line: `text\n{: .class }`.
fn trailing_block_attrs(events: &[Ev<'_>]) -> Option<Attrs> {
    let n = events.len();
    if n < 2 || !matches!(events[n - 2].0, Event::SoftBreak) {
        return None;
    }
    let Event::Text(text) = &events[n - 1].0 else { return None };
    let (attrs, len) = inline::attr_list_at_start(text.trim())?;
    (len == text.trim().len()).then_some(attrs)
}

impl<'a> Writer<'a> {
    fn line_of(&self, offset: usize) -> usize {
        match self.source.fixed_line {
            Some(line) => line,
            None => self.prepared.line_at(offset, &self.line_starts),
        }
    }

    fn blocks(&mut self, events: &[Ev<'_>]) {
        let mut i = 0;
        while i < events.len() {
            let (event, range) = &events[i];
            if is_inline(event) {
                let mut j = i;
                while j < events.len() && is_inline(&events[j].0) {
                    j += 1;
                }
                let run = &events[i..j];
                // An attribute list on its own line in a tight list item belongs to no element here.
                let run = if trailing_block_attrs(run).is_some() { &run[..run.len() - 2] } else { run };
                self.inline(run, None);
                i = j;
                continue;
            }
            match event {
                Event::Start(Tag::Paragraph) => {
                    let end = matching_end(events, i);
                    self.paragraph(&events[i + 1..end.min(events.len())]);
                    i = end + 1;
                    continue;
                }
                Event::Start(Tag::Heading { level, .. }) => {
                    let end = matching_end(events, i);
                    self.heading(*level as u8, &events[i + 1..end.min(events.len())], range.start);
                    i = end + 1;
                    continue;
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    let end = matching_end(events, i);
                    let mut text = String::new();
                    for (e, _) in &events[i + 1..end.min(events.len())] {
                        if let Event::Text(t) = e {
                            text.push_str(t);
                        }
                    }
                    self.code_block(kind, &text);
                    i = end + 1;
                    continue;
                }
                Event::Start(Tag::HtmlBlock) => {
                    let end = matching_end(events, i);
                    let mut text = String::new();
                    for (e, _) in &events[i + 1..end.min(events.len())] {
                        if let Event::Html(t) | Event::Text(t) = e {
                            text.push_str(t);
                        }
                    }
                    self.html(&text, range.start);
                    i = end + 1;
                    continue;
                }
                Event::Html(text) => self.html(text, range.start),
                Event::Start(Tag::List(start)) => {
                    self.block_written = true;
                    let task = self.ext.tasklist && first_item_is_task(&events[i + 1..]);
                    match start {
                        Some(n) if *n != 1 => self.out.push_str(&format!("<ol start=\"{n}\">\n")),
                        Some(_) => self.out.push_str("<ol>\n"),
                        None if task => self.out.push_str("<ul class=\"task-list\">\n"),
                        None => self.out.push_str("<ul>\n"),
                    }
                }
                Event::End(TagEnd::List(ordered)) => self.out.push_str(if *ordered { "</ol>\n" } else { "</ul>\n" }),
                Event::Start(Tag::Item) => {
                    let task = events.get(i + 1).is_some_and(|(e, _)| matches!(e, Event::TaskListMarker(_)))
                        || (matches!(events.get(i + 1), Some((Event::Start(Tag::Paragraph), _)))
                            && matches!(events.get(i + 2), Some((Event::TaskListMarker(_), _))));
                    self.out.push_str(if task { "<li class=\"task-list-item\">" } else { "<li>" });
                }
                Event::End(TagEnd::Item) => self.out.push_str("</li>\n"),
                Event::Start(Tag::BlockQuote(_)) => {
                    self.block_written = true;
                    self.out.push_str("<blockquote>\n");
                }
                Event::End(TagEnd::BlockQuote(_)) => self.out.push_str("</blockquote>\n"),
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    let saved = std::mem::take(&mut self.out);
                    self.footnote_capture.push((label.to_string(), saved));
                }
                Event::End(TagEnd::FootnoteDefinition) => {
                    if let Some((label, saved)) = self.footnote_capture.pop() {
                        let html = std::mem::replace(&mut self.out, saved);
                        self.footnote_defs.push((label, html));
                    }
                }
                Event::Start(Tag::Table(alignments)) => {
                    self.block_written = true;
                    self.table = Some(TableState { alignments: alignments.clone(), in_head: false, cell: 0 });
                    self.out.push_str("<table>\n");
                }
                Event::End(TagEnd::Table) => {
                    self.out.push_str("</tbody>\n</table>\n");
                    self.table = None;
                }
                Event::Start(Tag::TableHead) => {
                    if let Some(t) = &mut self.table {
                        t.in_head = true;
                        t.cell = 0;
                    }
                    self.out.push_str("<thead>\n<tr>\n");
                }
                Event::End(TagEnd::TableHead) => {
                    if let Some(t) = &mut self.table {
                        t.in_head = false;
                    }
                    self.out.push_str("</tr>\n</thead>\n<tbody>\n");
                }
                Event::Start(Tag::TableRow) => {
                    if let Some(t) = &mut self.table {
                        t.cell = 0;
                    }
                    self.out.push_str("<tr>\n");
                }
                Event::End(TagEnd::TableRow) => self.out.push_str("</tr>\n"),
                Event::Start(Tag::TableCell) => {
                    let (tag, align) = match &self.table {
                        Some(t) => (if t.in_head { "th" } else { "td" }, t.alignments.get(t.cell).copied()),
                        None => ("td", None),
                    };
                    self.out.push('<');
                    self.out.push_str(tag);
                    match align {
                        Some(Alignment::Left) => self.out.push_str(" align=\"left\""),
                        Some(Alignment::Center) => self.out.push_str(" align=\"center\""),
                        Some(Alignment::Right) => self.out.push_str(" align=\"right\""),
                        _ => {}
                    }
                    self.out.push('>');
                }
                Event::End(TagEnd::TableCell) => {
                    let tag = match &mut self.table {
                        Some(t) => {
                            t.cell += 1;
                            if t.in_head {
                                "th"
                            } else {
                                "td"
                            }
                        }
                        None => "td",
                    };
                    self.out.push_str("</");
                    self.out.push_str(tag);
                    self.out.push_str(">\n");
                    self.section.text.push(' ');
                }
                Event::Rule => {
                    self.block_written = true;
                    self.out.push_str("<hr />\n");
                }
                Event::Start(Tag::DefinitionList) => {
                    self.block_written = true;
                    self.out.push_str("<dl>\n");
                }
                Event::End(TagEnd::DefinitionList) => self.out.push_str("</dl>\n"),
                Event::Start(Tag::DefinitionListTitle) => self.out.push_str("<dt>"),
                Event::End(TagEnd::DefinitionListTitle) => self.out.push_str("</dt>\n"),
                Event::Start(Tag::DefinitionListDefinition) => self.out.push_str("<dd>"),
                Event::End(TagEnd::DefinitionListDefinition) => self.out.push_str("</dd>\n"),
                _ => {}
            }
            i += 1;
        }
    }

    fn paragraph(&mut self, run: &[Ev<'_>]) {
        self.block_written = true;
        let (run, attrs) = match self.ext.attr_list.then(|| trailing_block_attrs(run)).flatten() {
            Some(attrs) => (&run[..run.len() - 2], attrs),
            None => (run, Attrs::default()),
        };
        // A paragraph that is only a placeholder (inline in a lazy line) is not wrapped.
        self.out.push_str("<p");
        self.out.push_str(&attrs.render(None));
        self.out.push('>');
        self.inline(run, None);
        self.out.push_str("</p>\n");
        self.section.text.push('\n');
    }

    fn heading(&mut self, level: u8, run: &[Ev<'_>], offset: usize) {
        let first_block = !self.block_written;
        self.block_written = true;
        let mut owned: Vec<Ev<'_>>;
        let mut run = run;
        let mut attrs = Attrs::default();
        if self.ext.attr_list {
            if let Some((Event::Text(text), range)) = run.last() {
                if let Some((before, found)) = inline::attr_list_at_end(text) {
                    if before.is_empty() || before.ends_with(char::is_whitespace) {
                        attrs = found;
                        owned = run.to_vec();
                        let before = before.trim_end().to_string();
                        if let Some(last) = owned.last_mut() {
                            *last = (Event::Text(CowStr::from(before)), range.clone());
                        }
                        run = &owned[..];
                    }
                }
            }
        }
        let saved_section = std::mem::take(&mut self.section.text);
        let start = self.out.len();
        let mut plain = String::new();
        self.inline(run, Some(&mut plain));
        let inner = self.out.split_off(start);
        let plain = plain.split_whitespace().collect::<Vec<_>>().join(" ");
        let id = match attrs.id.take() {
            Some(id) => {
                self.used_ids.insert(id.clone());
                id
            }
            None => unique_id(slugify_with(&plain, self.ext.unicode_slugs), &mut self.used_ids),
        };
        // The heading ends the previous section.
        self.section.text = saved_section;
        let finished = std::mem::replace(
            &mut self.section,
            Section { id: Some(id.clone()), heading: plain.clone(), text: String::new() },
        );
        if finished.id.is_some() || !finished.text.trim().is_empty() {
            self.sections.push(finished);
        }
        let tag = format!("h{}", level.clamp(1, 6));
        self.out.push('<');
        self.out.push_str(&tag);
        self.out.push_str(" id=\"");
        self.out.push_str(&escape_html(&id));
        self.out.push('"');
        self.out.push_str(&attrs.render(None));
        self.out.push('>');
        self.out.push_str(&inner);
        if let Some(symbol) = &self.ext.permalink {
            self.out.push_str("<a class=\"headerlink\" href=\"#");
            self.out.push_str(&escape_html(&id));
            self.out.push_str("\" title=\"");
            self.out.push_str(&escape_html(&self.ext.permalink_title));
            self.out.push_str("\">");
            self.out.push_str(&escape_html(symbol));
            self.out.push_str("</a>");
        }
        self.out.push_str("</");
        self.out.push_str(&tag);
        self.out.push_str(">\n");
        if level == 1 && first_block && self.title.is_none() {
            self.title = Some(plain.clone());
        }
        let line = self.line_of(offset);
        self.headings.push(Heading { level, id, text: plain, line });
    }

    fn code_block(&mut self, kind: &CodeBlockKind<'_>, text: &str) {
        self.block_written = true;
        let info = match kind {
            CodeBlockKind::Fenced(info) => code::parse_info(info),
            CodeBlockKind::Indented => code::FenceInfo::default(),
        };
        self.section.text.push_str(text);
        self.section.text.push('\n');
        if info.lang.as_deref().is_some_and(|l| l.eq_ignore_ascii_case("mermaid")) {
            self.uses_mermaid = true;
            code::write_mermaid(&mut self.out, text);
            return;
        }
        code::write_block(&mut self.out, text, &info, self.ext.linenums);
    }

    /// An HTML block: placeholders become directives, the rest is raw HTML.
    fn html(&mut self, text: &str, offset: usize) {
        let mut rest = text;
        while !rest.is_empty() {
            match rest.find(PLACEHOLDER_START) {
                Some(0) => {
                    let after = &rest[PLACEHOLDER_START.len()..];
                    let digits = after.bytes().take_while(u8::is_ascii_digit).count();
                    let index = after[..digits].parse::<usize>().ok();
                    let close = after[digits..].starts_with("-->");
                    match index {
                        Some(index) if close => {
                            self.directive(index, offset);
                            rest = after[digits + 3..].trim_start_matches(['\n', ' ']);
                        }
                        _ => {
                            self.raw(&rest[..PLACEHOLDER_START.len()], offset);
                            rest = after;
                        }
                    }
                }
                Some(n) => {
                    self.raw(&rest[..n], offset);
                    rest = &rest[n..];
                }
                None => {
                    self.raw(rest, offset);
                    break;
                }
            }
        }
    }

    fn raw(&mut self, html: &str, offset: usize) {
        if html.trim().is_empty() {
            return;
        }
        self.block_written = true;
        self.raw_html = true;
        let line = self.line_of(offset);
        let rewritten = sanitize::rewrite_links(html, self.host, line);
        self.out.push_str(&rewritten);
        if !rewritten.ends_with('\n') {
            self.out.push('\n');
        }
    }

    fn directive(&mut self, index: usize, offset: usize) {
        let Some(directive) = self.prepared.directives.get(index) else { return };
        self.block_written = true;
        match directive {
            Directive::Admonition { classes, title } => {
                self.out.push_str("<div class=\"admonition ");
                self.out.push_str(&escape_html(classes));
                self.out.push_str("\">\n");
                if let Some(title) = title {
                    self.out.push_str("<p class=\"admonition-title\">");
                    self.inline_markdown(title, offset);
                    self.out.push_str("</p>\n");
                }
            }
            Directive::Alert { kind, title } => {
                self.out.push_str("<div class=\"admonition ");
                self.out.push_str(kind);
                self.out.push_str("\">\n<p class=\"admonition-title\">");
                self.inline_markdown(title, offset);
                self.out.push_str("</p>\n");
            }
            Directive::Details { classes, title, open } => {
                self.out.push_str("<details");
                if !classes.is_empty() {
                    self.out.push_str(" class=\"");
                    self.out.push_str(&escape_html(classes));
                    self.out.push('"');
                }
                if *open {
                    self.out.push_str(" open=\"open\"");
                }
                self.out.push_str(">\n<summary>");
                self.inline_markdown(title, offset);
                self.out.push_str("</summary>\n");
            }
            Directive::TabSet { labels, selected } => {
                self.tab_sets += 1;
                let set = self.tab_sets;
                self.out.push_str(&format!(
                    "<div class=\"tabbed-set tabbed-alternate\" data-tabs=\"{set}:{}\">",
                    labels.len()
                ));
                for k in 0..labels.len() {
                    let checked = if k == *selected { "checked=\"checked\" " } else { "" };
                    self.out.push_str(&format!(
                        "<input {checked}id=\"__tabbed_{set}_{n}\" name=\"__tabbed_{set}\" type=\"radio\" />",
                        n = k + 1
                    ));
                }
                self.out.push_str("<div class=\"tabbed-labels\">");
                for (k, label) in labels.iter().enumerate() {
                    self.out.push_str(&format!("<label for=\"__tabbed_{set}_{}\">", k + 1));
                    self.inline_markdown(label, offset);
                    self.out.push_str("</label>");
                }
                self.out.push_str("</div>\n<div class=\"tabbed-content\">\n");
            }
            Directive::Tab => self.out.push_str("<div class=\"tabbed-block\">\n"),
            Directive::Raw { html, line } => {
                let line = *line;
                self.raw_html = true;
                let rewritten = sanitize::rewrite_links(html, self.host, line);
                self.out.push_str(&rewritten);
                if !rewritten.ends_with('\n') {
                    self.out.push('\n');
                }
            }
            Directive::Close(html) => {
                self.out.push_str(html);
                self.out.push('\n');
            }
        }
    }

    /// Inline Markdown written outside the page flow (titles, tab labels).
    fn inline_markdown(&mut self, text: &str, offset: usize) {
        if !text.contains(|c: char| "*_`[!<&\\:=^~+{(-".contains(c)) {
            self.section.text.push_str(text);
            self.section.text.push(' ');
            self.out.push_str(&escape_html(text));
            return;
        }
        let line = self.line_of(offset);
        let events: Vec<Ev<'_>> = Parser::new_ext(text, options(self.ext)).into_offset_iter().collect();
        let saved = self.source;
        // SAFETY of lifetimes: the events borrow `text` only for this call.
        let run: Vec<Ev<'_>> = events.into_iter().filter(|(e, _)| is_inline(e)).collect();
        self.source = Source { text: "", fixed_line: Some(line) };
        self.inline_in(run.as_slice(), None, text);
        self.source = saved;
        self.section.text.push(' ');
    }

    fn inline(&mut self, run: &[Ev<'_>], plain: Option<&mut String>) {
        let source = self.source.text;
        self.inline_in(run, plain, source);
    }

    /// Writes a run of inline events; `source` is the text their ranges point into.
    fn inline_in(&mut self, run: &[Ev<'_>], mut plain: Option<&mut String>, source: &str) {
        let abbreviations = &self.prepared.abbreviations;
        let mut link_depth = 0usize;
        // Where an attribute list right after an element would go (before its opening tag's `>`).
        let mut attr_slot: Option<usize> = None;
        let mut open_slots: Vec<usize> = Vec::new();
        let mut i = 0;
        while i < run.len() {
            let (event, range) = &run[i];
            match event {
                Event::Text(first) => {
                    // pulldown-cmark splits text at special characters; join the pieces.
                    let mut j = i + 1;
                    while j < run.len() && matches!(run[j].0, Event::Text(_)) {
                        j += 1;
                    }
                    let joined: CowStr<'_> = if j == i + 1 {
                        first.clone()
                    } else {
                        let mut s = String::new();
                        for (e, _) in &run[i..j] {
                            if let Event::Text(t) = e {
                                s.push_str(t);
                            }
                        }
                        CowStr::from(s)
                    };
                    let mut text: &str = &joined;
                    if let (Some(slot), true) = (attr_slot, self.ext.attr_list) {
                        if let Some((attrs, len)) = inline::attr_list_at_start(text) {
                            self.out.insert_str(slot, &attrs.render(None));
                            text = &text[len..];
                        }
                    }
                    attr_slot = None;
                    if let Some(p) = plain.as_deref_mut() {
                        p.push_str(&inline::without_shortcodes(text, self.ext));
                    }
                    self.section.text.push_str(text);
                    let ctx = TextContext { ext: self.ext, abbreviations, in_link: link_depth > 0 };
                    inline::write_text(&mut self.out, text, &ctx);
                    i = j;
                    continue;
                }
                Event::Code(text) => {
                    if let Some(p) = plain.as_deref_mut() {
                        p.push_str(text);
                    }
                    self.section.text.push_str(text);
                    let slot = self.out.len() + "<code".len();
                    if !(self.ext.inlinehilite && code::write_inline(&mut self.out, text)) {
                        self.out.push_str("<code>");
                        self.out.push_str(&escape_html(text));
                        self.out.push_str("</code>");
                    }
                    attr_slot = Some(slot);
                    i += 1;
                    continue;
                }
                Event::Start(tag) => match tag {
                    Tag::Emphasis | Tag::Strong | Tag::Strikethrough => {
                        let name = match tag {
                            Tag::Emphasis => "em",
                            Tag::Strong => "strong",
                            _ => {
                                let single = !source.get(range.clone()).unwrap_or("~~").starts_with("~~");
                                if single && self.ext.tilde {
                                    "sub"
                                } else {
                                    "del"
                                }
                            }
                        };
                        self.out.push('<');
                        self.out.push_str(name);
                        open_slots.push(self.out.len());
                        self.out.push('>');
                    }
                    Tag::Link { link_type, dest_url, title, .. } => {
                        link_depth += 1;
                        let line = self.line_of(range.start);
                        let dest = match link_type {
                            LinkType::Email => format!("mailto:{dest_url}"),
                            _ => dest_url.to_string(),
                        };
                        self.out.push_str("<a");
                        if let Some(url) = self.url(&dest, false, line) {
                            self.out.push_str(" href=\"");
                            self.out.push_str(&escape_href(&url));
                            self.out.push('"');
                        }
                        if !title.is_empty() {
                            self.out.push_str(" title=\"");
                            self.out.push_str(&escape_html(title));
                            self.out.push('"');
                        }
                        open_slots.push(self.out.len());
                        self.out.push('>');
                    }
                    Tag::Image { dest_url, title, .. } => {
                        let end = matching_end(run, i);
                        let mut alt = String::new();
                        for (e, _) in &run[i + 1..end.min(run.len())] {
                            if let Event::Text(t) | Event::Code(t) = e {
                                alt.push_str(t);
                            }
                        }
                        let line = self.line_of(range.start);
                        self.out.push_str("<img");
                        if let Some(url) = self.url(dest_url, true, line) {
                            self.out.push_str(" src=\"");
                            self.out.push_str(&escape_href(&url));
                            self.out.push('"');
                        }
                        self.out.push_str(" alt=\"");
                        self.out.push_str(&escape_html(&alt));
                        self.out.push('"');
                        if !title.is_empty() {
                            self.out.push_str(" title=\"");
                            self.out.push_str(&escape_html(title));
                            self.out.push('"');
                        }
                        attr_slot = Some(self.out.len());
                        self.out.push_str(" />");
                        i = end + 1;
                        continue;
                    }
                    _ => {}
                },
                Event::End(tag) => {
                    let name = match tag {
                        TagEnd::Emphasis => "em",
                        TagEnd::Strong => "strong",
                        TagEnd::Strikethrough => {
                            // Same decision as at the start: find the matching opener's slot.
                            let opener = open_slots.last().copied().unwrap_or(0);
                            if self.out[..opener].ends_with("<sub") {
                                "sub"
                            } else {
                                "del"
                            }
                        }
                        TagEnd::Link => {
                            link_depth = link_depth.saturating_sub(1);
                            "a"
                        }
                        _ => "",
                    };
                    if !name.is_empty() {
                        self.out.push_str("</");
                        self.out.push_str(name);
                        self.out.push('>');
                        attr_slot = open_slots.pop();
                        i += 1;
                        continue;
                    }
                }
                Event::SoftBreak => {
                    self.out.push('\n');
                    self.section.text.push(' ');
                    if let Some(p) = plain.as_deref_mut() {
                        p.push(' ');
                    }
                }
                Event::HardBreak => {
                    self.out.push_str("<br />\n");
                    self.section.text.push(' ');
                }
                Event::FootnoteReference(label) => self.footnote_reference(label),
                Event::TaskListMarker(checked) => {
                    self.out.push_str("<label class=\"task-list-control\"><input type=\"checkbox\" disabled");
                    if *checked {
                        self.out.push_str(" checked");
                    }
                    self.out.push_str(" /><span class=\"task-list-indicator\"></span></label> ");
                }
                Event::InlineHtml(html) => {
                    if html.starts_with(PLACEHOLDER_START) {
                        self.html(html, range.start);
                    } else {
                        self.raw_html = true;
                        let line = self.line_of(range.start);
                        let rewritten = sanitize::rewrite_links(html, self.host, line);
                        self.out.push_str(&rewritten);
                    }
                }
                Event::InlineMath(t) | Event::DisplayMath(t) => self.out.push_str(&escape_html(t)),
                _ => {}
            }
            attr_slot = None;
            i += 1;
        }
    }

    /// The URL to write for a link or image target, or `None` to drop it (unsafe scheme).
    fn url(&mut self, dest: &str, is_image: bool, line: usize) -> Option<String> {
        if !sanitize::safe_url(dest) {
            self.problems.push((
                line,
                format!("link to `{dest}` removed: only http, https, mailto and relative links are allowed"),
            ));
            return None;
        }
        Some(self.host.link(dest, is_image, line).unwrap_or_else(|| dest.to_string()))
    }

    fn footnote_reference(&mut self, label: &str) {
        let number = match self.footnote_order.iter().position(|l| l == label) {
            Some(p) => p + 1,
            None => {
                self.footnote_order.push(label.to_string());
                self.footnote_order.len()
            }
        };
        let count = self.footnote_refs.entry(label.to_string()).or_insert(0);
        *count += 1;
        let id = escape_html(label);
        let ref_id = if *count == 1 { format!("fnref:{id}") } else { format!("fnref{count}:{id}") };
        self.out
            .push_str(&format!("<sup id=\"{ref_id}\"><a class=\"footnote-ref\" href=\"#fn:{id}\">{number}</a></sup>"));
    }

    fn finish(mut self) -> Rendered {
        if !self.footnote_defs.is_empty() {
            let mut defs = std::mem::take(&mut self.footnote_defs);
            // Referenced footnotes in reference order, then any never referenced.
            defs.sort_by_key(|(label, _)| self.footnote_order.iter().position(|l| l == label).unwrap_or(usize::MAX));
            self.out.push_str("<div class=\"footnote\">\n<hr />\n<ol>\n");
            for (n, (label, html)) in defs.iter().enumerate() {
                let id = escape_html(label);
                self.out.push_str(&format!("<li id=\"fn:{id}\">\n"));
                let backref = format!(
                    "&#160;<a class=\"footnote-backref\" href=\"#fnref:{id}\" title=\"Jump back to footnote {} in the text\">&#8617;</a>",
                    n + 1
                );
                let body = html.trim_end();
                match body.strip_suffix("</p>") {
                    Some(before) if self.footnote_refs.contains_key(label) => {
                        self.out.push_str(before);
                        self.out.push_str(&backref);
                        self.out.push_str("</p>\n");
                    }
                    _ => {
                        self.out.push_str(body);
                        self.out.push('\n');
                    }
                }
                self.out.push_str("</li>\n");
            }
            self.out.push_str("</ol>\n</div>\n");
        }
        if self.section.id.is_some() || !self.section.text.trim().is_empty() {
            self.sections.push(std::mem::replace(
                &mut self.section,
                Section { id: None, heading: String::new(), text: String::new() },
            ));
        }
        for section in &mut self.sections {
            section.text = section.text.split_whitespace().collect::<Vec<_>>().join(" ");
        }
        let html = if self.raw_html { sanitize::clean(&self.out) } else { self.out };
        Rendered {
            html,
            title: self.title,
            meta: serde_yaml::Mapping::new(),
            headings: self.headings,
            sections: self.sections,
            uses_mermaid: self.uses_mermaid,
            problems: self.problems,
        }
    }
}

/// Whether the list starting after a `Start(List)` begins with a task item.
fn first_item_is_task(events: &[Ev<'_>]) -> bool {
    let mut iter = events.iter().take(3).map(|(e, _)| e);
    matches!(iter.next(), Some(Event::Start(Tag::Item)))
        && match iter.next() {
            Some(Event::TaskListMarker(_)) => true,
            Some(Event::Start(Tag::Paragraph)) => matches!(iter.next(), Some(Event::TaskListMarker(_))),
            _ => false,
        }
}

/// Escapes a URL for an attribute: HTML specials, and spaces as `%20`.
fn escape_href(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("%22"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '\'' => out.push_str("&#39;"),
            ' ' => out.push_str("%20"),
            c => out.push(c),
        }
    }
    out
}
