//! Relation graphs and blast radius on a hand-made organisation with known
//! answers: a dependency through an API, a deprecated dependency, a cycle,
//! a group owning many components and an API with many consumers.

mod common;

use std::fmt::Write;
use std::path::Path;

use common::*;

fn entity(kind: &str, name: &str, spec: &str) -> String {
    format!("---\napiVersion: backstage.io/v1alpha1\nkind: {kind}\nmetadata:\n  name: {name}\nspec:\n{spec}")
}

fn organisation() -> String {
    let mut yaml = String::new();
    for (name, email) in
        [("team-db", "db@example.com"), ("team-app", "app@example.com"), ("team-web", "web@example.com")]
    {
        yaml.push_str(&entity(
            "Group",
            name,
            &format!("  type: team\n  children: []\n  profile:\n    email: {email}\n"),
        ));
    }
    yaml.push_str(&entity("Group", "big", "  type: team\n  children: []\n"));
    yaml.push_str(&entity("System", "shop", "  owner: team-app\n"));
    yaml.push_str(&entity("System", "data", "  owner: team-db\n"));
    yaml.push_str(&entity("Resource", "orders-db", "  type: database\n  owner: team-db\n  system: data\n"));
    yaml.push_str(&entity(
        "Component",
        "orders",
        "  type: service\n  lifecycle: production\n  owner: team-app\n  system: shop\n  dependsOn: [resource:orders-db]\n  providesApis: [orders-api]\n",
    ));
    yaml.push_str(&entity(
        "API",
        "orders-api",
        "  type: openapi\n  lifecycle: production\n  owner: team-app\n  system: shop\n  definition: openapi\n",
    ));
    yaml.push_str(&entity(
        "Component",
        "web",
        "  type: website\n  lifecycle: production\n  owner: team-web\n  system: shop\n  consumesApis: [orders-api]\n",
    ));
    yaml.push_str(&entity(
        "Component",
        "mobile-bff",
        "  type: service\n  lifecycle: experimental\n  owner: team-web\n  consumesApis: [orders-api]\n  dependsOn: [component:legacy-auth]\n",
    ));
    yaml.push_str(&entity("Component", "legacy-auth", "  type: service\n  lifecycle: deprecated\n  owner: team-db\n"));
    for (name, next) in [("ring-a", "ring-b"), ("ring-b", "ring-c"), ("ring-c", "ring-a")] {
        yaml.push_str(&entity(
            "Component",
            name,
            &format!("  type: service\n  lifecycle: production\n  owner: team-app\n  dependsOn: [component:{next}]\n"),
        ));
    }
    // A group owning 400 components; an API with 150 consumers.
    yaml.push_str(&entity("API", "popular", "  type: grpc\n  lifecycle: production\n  owner: big\n  definition: x\n"));
    for i in 0..400 {
        let consumes = if i < 150 { "  consumesApis: [popular]\n" } else { "" };
        let _ = write!(
            yaml,
            "{}",
            entity(
                "Component",
                &format!("owned-{i:03}"),
                &format!("  type: service\n  lifecycle: production\n  owner: big\n{consumes}")
            )
        );
    }
    yaml
}

fn build() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempdir();
    write_files(
        dir.path(),
        &[
            ("site.toml", "[[sources]]\nname = \"org\"\npath = \"catalog\"\n"),
            ("catalog/catalog-info.yaml", &organisation()),
        ],
    );
    let o = portalgen(dir.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("broken internal link"), "{}", stderr(&o));
    let out = dir.path().join("public");
    (dir, out)
}

fn page(out: &Path, kind: &str, name: &str) -> String {
    read(&out.join(format!("catalog/default/{kind}/{name}/index.html")))
}

/// The text between `start` and the next `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let Some(i) = text.find(start) else { panic!("{start} not found") };
    let rest = &text[i..];
    &rest[..rest.find(end).map_or(rest.len(), |j| j + end.len())]
}

#[test]
fn entity_pages_draw_their_neighbourhood_as_accessible_svg() {
    let (_dir, out) = build();
    let orders = page(&out, "component", "orders");
    let svg = between(&orders, "<svg class=\"graph-svg\"", "</svg>");
    assert!(svg.contains("<title id=\"graph-t\">Relations of Component orders</title>"), "{svg}");
    assert!(svg.contains("<desc id=\"graph-d\">"));
    // Every neighbour is a relative link with its name as text.
    for (href, name) in [
        ("../../../../catalog/default/resource/orders-db/", "orders-db"),
        ("../../../../catalog/default/api/orders-api/", "orders-api"),
        ("../../../../catalog/default/group/team-app/", "team-app"),
        ("../../../../catalog/default/system/shop/", "shop"),
    ] {
        let link = between(svg, &format!("<a href=\"{href}\""), "</a>");
        assert!(link.contains(&format!(">{name}</text>")), "{link}");
        assert!(link.contains("<title>"), "tooltip: {link}");
    }
    // Labelled, typed edges and a legend.
    assert!(svg.contains("class=\"ge e-depends-on\""));
    assert!(svg.contains("class=\"ge e-provided-by\""));
    assert!(svg.contains(">depends on</text>") || svg.contains("<title>orders depends on orders-db</title>"));
    let legend = between(&orders, "<figcaption class=\"graph-legend\">", "</figcaption>");
    assert!(legend.contains("Resource") && legend.contains("depends on"), "{legend}");
    // A second hop along dependencies: the API's consumers, through it.
    assert!(svg.contains(">web</text>") && svg.contains(">mobile-bff</text>"), "{svg}");
}

#[test]
fn big_neighbourhoods_collapse_into_more_nodes() {
    let (_dir, out) = build();
    let big = page(&out, "group", "big");
    let svg = between(&big, "<svg class=\"graph-svg\"", "</svg>");
    assert!(svg.contains(">+395 more</text>"), "{svg}");
    assert!(svg.contains("href=\"../../../../catalog/?owner=group:default/big&amp;kind=Component\""), "{svg}");
    let popular = page(&out, "api", "popular");
    let svg = between(&popular, "<svg class=\"graph-svg\"", "</svg>");
    assert!(svg.contains(">+145 more</text>"), "{svg}");
    assert!(svg.len() < 60_000, "the graph stays small: {} bytes", svg.len());
    assert!(popular.len() < 1_000_000);
    assert!(big.len() < 1_000_000);
}

#[test]
fn blast_radius_follows_dependencies_and_apis() {
    let (_dir, out) = build();
    let db = page(&out, "resource", "orders-db");
    let impact = between(&db, "<section class=\"card card-impact\"", "</section>");
    assert!(impact.contains("Blast radius <span class=\"count\">4</span>"), "{impact}");
    let rows: Vec<&str> = between(impact, "<tbody>", "</tbody>").split("<tr>").skip(1).collect();
    assert_eq!(rows.len(), 4, "{impact}");
    let row = |name: &str| rows.iter().find(|r| r.contains(&format!(">{name}</a></td>"))).copied().unwrap_or("");
    assert!(row("orders").starts_with("<td class=\"num\">1</td>"), "{}", row("orders"));
    assert!(row("orders").contains("depends on</span> <a"));
    assert!(row("orders-api").starts_with("<td class=\"num\">2</td>"));
    assert!(row("orders-api").contains("provided by</span>"));
    assert!(row("web").starts_with("<td class=\"num\">3</td>") && row("web").contains("consumes</span>"));
    assert!(row("mobile-bff").starts_with("<td class=\"num\">3</td>"));
    assert!(row("mobile-bff").contains("experimental"));
    // Owners to notify, with counts and e-mail addresses.
    let owners = between(impact, "<ul class=\"impact-owners\">", "</ul>");
    assert!(owners.contains(">team-app</a> <span class=\"muted\">2 affected</span>"), "{owners}");
    assert!(owners.contains(">team-web</a> <span class=\"muted\">2 affected</span>"), "{owners}");
    assert!(owners.contains("mailto:web@example.com"));
    // Nothing depends on the website.
    let web = page(&out, "component", "web");
    assert!(web.contains("Nothing in the catalog depends on web"));
    // A group page has no blast radius section.
    assert!(!page(&out, "group", "team-db").contains("card-impact"));
}

#[test]
fn cycles_and_deprecated_dependencies_are_reported() {
    let (_dir, out) = build();
    let problems = read(&out.join("problems/index.html"));
    let cycles = between(&problems, "id=\"cycles-title\"", "</section>");
    assert!(cycles.contains("Dependency cycles <span class=\"count\">1</span>"), "{cycles}");
    for name in ["ring-a", "ring-b", "ring-c"] {
        assert!(cycles.contains(&format!(">{name}</a>")), "{cycles}");
    }
    let deprecated = between(&problems, "id=\"deprecated-title\"", "</section>");
    assert!(deprecated.contains(">legacy-auth</a>"), "{deprecated}");
    assert!(deprecated.contains(">mobile-bff</a>"), "{deprecated}");
    assert!(!deprecated.contains(">orders</a>"));
    // The cycle shows on its members' pages, and the walk ends.
    let ring = page(&out, "component", "ring-b");
    assert!(ring.contains("is in a dependency cycle"), "{ring}");
    let impact = between(&ring, "<section class=\"card card-impact\"", "</section>");
    assert!(impact.contains("Blast radius <span class=\"count\">2</span>"), "{impact}");
}

#[test]
fn system_pages_show_their_architecture() {
    let (_dir, out) = build();
    let shop = page(&out, "system", "shop");
    let svg = between(&shop, "<svg class=\"graph-svg\"", "</svg>");
    assert!(svg.contains("<title id=\"graph-t\">Architecture of System shop</title>"), "{svg}");
    assert!(svg.contains("<g class=\"gc k-system\">"), "a box around the parts: {svg}");
    for part in ["orders", "orders-api", "web"] {
        assert!(svg.contains(&format!(">{part}</text>")), "{part}: {svg}");
    }
    // The resource in system data is summarised as that system.
    let data = between(svg, "<a href=\"../../../../catalog/default/system/data/\"", "</a>");
    assert!(data.contains("outside"), "{data}");
    assert!(!svg.contains(">orders-db</text>"));
    let domainless = page(&out, "system", "data");
    assert!(domainless.contains(">orders-db</text>"));
}
