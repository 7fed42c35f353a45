//! Git sources, end to end: every test makes its own bare repositories with
//! git2 in a temporary folder and builds real sites from them as `file://`
//! URLs (one test talks to an HTTP server on the loopback address it starts
//! itself). Nothing touches the network.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::*;
use git2::build::TreeUpdateBuilder;
use git2::{FileMode, Oid, Repository, Signature};

/// A bare repository whose default branch is `main`.
struct Bare {
    repo: Repository,
    path: PathBuf,
}

enum F<'a> {
    Text(&'a str),
    Link(&'a str),
    Gone,
}

fn bare(dir: &Path, name: &str) -> Bare {
    let path = dir.join(format!("{name}.git"));
    let mut opts = git2::RepositoryInitOptions::new();
    opts.bare(true).initial_head("main");
    let repo = Repository::init_opts(&path, &opts).unwrap_or_else(|e| panic!("init {}: {e}", path.display()));
    Bare { repo, path }
}

impl Bare {
    fn url(&self) -> String {
        format!("file://{}", self.path.display())
    }

    /// Commits `files` on top of `branch` (created when missing) and returns the commit.
    fn commit(&self, branch: &str, files: &[(&str, F)]) -> Oid {
        let repo = &self.repo;
        let refname = format!("refs/heads/{branch}");
        let parent = repo.refname_to_id(&refname).ok().and_then(|id| repo.find_commit(id).ok());
        let base = match &parent {
            Some(c) => c.tree().unwrap_or_else(|e| panic!("{e}")),
            None => {
                let empty = repo.treebuilder(None).and_then(|b| b.write()).unwrap_or_else(|e| panic!("{e}"));
                repo.find_tree(empty).unwrap_or_else(|e| panic!("{e}"))
            }
        };
        let mut update = TreeUpdateBuilder::new();
        for (path, f) in files {
            match f {
                F::Text(text) => {
                    let oid = repo.blob(text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
                    update.upsert(*path, oid, FileMode::Blob);
                }
                F::Link(target) => {
                    let oid = repo.blob(target.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
                    update.upsert(*path, oid, FileMode::Link);
                }
                F::Gone => {
                    update.remove(*path);
                }
            }
        }
        let tree_id = update.create_updated(repo, &base).unwrap_or_else(|e| panic!("{e}"));
        let tree = repo.find_tree(tree_id).unwrap_or_else(|e| panic!("{e}"));
        let time = git2::Time::new(1_700_000_000, 0);
        let sig = Signature::new("Test", "test@example.com", &time).unwrap_or_else(|e| panic!("{e}"));
        let parents: Vec<&git2::Commit> = parent.iter().collect();
        repo.commit(Some(&refname), &sig, &sig, "change", &tree, &parents).unwrap_or_else(|e| panic!("{e}"))
    }

    /// An annotated tag on a commit.
    fn tag(&self, name: &str, commit: Oid) {
        let object = self.repo.find_object(commit, None).unwrap_or_else(|e| panic!("{e}"));
        let sig = Signature::new("Test", "test@example.com", &git2::Time::new(1_700_000_000, 0))
            .unwrap_or_else(|e| panic!("{e}"));
        self.repo.tag(name, &object, &sig, "release", false).unwrap_or_else(|e| panic!("{e}"));
    }

    fn set_origin(&self, url: &str) {
        self.repo.remote("origin", url).unwrap_or_else(|e| panic!("{e}"));
    }
}

fn component(name: &str) -> String {
    format!(
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: {name}\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n"
    )
}

const TEAM: &str =
    "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\nspec:\n  type: team\n  children: []\n";

/// A project folder with `site.toml` = `[site]` + `sources` + a local
/// source with the group that owns every component (so `--strict` passes).
fn project(dir: &Path, sources: &str) -> PathBuf {
    let project = dir.join("project");
    let toml = format!("[site]\ntitle = \"Git test\"\n\n{sources}\n[[sources]]\nname = \"org\"\npath = \"org\"\n");
    write_files(&project, &[("site.toml", &toml), ("org/catalog-info.yaml", TEAM)]);
    project
}

fn build(project: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["build", "--out", "public"];
    args.extend_from_slice(extra);
    portalgen(project, &args)
}

fn build_ok(project: &Path, extra: &[&str]) -> String {
    let o = build(project, extra);
    assert!(o.status.success(), "build failed:\n{}", stderr(&o));
    stderr(&o)
}

/// Entity names of the built site, sorted.
fn names(project: &Path) -> Vec<String> {
    let entities = json(&read(&project.join("public/api/entities.json")));
    let mut names: Vec<String> = entities
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["kind"] != "Group")
        .filter_map(|e| e["metadata"]["name"].as_str().map(String::from))
        .collect();
    names.sort();
    names
}

fn entity(project: &Path, name: &str) -> serde_json::Value {
    let entities = json(&read(&project.join("public/api/entities.json")));
    entities
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["metadata"]["name"] == name)
        .cloned()
        .unwrap_or_else(|| panic!("no entity {name}"))
}

fn sources_json(project: &Path) -> Vec<serde_json::Value> {
    json(&read(&project.join("public/api/sources.json")))["sources"].as_array().cloned().unwrap_or_default()
}

/// Every file under `dir`, with its bytes.
fn files_under(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name().into_iter().flatten() {
        if entry.file_type().is_file() {
            out.push((entry.path().to_path_buf(), std::fs::read(entry.path()).unwrap_or_default()));
        }
    }
    out
}

/// The cache entries (bare repositories) of a project.
fn cache_entries(project: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(project.join(".portalgen-cache/git"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')))
        .collect();
    out.sort();
    out
}

#[test]
fn clones_then_updates_after_a_commit_and_rebuilds_identically() {
    let dir = tempdir();
    let a = bare(dir.path(), "a");
    let first = a.commit("main", &[("catalog-info.yaml", F::Text(&component("alpha")))]);
    let b = bare(dir.path(), "b");
    b.commit("main", &[("catalog-info.yaml", F::Text(&component("bravo")))]);
    let project = project(
        dir.path(),
        &format!(
            "[[sources]]\nname = \"a\"\ngit = \"{}\"\n\n[[sources]]\nname = \"b\"\ngit = \"{}\"\n",
            a.url(),
            b.url()
        ),
    );
    let log = build_ok(&project, &[]);
    assert!(log.contains("2 cloned"), "{log}");
    assert_eq!(names(&project), ["alpha", "bravo"]);
    let sources = sources_json(&project);
    assert_eq!(sources[0]["repository"]["commit"], first.to_string());
    assert_eq!(sources[0]["repository"]["ref"], "main");
    assert_eq!(sources[0]["repository"]["ref_type"], "branch");
    assert_eq!(sources[0]["entities"], 1);
    // A file:// repository without a forge keeps file: locations.
    let alpha = entity(&project, "alpha");
    let location = alpha["metadata"]["annotations"]["backstage.io/managed-by-location"].as_str().unwrap_or("");
    assert!(location.starts_with("file:") && location.ends_with("a.git/catalog-info.yaml"), "{location}");
    let page = read(&project.join("public/sources/index.html"));
    assert!(page.contains(&first.to_string()[..12]) && page.contains("a.git"), "{page}");

    // Unchanged input: the same bytes, and no repository is fetched again.
    let before = files_under(&project.join("public"));
    let log = build_ok(&project, &[]);
    assert!(log.contains("0 cloned, 0 updated, 2 unchanged"), "{log}");
    assert!(before == files_under(&project.join("public")), "rebuilding unchanged repositories changed the site");

    // A new commit in one repository: only that one is fetched.
    let second = a.commit("main", &[("more/catalog-info.yaml", F::Text(&component("charlie")))]);
    let log = build_ok(&project, &[]);
    assert!(log.contains("1 updated, 1 unchanged"), "{log}");
    assert_eq!(names(&project), ["alpha", "bravo", "charlie"]);
    assert_eq!(sources_json(&project)[0]["repository"]["commit"], second.to_string());
}

#[test]
fn branches_tags_and_commits() {
    let dir = tempdir();
    let r = bare(dir.path(), "r");
    let v1 = r.commit("main", &[("catalog-info.yaml", F::Text(&component("at-v1")))]);
    r.tag("v1", v1);
    r.commit("main", &[("catalog-info.yaml", F::Text(&component("at-main")))]);
    r.commit("dev", &[("catalog-info.yaml", F::Text(&component("at-dev")))]);
    let sources = format!(
        "[[sources]]\nname = \"main\"\ngit = \"{u}\"\n\n[[sources]]\nname = \"dev\"\ngit = \"{u}\"\nbranch = \"dev\"\n\n[[sources]]\nname = \"tag\"\ngit = \"{u}\"\ntag = \"v1\"\n\n[[sources]]\nname = \"rev\"\ngit = \"{u}\"\nrev = \"{v1}\"\n",
        u = r.url()
    );
    // The tag and the commit hold the same entity: the second is a conflict, as in Backstage.
    let project = project(dir.path(), &sources);
    let log = build_ok(&project, &[]);
    assert_eq!(names(&project), ["at-dev", "at-main", "at-v1"], "{log}");
    assert!(log.contains("already defined"), "{log}");
    let s = sources_json(&project);
    assert_eq!(s[1]["repository"]["ref"], "dev");
    assert_eq!(s[2]["repository"]["ref_type"], "tag");
    assert_eq!(s[2]["repository"]["commit"], v1.to_string());
    assert_eq!(s[3]["repository"]["ref_type"], "commit");
    assert_eq!(s[3]["repository"]["commit"], v1.to_string());
    // A commit already in the cache needs no fetch; a missing branch is reported.
    let log = build_ok(&project, &[]);
    assert!(log.contains("4 unchanged"), "{log}");
    let missing = format!("{sources}\n[[sources]]\nname = \"gone\"\ngit = \"{}\"\nbranch = \"nope\"\n", r.url());
    let project = self::project(dir.path(), &missing);
    let log = build_ok(&project, &[]);
    assert!(log.contains("source \"gone\"") && log.contains("branch nope does not exist"), "{log}");
}

#[test]
fn a_monorepo_subpath_and_forge_links() {
    let dir = tempdir();
    let mono = bare(dir.path(), "mono");
    mono.set_origin("git@github.com:acme/mono.git");
    mono.commit(
        "main",
        &[
            ("services/pay/catalog-info.yaml", F::Text(&component("pay"))),
            ("services/ship/catalog-info.yaml", F::Text(&component("ship"))),
        ],
    );
    let project = project(
        dir.path(),
        &format!("[[sources]]\nname = \"pay\"\ngit = \"{}\"\nsubpath = \"services/pay\"\n", mono.url()),
    );
    build_ok(&project, &[]);
    assert_eq!(names(&project), ["pay"]);
    let pay = entity(&project, "pay");
    let a = &pay["metadata"]["annotations"];
    let blob = "https://github.com/acme/mono/blob/main/services/pay/catalog-info.yaml";
    assert_eq!(a["backstage.io/managed-by-location"], format!("url:{blob}"));
    assert_eq!(a["backstage.io/view-url"], blob);
    assert_eq!(a["backstage.io/edit-url"], "https://github.com/acme/mono/edit/main/services/pay/catalog-info.yaml");
    assert_eq!(a["backstage.io/source-location"], "url:https://github.com/acme/mono/tree/main/services/pay/");
    let page = read(&project.join("public/catalog/default/component/pay/index.html"));
    assert!(page.contains(blob) && page.contains("View source"), "the entity page links to the file");
    let s = &sources_json(&project)[0]["repository"];
    assert_eq!(s["web_url"], "https://github.com/acme/mono");
    assert!(s["commit_url"].as_str().is_some_and(|u| u.starts_with("https://github.com/acme/mono/commit/")));

    // Other forges, chosen with `forge` when the host does not tell.
    let cases = [
        (
            "gitlab",
            "https://git.example.test/acme/mono/-/blob/main/services/pay/catalog-info.yaml",
            "https://git.example.test/acme/mono/-/edit/main/services/pay/catalog-info.yaml",
        ),
        (
            "bitbucket",
            "https://git.example.test/acme/mono/src/main/services/pay/catalog-info.yaml",
            "https://git.example.test/acme/mono/src/main/services/pay/catalog-info.yaml?mode=edit",
        ),
        (
            "gitea",
            "https://git.example.test/acme/mono/src/branch/main/services/pay/catalog-info.yaml",
            "https://git.example.test/acme/mono/_edit/main/services/pay/catalog-info.yaml",
        ),
    ];
    mono.repo.remote_set_url("origin", "https://git.example.test/acme/mono.git").unwrap_or_else(|e| panic!("{e}"));
    for (forge, view, edit) in cases {
        let project = self::project(
            dir.path(),
            &format!(
                "[[sources]]\nname = \"pay\"\ngit = \"{}\"\nsubpath = \"services/pay\"\nforge = \"{forge}\"\n",
                mono.url()
            ),
        );
        build_ok(&project, &[]);
        let a = entity(&project, "pay")["metadata"]["annotations"].clone();
        assert_eq!(a["backstage.io/view-url"], view, "{forge}");
        assert_eq!(a["backstage.io/edit-url"], edit, "{forge}");
    }
}

#[test]
fn url_targets_into_a_configured_repository_resolve_from_it() {
    let dir = tempdir();
    let main = bare(dir.path(), "main");
    main.set_origin("https://github.com/acme/main.git");
    let other = bare(dir.path(), "other");
    other.set_origin("https://github.com/acme/other.git");
    other.commit(
        "main",
        &[
            ("extra/one.yaml", F::Text(&component("one"))),
            ("extra/two.yaml", F::Text(&component("two"))),
            ("api.yaml", F::Text("openapi: 3.0.0\n")),
        ],
    );
    let location = "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: more\nspec:\n  type: url\n  targets:\n    - https://github.com/acme/other/blob/main/extra/one.yaml\n    - https://github.com/acme/other/tree/main/extra/two.yaml\n    - ./local.yaml\n---\napiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: api\nspec:\n  type: openapi\n  lifecycle: production\n  owner: team-a\n  definition:\n    $text: https://github.com/acme/other/blob/main/api.yaml\n";
    main.commit("main", &[("catalog-info.yaml", F::Text(location)), ("local.yaml", F::Text(&component("three")))]);
    let project = project(
        dir.path(),
        &format!(
            "[[sources]]\nname = \"main\"\ngit = \"{}\"\n\n[[sources]]\nname = \"other\"\ngit = \"{}\"\ncatalog = []\n",
            main.url(),
            other.url()
        ),
    );
    let log = build_ok(&project, &[]);
    assert_eq!(names(&project), ["api", "more", "one", "three", "two"], "{log}");
    assert_eq!(entity(&project, "api")["spec"]["definition"], "openapi: 3.0.0\n");
    let one = entity(&project, "one");
    assert_eq!(
        one["metadata"]["annotations"]["backstage.io/managed-by-origin-location"],
        "url:https://github.com/acme/main/blob/main/catalog-info.yaml"
    );
}

#[test]
fn an_unreachable_repository_beside_good_ones() {
    let dir = tempdir();
    let good = bare(dir.path(), "good");
    good.commit("main", &[("catalog-info.yaml", F::Text(&component("good")))]);
    let flaky = bare(dir.path(), "flaky");
    flaky.commit("main", &[("catalog-info.yaml", F::Text(&component("flaky")))]);
    let gone = dir.path().join("nowhere.git");
    let project = project(
        dir.path(),
        &format!(
            "[[sources]]\nname = \"good\"\ngit = \"{}\"\n\n[[sources]]\nname = \"flaky\"\ngit = \"{}\"\n\n[[sources]]\nname = \"gone\"\ngit = \"file://{}\"\n",
            good.url(),
            flaky.url(),
            gone.display()
        ),
    );
    let log = build_ok(&project, &[]);
    assert_eq!(names(&project), ["flaky", "good"]);
    assert!(log.contains("source \"gone\"") && log.contains("nothing from it is in the portal"), "{log}");
    let s = sources_json(&project);
    assert_eq!(s[2]["repository"]["commit"], serde_json::Value::Null);
    assert!(s[2]["problems"][0]["message"].as_str().is_some_and(|m| m.contains("could not be fetched")));
    assert!(read(&project.join("public/sources/index.html")).contains("could not be fetched"));
    let strict = build(&project, &["--strict"]);
    assert_eq!(strict.status.code(), Some(1), "{}", stderr(&strict));

    // A repository that was fetched before and is now unreachable: its cached commit is used.
    std::fs::rename(&flaky.path, dir.path().join("moved.git")).unwrap_or_else(|e| panic!("{e}"));
    let log = build_ok(&project, &[]);
    assert_eq!(names(&project), ["flaky", "good"]);
    assert!(log.contains("source \"flaky\"") && log.contains("uses the cached commit"), "{log}");
}

#[test]
fn a_repository_that_loses_its_catalog_file() {
    let dir = tempdir();
    let r = bare(dir.path(), "r");
    r.commit("main", &[("catalog-info.yaml", F::Text(&component("short-lived"))), ("README.md", F::Text("hi"))]);
    let project = project(dir.path(), &format!("[[sources]]\nname = \"r\"\ngit = \"{}\"\n", r.url()));
    build_ok(&project, &[]);
    assert_eq!(names(&project), ["short-lived"]);
    r.commit("main", &[("catalog-info.yaml", F::Gone)]);
    let log = build_ok(&project, &["--strict"]);
    assert!(names(&project).is_empty(), "{log}");
    assert_eq!(sources_json(&project)[0]["files"], 0);
}

#[test]
fn a_damaged_cache_is_cloned_again() {
    let dir = tempdir();
    let r = bare(dir.path(), "r");
    r.commit("main", &[("catalog-info.yaml", F::Text(&component("sturdy")))]);
    let project = project(dir.path(), &format!("[[sources]]\nname = \"r\"\ngit = \"{}\"\n", r.url()));
    build_ok(&project, &[]);
    let entries = cache_entries(&project);
    assert_eq!(entries.len(), 1);
    let entry = &entries[0];

    // Garbage in every object file.
    for (path, _) in files_under(&entry.join("objects")) {
        std::fs::write(&path, b"garbage").unwrap_or_else(|e| panic!("{e}"));
    }
    let log = build_ok(&project, &["--strict"]);
    assert!(log.contains("damaged") && log.contains("cloning it again"), "{log}");
    assert!(log.contains("1 cloned"), "{log}");
    assert_eq!(names(&project), ["sturdy"]);

    // A clone interrupted before its record was written.
    std::fs::remove_file(entry.join("portalgen/record.json")).unwrap_or_else(|e| panic!("{e}"));
    let log = build_ok(&project, &["--strict"]);
    assert!(log.contains("interrupted") && log.contains("1 cloned"), "{log}");
    assert_eq!(names(&project), ["sturdy"]);

    // Offline, a damaged entry is not used either.
    std::fs::write(entry.join("portalgen/record.json"), b"{\"url\": ").unwrap_or_else(|e| panic!("{e}"));
    let o = build(&project, &["--offline"]);
    assert!(o.status.success());
    assert!(stderr(&o).contains("damaged") && stderr(&o).contains("not in the git cache"), "{}", stderr(&o));
    assert!(names(&project).is_empty());
}

#[test]
fn symlinks_never_lead_outside_the_repository() {
    let dir = tempdir();
    write_files(dir.path(), &[("secret.yaml", &component("stolen"))]);
    let r = bare(dir.path(), "r");
    let described = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: peeker\n  description:\n    $text: ./escape.yaml\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n";
    r.commit(
        "main",
        &[
            ("real/thing.yaml", F::Text(&component("inside"))),
            ("inside.yaml", F::Link("real/thing.yaml")),
            ("escape.yaml", F::Link("../../secret.yaml")),
            ("absolute.yaml", F::Link("/etc/hostname")),
            ("peeker.yaml", F::Text(described)),
        ],
    );
    let project = project(
        dir.path(),
        &format!(
            "[[sources]]\nname = \"r\"\ngit = \"{}\"\ncatalog = [\"inside.yaml\", \"escape.yaml\", \"absolute.yaml\", \"peeker.yaml\"]\n",
            r.url()
        ),
    );
    let log = build_ok(&project, &[]);
    assert_eq!(names(&project), ["inside"], "{log}");
    assert_eq!(log.matches("leads outside the source").count(), 3, "{log}");
    let public = files_under(&project.join("public"));
    assert!(!public.iter().any(|(_, bytes)| String::from_utf8_lossy(bytes).contains("stolen")));
}

#[test]
fn offline_builds_from_the_cache_alone() {
    let dir = tempdir();
    let r = bare(dir.path(), "r");
    r.commit("main", &[("catalog-info.yaml", F::Text(&component("cached")))]);
    let project = project(dir.path(), &format!("[[sources]]\nname = \"r\"\ngit = \"{}\"\n", r.url()));
    let o = portalgen(&project, &["--offline", "build", "--out", "public", "--strict"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not in the git cache") && stderr(&o).contains("without --offline"), "{}", stderr(&o));
    build_ok(&project, &[]);
    // New commits and even a vanished remote do not matter offline.
    r.commit("main", &[("more.yaml", F::Text(&component("newer")))]);
    std::fs::remove_dir_all(&r.path).unwrap_or_else(|e| panic!("{e}"));
    let log = build_ok(&project, &["--offline", "--strict"]);
    assert!(log.contains("from the cache (offline)"), "{log}");
    assert_eq!(names(&project), ["cached"]);
    let check = portalgen(&project, &["check", "--offline"]);
    assert!(check.status.success(), "{}", stderr(&check));
    assert!(stdout(&check).contains("2 in the catalog"), "{}", stdout(&check));
}

#[test]
fn many_repositories_from_a_list_a_folder_and_a_pattern() {
    let dir = tempdir();
    let repos = dir.path().join("project/checkouts");
    for name in ["one", "two"] {
        let mut opts = git2::RepositoryInitOptions::new();
        opts.initial_head("main");
        let repo = Repository::init_opts(repos.join(name), &opts).unwrap_or_else(|e| panic!("{e}"));
        let b = Bare { repo, path: repos.join(name) };
        b.commit("main", &[("catalog-info.yaml", F::Text(&component(&format!("dir-{name}"))))]);
    }
    std::fs::create_dir_all(repos.join("not-a-repo")).unwrap_or_else(|e| panic!("{e}"));
    let mut list = String::from("# one repository per line\n");
    for name in ["l1", "l2"] {
        let b = bare(&dir.path().join("listed"), name);
        b.commit("main", &[("catalog-info.yaml", F::Text(&component(&format!("list-{name}"))))]);
        list.push_str(&format!("{}\n\n", b.url()));
    }
    for name in ["p1", "p2"] {
        let b = bare(&dir.path().join("patterned"), name);
        b.commit("main", &[("catalog-info.yaml", F::Text(&component(&format!("pattern-{name}"))))]);
    }
    write_files(&dir.path().join("project"), &[("repos.txt", &list)]);
    let project = project(
        dir.path(),
        &format!(
            "[[sources]]\nname = \"dir\"\ngit_dir = \"checkouts\"\n\n[[sources]]\nname = \"list\"\ngit_list = \"repos.txt\"\n\n[[sources]]\nname = \"pattern\"\ngit_pattern = \"file://{}/{{name}}.git\"\nnames = [\"p1\", \"p2\"]\n",
            dir.path().join("patterned").display()
        ),
    );
    let log = build_ok(&project, &["--strict"]);
    assert_eq!(names(&project), ["dir-one", "dir-two", "list-l1", "list-l2", "pattern-p1", "pattern-p2"], "{log}");
    let s: Vec<String> = sources_json(&project).iter().filter_map(|s| s["name"].as_str().map(String::from)).collect();
    assert_eq!(s, ["dir/one", "dir/two", "list/l1", "list/l2", "pattern/p1", "pattern/p2", "org"]);
    // A checkout is shown at its own path, as if it were a local folder.
    let one = entity(&project, "dir-one");
    assert_eq!(
        one["metadata"]["annotations"]["backstage.io/managed-by-location"],
        "file:checkouts/one/catalog-info.yaml"
    );
    // Nothing was written into the checkouts.
    assert!(!repos.join("one/catalog-info.yaml").exists());
}

#[test]
fn configuration_errors_name_the_source() {
    let dir = tempdir();
    let project = project(dir.path(), "[[sources]]\nname = \"x\"\npath = \"a\"\ngit = \"b\"\n");
    // (the helper adds a valid local source after it)
    let o = build(&project, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("source \"x\"") && stderr(&o).contains("exactly one of"), "{}", stderr(&o));
    let project = self::project(dir.path(), "[[sources]]\nname = \"x\"\ngit = \"b\"\nclone_depth = 1\n");
    let o = build(&project, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("clone_depth"), "{}", stderr(&o));
}

/// An HTTP server on the loopback address that refuses every request with
/// 401 and keeps the requests it saw.
struct AuthServer {
    url: String,
    seen: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    addr: std::net::SocketAddr,
}

impl AuthServer {
    fn start() -> AuthServer {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
        let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (seen2, stop2) = (seen.clone(), stop.clone());
        std::thread::spawn(move || {
            // Bounded: a handful of requests, then the server ends by itself.
            for stream in listener.incoming().take(20) {
                if stop2.load(std::sync::atomic::Ordering::SeqCst) {
                    break;
                }
                let Ok(mut s) = stream else { continue };
                let _ = s.set_read_timeout(Some(std::time::Duration::from_secs(5)));
                let mut request = Vec::new();
                let mut chunk = [0u8; 4096];
                while let Ok(n) = s.read(&mut chunk) {
                    if n == 0 {
                        break;
                    }
                    request.extend_from_slice(&chunk[..n]);
                    if request.windows(4).any(|w| w == b"\r\n\r\n") {
                        break;
                    }
                }
                if let Ok(mut seen) = seen2.lock() {
                    seen.push(String::from_utf8_lossy(&request).into_owned());
                }
                let _ = s.write_all(b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            }
        });
        AuthServer { url: format!("http://{addr}/acme/private.git"), seen, stop, addr }
    }
}

impl Drop for AuthServer {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        let _ = std::net::TcpStream::connect(self.addr);
    }
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn the_token_is_used_but_never_written_anywhere() {
    const TOKEN: &str = "tok-5ecret-a9f3e1";
    let dir = tempdir();
    let good = bare(dir.path(), "good");
    good.commit("main", &[("catalog-info.yaml", F::Text(&component("good")))]);
    let server = AuthServer::start();
    let project = project(
        dir.path(),
        &format!(
            "[git]\ntoken_env = \"PORTALGEN_TEST_TOKEN\"\n\n[[sources]]\nname = \"good\"\ngit = \"{}\"\n\n[[sources]]\nname = \"private\"\ngit = \"{}\"\n",
            good.url(),
            server.url
        ),
    );
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_portalgen"))
            .current_dir(&project)
            .args(args)
            .env("PORTALGEN_TEST_TOKEN", TOKEN)
            .env("NO_COLOR", "1")
            .output()
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let o = run(&["build", "--out", "public"]);
    let log = format!("{}{}", stdout(&o), stderr(&o));
    assert!(o.status.success(), "{log}");
    assert!(log.contains("source \"private\"") && log.contains("authentication failed"), "{log}");
    assert!(log.contains("PORTALGEN_TEST_TOKEN"), "the message names the variable to check: {log}");
    let check = run(&["check", "--format", "json"]);
    let check_log = format!("{}{}", stdout(&check), stderr(&check));
    // The token was offered to the server...
    let offered = base64(format!("git:{TOKEN}").as_bytes());
    let seen = server.seen.lock().map(|s| s.join("\n")).unwrap_or_default();
    assert!(seen.contains(&format!("Authorization: Basic {offered}")), "{seen}");
    // ...and appears nowhere else: logs, the site, the cache.
    for text in [&log, &check_log] {
        assert!(!text.contains(TOKEN) && !text.contains(&offered), "{text}");
    }
    for folder in [project.join("public"), project.join(".portalgen-cache")] {
        for (path, bytes) in files_under(&folder) {
            let text = String::from_utf8_lossy(&bytes);
            assert!(!text.contains(TOKEN) && !text.contains(&offered), "{} holds the token", path.display());
        }
    }
    assert_eq!(names(&project), ["good"]);
}

/// `git daemon` serving `base` on a free loopback port, stopped on drop.
struct Daemon {
    child: std::process::Child,
    port: u16,
}

impl Daemon {
    /// `None` when this machine has no `git daemon` (the test then says so).
    fn start(base: &Path) -> Option<Daemon> {
        let port = std::net::TcpListener::bind("127.0.0.1:0").ok()?.local_addr().ok()?.port();
        // `git daemon` would run git-daemon as a child that outlives a kill
        // of `git`; start git-daemon itself so the test can stop it.
        let exec_path = std::process::Command::new("git").arg("--exec-path").output().ok()?;
        let exec_path = String::from_utf8_lossy(&exec_path.stdout).trim().to_string();
        let program = Path::new(&exec_path).join("git-daemon");
        if !program.is_file() {
            return None;
        }
        let child = std::process::Command::new(program)
            .args(["--export-all", "--reuseaddr", "--listen=127.0.0.1"])
            .arg(format!("--port={port}"))
            .arg(format!("--base-path={}", base.display()))
            .arg(base)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .ok()?;
        let daemon = Daemon { child, port };
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Some(daemon);
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        None
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_shallow_clone_over_the_git_protocol_then_an_update() {
    let dir = tempdir();
    let served = dir.path().join("served");
    let r = bare(&served, "r");
    r.commit("main", &[("one.yaml", F::Text(&component("one")))]);
    r.commit("main", &[("two.yaml", F::Text(&component("two")))]);
    let Some(daemon) = Daemon::start(&served) else {
        eprintln!("skipped: `git daemon` is not available on this machine");
        return;
    };
    let project = project(
        dir.path(),
        &format!(
            "[[sources]]\nname = \"r\"\ngit = \"git://127.0.0.1:{}/r.git\"\ncatalog = [\"*.yaml\"]\n",
            daemon.port
        ),
    );
    build_ok(&project, &["--strict"]);
    assert_eq!(names(&project), ["one", "two"]);
    let entry = &cache_entries(&project)[0];
    let cached = Repository::open_bare(entry).unwrap_or_else(|e| panic!("{e}"));
    assert!(cached.is_shallow(), "only the wanted commit is fetched");
    r.commit("main", &[("three.yaml", F::Text(&component("three")))]);
    let log = build_ok(&project, &["--strict"]);
    assert!(log.contains("1 updated"), "{log}");
    assert_eq!(names(&project), ["one", "three", "two"]);
    drop(daemon);
    // The server is gone: the cached commit still builds, with a warning.
    let log = build_ok(&project, &[]);
    assert!(log.contains("uses the cached commit"), "{log}");
    assert_eq!(names(&project), ["one", "three", "two"]);
}
