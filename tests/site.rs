//! The portal site: every entity has its page, internal links resolve, the
//! site works under a sub-path and from disk, hostile catalog content stays
//! inert, themes can be overridden, output is deterministic.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::*;

/// Builds the demo organisation (the project's own site.toml) into `out`.
fn build_demo(out: &Path, extra_args: &[&str]) -> String {
    let project = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out_str = out.to_string_lossy().into_owned();
    let mut args = vec!["build", "--out", out_str.as_str()];
    args.extend_from_slice(extra_args);
    let o = portalgen(project, &args);
    assert!(o.status.success(), "build failed: {}", stderr(&o));
    stderr(&o)
}

fn html_files(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for entry in walk(dir) {
        if entry.extension().and_then(|e| e.to_str()) == Some("html") {
            let rel = entry.strip_prefix(dir).map(|p| p.to_string_lossy().replace('\\', "/")).unwrap_or_default();
            out.insert(rel, read(&entry));
        }
    }
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn demo_portal_has_every_page_and_no_broken_links() {
    let dir = tempdir();
    let out = dir.path().join("site");
    let log = build_demo(&out, &[]);
    assert!(!log.contains("broken internal link"), "{log}");
    for file in [
        "index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        ".nojekyll",
        "problems/index.html",
        "catalog/index.html",
    ] {
        assert!(out.join(file).exists(), "{file} is missing");
    }
    let entities = json(&read(&out.join("api/entities.json")));
    let entities = entities.as_array().cloned().unwrap_or_default();
    assert!(entities.len() > 70);
    for e in &entities {
        let page = format!(
            "catalog/{}/{}/{}/index.html",
            e["metadata"]["namespace"].as_str().unwrap_or(""),
            e["kind"].as_str().unwrap_or("").to_lowercase(),
            e["metadata"]["name"].as_str().unwrap_or("")
        );
        assert!(out.join(&page).exists(), "no page for {page}");
    }
    let pages = html_files(&out);
    for (file, html) in &pages {
        assert!(html.contains("<title>"), "{file} has no title");
        assert!(html.contains("<meta name=\"description\" content=\""), "{file} has no description");
        assert!(html.contains("<link rel=\"canonical\" href=\""), "{file} has no canonical link");
        assert!(html.contains("<main"), "{file} has no main landmark");
        assert!(html.len() < 1_000_000, "{file} is {} bytes", html.len());
    }
    let sitemap = read(&out.join("sitemap.xml"));
    assert!(sitemap.contains("<loc>/catalog/default/component/artist-lookup/</loc>"), "{sitemap:.400}");
}

#[test]
fn entity_pages_show_what_backstage_shows() {
    let dir = tempdir();
    let out = dir.path().join("site");
    build_demo(&out, &[]);
    let component = read(&out.join("catalog/default/component/portal-builder/index.html"));
    // About card: owner and system link to their pages, relative to this page.
    assert!(component.contains("href=\"../../../../catalog/default/group/platform-team/\""), "owner link");
    assert!(component.contains("href=\"../../../../catalog/default/system/developer-platform/\""), "system link");
    assert!(component.contains("Portal search API"), "provided API card");
    assert!(component.contains("<strong>Owned by the platform team.</strong>"), "description rendered as Markdown");
    assert!(component.contains("https://github.com/acme/portal-builder"), "GitHub project slug becomes a link");
    assert!(component.contains("PX1234"), "PagerDuty annotation shown");
    assert!(component.contains("examples/platform/repos/portal-builder/catalog-info.yaml"), "source file named");

    // A reference to a missing entity is shown as such, not as a link.
    let playback = read(&out.join("catalog/default/component/playback-order/index.html"));
    assert!(playback.contains("not in the catalog"), "missing owner marked");
    assert!(!playback.contains("catalog/default/group/guest/"), "no link to a missing entity");

    // Groups: members, children, and ownership through child groups.
    let platform = read(&out.join("catalog/default/group/platform-team/index.html"));
    assert!(platform.contains("Grace Hopper") || platform.contains("grace.hopper"), "members listed");
    assert!(platform.contains("catalog/default/group/sre/"), "child group listed");
    assert!(platform.contains("Owned through child groups"), "ownership through child groups");
    assert!(platform.contains("catalog/default/resource/build-cache/"), "sre's resource counted for platform-team");

    // Users: their groups and what their groups own.
    let user = read(&out.join("catalog/default/user/margaret.hamilton/index.html"));
    assert!(user.contains("catalog/default/group/sre/"), "user's group");
    assert!(user.contains("catalog/default/component/ci-runners/"), "owned through the user's group");

    // APIs: the definition, highlighted with CSS classes.
    let api = read(&out.join("catalog/default/api/portal-search-api/index.html"));
    assert!(api.contains("class=\"hl-"), "definition highlighted");
    assert!(api.contains("getManifest"), "definition text present");

    // Problems appear on the entity and on the problems page.
    let spotify_owner = read(&out.join("catalog/default/component/wayback-search/index.html"));
    assert!(spotify_owner.contains("Catalog problems"), "entity problems shown");
    let problems = read(&out.join("problems/index.html"));
    assert!(problems.contains("examples/backstage/apis/spotify-api.yaml"), "problems page lists files");
}

#[test]
fn catalog_index_is_paginated_and_has_filter_data() {
    let dir = tempdir();
    let out = dir.path().join("site");
    build_demo(&out, &[]);
    let index = read(&out.join("catalog/index.html"));
    assert!(index.contains("data-catalog-filters"), "filter form present for JavaScript");
    assert!(index.contains("<table"), "full table without JavaScript");
    let data = read(&out.join("catalog/_data/entities.js"));
    assert!(data.starts_with("window.PORTALGEN_CATALOG = ["));
    let kind_page = read(&out.join("catalog/_kind/component/index.html"));
    assert!(kind_page.contains("artist-lookup"));
    assert!(!kind_page
        .contains("catalog/default/group/team-a/\">team-a</a></td>\n    <td><span class=\"badge kind kind-group"));
}

#[test]
fn sub_path_and_file_urls_work() {
    let dir = tempdir();
    let corpus_site = format!(
        "[site]\ntitle = \"Sub\"\nbase_url = \"https://org.example.io/portal\"\nurl_style = \"file\"\n\n[[sources]]\nname = \"p\"\npath = {:?}\n",
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/platform").to_string_lossy()
    );
    write_files(dir.path(), &[("site.toml", &corpus_site)]);
    let o = portalgen(dir.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("broken internal link"), "{}", stderr(&o));
    let out = dir.path().join("public");
    let page = read(&out.join("catalog/default/component/ci-runners/index.html"));
    assert!(
        page.contains(
            "<link rel=\"canonical\" href=\"https://org.example.io/portal/catalog/default/component/ci-runners/\">"
        ),
        "canonical uses base_url"
    );
    assert!(
        page.contains("href=\"../../../../catalog/default/group/sre/index.html\""),
        "file-style links name index.html"
    );
    assert!(page.contains("href=\"../../../../static/css/portalgen.css\""), "assets are relative");
    let not_found = read(&out.join("404.html"));
    assert!(not_found.contains("href=\"/portal/static/css/portalgen.css\""), "404 uses the base path");
    // No page refers to anything outside the site.
    for (file, html) in html_files(&out) {
        for forbidden in ["<script src=\"http", "<link rel=\"stylesheet\" href=\"http", "@import", "fonts.googleapis"] {
            assert!(!html.contains(forbidden), "{file} loads an external asset: {forbidden}");
        }
    }
}

#[test]
fn hostile_entities_stay_inert() {
    let dir = tempdir();
    let site = format!("[[sources]]\nname = \"h\"\npath = {:?}\n", fixtures().join("hostile").to_string_lossy());
    write_files(dir.path(), &[("site.toml", &site)]);
    let o = portalgen(dir.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = dir.path().join("public");
    let mut checked = 0;
    for path in walk(&out) {
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap_or_default()).into_owned();
        let name = path.display().to_string();
        if name.ends_with(".html") {
            checked += 1;
            for tag in tags(&text) {
                for (attr, value) in &tag.attrs {
                    assert!(!attr.starts_with("on"), "{name}: event handler {attr}={value} on <{}>", tag.name);
                    let v = value.trim().to_lowercase();
                    if attr == "href" || attr == "src" {
                        assert!(!v.starts_with("javascript:"), "{name}: {attr}={value}");
                    }
                    assert!(!(attr == "style" && v.contains("position")), "{name}: content style {value}");
                }
                assert!(
                    !matches!(tag.name.as_str(), "iframe" | "object" | "embed" | "base" | "meta http-equiv"),
                    "{name}: <{}>",
                    tag.name
                );
                if tag.name == "script" {
                    let src = tag.attrs.iter().find(|(a, _)| a == "src").map(|(_, v)| v.clone());
                    match src {
                        Some(src) => assert!(src.ends_with(".js") && !src.contains("://"), "{name}: script {src}"),
                        None => assert!(
                            tag.body.contains("portalgen-theme"),
                            "{name}: unexpected inline script {}",
                            tag.body
                        ),
                    }
                }
            }
        }
        if name.ends_with("entities.js") {
            assert!(!text.to_lowercase().contains("</script"), "data script cannot close its element");
        }
    }
    assert!(checked > 5);
    let evil = read(&out.join("catalog/default/component/evil/index.html"));
    assert!(
        evil.contains("&lt;script&gt;alert(&#39;title&#39;)&lt;&#x2F;script&gt;")
            || evil.contains("&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;"),
        "title shown as text"
    );
}

struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
    /// Text up to the closing tag, for scripts.
    body: String,
}

/// A small HTML tag scanner: enough to see every real tag and attribute the
/// browser would see (escaped text never forms a tag).
fn tags(html: &str) -> Vec<Tag> {
    let mut out = Vec::new();
    let bytes = html.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' || i + 1 >= bytes.len() || !bytes[i + 1].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let start = i + 1;
        let mut j = start;
        while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'-') {
            j += 1;
        }
        let name = html[start..j].to_lowercase();
        let mut attrs = Vec::new();
        loop {
            while j < bytes.len() && (bytes[j].is_ascii_whitespace() || bytes[j] == b'/') {
                j += 1;
            }
            if j >= bytes.len() || bytes[j] == b'>' {
                break;
            }
            let a = j;
            while j < bytes.len() && !bytes[j].is_ascii_whitespace() && bytes[j] != b'=' && bytes[j] != b'>' {
                j += 1;
            }
            let attr = html[a..j].to_lowercase();
            let mut value = String::new();
            if j < bytes.len() && bytes[j] == b'=' {
                j += 1;
                if j < bytes.len() && (bytes[j] == b'"' || bytes[j] == b'\'') {
                    let q = bytes[j];
                    let v = j + 1;
                    j = v;
                    while j < bytes.len() && bytes[j] != q {
                        j += 1;
                    }
                    value = html[v..j.min(bytes.len())].to_string();
                    j += 1;
                } else {
                    let v = j;
                    while j < bytes.len() && !bytes[j].is_ascii_whitespace() && bytes[j] != b'>' {
                        j += 1;
                    }
                    value = html[v..j].to_string();
                }
            }
            attrs.push((attr, value));
        }
        let body_start = (j + 1).min(html.len());
        let body = if name == "script" {
            html[body_start..].split("</script>").next().unwrap_or("").to_string()
        } else {
            String::new()
        };
        out.push(Tag { name, attrs, body });
        i = j + 1;
    }
    out
}

#[test]
fn rebuild_is_byte_identical() {
    let dir = tempdir();
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    build_demo(&a, &[]);
    build_demo(&b, &[]);
    let files_a: Vec<PathBuf> =
        walk(&a).into_iter().map(|p| p.strip_prefix(&a).map(Path::to_path_buf).unwrap_or(p)).collect();
    let files_b: Vec<PathBuf> =
        walk(&b).into_iter().map(|p| p.strip_prefix(&b).map(Path::to_path_buf).unwrap_or(p)).collect();
    assert_eq!(files_a, files_b);
    for f in files_a {
        assert!(std::fs::read(a.join(&f)).ok() == std::fs::read(b.join(&f)).ok(), "{} differs", f.display());
    }
}

#[test]
fn site_templates_and_static_files_override_the_theme() {
    let dir = tempdir();
    write_files(
        dir.path(),
        &[
            ("site.toml", "[[sources]]\nname = \"c\"\npath = \"catalog\"\n"),
            (
                "catalog/catalog-info.yaml",
                "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: t\nspec: {type: team, children: []}\n",
            ),
            ("templates/404.html", "{% extends \"base.html\" %}{% block content %}<h1>Custom lost page</h1>{% endblock content %}"),
            ("static/css/extra.css", "body { color: red; }"),
            ("content/about.md", "---\ntitle: About us\n---\n# About\n\nWe build things.\n"),
        ],
    );
    let o = portalgen(dir.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = dir.path().join("public");
    assert!(read(&out.join("404.html")).contains("Custom lost page"));
    assert_eq!(read(&out.join("static/css/extra.css")), "body { color: red; }");
    assert!(read(&out.join("about/index.html")).contains("We build things."));
    assert!(read(&out.join("index.html")).contains("href=\"./about/\""), "content pages are in the navigation");

    write_files(
        dir.path(),
        &[("templates/404.html", "{% extends \"base.html\" %}{% block content %}{{ nope( }}{% endblock content %}")],
    );
    let broken = portalgen(dir.path(), &["build"]);
    assert_eq!(broken.status.code(), Some(1), "a template error fails the build");
    assert!(stderr(&broken).contains("404.html"), "{}", stderr(&broken));
    assert!(read(&out.join("404.html")).contains("Custom lost page"), "the previous site is left untouched");

    write_files(dir.path(), &[("site.toml", "[site]\ntheme = \"missing\"\n")]);
    let missing = portalgen(dir.path(), &["build"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("theme \"missing\" not found"), "{}", stderr(&missing));
}
