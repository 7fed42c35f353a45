//! The command line: formats, exit codes, configuration errors, init.

mod common;

use common::*;

const GOOD: &str = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: good\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n";
const BAD: &str = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: bad\n  tags: [Go 1.15]\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n";

#[test]
fn text_format_names_file_line_ref_and_summarises() {
    let dir = tempdir();
    write_files(dir.path(), &[("bad.yaml", BAD)]);
    let out = portalgen(dir.path(), &["check", "bad.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("bad.yaml:5: error: component:default/bad: tag \"Go 1.15\""), "{text}");
    assert!(text.contains("checked 1 entities: 0 valid, 0 in the catalog; 1 error"), "{text}");
    assert!(!text.contains('\u{1b}'), "no colours when not on a terminal");
}

#[test]
fn warnings_pass_unless_strict() {
    let dir = tempdir();
    write_files(dir.path(), &[("catalog-info.yaml", GOOD)]);
    let out = portalgen(dir.path(), &["check", "."]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("warning: component:default/good: spec.owner refers to group:default/team-a"));
    let strict = portalgen(dir.path(), &["check", "--strict", "."]);
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn github_format_annotates_the_pr() {
    let dir = tempdir();
    write_files(dir.path(), &[("bad.yaml", BAD)]);
    let out = portalgen(dir.path(), &["check", "--format", "github", "bad.yaml"]);
    let text = stdout(&out);
    assert!(text.starts_with("::error file=bad.yaml,line=5,title=component%3Adefault/bad::tag"), "{text}");
}

#[test]
fn json_format_shape() {
    let dir = tempdir();
    write_files(dir.path(), &[("multi.yaml", &format!("{GOOD}---\n---\n{BAD}"))]);
    let out = portalgen(dir.path(), &["check", "--format", "json", "multi.yaml"]);
    let report = json(&stdout(&out));
    let e = &report["entities"];
    assert_eq!(e[0]["ref"], "component:default/good");
    assert_eq!((e[0]["index"].clone(), e[0]["line"].clone()), (0.into(), 1.into()));
    assert_eq!(
        (e[1]["index"].clone(), e[1]["line"].clone()),
        (2.into(), 10.into()),
        "empty documents count; a document starts at its --- line"
    );
    assert_eq!(e[1]["valid"], false);
    let p = report["problems"].as_array().cloned().unwrap_or_default();
    let error = p.iter().find(|p| p["severity"] == "error").cloned().unwrap_or_default();
    assert_eq!(error["line"], 15);
    assert_eq!(error["ref"], "component:default/bad");
    assert_eq!(error["file"], "multi.yaml");
}

#[test]
fn files_named_on_the_command_line_are_checked_whatever_their_name() {
    let dir = tempdir();
    write_files(dir.path(), &[("weird-name.txt", GOOD), ("nested/deep/catalog-info.yaml", BAD)]);
    let out = portalgen(dir.path(), &["check", "--format", "json", "weird-name.txt", "nested"]);
    let report = json(&stdout(&out));
    let files: Vec<&str> =
        report["entities"].as_array().into_iter().flatten().filter_map(|e| e["file"].as_str()).collect();
    assert_eq!(files, ["weird-name.txt", "nested/deep/catalog-info.yaml"], "command-line order");
}

#[test]
fn missing_path_is_an_error_not_a_crash() {
    let dir = tempdir();
    let out = portalgen(dir.path(), &["check", "nope.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("nope.yaml: error: no such file or folder"));
}

#[test]
fn configuration_errors_exit_2_and_name_the_key() {
    let dir = tempdir();
    write_files(dir.path(), &[("site.toml", "[site]\ntitle = \"x\"\nbase_ur = \"/\"\n")]);
    let out = portalgen(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("site.toml") && err.contains("base_ur"), "{err}");
    let missing = portalgen(dir.path(), &["--config", "other.toml", "check"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("other.toml"));
    let usage = portalgen(dir.path(), &["check", "--format", "xml"]);
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn init_creates_a_site_that_builds() {
    let dir = tempdir();
    let out = portalgen(dir.path(), &["init", "portal"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let build = portalgen(dir.path(), &["--config", "portal/site.toml", "build"]);
    assert!(build.status.success(), "{}", stderr(&build));
    assert!(stderr(&build).contains("0 errors, 0 warnings"), "{}", stderr(&build));
    let entities = json(&read(&dir.path().join("portal/public/api/entities.json")));
    assert_eq!(entities.as_array().map(Vec::len), Some(5));
    let again = portalgen(dir.path(), &["init", "portal"]);
    assert_eq!(again.status.code(), Some(2), "init never overwrites");
}

#[test]
fn build_output_is_swapped_in_whole() {
    let dir = tempdir();
    write_files(
        dir.path(),
        &[
            ("site.toml", "[[sources]]\nname = \"a\"\npath = \".\"\n"),
            ("catalog-info.yaml", GOOD),
            ("public/stale.html", "old"),
        ],
    );
    let out = portalgen(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!dir.path().join("public/stale.html").exists(), "the old site is replaced, not merged");
    assert!(dir.path().join("public/api/entities.json").exists());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("staging"))
        .collect();
    assert!(leftovers.is_empty(), "no staging folder left behind");
}

#[test]
fn help_is_useful_for_each_command() {
    let dir = tempdir();
    for cmd in ["build", "check", "init"] {
        let out = portalgen(dir.path(), &[cmd, "--help"]);
        assert!(out.status.success());
        assert!(stdout(&out).len() > 200, "{cmd} --help:\n{}", stdout(&out));
    }
}

#[test]
fn a_missing_source_folder_is_reported_and_the_rest_builds() {
    let dir = tempdir();
    write_files(
        dir.path(),
        &[
            (
                "site.toml",
                "[[sources]]\nname = \"gone\"\npath = \"nowhere\"\n\n[[sources]]\nname = \"here\"\npath = \"repo\"\n",
            ),
            ("repo/catalog-info.yaml", GOOD),
        ],
    );
    let out = portalgen(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("source \"gone\": folder"), "{}", stderr(&out));
    let entities = json(&read(&dir.path().join("public/api/entities.json")));
    assert_eq!(entities.as_array().map(Vec::len), Some(1));
}
