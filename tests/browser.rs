//! The portal in a real browser (headless Chromium, driven by
//! tests/browser/site.mjs): accessibility with axe-core at desktop and phone
//! widths in light and dark mode, catalog filters with their state in the
//! URL, the theme toggle, keyboard access, and no request to another host.
//!
//! Needs Node, /usr/bin/chromium and `npm ci` in tests/browser (.ci/run
//! installs them). Without them the test says why and stops — unless
//! PORTALGEN_REQUIRE_BROWSER is set, as CI sets it, when that is a failure.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

#[test]
fn demo_portal_in_headless_chromium() {
    run_browser_script("site.mjs");
}

/// The header search box and the results page (tests/browser/search.mjs).
#[test]
fn search_in_headless_chromium() {
    run_browser_script("search.mjs");
}

/// API definition views (tests/browser/api.mjs).
#[test]
fn api_definitions_in_headless_chromium() {
    run_browser_script("api.mjs");
}

/// TechDocs pages (tests/browser/docs.mjs).
#[test]
fn docs_in_headless_chromium() {
    run_browser_script("docs.mjs");
}

/// `portalgen serve`: an open entity page follows an edit of its catalog
/// file, and shows (then clears) the error overlay (tests/browser/serve.mjs).
#[test]
fn serve_live_reload_in_headless_chromium() {
    let project = Path::new(env!("CARGO_MANIFEST_DIR"));
    if !browser_ready(project) {
        return;
    }
    let dir = tempdir();
    let long = "Lots of text. ".repeat(400);
    write_files(
        dir.path(),
        &[
            ("site.toml", "[site]\ntitle = \"Serve\"\n\n[[sources]]\nname = \"repo\"\npath = \"repo\"\ncatalog = [\"**/catalog-info.yaml\"]\n"),
            (
                "repo/web/catalog-info.yaml",
                &format!("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: web\n  description: First description\n  annotations:\n    note: {long}\nspec:\n  type: website\n  lifecycle: production\n  owner: team-a\n"),
            ),
        ],
    );
    let mut server = Command::new(env!("CARGO_BIN_EXE_portalgen"))
        .current_dir(dir.path())
        .args(["serve", "--port", "0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run portalgen serve: {e}"));
    let mut url = String::new();
    if let Some(stdout) = server.stdout.take() {
        use std::io::BufRead;
        for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(at) = line.find("http://") {
                url = line[at..].split_whitespace().next().unwrap_or("").to_string();
                break;
            }
        }
    }
    let run = Command::new("node")
        .current_dir(project.join("tests/browser"))
        .arg("serve.mjs")
        .arg(format!("{url}catalog/default/component/web/"))
        .arg(dir.path().join("repo/web/catalog-info.yaml"))
        .output();
    let _ = server.kill();
    let _ = server.wait();
    let run = run.unwrap_or_else(|e| panic!("node: {e}"));
    let report = String::from_utf8_lossy(&run.stdout);
    assert!(!url.is_empty(), "portalgen serve printed no URL");
    assert!(run.status.success(), "browser tests failed:\n{report}\n{}", String::from_utf8_lossy(&run.stderr));
    assert!(report.contains(" passed, 0 failed"), "{report}");
}

/// Whether node, Chromium and the test's packages are there (CI requires them).
fn browser_ready(project: &Path) -> bool {
    let browser_dir = project.join("tests/browser");
    let node_ok = Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let ready = node_ok && Path::new(&chromium).exists() && browser_dir.join("node_modules/playwright-core").exists();
    if !ready {
        let why = "needs node, chromium and `npm ci --prefix tests/browser`";
        assert!(std::env::var_os("PORTALGEN_REQUIRE_BROWSER").is_none(), "browser test cannot run: {why}");
        eprintln!("skipped: {why}");
    }
    ready
}

fn run_browser_script(script: &str) {
    let project = Path::new(env!("CARGO_MANIFEST_DIR"));
    let browser_dir = project.join("tests/browser");
    if !browser_ready(project) {
        return;
    }
    let dir = tempdir();
    let out = dir.path().join("site");
    let out_str = out.to_string_lossy().into_owned();
    let build = portalgen(project, &["build", "--out", &out_str]);
    assert!(build.status.success(), "{}", stderr(&build));
    let run = Command::new("node")
        .current_dir(&browser_dir)
        .arg(script)
        .arg(&out)
        .output()
        .unwrap_or_else(|e| panic!("node: {e}"));
    let report = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "browser tests failed:\n{report}\n{}", String::from_utf8_lossy(&run.stderr));
    assert!(report.contains(" passed, 0 failed"), "{report}");
}

/// Relation graphs measured with the browser's own fonts (tests/browser/graph.mjs):
/// on every entity page no node overlaps another, every label fits its node,
/// text stays readable at phone width; the explorer draws, filters and zooms.
#[test]
fn relation_graphs_in_headless_chromium() {
    let project = Path::new(env!("CARGO_MANIFEST_DIR"));
    let browser_dir = project.join("tests/browser");
    let node_ok = Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !(node_ok && Path::new(&chromium).exists() && browser_dir.join("node_modules/playwright-core").exists()) {
        let why = "needs node, chromium and `npm ci --prefix tests/browser`";
        assert!(std::env::var_os("PORTALGEN_REQUIRE_BROWSER").is_none(), "browser test cannot run: {why}");
        eprintln!("skipped: {why}");
        return;
    }
    let dir = tempdir();
    let out = dir.path().join("site");
    let build = portalgen(project, &["build", "--out", &out.to_string_lossy()]);
    assert!(build.status.success(), "{}", stderr(&build));
    let run = Command::new("node")
        .current_dir(&browser_dir)
        .arg("graph.mjs")
        .arg(&out)
        .output()
        .unwrap_or_else(|e| panic!("node: {e}"));
    let report = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "graph browser tests failed:\n{report}\n{}", String::from_utf8_lossy(&run.stderr));
    assert!(report.contains(" passed, 0 failed"), "{report}");
}
