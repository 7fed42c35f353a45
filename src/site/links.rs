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
        let Some(resolved) = crate::sources::normalize_rel(dir, &crate::sources::percent_decode(path)) else {
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
