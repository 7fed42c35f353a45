//! Building the catalog from real files: relations of Backstage's example
//! catalog, annotations, conflicts, the JSON written by `portalgen build`.

mod common;

use std::collections::BTreeMap;

use common::*;
use serde_json::Value;

fn build_examples(dir: &std::path::Path) -> Vec<Value> {
    let corpus = shared().join("corpus/backstage-examples");
    let site = format!(
        "[site]\ntitle = \"t\"\noutput = \"out\"\n\n[[sources]]\nname = \"examples\"\npath = {:?}\ncatalog = [\"all.yaml\", \"acme-corp.yaml\", \"templates/conditional-output-demo/template.yaml\"]\n",
        corpus.to_string_lossy()
    );
    write_files(dir, &[("site.toml", &site)]);
    let out = portalgen(dir, &["build"]);
    assert!(out.status.success(), "build failed: {}", stderr(&out));
    json(&read(&dir.join("out/api/entities.json"))).as_array().cloned().unwrap_or_default()
}

fn entity_ref(e: &Value) -> String {
    format!(
        "{}:{}/{}",
        e["kind"].as_str().unwrap_or("").to_lowercase(),
        e["metadata"]["namespace"].as_str().unwrap_or("").to_lowercase(),
        e["metadata"]["name"].as_str().unwrap_or("").to_lowercase()
    )
}

/// Every entity of the example catalog, with exactly the relations Backstage gives it.
#[test]
fn example_catalog_relations_match_backstage() {
    let dir = tempdir();
    let entities = build_examples(dir.path());
    let mut expected: BTreeMap<String, Value> = BTreeMap::new();
    for name in ["backstage-examples-file-mode.jsonl", "backstage-examples-url-mode.jsonl"] {
        for line in read(&shared().join("oracle/expected").join(name)).lines() {
            let v = json(line);
            if v["ingested"] == Value::Bool(true) {
                if let Some(r) = v["ref"].as_str() {
                    // URL mode (the last file read) resolves relative placeholders, as portalgen does.
                    expected.insert(r.to_string(), v["relations"].clone());
                }
            }
        }
    }
    let got: BTreeMap<String, Value> = entities.iter().map(|e| (entity_ref(e), e["relations"].clone())).collect();
    assert_eq!(got.keys().collect::<Vec<_>>(), expected.keys().collect::<Vec<_>>(), "same entities");
    for (r, rels) in &expected {
        assert_eq!(&got[r], rels, "relations of {r}");
    }
    assert!(got.len() > 50, "the example catalog has {} entities", got.len());
}

#[test]
fn entities_json_has_backstage_shape_sorted_by_ref() {
    let dir = tempdir();
    let entities = build_examples(dir.path());
    let refs: Vec<String> = entities.iter().map(entity_ref).collect();
    let mut sorted = refs.clone();
    sorted.sort();
    assert_eq!(refs, sorted);
    let first = &entities[0];
    let keys: Vec<&str> = first.as_object().map(|m| m.keys().map(String::as_str).collect()).unwrap_or_default();
    assert_eq!(keys, ["apiVersion", "kind", "metadata", "spec", "relations"]);
    let artist = entities.iter().find(|e| entity_ref(e) == "component:default/artist-lookup");
    let annotations = &artist.map(|e| e["metadata"]["annotations"].clone()).unwrap_or_default();
    let location = annotations["backstage.io/managed-by-location"].as_str().unwrap_or("");
    assert!(
        location.starts_with("file:../")
            && location.ends_with("/backstage-examples/components/artist-lookup-component.yaml"),
        "{location}"
    );
    let origin = annotations["backstage.io/managed-by-origin-location"].as_str().unwrap_or("");
    assert!(origin.starts_with("file:") && origin.ends_with("/backstage-examples/all.yaml"), "{origin}");
    // The petstore webhook API's $text placeholder was resolved from its own folder.
    let webhook = entities.iter().find(|e| entity_ref(e) == "api:default/petstore-webhook");
    let definition = webhook.and_then(|e| e["spec"]["definition"].as_str()).unwrap_or("");
    assert!(definition.contains("openapi"), "definition: {definition:.80}");
}

#[test]
fn rebuild_is_byte_identical() {
    let dir = tempdir();
    build_examples(dir.path());
    let first = read(&dir.path().join("out/api/entities.json"));
    let out = portalgen(dir.path(), &["build"]);
    assert!(out.status.success());
    assert_eq!(first, read(&dir.path().join("out/api/entities.json")));
}

#[test]
fn source_url_gives_view_edit_and_source_links() {
    let dir = tempdir();
    write_files(
        dir.path(),
        &[
            (
                "site.toml",
                "[[sources]]\nname = \"svc\"\npath = \"repo\"\nurl = \"https://github.com/acme/svc/blob/main/\"\n",
            ),
            (
                "repo/services/a/catalog-info.yaml",
                "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: a\nspec: {type: service, lifecycle: production, owner: team}\n",
            ),
        ],
    );
    let out = portalgen(dir.path(), &["build", "--out", "site"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let entities = json(&read(&dir.path().join("site/api/entities.json")));
    let a = &entities[0]["metadata"]["annotations"];
    let file = "https://github.com/acme/svc/blob/main/services/a/catalog-info.yaml";
    assert_eq!(a["backstage.io/managed-by-location"], format!("url:{file}"));
    assert_eq!(a["backstage.io/view-url"], file);
    assert_eq!(a["backstage.io/edit-url"], "https://github.com/acme/svc/edit/main/services/a/catalog-info.yaml");
    assert_eq!(a["backstage.io/source-location"], "url:https://github.com/acme/svc/tree/main/services/a/");
}

#[test]
fn conflicting_files_first_wins_and_both_are_named() {
    let dir = tempdir();
    let entity = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: Dup\nspec: {type: service, lifecycle: production, owner: team}\n";
    write_files(dir.path(), &[("a/catalog-info.yaml", entity), ("b/catalog-info.yaml", &entity.replace("Dup", "dup"))]);
    let out = portalgen(dir.path(), &["check", "--format", "json", "."]);
    assert_eq!(out.status.code(), Some(1));
    let report = json(&stdout(&out));
    let ingested: Vec<(&str, bool)> = report["entities"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| (e["file"].as_str().unwrap_or(""), e["ingested"] == Value::Bool(true)))
        .collect();
    assert_eq!(ingested, [("a/catalog-info.yaml", true), ("b/catalog-info.yaml", false)]);
    let problem = &report["problems"].as_array().into_iter().flatten().find(|p| p["severity"] == "error").cloned();
    let message = problem.as_ref().and_then(|p| p["message"].as_str()).unwrap_or("");
    assert!(message.contains("a/catalog-info.yaml"), "{message}");
    assert_eq!(problem.as_ref().map(|p| p["file"].clone()), Some(Value::from("b/catalog-info.yaml")));
}

#[test]
fn placeholders_cannot_leave_the_repository() {
    let dir = tempdir();
    write_files(
        dir.path(),
        &[
            ("secret.txt", "top secret"),
            ("repo/.git/HEAD", "ref: refs/heads/main\n"),
            (
                "repo/catalog-info.yaml",
                "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: sneaky\nspec:\n  type: openapi\n  lifecycle: production\n  owner: team\n  definition:\n    $text: ../secret.txt\n",
            ),
        ],
    );
    let out = portalgen(dir.path(), &["check", "--format", "json", "repo"]);
    let report = json(&stdout(&out));
    assert_eq!(report["entities"][0]["valid"], Value::Bool(false));
    let message = report["problems"][0]["message"].as_str().unwrap_or("");
    assert!(message.contains("outside the repository"), "{message}");
    assert_eq!(report["problems"][0]["line"], 9, "the line of spec.definition");
}

#[cfg(unix)]
#[test]
fn symlinks_cannot_leave_the_source() {
    let dir = tempdir();
    write_files(
        dir.path(),
        &[
            ("outside/catalog-info.yaml", "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: outsider\nspec: {type: team, children: []}\n"),
            ("site.toml", "[[sources]]\nname = \"repo\"\npath = \"repo\"\n"),
            ("repo/README.md", "x"),
        ],
    );
    std::os::unix::fs::symlink(dir.path().join("outside/catalog-info.yaml"), dir.path().join("repo/catalog-info.yaml"))
        .unwrap_or_else(|e| panic!("symlink: {e}"));
    let out = portalgen(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("outside the source"), "{}", stdout(&out));
}
