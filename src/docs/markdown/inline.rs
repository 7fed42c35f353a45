//! Inline extensions applied to text in one left-to-right scan: emoji and
//! icon shortcodes, `==mark==`, `^^ins^^`/`^sup^`, `++keys++`, critic
//! marks, smart symbols, bare URLs and abbreviations; and attribute lists.

use crate::site::highlight::escape_html;

use super::Extensions;

/// `{: #id .class key="value" }` parsed and filtered to safe attributes.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct Attrs {
    pub id: Option<String>,
    pub classes: Vec<String>,
    pub pairs: Vec<(String, String)>,
}

/// Attributes an attribute list may set (others are dropped: no event
/// handlers, no styles).
fn allowed_attribute(name: &str) -> bool {
    matches!(
        name,
        "title"
            | "width"
            | "height"
            | "align"
            | "lang"
            | "dir"
            | "target"
            | "loading"
            | "alt"
            | "start"
            | "colspan"
            | "rowspan"
            | "open"
    ) || (name.starts_with("data-") && name[5..].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
}

impl Attrs {
    /// ` id="…" class="…" k="v"` (with `extra_class` first among classes).
    pub fn render(&self, extra_class: Option<&str>) -> String {
        let mut out = String::new();
        if let Some(id) = &self.id {
            out.push_str(" id=\"");
            out.push_str(&escape_html(id));
            out.push('"');
        }
        let mut classes: Vec<&str> = extra_class.into_iter().collect();
        classes.extend(self.classes.iter().map(String::as_str));
        if !classes.is_empty() {
            out.push_str(" class=\"");
            out.push_str(&escape_html(&classes.join(" ")));
            out.push('"');
        }
        for (k, v) in &self.pairs {
            out.push(' ');
            out.push_str(k);
            out.push_str("=\"");
            out.push_str(&escape_html(v));
            out.push('"');
        }
        if self.pairs.iter().any(|(k, _)| k == "target") {
            out.push_str(" rel=\"noopener noreferrer\"");
        }
        out
    }
}

/// An attribute list at the start of `text`: (attributes, bytes it takes).
pub(super) fn attr_list_at_start(text: &str) -> Option<(Attrs, usize)> {
    let rest = text.strip_prefix('{')?;
    let end = rest.find(['}', '\n'])?;
    if rest.as_bytes()[end] != b'}' {
        return None;
    }
    let inner = rest[..end].strip_prefix(':').unwrap_or(&rest[..end]).trim();
    if inner.is_empty() {
        return None;
    }
    Some((parse_attrs(inner)?, end + 2))
}

/// An attribute list ending `text` (after optional spaces): (text before it, attributes).
pub(super) fn attr_list_at_end(text: &str) -> Option<(&str, Attrs)> {
    let trimmed = text.trim_end();
    if !trimmed.ends_with('}') {
        return None;
    }
    let start = trimmed.rfind('{')?;
    let (attrs, len) = attr_list_at_start(&trimmed[start..])?;
    if start + len != trimmed.len() {
        return None;
    }
    Some((&trimmed[..start], attrs))
}

fn parse_attrs(inner: &str) -> Option<Attrs> {
    let mut attrs = Attrs::default();
    let bytes = inner.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= bytes.len() {
            break;
        }
        let start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'=' {
            i += 1;
        }
        let key = &inner[start..i];
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            let value = match bytes.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let from = i + 1;
                    let to = from + inner[from..].find(q as char)?;
                    i = to + 1;
                    &inner[from..to]
                }
                _ => {
                    let from = i;
                    while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                        i += 1;
                    }
                    &inner[from..i]
                }
            };
            let key = key.to_ascii_lowercase();
            if key.is_empty() || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
                return None;
            }
            if key == "class" {
                attrs.classes.extend(value.split_whitespace().map(String::from));
            } else if key == "id" {
                attrs.id = Some(value.to_string());
            } else if allowed_attribute(&key) {
                attrs.pairs.push((key, value.to_string()));
            }
        } else if let Some(class) = key.strip_prefix('.') {
            if class.is_empty() {
                return None;
            }
            attrs.classes.push(class.to_string());
        } else if let Some(id) = key.strip_prefix('#') {
            if id.is_empty() {
                return None;
            }
            attrs.id = Some(id.to_string());
        } else {
            if !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
                return None;
            }
            let key = key.to_ascii_lowercase();
            if allowed_attribute(&key) {
                attrs.pairs.push((key.clone(), key));
            }
        }
    }
    Some(attrs)
}

/// What the text scan needs to know.
pub(super) struct TextContext<'a> {
    pub ext: &'a Extensions,
    pub abbreviations: &'a [(String, String)],
    /// Inside a link: no bare-URL links.
    pub in_link: bool,
}

/// Writes `text` as HTML with the inline extensions applied.
pub(super) fn write_text(out: &mut String, text: &str, ctx: &TextContext<'_>) {
    let ext = ctx.ext;
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut plain_from = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let replaced: Option<usize> = match b {
            b':' if ext.emoji => shortcode(out, text, i, &mut plain_from),
            b'=' if ext.mark || ext.smartsymbols => {
                delimited(text, i, "==", "mark", ext.mark, out, &mut plain_from, ctx)
                    .or_else(|| symbol(text, i, ext.smartsymbols, out, &mut plain_from))
            }
            b'^' if ext.caret => delimited(text, i, "^^", "ins", true, out, &mut plain_from, ctx)
                .or_else(|| delimited(text, i, "^", "sup", true, out, &mut plain_from, ctx)),
            b'~' if ext.tilde => delimited(text, i, "~", "sub", true, out, &mut plain_from, ctx),
            b'+' if ext.keys || ext.smartsymbols => keys(text, i, ext.keys, out, &mut plain_from)
                .or_else(|| symbol(text, i, ext.smartsymbols, out, &mut plain_from)),
            b'{' if ext.critic => critic(text, i, out, &mut plain_from, ctx),
            b'(' | b'-' | b'<' | b'c' | b'1' | b'3' if ext.smartsymbols => symbol(text, i, true, out, &mut plain_from),
            b'h' | b'f' | b'w' if ext.magiclink && !ctx.in_link => bare_url(text, i, out, &mut plain_from),
            _ => None,
        };
        if let Some(next) = replaced {
            i = next;
            plain_from = next;
            continue;
        }
        if !ctx.abbreviations.is_empty() && (i == 0 || !is_word_byte(bytes[i - 1])) {
            if let Some(next) = abbreviation(text, i, ctx.abbreviations, out, &mut plain_from) {
                i = next;
                plain_from = next;
                continue;
            }
        }
        i += 1;
        while i < bytes.len() && !text.is_char_boundary(i) {
            i += 1;
        }
    }
    out.push_str(&escape_html(&text[plain_from..]));
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// Flushes the plain text before `at`.
fn flush(out: &mut String, text: &str, plain_from: &mut usize, at: usize) {
    if *plain_from < at {
        out.push_str(&escape_html(&text[*plain_from..at]));
    }
    *plain_from = at;
}

/// `text` without the emoji and icon shortcodes Python-Markdown renders as
/// images (so they add nothing to heading slugs).
pub(super) fn without_shortcodes<'t>(text: &'t str, ext: &Extensions) -> std::borrow::Cow<'t, str> {
    if !ext.emoji || !text.contains(':') {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(':') {
        let after = &rest[start + 1..];
        let end = after.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+')));
        match end {
            Some(end) if end > 0 && after.as_bytes()[end] == b':' && is_image_shortcode(&after[..end], ext) => {
                out.push_str(&rest[..start]);
                rest = &after[end + 1..];
            }
            _ => {
                out.push_str(&rest[..start + 1]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out.into()
}

fn is_icon_name(name: &str) -> bool {
    ["material-", "octicons-", "fontawesome-", "simple-"].iter().any(|p| name.starts_with(p))
}

/// Whether MkDocs would render `:name:` as an image (emoji, or an icon when
/// the Material icon index is configured).
fn is_image_shortcode(name: &str, ext: &Extensions) -> bool {
    emojis::get_by_shortcode(name).is_some() || (ext.material_icons && is_icon_name(name))
}

/// `:smile:` → 😄; `:material-check:` → a glyph or its name.
fn shortcode(out: &mut String, text: &str, i: usize, plain_from: &mut usize) -> Option<usize> {
    let rest = &text[i + 1..];
    let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+')))?;
    if end == 0 || rest.as_bytes()[end] != b':' {
        return None;
    }
    let name = &rest[..end];
    let after = i + 1 + end + 1;
    let (glyph, class) = if let Some(emoji) = emojis::get_by_shortcode(name) {
        (emoji.as_str().to_string(), "emoji")
    } else if let Some(glyph) = icon_glyph(name) {
        (glyph.to_string(), "icon")
    } else {
        return None;
    };
    flush(out, text, plain_from, i);
    let (attrs, after) = match attr_list_at_start(&text[after..]) {
        Some((attrs, len)) => (attrs, after + len),
        None => (Attrs::default(), after),
    };
    out.push_str("<span");
    let mut attrs = attrs;
    attrs.pairs.retain(|(k, _)| k != "title");
    attrs.pairs.push(("title".into(), format!(":{name}:")));
    out.push_str(&attrs.render(Some(class)));
    out.push('>');
    out.push_str(&glyph);
    out.push_str("</span>");
    Some(after)
}

/// A glyph for the icon shortcodes Material themes know
/// (`:material-check:`, `:octicons-alert-16:`, `:fontawesome-solid-xmark:`).
fn icon_glyph(name: &str) -> Option<&'static str> {
    let icon =
        ["material-", "octicons-", "fontawesome-solid-", "fontawesome-regular-", "fontawesome-brands-", "simple-"]
            .iter()
            .find_map(|p| name.strip_prefix(p))?;
    let icon = icon.trim_end_matches(|c: char| c.is_ascii_digit() || c == '-');
    let words: Vec<&str> = icon.split('-').collect();
    let has = |w: &str| words.contains(&w);
    Some(if has("check") || has("checkbox") || icon == "done" {
        "✓"
    } else if has("close") || has("xmark") || has("x") || has("cancel") {
        "✕"
    } else if icon.starts_with("arrow-right") || icon.starts_with("chevron-right") {
        "→"
    } else if icon.starts_with("arrow-left") || icon.starts_with("chevron-left") {
        "←"
    } else if icon.starts_with("arrow-up") {
        "↑"
    } else if icon.starts_with("arrow-down") {
        "↓"
    } else if has("information") || has("info") {
        "ℹ"
    } else if has("alert") || has("warning") {
        "⚠"
    } else if has("heart") {
        "♥"
    } else if has("star") {
        "★"
    } else if icon == "plus" || has("plus") {
        "+"
    } else if icon == "minus" {
        "−"
    } else if has("link") {
        "🔗"
    } else if has("lock") {
        "🔒"
    } else if has("cog") || has("gear") {
        "⚙"
    } else if has("lightbulb") {
        "💡"
    } else if has("clock") {
        "🕑"
    } else if has("magnify") || has("search") {
        "🔍"
    } else if has("github") || has("gitlab") || has("git") {
        "⎇"
    } else if has("file") || has("document") {
        "📄"
    } else if has("folder") {
        "📁"
    } else if has("book") {
        "📖"
    } else if has("tag") {
        "🏷"
    } else if has("email") || has("mail") {
        "✉"
    } else if has("account") || has("person") || has("user") {
        "👤"
    } else {
        return None;
    })
}

/// `==x==` → `<mark>`, `^^x^^` → `<ins>`, `^x^` → `<sup>`: no space just inside the delimiters.
#[allow(clippy::too_many_arguments)]
fn delimited(
    text: &str,
    i: usize,
    delimiter: &str,
    tag: &str,
    enabled: bool,
    out: &mut String,
    plain_from: &mut usize,
    ctx: &TextContext<'_>,
) -> Option<usize> {
    if !enabled || !text[i..].starts_with(delimiter) {
        return None;
    }
    let start = i + delimiter.len();
    let first = text[start..].chars().next()?;
    if first.is_whitespace() || text[start..].starts_with(&delimiter[..1]) {
        return None;
    }
    let close = start + text[start..].find(delimiter)?;
    let inner = &text[start..close];
    if inner.ends_with(char::is_whitespace) || inner.contains('\n') && delimiter.len() == 1 {
        return None;
    }
    if (tag == "sup" || tag == "sub") && inner.contains(char::is_whitespace) {
        return None;
    }
    flush(out, text, plain_from, i);
    out.push('<');
    out.push_str(tag);
    out.push('>');
    write_text(out, inner, ctx);
    out.push_str("</");
    out.push_str(tag);
    out.push('>');
    Some(close + delimiter.len())
}

/// `++ctrl+alt+del++` → `<span class="keys"><kbd class="key-control">Ctrl</kbd>…`.
fn keys(text: &str, i: usize, enabled: bool, out: &mut String, plain_from: &mut usize) -> Option<usize> {
    if !enabled || !text[i..].starts_with("++") {
        return None;
    }
    let start = i + 2;
    let close = start + text[start..].find("++")?;
    let inner = &text[start..close];
    if inner.is_empty() || inner.contains(char::is_whitespace) && !inner.contains('"') {
        return None;
    }
    let names: Vec<&str> = inner.split('+').collect();
    if names.iter().any(|n| n.is_empty()) {
        return None;
    }
    flush(out, text, plain_from, i);
    out.push_str("<span class=\"keys\">");
    for (n, name) in names.iter().enumerate() {
        if n > 0 {
            out.push_str("<span>+</span>");
        }
        let (class, label) = key_label(name);
        out.push_str("<kbd class=\"key-");
        out.push_str(&escape_html(&class));
        out.push_str("\">");
        out.push_str(&escape_html(&label));
        out.push_str("</kbd>");
    }
    out.push_str("</span>");
    Some(close + 2)
}

fn key_label(name: &str) -> (String, String) {
    if let Some(quoted) = name.strip_prefix('"').and_then(|n| n.strip_suffix('"')) {
        return ("custom".into(), quoted.to_string());
    }
    let lower = name.to_ascii_lowercase();
    let known: Option<(&str, &str)> = match lower.as_str() {
        "ctrl" | "control" => Some(("control", "Ctrl")),
        "alt" => Some(("alt", "Alt")),
        "shift" => Some(("shift", "Shift")),
        "cmd" | "command" => Some(("command", "Cmd")),
        "meta" | "super" => Some(("meta", "Meta")),
        "opt" | "option" => Some(("option", "Option")),
        "win" | "windows" => Some(("windows", "Win")),
        "enter" | "return" => Some(("enter", "Enter")),
        "tab" => Some(("tab", "Tab")),
        "esc" | "escape" => Some(("escape", "Esc")),
        "del" | "delete" => Some(("delete", "Del")),
        "backspace" | "bksp" => Some(("backspace", "Backspace")),
        "space" | "spc" => Some(("space", "Space")),
        "up" | "arrow-up" => Some(("arrow-up", "Up")),
        "down" | "arrow-down" => Some(("arrow-down", "Down")),
        "left" | "arrow-left" => Some(("arrow-left", "Left")),
        "right" | "arrow-right" => Some(("arrow-right", "Right")),
        "home" => Some(("home", "Home")),
        "end" => Some(("end", "End")),
        "pgup" | "page-up" => Some(("page-up", "Page Up")),
        "pgdn" | "page-down" => Some(("page-down", "Page Down")),
        "ins" | "insert" => Some(("insert", "Ins")),
        "caps-lock" | "caps" => Some(("caps-lock", "Caps Lock")),
        _ => None,
    };
    if let Some((class, label)) = known {
        return (class.into(), label.into());
    }
    if lower.len() > 1 && lower.starts_with('f') && lower[1..].parse::<u8>().is_ok() {
        return (lower.clone(), lower.to_uppercase());
    }
    let label = if name.chars().count() == 1 { name.to_uppercase() } else { name.to_string() };
    (lower, label)
}

/// Critic marks: `{++ins++}` `{--del--}` `{~~old~>new~~}` `{==mark==}` `{>>comment<<}`.
fn critic(text: &str, i: usize, out: &mut String, plain_from: &mut usize, ctx: &TextContext<'_>) -> Option<usize> {
    let rest = &text[i..];
    let (open, close, tag, class) = [
        ("{++", "++}", "ins", "critic"),
        ("{--", "--}", "del", "critic"),
        ("{==", "==}", "mark", "critic"),
        ("{>>", "<<}", "span", "critic comment"),
        ("{~~", "~~}", "", ""),
    ]
    .into_iter()
    .find(|(o, ..)| rest.starts_with(o))?;
    let end = rest[3..].find(close)? + 3;
    let inner = &rest[3..end];
    flush(out, text, plain_from, i);
    if open == "{~~" {
        let (old, new) = inner.split_once("~>").unwrap_or((inner, ""));
        out.push_str("<del class=\"critic\">");
        write_text(out, old, ctx);
        out.push_str("</del><ins class=\"critic\">");
        write_text(out, new, ctx);
        out.push_str("</ins>");
    } else {
        out.push('<');
        out.push_str(tag);
        out.push_str(" class=\"");
        out.push_str(class);
        out.push_str("\">");
        write_text(out, inner, ctx);
        out.push_str("</");
        out.push_str(tag);
        out.push('>');
    }
    Some(i + end + 3)
}

/// pymdownx.smartsymbols.
fn symbol(text: &str, i: usize, enabled: bool, out: &mut String, plain_from: &mut usize) -> Option<usize> {
    if !enabled {
        return None;
    }
    const SYMBOLS: &[(&str, &str)] = &[
        ("(tm)", "™"),
        ("(TM)", "™"),
        ("(c)", "©"),
        ("(C)", "©"),
        ("(r)", "®"),
        ("(R)", "®"),
        ("c/o", "℅"),
        ("+/-", "±"),
        ("<-->", "↔"),
        ("-->", "→"),
        ("<--", "←"),
        ("=/=", "≠"),
        ("1/4", "¼"),
        ("1/2", "½"),
        ("3/4", "¾"),
    ];
    let rest = &text[i..];
    let (from, to) = SYMBOLS.iter().find(|(from, _)| rest.starts_with(from))?;
    let bytes = text.as_bytes();
    // Fractions and c/o only as words of their own; `-->` not inside `--->`.
    let word_like = from.as_bytes()[0].is_ascii_alphanumeric();
    if word_like {
        let before_ok = i == 0 || !is_word_byte(bytes[i - 1]) && bytes[i - 1] != b'/';
        let after = i + from.len();
        let after_ok = after >= bytes.len() || !is_word_byte(bytes[after]) && bytes[after] != b'/';
        if !before_ok || !after_ok {
            return None;
        }
    }
    // Arrows only between words: not inside `--8<--` or `--->`.
    if from.contains("--") {
        let before = i.checked_sub(1).map(|p| bytes[p]);
        let after = bytes.get(i + from.len()).copied();
        let joined = |b: Option<u8>| b.is_some_and(|b| b == b'-' || b.is_ascii_alphanumeric());
        if joined(before) || joined(after) {
            return None;
        }
    }
    flush(out, text, plain_from, i);
    out.push_str(to);
    Some(i + from.len())
}

/// pymdownx.magiclink: `https://…`, `ftp://…` and `www.…` become links.
fn bare_url(text: &str, i: usize, out: &mut String, plain_from: &mut usize) -> Option<usize> {
    let rest = &text[i..];
    let prefix_ok = rest.starts_with("https://")
        || rest.starts_with("http://")
        || rest.starts_with("ftp://")
        || rest.starts_with("www.");
    if !prefix_ok || (i > 0 && is_word_byte(text.as_bytes()[i - 1])) {
        return None;
    }
    let mut end = rest.find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`')).unwrap_or(rest.len());
    // Trailing punctuation belongs to the sentence; a closing paren only if unbalanced.
    loop {
        let candidate = &rest[..end];
        match candidate.chars().last() {
            Some('.' | ',' | ':' | ';' | '!' | '?' | '\'' | '*' | '_' | '~') => end -= 1,
            Some(')') if candidate.matches('(').count() < candidate.matches(')').count() => end -= 1,
            _ => break,
        }
    }
    let url = &rest[..end];
    let host_part = url.split("://").nth(1).unwrap_or(url);
    if host_part.len() < 4 || !host_part.contains('.') {
        return None;
    }
    flush(out, text, plain_from, i);
    let href = if url.starts_with("www.") { format!("https://{url}") } else { url.to_string() };
    out.push_str("<a class=\"magiclink\" href=\"");
    out.push_str(&escape_html(&href));
    out.push_str("\">");
    out.push_str(&escape_html(url));
    out.push_str("</a>");
    Some(i + end)
}

/// A defined abbreviation as a whole word → `<abbr title="…">`.
fn abbreviation(
    text: &str,
    i: usize,
    abbreviations: &[(String, String)],
    out: &mut String,
    plain_from: &mut usize,
) -> Option<usize> {
    let rest = &text[i..];
    let (abbr, title) = abbreviations.iter().find(|(abbr, _)| {
        rest.starts_with(abbr.as_str()) && rest.as_bytes().get(abbr.len()).is_none_or(|&b| !is_word_byte(b))
    })?;
    flush(out, text, plain_from, i);
    out.push_str("<abbr title=\"");
    out.push_str(&escape_html(title));
    out.push_str("\">");
    out.push_str(&escape_html(abbr));
    out.push_str("</abbr>");
    Some(i + abbr.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(text: &str) -> String {
        let ext = Extensions::techdocs_core();
        let abbreviations = vec![("HTML".to_string(), "Hyper Text Markup Language".to_string())];
        let mut out = String::new();
        write_text(&mut out, text, &TextContext { ext: &ext, abbreviations: &abbreviations, in_link: false });
        out
    }

    #[test]
    fn emoji_and_icons() {
        assert_eq!(html(":smile: hi"), "<span class=\"emoji\" title=\":smile:\">😄</span> hi");
        assert!(html(":material-check:").contains("✓"));
        assert_eq!(html("at 10:28:00 and :nope:"), "at 10:28:00 and :nope:");
        assert_eq!(html(":material-unknown-thing:"), ":material-unknown-thing:");
        assert!(html(":material-clock-fast:{ .lg .middle }").contains("class=\"icon lg middle\""));
    }

    #[test]
    fn mark_caret_keys_critic() {
        assert_eq!(html("==hi=="), "<mark>hi</mark>");
        assert_eq!(html("a == b"), "a == b");
        assert_eq!(html("^^ins^^ H^2^O"), "<ins>ins</ins> H<sup>2</sup>O");
        assert_eq!(html("x ^ y ^ z"), "x ^ y ^ z");
        assert_eq!(
            html("++ctrl+alt+del++"),
            "<span class=\"keys\"><kbd class=\"key-control\">Ctrl</kbd><span>+</span><kbd class=\"key-alt\">Alt</kbd><span>+</span><kbd class=\"key-delete\">Del</kbd></span>"
        );
        assert_eq!(html("C++ and C++"), "C++ and C++");
        assert_eq!(html("{++new++}"), "<ins class=\"critic\">new</ins>");
        assert_eq!(html("{~~a~>b~~}"), "<del class=\"critic\">a</del><ins class=\"critic\">b</ins>");
    }

    #[test]
    fn symbols_links_abbreviations() {
        assert_eq!(html("(c) 2024 --> 1/2"), "© 2024 → ½");
        assert_eq!(html("a/1/2/b x---> y"), "a/1/2/b x---&gt; y");
        assert_eq!(
            html("see https://example.com/a_(b). and www.x.org"),
            "see <a class=\"magiclink\" href=\"https://example.com/a_(b)\">https://example.com/a_(b)</a>. and <a class=\"magiclink\" href=\"https://www.x.org\">www.x.org</a>"
        );
        assert_eq!(html("HTML and XHTML"), "<abbr title=\"Hyper Text Markup Language\">HTML</abbr> and XHTML");
        assert_eq!(html("<b> & \"q\""), "&lt;b&gt; &amp; &quot;q&quot;");
    }

    #[test]
    fn attribute_lists() {
        let (attrs, len) = attr_list_at_start("{: #top .a .b width=\"300\" onclick=\"x\" }rest").unwrap();
        assert_eq!(len, "{: #top .a .b width=\"300\" onclick=\"x\" }".len());
        assert_eq!(attrs.render(None), " id=\"top\" class=\"a b\" width=\"300\"");
        let (before, attrs) = attr_list_at_end("Title { #custom }").unwrap();
        assert_eq!(before, "Title ");
        assert_eq!(attrs.id.as_deref(), Some("custom"));
        assert!(attr_list_at_end("a {{ jinja }}").is_none());
        assert!(attr_list_at_start("{}").is_none());
        assert_eq!(
            attr_list_at_start("{ target=_blank }").unwrap().0.render(None),
            " target=\"_blank\" rel=\"noopener noreferrer\""
        );
    }
}
