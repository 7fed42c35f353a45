//! Where every page lives and how pages link to each other. All links are
//! relative (`../../catalog/…`), so the site works at any sub-path and from
//! disk; only canonical links and the sitemap use `base_url`.

use crate::config::UrlStyle;

/// The output file of an entity page: Backstage's route shape,
/// `catalog/<namespace>/<kind>/<name>/`, namespace and kind lower-cased.
pub fn entity_file(namespace: &str, kind: &str, name: &str) -> String {
    format!("catalog/{}/{}/{}/index.html", namespace.to_lowercase(), kind.to_lowercase(), safe_segment(name))
}

/// List pages use segments that cannot be namespaces (which never contain `_`).
pub fn catalog_page_file(page: usize) -> String {
    if page <= 1 {
        "catalog/index.html".to_string()
    } else {
        format!("catalog/_all/{page}/index.html")
    }
}

pub fn kind_page_file(kind: &str, page: usize) -> String {
    if page <= 1 {
        format!("catalog/_kind/{}/index.html", kind.to_lowercase())
    } else {
        format!("catalog/_kind/{}/{page}/index.html", kind.to_lowercase())
    }
}

/// Entity names are `[A-Za-z0-9._-]`; anything else (from a hostile ref of
/// a missing entity) is percent-encoded so it can never form a path.
fn safe_segment(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    if out.starts_with('.') {
        out.replace_range(0..1, "%2E");
    }
    out
}

/// How a file is linked: `x/` or `x/index.html`.
pub fn link_of(file: &str, style: UrlStyle) -> String {
    match style {
        UrlStyle::File => file.to_string(),
        UrlStyle::Directory => match file.strip_suffix("index.html") {
            Some(dir) => dir.to_string(),
            None => file.to_string(),
        },
    }
}

/// The relative prefix from a page to the site root (`./`, `../../`).
pub fn root_of(file: &str) -> String {
    let depth = file.matches('/').count();
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(entity_file("Default", "Component", "My_Svc.v2"), "catalog/default/component/My_Svc.v2/index.html");
        assert_eq!(
            entity_file("default", "group", "john@example.com"),
            "catalog/default/group/john%40example.com/index.html"
        );
        assert_eq!(entity_file("default", "group", "../x"), "catalog/default/group/%2E.%2Fx/index.html");
        assert_eq!(link_of("catalog/index.html", UrlStyle::Directory), "catalog/");
        assert_eq!(link_of("index.html", UrlStyle::Directory), "");
        assert_eq!(link_of("catalog/index.html", UrlStyle::File), "catalog/index.html");
        assert_eq!(root_of("index.html"), "./");
        assert_eq!(root_of("catalog/default/component/x/index.html"), "../../../../");
    }
}
