//! `portalgen check` gives the same verdict (valid, ingested) as Backstage
//! itself for every document of the oracle's cases, the real-world corpus,
//! Backstage's example catalog and our own extra cases. The oracle's verdicts
//! are stored as JSON lines (see ../shared/oracle and
//! tests/fixtures/oracle-extra/expected.jsonl), so no Node is needed.
//!
//! One documented divergence: relative `$text`/`$json`/`$yaml` placeholders
//! are resolved against the entity's file (Backstage does this only for
//! files registered by URL), so for those documents the oracle's URL-mode
//! verdict is the reference.

mod common;

use std::collections::HashMap;
use std::path::Path;

use common::*;
use serde_json::Value;

type Verdicts = HashMap<(String, u64), Value>;

fn oracle_lines(path: &Path) -> Vec<Value> {
    read(path).lines().filter(|l| !l.trim().is_empty()).map(json).collect()
}

fn key(v: &Value) -> Option<(String, u64)> {
    Some((v["file"].as_str()?.to_string(), v["index"].as_u64()?))
}

fn check_json(dir: &Path, files: &[String]) -> Verdicts {
    let mut args = vec!["check", "--format", "json"];
    args.extend(files.iter().map(String::as_str));
    let out = portalgen(dir, &args);
    let code = out.status.code();
    assert!(code == Some(0) || code == Some(1), "exit {code:?}: {}", stderr(&out));
    let report = json(&stdout(&out));
    report["entities"].as_array().into_iter().flatten().filter_map(|e| Some((key(e)?, e.clone()))).collect()
}

fn yaml_files(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    files.sort();
    files
}

/// Compares every oracle line with portalgen's verdict for the same document.
fn assert_same_verdicts(dir: &Path, files: &[String], expected: &[Value], url_mode: &[Value]) {
    let mine = check_json(dir, files);
    let url: Verdicts = url_mode.iter().filter_map(|v| Some((key(v)?, v.clone()))).collect();
    let mut mismatches = Vec::new();
    let mut compared = 0;
    for line in expected {
        let Some(k) = key(line) else { continue };
        let relative_placeholder = line["error"].as_str().is_some_and(|e| e.contains("could not form a URL out of"));
        let reference = if relative_placeholder { url.get(&k).unwrap_or(line) } else { line };
        compared += 1;
        match mine.get(&k) {
            None => mismatches.push(format!("{k:?}: missing from portalgen's report")),
            Some(m) => {
                for field in ["ref", "valid", "ingested"] {
                    if m[field] != reference[field] {
                        mismatches.push(format!(
                            "{k:?} {field}: oracle {} portalgen {} (oracle error: {})",
                            reference[field], m[field], reference["error"]
                        ));
                    }
                }
            }
        }
    }
    assert!(compared > 0, "no oracle lines compared in {}", dir.display());
    assert!(mismatches.is_empty(), "{} mismatches:\n{}", mismatches.len(), mismatches.join("\n"));
}

#[test]
fn oracle_cases() {
    let dir = shared().join("oracle/cases");
    let expected = oracle_lines(&shared().join("oracle/expected/cases-file-mode.jsonl"));
    let url = oracle_lines(&shared().join("oracle/expected/cases-url-mode.jsonl"));
    assert_same_verdicts(&dir, &yaml_files(&dir), &expected, &url);
}

#[test]
fn real_world_corpus() {
    let dir = shared().join("corpus/real-world");
    let expected = oracle_lines(&shared().join("oracle/expected/real-world-file-mode.jsonl"));
    assert_same_verdicts(&dir, &yaml_files(&dir), &expected, &[]);
}

#[test]
fn backstage_example_catalog() {
    let dir = shared().join("corpus/backstage-examples");
    let expected = oracle_lines(&shared().join("oracle/expected/backstage-examples-file-mode.jsonl"));
    let url = oracle_lines(&shared().join("oracle/expected/backstage-examples-url-mode.jsonl"));
    let files = ["all.yaml", "acme-corp.yaml", "templates/conditional-output-demo/template.yaml"].map(String::from);
    assert_same_verdicts(&dir, &files, &expected, &url);
}

#[test]
fn extra_cases() {
    let dir = fixtures().join("oracle-extra");
    let expected = oracle_lines(&dir.join("expected.jsonl"));
    assert_same_verdicts(&dir, &yaml_files(&dir), &expected, &[]);
}

/// When the oracle is installed (`npm ci` in ../shared/oracle), re-run it on
/// the extra cases so the stored verdicts cannot drift from Backstage.
#[test]
fn extra_cases_fixture_matches_live_oracle() {
    let oracle = shared().join("oracle");
    let node_ok = std::process::Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    if !node_ok || !oracle.join("node_modules/@backstage/catalog-model").exists() {
        eprintln!("skipped: Node or the oracle's node_modules are not installed");
        return;
    }
    let dir = fixtures().join("oracle-extra");
    let dir_str = dir.to_string_lossy().into_owned();
    let mut args = vec![
        "validate.mjs".to_string(),
        "--follow".into(),
        "--redact".into(),
        dir_str.clone(),
        "--relative-to".into(),
        dir_str,
    ];
    args.extend(yaml_files(&dir).into_iter().map(|f| dir.join(f).to_string_lossy().into_owned()));
    let out = std::process::Command::new("node")
        .current_dir(&oracle)
        .args(&args)
        .output()
        .unwrap_or_else(|e| panic!("node: {e}"));
    assert!(out.status.success(), "oracle failed: {}", String::from_utf8_lossy(&out.stderr));
    let live: Vec<Value> = String::from_utf8_lossy(&out.stdout).lines().map(json).collect();
    let stored = oracle_lines(&dir.join("expected.jsonl"));
    let verdict = |v: &Value| (key(v), v["ref"].clone(), v["valid"].clone(), v["ingested"].clone());
    let mut live: Vec<_> = live.iter().map(verdict).collect();
    let mut stored: Vec<_> = stored.iter().map(verdict).collect();
    live.sort_by_key(|v| format!("{v:?}"));
    stored.sort_by_key(|v| format!("{v:?}"));
    assert_eq!(live, stored, "re-record tests/fixtures/oracle-extra/expected.jsonl with the oracle");
}
