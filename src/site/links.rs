//! Internal link checking: every relative `href` and `src` the build writes
//! must point at a page or file it also writes.

use std::collections::HashSet;

/// Relative links in `html` (written at `page`, a path inside the site)
/// that resolve to no file in `known`.
pub fn broken(page: &str, html: &str, known: &HashSet<String>) -> Vec<String> {
    let dir = page.rfind('/').map_or("", |i| &page[..i]);
    let mut out = Vec::new();
    let mut targets = attribute_values(html);
    // Navigation repeats the same links on every page; check each once.
    targets.sort_unstable();
    targets.dedup();
    for target in targets {
        if is_external(&target) {
            continue;
        }
        let target = target.into_owned();
        let path = target.split(['#', '?']).next().unwrap_or("");
        if path.is_empty() {
            continue;
        }
        let Some(resolved) = resolve(dir, &decode(path)) else {
            out.push(target);
            continue;
        };
        let file = if resolved.is_empty() || path.ends_with('/') {
            if resolved.is_empty() {
                "index.html".to_string()
            } else {
                format!("{resolved}/index.html")
            }
        } else {
            resolved
        };
        if !known.contains(&file) {
            out.push(target);
        }
    }
    out.sort();
    out.dedup();
    out
}

fn is_external(target: &str) -> bool {
    let lower = target.to_ascii_lowercase();
    lower.starts_with("//")
        || lower.starts_with('#')
        || lower.contains("://")
        || lower.starts_with("mailto:")
        || lower.starts_with("data:")
        || lower.starts_with("tel:")
}

/// Values of `href="…"` and `src="…"` attributes (entities decoded).
fn attribute_values(html: &str) -> Vec<std::borrow::Cow<'_, str>> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            let preceded_ok = i == 0 || rest.as_bytes()[i - 1].is_ascii_whitespace();
            let after = &rest[i + attr.len()..];
            let Some(end) = after.find('"') else { break };
            let value = &after[..end];
            if preceded_ok && !is_external(value) {
                out.push(if value.contains('&') {
                    std::borrow::Cow::Owned(value.replace("&amp;", "&").replace("&#x2F;", "/").replace("&#47;", "/"))
                } else {
                    std::borrow::Cow::Borrowed(value)
                });
            }
            rest = &after[end..];
        }
    }
    out
}

fn decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&path[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Joins a relative link onto the page's folder; `None` above the site root.
fn resolve(dir: &str, target: &str) -> Option<String> {
    let mut parts: Vec<&str> =
        if target.starts_with('/') { Vec::new() } else { dir.split('/').filter(|p| !p.is_empty()).collect() };
    for piece in target.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_broken_relative_links() {
        let known: HashSet<String> =
            ["index.html", "catalog/index.html", "static/css/a.css", "catalog/default/component/x/index.html"]
                .iter()
                .map(|s| s.to_string())
                .collect();
        let html = r##"<a href="../../../../">home</a> <a href="../../../../catalog/">c</a> <link href="../../../../static/css/a.css">
            <a href="../y/">missing</a> <a href="https://e.com">ext</a> <a href="#top">t</a> <img src="../../../../../x.png">
            <a href="./">self</a> <a data-href="zzz">no</a>"##;
        let broken = broken("catalog/default/component/x/index.html", html, &known);
        assert_eq!(broken, vec!["../../../../../x.png".to_string(), "../y/".to_string()]);
    }
}
