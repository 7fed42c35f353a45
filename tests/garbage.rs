//! Hostile and broken input gives a clear error on that file, never a panic
//! or a hang, and never loses the other files.

mod common;

use common::*;
use proptest::prelude::*;
use serde_json::Value;

const GOOD: &str = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: survivor\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n";

fn check_dir(files: &[(&str, Vec<u8>)]) -> Value {
    let dir = tempdir();
    for (rel, bytes) in files {
        let path = dir.path().join(rel);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{e}"));
    }
    let out = portalgen(dir.path(), &["check", "--format", "json", "."]);
    assert!(matches!(out.status.code(), Some(0) | Some(1)), "crashed: {:?}\n{}", out.status, stderr(&out));
    json(&stdout(&out))
}

fn assert_garbage_rejected(name: &str, bytes: Vec<u8>, expect: &str) {
    let report = check_dir(&[("bad/catalog-info.yaml", bytes), ("good/catalog-info.yaml", GOOD.as_bytes().to_vec())]);
    let survivor = report["entities"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|e| e["ref"] == "component:default/survivor" && e["ingested"] == true);
    assert!(survivor, "{name}: the good file must still be read: {report}");
    let problems = report["problems"].as_array().cloned().unwrap_or_default();
    let hit = problems.iter().find(|p| p["file"] == "bad/catalog-info.yaml" && p["severity"] == "error");
    let message = hit.and_then(|p| p["message"].as_str()).unwrap_or("");
    assert!(message.contains(expect), "{name}: expected an error containing {expect:?}, got {problems:?}");
}

#[test]
fn binary_file() {
    assert_garbage_rejected("binary", vec![0x7f, b'E', b'L', b'F', 0, 0, 1, 2, 3, 0xff], "binary");
}

#[test]
fn invalid_utf8_is_read_like_backstage_reads_it() {
    let mut bytes = GOOD.replace("survivor", "latin").into_bytes();
    bytes.extend_from_slice(b"  description: caf\xe9\n");
    // Backstage decodes with replacement characters; the entity is still valid.
    let report = check_dir(&[("catalog-info.yaml", bytes)]);
    assert_eq!(report["entities"][0]["valid"], true, "{report}");
}

#[test]
fn tabs_for_indentation() {
    assert_garbage_rejected(
        "tabs",
        b"apiVersion: v1\nkind: Component\nmetadata:\n\tname: x\n".to_vec(),
        "not valid YAML",
    );
}

#[test]
fn alias_bomb() {
    let mut text = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let p = format!("*a{}", i - 1);
        text.push_str(&format!("a{i}: &a{i} [{}]\n", vec![p; 9].join(", ")));
    }
    assert_garbage_rejected("alias bomb", text.into_bytes(), "not valid YAML");
}

#[test]
fn deep_nesting() {
    let text = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
    assert_garbage_rejected("deep", text.into_bytes(), "not valid YAML");
}

#[test]
fn huge_file() {
    let text = format!("apiVersion: x\ndescription: \"{}\"\n", "a".repeat(17 * 1024 * 1024));
    assert_garbage_rejected("huge", text.into_bytes(), "larger than");
}

#[test]
fn list_and_scalar_documents() {
    assert_garbage_rejected("list", b"- a\n- b\n".to_vec(), "a list");
    assert_garbage_rejected("scalar", b"hello\n".to_vec(), "a string");
}

#[test]
fn empty_and_comment_only_files_are_fine() {
    let report =
        check_dir(&[("a/catalog-info.yaml", b"".to_vec()), ("b/catalog-info.yaml", b"# nothing\n---\n".to_vec())]);
    assert_eq!(report["entities"].as_array().map(Vec::len), Some(0));
    assert_eq!(report["problems"].as_array().map(Vec::len), Some(0));
}

#[test]
fn anchors_and_aliases_work() {
    let text = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: &n anchored\n  title: *n\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n";
    let report = check_dir(&[("catalog-info.yaml", text.as_bytes().to_vec())]);
    assert_eq!(report["entities"][0]["valid"], true, "{report}");
}

fn validate_bytes(bytes: &[u8]) {
    use portalgen::entities::{relations, validate, yaml, EntityRef};
    if let Ok(docs) = yaml::parse_file(bytes) {
        for doc in docs {
            if let yaml::DocContent::Object(mut map) = doc.content {
                if validate::check_envelope(&map).is_ok() && validate::apply_policies(&mut map).is_ok() {
                    let _ = validate::check_kind(&map);
                    let _ = validate::check_key_casing(&map);
                    let _ = relations::emit(&map, &EntityRef::new("Component", "default", "x"));
                }
                let path: Vec<String> = vec!["spec".into(), "owner".into()];
                let _ = portalgen::entities::lines::locate(&doc.text, doc.line, &path);
            }
        }
    }
}

fn yaml_fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("apiVersion: backstage.io/v1alpha1\n".to_string()),
        Just("kind: Component\n".to_string()),
        Just("kind: Location\n".to_string()),
        Just("metadata:\n  name: x\n".to_string()),
        Just("metadata: {name: [1]}\n".to_string()),
        Just("spec:\n  owner: [a]\n  type: 1\n".to_string()),
        Just("spec: {dependsOn: [\":x\", \"a:b/\"], providesApis: {a: 1}}\n".to_string()),
        Just("---\n".to_string()),
        Just("...\n".to_string()),
        Just("  - item\n".to_string()),
        Just("\t\n".to_string()),
        Just("&a x: *a\n".to_string()),
        Just("'unclosed\n".to_string()),
        Just("\"k\": |\n  block\n".to_string()),
        "[a-z:\\- \\[\\]{}#&*!|>'\"\n]{0,40}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn parser_and_validator_never_panic_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        validate_bytes(&bytes);
    }

    #[test]
    fn parser_and_validator_never_panic_on_yaml_like_text(parts in proptest::collection::vec(yaml_fragment(), 0..24)) {
        validate_bytes(parts.concat().as_bytes());
    }
}
