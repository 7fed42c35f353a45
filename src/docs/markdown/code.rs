//! Code blocks the way pymdownx.highlight + superfences present them:
//! language class, title bar, line numbers, highlighted lines; highlighting
//! with [`crate::site::highlight`], cached across pages and rebuilds.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex, OnceLock};

use crate::site::highlight::{escape_html, highlight};

/// Options of a fenced block: ```` ```python title="a.py" linenums="1" hl_lines="2 4-5" ````
/// or ```` ``` { .python .annotate title="a.py" } ````.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct FenceInfo {
    pub lang: Option<String>,
    pub title: Option<String>,
    /// First line number, when the block asks for line numbers itself.
    pub linenums: Option<usize>,
    pub hl_lines: Vec<(usize, usize)>,
    pub classes: Vec<String>,
    pub id: Option<String>,
}

pub(super) fn parse_info(info: &str) -> FenceInfo {
    let mut fence = FenceInfo::default();
    let mut rest = info.trim();
    let braced = rest.starts_with('{');
    if braced {
        rest = rest.trim_start_matches('{').trim_end().trim_end_matches('}');
    } else {
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let word = &rest[..end];
        if !word.is_empty() && !word.contains('=') {
            fence.lang = Some(word.trim_start_matches('.').to_string());
            rest = &rest[end..];
        }
    }
    for (key, value) in options(rest) {
        match (key, value) {
            (k, None) if k.starts_with('.') => {
                let class = k[1..].to_string();
                if fence.lang.is_none() && braced {
                    fence.lang = Some(class);
                } else {
                    fence.classes.push(class);
                }
            }
            (k, None) if k.starts_with('#') => fence.id = Some(k[1..].to_string()),
            ("title", Some(v)) => fence.title = Some(v.to_string()),
            ("linenums", Some(v)) => {
                let first = v.split_whitespace().next().and_then(|n| n.parse::<usize>().ok());
                fence.linenums = first.filter(|&n| n > 0);
            }
            ("hl_lines", Some(v)) => {
                for part in v.split_whitespace() {
                    let (a, b) = part.split_once('-').unwrap_or((part, part));
                    if let (Ok(a), Ok(b)) = (a.parse::<usize>(), b.parse::<usize>()) {
                        fence.hl_lines.push((a.min(b), a.max(b)));
                    }
                }
            }
            _ => {}
        }
    }
    fence
}

/// `key="value"`, `key=value`, `.class`, `#id` items.
fn options(text: &str) -> Vec<(&str, Option<&str>)> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'=' {
            i += 1;
        }
        let key = &text[start..i];
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            let value = match bytes.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let from = i + 1;
                    let to = text[from..].find(q as char).map_or(text.len(), |p| from + p);
                    i = (to + 1).min(text.len());
                    &text[from..to]
                }
                _ => {
                    let from = i;
                    while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                        i += 1;
                    }
                    &text[from..i]
                }
            };
            out.push((key, Some(value)));
        } else if !key.is_empty() {
            out.push((key, None));
        }
    }
    out
}

/// The syntect token for a fence language, or `None` for plain text.
fn syntect_token(lang: &str) -> Option<&str> {
    let lang = lang.trim();
    Some(match lang.to_ascii_lowercase().as_str() {
        "" | "text" | "txt" | "plain" | "plaintext" | "none" | "output" | "log" => return None,
        "sh" | "bash" | "shell" | "zsh" | "console" | "shell-session" | "shellsession" | "terminal" | "ksh" => "bash",
        "yml" | "yaml" => "yaml",
        "json" | "jsonc" | "json5" => "json",
        "js" | "javascript" | "jsx" | "ts" | "typescript" | "tsx" | "mjs" | "cjs" => "js",
        "py" | "python" | "python3" | "py3" | "pycon" => "py",
        "golang" | "go" => "go",
        "rs" | "rust" => "rs",
        "rb" | "ruby" => "rb",
        "c++" | "cpp" | "cxx" => "cpp",
        "c#" | "csharp" | "cs" => "cs",
        "html" | "htm" | "xhtml" | "vue" => "html",
        "xml" | "svg" => "xml",
        "md" | "markdown" => "md",
        "make" | "makefile" | "mk" => "makefile",
        "dot" | "graphviz" => "dot",
        "diff" | "patch" => "diff",
        "sql" | "mysql" | "postgresql" | "psql" => "sql",
        "java" | "kotlin" | "kt" => "java",
        "groovy" | "gradle" => "groovy",
        "scala" | "css" | "php" | "lua" | "r" | "perl" | "haskell" | "clojure" | "erlang" | "tex" | "latex"
        | "ocaml" | "d" | "c" => {
            return Some(lang);
        }
        "ps1" | "powershell" | "bat" | "batch" | "cmd" => "bat",
        _ => return Some(lang),
    })
}

struct Cache {
    current: HashMap<u64, Arc<(String, String)>>,
    previous: HashMap<u64, Arc<(String, String)>>,
}

/// Entries per generation; two generations are kept, so at most twice this.
const CACHE_GENERATION: usize = 4096;

fn cache() -> &'static Mutex<Cache> {
    static CACHE: OnceLock<Mutex<Cache>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(Cache { current: HashMap::new(), previous: HashMap::new() }))
}

/// Forgets every highlighted block (tests and long-running servers).
pub fn clear_highlight_cache() {
    if let Ok(mut c) = cache().lock() {
        c.current.clear();
        c.previous.clear();
    }
}

/// Highlighted HTML for `code`, from the cache when the same block was seen before.
pub(super) fn highlighted(code: &str, token: &str) -> Arc<(String, String)> {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    token.hash(&mut hasher);
    code.hash(&mut hasher);
    let key = hasher.finish();
    if let Ok(mut c) = cache().lock() {
        let hit = c.current.get(&key).cloned().or_else(|| c.previous.get(&key).cloned());
        if let Some(entry) = hit.filter(|e| e.0 == code) {
            c.current.entry(key).or_insert_with(|| entry.clone());
            return entry;
        }
    }
    let html = highlight(code, token);
    let entry = Arc::new((code.to_string(), html));
    if let Ok(mut c) = cache().lock() {
        if c.current.len() >= CACHE_GENERATION {
            c.previous = std::mem::take(&mut c.current);
        }
        c.current.insert(key, entry.clone());
    }
    entry
}

/// Highlighted HTML for code in a fence language: the fast lexer where it
/// knows the language, else syntect (cached), else escaped text.
fn highlight_any(code: &str, lang: &str) -> Arc<(String, String)> {
    let lower = lang.to_ascii_lowercase();
    if let Some(html) = super::lexer::highlight(code, &lower) {
        return Arc::new((String::new(), html));
    }
    match syntect_token(lang) {
        Some(token) => highlighted(code, token),
        None => Arc::new((String::new(), escape_html(code))),
    }
}

/// Writes one code block. `linenums`: the page's default (pymdownx.highlight `linenums`).
pub(super) fn write_block(out: &mut String, code: &str, info: &FenceInfo, linenums: bool) {
    let lang = info.lang.as_deref().unwrap_or("text");
    let lang_class = if lang.is_empty() { "text" } else { lang };
    out.push_str("<div class=\"");
    push_class(out, &format!("language-{lang_class}"));
    out.push_str(" highlight hl-code");
    for class in &info.classes {
        out.push(' ');
        push_class(out, class);
    }
    out.push('"');
    if let Some(id) = &info.id {
        out.push_str(" id=\"");
        out.push_str(&escape_html(id));
        out.push('"');
    }
    out.push('>');
    if let Some(title) = &info.title {
        out.push_str("<span class=\"filename\">");
        out.push_str(&escape_html(title));
        out.push_str("</span>");
    }
    let first_line = info.linenums.or(if linenums { Some(1) } else { None });
    let numbered = (first_line.is_some() && code.lines().nth(1).is_some()) || info.linenums.is_some();
    if numbered {
        out.push_str("<pre class=\"linenums\"><code>");
    } else {
        out.push_str("<pre><code>");
    }
    let entry = highlight_any(code, lang);
    let html: &str = &entry.1;
    if numbered || !info.hl_lines.is_empty() {
        let start = first_line.unwrap_or(1);
        for (index, line) in split_lines(html).iter().enumerate() {
            let number = start + index;
            let marked = info.hl_lines.iter().any(|&(a, b)| (a..=b).contains(&(index + 1)));
            if marked {
                out.push_str("<span class=\"hll\">");
            }
            if numbered {
                out.push_str("<span class=\"ln\" data-ln=\"");
                out.push_str(&number.to_string());
                out.push_str("\"></span>");
            }
            out.push_str(line);
            out.push('\n');
            if marked {
                out.push_str("</span>");
            }
        }
    } else {
        out.push_str(html);
    }
    out.push_str("</code></pre></div>\n");
}

/// A mermaid diagram: text the bundled script draws; readable without it.
pub(super) fn write_mermaid(out: &mut String, code: &str) {
    out.push_str("<pre class=\"mermaid\">");
    out.push_str(&escape_html(code));
    out.push_str("</pre>\n");
}

/// Inline code with `#!lang` (pymdownx.inlinehilite).
pub(super) fn write_inline(out: &mut String, code: &str) -> bool {
    let Some(rest) = code.strip_prefix("#!") else { return false };
    let Some((lang, text)) = rest.split_once(' ') else { return false };
    if lang.is_empty() || !lang.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b'_' | b'#')) {
        return false;
    }
    out.push_str("<code class=\"highlight language-");
    push_class(out, lang);
    out.push_str("\">");
    out.push_str(highlight_any(text, lang).1.trim_end_matches('\n'));
    out.push_str("</code>");
    true
}

fn push_class(out: &mut String, class: &str) {
    for c in class.chars() {
        if c.is_alphanumeric() || matches!(c, '-' | '_' | '+' | '#' | '.') {
            out.push(c);
        } else {
            out.push('-');
        }
    }
}

/// Highlighted HTML split into lines, each with its `<span>`s balanced
/// (spans open across a line end are closed and reopened).
fn split_lines(html: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    let mut open: Vec<&str> = Vec::new();
    let mut i = 0;
    let bytes = html.as_bytes();
    while i < bytes.len() {
        let rest = &html[i..];
        if rest.starts_with("<span") {
            let end = rest.find('>').map_or(rest.len(), |e| e + 1);
            open.push(&rest[..end]);
            current.push_str(&rest[..end]);
            i += end;
        } else if rest.starts_with("</span>") {
            open.pop();
            current.push_str("</span>");
            i += 7;
        } else if bytes[i] == b'\n' {
            for _ in &open {
                current.push_str("</span>");
            }
            lines.push(std::mem::take(&mut current));
            for tag in &open {
                current.push_str(tag);
            }
            i += 1;
        } else {
            let n = rest.find(['<', '\n']).unwrap_or(rest.len()).max(1);
            current.push_str(&rest[..n]);
            i += n;
        }
    }
    // Text after the last newline (or spans reopened for nothing).
    let trailing_text = {
        let mut t = current.as_str();
        for tag in &open {
            t = t.strip_prefix(tag).unwrap_or(t);
        }
        !t.is_empty()
    };
    if trailing_text {
        for _ in &open {
            current.push_str("</span>");
        }
        lines.push(current);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fence_options() {
        let info = parse_info("python title=\"a b.py\" linenums=\"3\" hl_lines=\"2 4-5\"");
        assert_eq!(info.lang.as_deref(), Some("python"));
        assert_eq!(info.title.as_deref(), Some("a b.py"));
        assert_eq!(info.linenums, Some(3));
        assert_eq!(info.hl_lines, vec![(2, 2), (4, 5)]);
        let info = parse_info("{ .yaml .annotate #x title='t' }");
        assert_eq!(info.lang.as_deref(), Some("yaml"));
        assert_eq!(info.classes, vec!["annotate".to_string()]);
        assert_eq!(info.id.as_deref(), Some("x"));
        assert_eq!(info.title.as_deref(), Some("t"));
        assert_eq!(parse_info("").lang, None);
    }

    #[test]
    fn spans_are_balanced_per_line() {
        let lines = split_lines("<span class=\"a\">x\ny</span>z\n");
        assert_eq!(lines, vec!["<span class=\"a\">x</span>", "<span class=\"a\">y</span>z"]);
        assert_eq!(split_lines("a\nb"), vec!["a", "b"]);
    }

    #[test]
    fn blocks_with_title_numbers_and_marked_lines() {
        let mut out = String::new();
        let info = parse_info("text title=\"out.txt\" hl_lines=\"2\"");
        write_block(&mut out, "one\ntwo <b>\n", &info, true);
        assert!(
            out.starts_with("<div class=\"language-text highlight hl-code\"><span class=\"filename\">out.txt</span>"),
            "{out}"
        );
        assert!(out.contains("<span class=\"ln\" data-ln=\"1\"></span>one\n"), "{out}");
        assert!(
            out.contains("<span class=\"hll\"><span class=\"ln\" data-ln=\"2\"></span>two &lt;b&gt;\n</span>"),
            "{out}"
        );
        let mut single = String::new();
        write_block(&mut single, "x = 1\n", &parse_info("python"), true);
        assert!(!single.contains("data-ln"), "one-line blocks need no numbers: {single}");
        assert!(single.contains("hl-"), "highlighted: {single}");
    }

    #[test]
    fn cache_returns_the_same_html() {
        let a = highlighted("fn main() {}\n", "rs");
        let b = highlighted("fn main() {}\n", "rs");
        assert!(Arc::ptr_eq(&a, &b) || a.1 == b.1);
        assert_eq!(a.1, highlight("fn main() {}\n", "rs"));
    }
}
