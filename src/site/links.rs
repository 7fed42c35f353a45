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
    let starts = |prefix: &str| target.get(..prefix.len()).is_some_and(|head| head.eq_ignore_ascii_case(prefix));
    target.starts_with("//")
        || target.starts_with('#')
        || target.contains("://")
        || starts("mailto:")
        || starts("data:")
        || starts("tel:")
}

/// Values of `href="…"` and `src="…"` attributes (entities decoded).
fn attribute_values(html: &str) -> Vec<std::borrow::Cow<'_, str>> {
    // A SIMD substring search: this scan runs over every page of the site.
    static FINDERS: std::sync::LazyLock<[memchr::memmem::Finder<'static>; 2]> =
        std::sync::LazyLock::new(|| [memchr::memmem::Finder::new("href=\""), memchr::memmem::Finder::new("src=\"")]);
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    for finder in FINDERS.iter() {
        let attr_len = finder.needle().len();
        let mut from = 0;
        while let Some(found) = finder.find(&bytes[from..]) {
            let i = from + found;
            let start = i + attr_len;
            let Some(len) = memchr::memchr(b'"', &bytes[start..]) else { break };
            from = start + len;
            let preceded_ok = i == 0 || bytes[i - 1].is_ascii_whitespace();
            // Both ends are ASCII quotes, so these are char boundaries.
            let value = &html[start..start + len];
            if preceded_ok && !is_external(value) {
                out.push(if value.contains('&') {
                    std::borrow::Cow::Owned(value.replace("&amp;", "&").replace("&#x2F;", "/").replace("&#47;", "/"))
                } else {
                    std::borrow::Cow::Borrowed(value)
                });
            }
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
