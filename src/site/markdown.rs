//! Markdown from catalog files and `content/`, rendered with pulldown-cmark
//! and sanitised with an allowlist: untrusted text can format, never script.

use pulldown_cmark::{html, Options, Parser};

/// Renders the site's own Markdown (`content/`) to safe HTML; relative links
/// stay, and the build checks that they resolve.
pub fn render(text: &str) -> String {
    sanitize(&to_html(text), true)
}

/// Renders Markdown from catalog files: relative URLs are dropped, since
/// they mean nothing on the portal.
pub fn render_untrusted(text: &str) -> String {
    sanitize(&to_html(text), false)
}

fn to_html(text: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_TASKLISTS);
    options.insert(Options::ENABLE_FOOTNOTES);
    let mut out = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut out, Parser::new_ext(text, options));
    out
}

/// Allowlist sanitising: no scripts, event handlers, styles or
/// `javascript:` URLs; links get `rel="noopener noreferrer"`.
pub fn sanitize(html: &str, relative_urls: bool) -> String {
    let mut builder = ammonia::Builder::default();
    builder.link_rel(Some("noopener noreferrer")).url_schemes(["http", "https", "mailto"].into_iter().collect());
    if !relative_urls {
        builder.url_relative(ammonia::UrlRelative::Deny);
    }
    builder.clean(html).to_string()
}

/// Splits `---` YAML front matter from a Markdown page.
pub fn front_matter(text: &str) -> (Option<serde_json::Value>, &str) {
    let Some(rest) = text.strip_prefix("---\n").or_else(|| text.strip_prefix("---\r\n")) else {
        return (None, text);
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            let value = serde_yaml::from_str::<serde_yaml::Value>(yaml).ok().map(crate::entities::yaml::yaml_to_json);
            return (value, body);
        }
        offset += line.len();
    }
    (None, text)
}

/// Plain text of Markdown, for descriptions in meta tags and tables.
pub fn plain_text(text: &str, max_chars: usize) -> String {
    let mut out = String::new();
    for event in Parser::new(text) {
        match event {
            pulldown_cmark::Event::Text(t) | pulldown_cmark::Event::Code(t) => out.push_str(&t),
            pulldown_cmark::Event::SoftBreak | pulldown_cmark::Event::HardBreak => out.push(' '),
            pulldown_cmark::Event::End(_) => out.push(' '),
            _ => {}
        }
    }
    let collapsed: String = out.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.chars().count() > max_chars {
        let cut: String = collapsed.chars().take(max_chars.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    } else {
        collapsed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_markdown_is_inert() {
        let html = render_untrusted(
            "hi <script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) <a href=\"https://e.com\" style=\"position:fixed\">e</a>",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("style="), "{html}");
        assert!(html.contains("rel=\"noopener noreferrer\""), "{html}");
        assert!(!render_untrusted("![a](x.png) [b](../y)").contains("x.png"), "relative URLs dropped");
        assert!(render("[b](../y/)").contains("../y/"), "site pages keep relative links");
    }

    #[test]
    fn front_matter_and_plain_text() {
        let (fm, body) = front_matter("---\ntitle: Hello\n---\n# Body\n");
        assert_eq!(fm.map(|v| v["title"].clone()), Some(serde_json::json!("Hello")));
        assert_eq!(body, "# Body\n");
        assert_eq!(plain_text("**Bold** and `code`\nnext", 100), "Bold and code next");
        assert_eq!(plain_text("abcdefghij", 5), "abcd…");
    }
}
