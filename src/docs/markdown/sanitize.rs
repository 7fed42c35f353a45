//! Raw HTML in pages: links inside it rewritten like Markdown links, and the
//! page sanitised with an allowlist (as Backstage sanitises TechDocs) when
//! it contains any. Pages without raw HTML are built only from escaped text
//! and attributes the writer checked, so they skip the (costly) sanitiser.

use std::collections::HashSet;
use std::sync::OnceLock;

use super::Host;

/// URL schemes links and images may use; anything else (`javascript:`,
/// `data:`, `vbscript:` …) is dropped.
pub(super) fn safe_url(url: &str) -> bool {
    let scheme_end = url.find([':', '/', '?', '#']);
    match scheme_end {
        Some(end) if url.as_bytes()[end] == b':' => {
            let scheme = url[..end].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto" | "tel" | "ftp")
        }
        _ => !url.trim_start().to_ascii_lowercase().starts_with("javascript"),
    }
}

fn builder() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_tags(["input", "label", "video", "audio", "source", "picture", "figure", "figcaption", "center"]);
        b.add_generic_attributes(["class", "id", "title", "lang", "dir", "align", "role", "aria-hidden", "aria-label"]);
        b.add_generic_attribute_prefixes(["data-"]);
        b.add_tag_attributes("a", ["target", "name"]);
        b.add_tag_attributes("img", ["width", "height", "loading", "align"]);
        b.add_tag_attributes("input", ["type", "checked", "disabled", "name"]);
        b.add_tag_attributes("label", ["for"]);
        b.add_tag_attributes("details", ["open"]);
        b.add_tag_attributes("ol", ["start", "type", "reversed"]);
        b.add_tag_attributes("td", ["colspan", "rowspan", "width"]);
        b.add_tag_attributes("th", ["colspan", "rowspan", "width", "scope"]);
        b.add_tag_attributes(
            "video",
            ["src", "controls", "width", "height", "poster", "loop", "muted", "autoplay", "playsinline"],
        );
        b.add_tag_attributes("audio", ["src", "controls", "loop"]);
        b.add_tag_attributes("source", ["src", "type", "srcset", "media"]);
        b.add_tag_attributes("table", ["width"]);
        b.url_schemes(HashSet::from(["http", "https", "mailto", "tel", "ftp"]));
        b.link_rel(None);
        b.attribute_filter(|element, attribute, value| match (element, attribute) {
            ("input", "type") if value != "checkbox" && value != "radio" => None,
            _ => Some(value.into()),
        });
        b
    })
}

/// Sanitises a whole page body.
pub(super) fn clean(html: &str) -> String {
    builder().clean(html).to_string()
}

/// Rewrites `src`, `href` and `poster` attributes of the tags in raw HTML
/// through the host, as Markdown links are (`line`: where the HTML starts).
pub(super) fn rewrite_links(html: &str, host: &dyn Host, line: usize) -> String {
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len() + 16);
    let mut copied = 0;
    let mut i = 0;
    while let Some(p) = html[i..].find('<') {
        let start = i + p;
        i = start + 1;
        if !bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let Some(end) = tag_end(&html[start..]).map(|e| start + e) else { break };
        let tag = &html[start..end];
        let is_img = tag.len() > 4 && tag[1..4].eq_ignore_ascii_case("img");
        for (value_start, value_end, attr) in url_attributes(tag) {
            let value = &tag[value_start..value_end];
            let unescaped = value.replace("&amp;", "&");
            let tag_line = line + html[..start].matches('\n').count();
            let is_image = is_img || attr != "href";
            if let Some(url) = host.link(&unescaped, is_image, tag_line) {
                out.push_str(&html[copied..start + value_start]);
                out.push_str(&url.replace('&', "&amp;").replace('"', "&quot;"));
                copied = start + value_end;
            }
        }
        i = end;
    }
    out.push_str(&html[copied..]);
    out
}

fn tag_end(tag: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in tag.char_indices() {
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

/// (value start, value end, attribute name) of `src`/`href`/`poster` values in one tag.
fn url_attributes(tag: &str) -> Vec<(usize, usize, &'static str)> {
    let bytes = tag.as_bytes();
    let mut found = Vec::new();
    let mut i = tag.find(|c: char| c.is_ascii_whitespace()).unwrap_or(tag.len());
    while i < bytes.len() {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        let name_start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !matches!(bytes[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let name = &tag[name_start..i];
        if i >= bytes.len() || bytes[i] != b'=' {
            if name_start == i {
                i += 1;
            }
            continue;
        }
        i += 1;
        let (value_start, value_end) = match bytes.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                let from = i + 1;
                let to = tag[from..].find(q as char).map_or(tag.len(), |p| from + p);
                i = to + 1;
                (from, to)
            }
            _ => {
                let from = i;
                while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                    i += 1;
                }
                (from, i)
            }
        };
        let attr = match name.to_ascii_lowercase().as_str() {
            "src" => "src",
            "href" => "href",
            "poster" => "poster",
            _ => continue,
        };
        found.push((value_start, value_end, attr));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Prefix;
    impl Host for Prefix {
        fn link(&self, target: &str, _is_image: bool, _line: usize) -> Option<String> {
            (!target.contains("://")).then(|| format!("../{target}"))
        }
        fn snippet(&self, _path: &str) -> Result<String, String> {
            Err("none".into())
        }
    }

    #[test]
    fn raw_html_links_are_rewritten() {
        let html = "<p align=\"center\"><img src=\"img/a.png\" alt=\"a>b\"> <a href='x.md'>x</a> <a href=\"https://e.com\">e</a></p>";
        assert_eq!(
            rewrite_links(html, &Prefix, 1),
            "<p align=\"center\"><img src=\"../img/a.png\" alt=\"a>b\"> <a href='../x.md'>x</a> <a href=\"https://e.com\">e</a></p>"
        );
    }

    #[test]
    fn unsafe_markup_is_removed() {
        let html = clean("<div class=\"x\" onclick=\"a()\"><script>alert(1)</script><a href=\"javascript:alert(1)\">j</a><input type=\"text\"><input type=\"checkbox\" checked><span data-ln=\"3\" style=\"position:fixed\"></span></div>");
        assert!(!html.contains("onclick") && !html.contains("script") && !html.contains("javascript"), "{html}");
        assert!(!html.contains("type=\"text\"") && html.contains("type=\"checkbox\""), "{html}");
        assert!(html.contains("data-ln=\"3\"") && !html.contains("style"), "{html}");
        assert!(
            safe_url("https://x")
                && safe_url("a/b.md#c")
                && safe_url("#top")
                && !safe_url("javascript:x")
                && !safe_url("data:text/html,x")
        );
    }
}
