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

fn run_browser_script(script: &str) {
    let project = Path::new(env!("CARGO_MANIFEST_DIR"));
    let browser_dir = project.join("tests/browser");
    let node_ok = Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let ready = node_ok && Path::new(&chromium).exists() && browser_dir.join("node_modules/playwright-core").exists();
    if !ready {
        let why = "needs node, chromium and `npm ci --prefix tests/browser`";
        assert!(std::env::var_os("PORTALGEN_REQUIRE_BROWSER").is_none(), "browser test cannot run: {why}");
        eprintln!("skipped: {why}");
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
