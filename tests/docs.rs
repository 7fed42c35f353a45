//! TechDocs in the portal: refs resolved (dir:, url:, techdocs-entity),
//! pages written under docs/<namespace>/<kind>/<name>/ with the docs' own
//! navigation, links rewritten and checked with file and line, assets copied
//! from docs_dir only, and bad refs reported while everything else builds.

mod common;

use common::*;

const CATALOG: &str = r#"apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments
  title: Payments service
  annotations:
    backstage.io/techdocs-ref: dir:.
spec:
  type: service
  lifecycle: production
  owner: team-pay
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: payments-api
  annotations:
    backstage.io/techdocs-entity: component:payments
spec:
  type: openapi
  lifecycle: production
  owner: team-pay
  definition: "openapi: 3.0.0"
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: escapee
  annotations:
    backstage.io/techdocs-ref: dir:../../outside
spec:
  type: service
  lifecycle: production
  owner: team-pay
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: nodocs
  annotations:
    backstage.io/techdocs-ref: dir:./missing
spec:
  type: service
  lifecycle: production
  owner: team-pay
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ledger
  annotations:
    backstage.io/techdocs-ref: url:https://github.com/acme/repo/tree/main/ledger
spec:
  type: service
  lifecycle: production
  owner: team-pay
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-pay
spec:
  type: team
  children: []
"#;

fn org(dir: &std::path::Path) {
    write_files(
        dir,
        &[
            (
                "site.toml",
                "[site]\ntitle = \"Acme\"\n\n[[sources]]\nname = \"repo\"\npath = \"repo\"\ncatalog = [\"catalog-info.yaml\"]\nurl = \"https://github.com/acme/repo/blob/main/\"\n",
            ),
            ("repo/catalog-info.yaml", CATALOG),
            (
                "repo/mkdocs.yml",
                "site_name: Payments\nrepo_url: https://github.com/acme/repo\nedit_uri: edit/main/docs/\nnav:\n  - Home: index.md\n  - Guide:\n    - guide/setup.md\n  - Ext: https://example.com/\nplugins:\n  - techdocs-core\n  - some-unknown-plugin\nmarkdown_extensions:\n  - pymdownx.snippets:\n      base_path: [snippets]\n",
            ),
            (
                "repo/docs/index.md",
                "# Payments\n\nSee [setup](guide/setup.md#install) and [the ledger](../ledger/docs/index.md).\n\n![logo](img/logo.png)\n\nBroken: [nope](nope.md) and [anchor](guide/setup.md#no-such-heading).\n\nOutside: ![x](../secret.png)\n",
            ),
            ("repo/docs/guide/setup.md", "# Setup\n\n## Install\n\nBack [home](../index.md).\n"),
            ("repo/docs/orphan.md", "# Orphan\n\nNot in nav.\n"),
            ("repo/docs/img/logo.png", "PNG"),
            ("repo/secret.png", "SECRET"),
            ("repo/ledger/mkdocs.yml", "site_name: Ledger\n"),
            ("repo/ledger/docs/index.md", "# Ledger docs\n\nBack to [payments](../../docs/index.md).\n"),
        ],
    );
}

#[test]
fn entity_docs_are_rendered_linked_and_checked() {
    let dir = tempdir();
    org(dir.path());
    let out = portalgen(dir.path(), &["build"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let public = dir.path().join("public");
    let base = public.join("docs/default/component/payments");
    let home = read(&base.join("index.html"));
    // Docs nav with sections, current page, external link; entity and owner.
    assert!(home.contains("aria-current=\"page\">Home</a>"), "{home}");
    assert!(home.contains("<summary>Guide</summary>"));
    assert!(home.contains("href=\"https://example.com/\""));
    assert!(home.contains("Payments service"), "owning entity shown");
    assert!(home.contains("team-pay"), "owner shown");
    assert!(home.contains("https://github.com/acme/repo/edit/main/docs/index.md"), "edit link");
    // Links rewritten to page URLs, anchors kept; other entity's docs linked.
    assert!(home.contains("href=\"guide/setup/#install\""), "{home}");
    assert!(home.contains("href=\"../ledger/\""), "link into another entity's docs: {home}");
    assert!(base.join("guide/setup/index.html").is_file());
    assert!(base.join("orphan/index.html").is_file(), "pages missing from nav are still built");
    // Assets from docs_dir only.
    assert_eq!(std::fs::read_to_string(base.join("img/logo.png")).unwrap_or_default(), "PNG");
    assert!(!public.join("docs/default/component/secret.png").exists());
    assert!(!base.join("secret.png").exists());
    // Prev/next.
    let setup = read(&base.join("guide/setup/index.html"));
    assert!(setup.contains("rel=\"prev\""), "{setup}");
    assert!(setup.contains("href=\"../../\""), "link back home: {setup}");
    // url: ref resolved into the configured source.
    assert!(public.join("docs/default/component/ledger/index.html").is_file());
    // Entity pages link to their docs; techdocs-entity shares them.
    let entity = read(&public.join("catalog/default/component/payments/index.html"));
    assert!(entity.contains("../../../../docs/default/component/payments/"), "{entity}");
    let api = read(&public.join("catalog/default/api/payments-api/index.html"));
    assert!(api.contains("../../../../docs/default/component/payments/"), "{api}");
    // Problems: file and line, and the rest still builds.
    for needle in [
        "repo/docs/index.md:7: warning: component:default/payments: broken link to nope.md",
        "repo/docs/index.md:7: warning: component:default/payments: broken anchor",
        "repo/docs/index.md:9: warning: component:default/payments: image to ../secret.png points outside docs_dir",
        "orphan.md is not in the nav",
        "some-unknown-plugin",
        "component:default/escapee: backstage.io/techdocs-ref dir:../../outside leads outside the repository",
        "component:default/nodocs: backstage.io/techdocs-ref dir:./missing: no mkdocs.yml",
    ] {
        assert!(err.contains(needle), "missing {needle:?} in:\n{err}");
    }
    assert!(public.join("catalog/default/component/escapee/index.html").is_file());
    let escapee = read(&public.join("catalog/default/component/escapee/index.html"));
    assert!(escapee.contains("leads outside the repository"), "problem shown on the entity page");
    // The catalog data knows which entities have docs (the "has docs" filter).
    let data = read(&public.join("catalog/_data/entities.js"));
    assert!(data.contains("\"docs\":true") && data.contains("\"docs\":false"));
}

#[test]
fn check_reports_docs_problems() {
    let dir = tempdir();
    org(dir.path());
    let out = portalgen(dir.path(), &["check", "--format", "json"]);
    let report = json(&stdout(&out));
    let problems = report["problems"].as_array().cloned().unwrap_or_default();
    let broken = problems
        .iter()
        .find(|p| p["message"].as_str().is_some_and(|m| m.contains("broken link to nope.md")))
        .unwrap_or_else(|| panic!("no broken-link problem in {problems:?}"));
    assert_eq!(broken["file"], "repo/docs/index.md");
    assert_eq!(broken["line"], 7);
    assert_eq!(broken["ref"], "component:default/payments");
}

#[test]
fn large_docs_sets_collapse_the_navigation() {
    let dir = tempdir();
    let mut files: Vec<(String, String)> = vec![
        (
            "site.toml".into(),
            "[site]\ntitle = \"Big\"\n\n[[sources]]\nname = \"repo\"\npath = \"repo\"\ncatalog = [\"catalog-info.yaml\"]\n".into(),
        ),
        (
            "repo/catalog-info.yaml".into(),
            "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: big\n  annotations:\n    backstage.io/techdocs-ref: dir:.\nspec:\n  type: service\n  lifecycle: production\n  owner: x\n".into(),
        ),
        ("repo/mkdocs.yml".into(), "site_name: Big\n".into()),
        ("repo/docs/index.md".into(), "# Big\n".into()),
    ];
    for s in 0..20 {
        for p in 0..20 {
            files.push((format!("repo/docs/section-{s:02}/page-{p:02}.md"), format!("# Page {s}.{p}\n\ntext\n")));
        }
    }
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    write_files(dir.path(), &refs);
    let out = portalgen(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = read(&dir.path().join("public/docs/default/component/big/section-03/page-07/index.html"));
    let nav_links = page.matches("<li><a href=").count() + page.matches("docs-nav-collapsed").count();
    // The current section's 20 pages and the 20 sections, not all 421 entries.
    assert!(nav_links < 60, "{nav_links} nav entries");
    assert!(page.contains("aria-current=\"page\">Page 3.7</a>"));
    assert!(page.contains("<summary>Section 03</summary>"), "implicit nav section titles");
}
