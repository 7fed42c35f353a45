//! Incremental rebuilds (`portalgen serve`) write exactly the site a full
//! build writes: randomised sequences of edits to a small organisation
//! (entities added, removed, renamed and moved, owners, relations and
//! descriptions changed, YAML broken and fixed, placeholder targets, content
//! pages, templates), each followed by an incremental rebuild, compared file
//! by file with a full build of the same input.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::*;
use portalgen::config::Config;
use portalgen::pipeline::{self, LoadOptions};
use portalgen::serve::session::Session;
use portalgen::serve::watch::Changes;

/// A small deterministic random number generator (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const GROUPS: [&str; 3] = ["team-a", "team-b", "team-c"];

fn component(name: &str, title: &str, description: &str, owner: &str, depends: &[String]) -> String {
    let deps = if depends.is_empty() {
        String::new()
    } else {
        format!("  dependsOn:\n{}", depends.iter().map(|d| format!("    - component:{d}\n")).collect::<String>())
    };
    format!(
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: {name}\n  title: {title}\n  description: {description}\nspec:\n  type: service\n  lifecycle: production\n  owner: {owner}\n  system: shop\n{deps}"
    )
}

fn org(groups: &[(&str, Option<&str>)]) -> String {
    let mut out = String::from(
        "apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata:\n  name: shop\nspec:\n  owner: team-a\n",
    );
    for (g, parent) in groups {
        out.push_str(&format!(
            "---\napiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: {g}\nspec:\n  type: team\n  children: []\n{}",
            parent.map(|p| format!("  parent: {p}\n")).unwrap_or_default()
        ));
    }
    out.push_str(
        "---\napiVersion: backstage.io/v1alpha1\nkind: User\nmetadata:\n  name: ada\nspec:\n  memberOf: [team-a]\n",
    );
    out
}

const API: &str = "apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: orders-api\n  description: Orders\nspec:\n  type: openapi\n  lifecycle: production\n  owner: team-b\n  system: shop\n  definition:\n    $text: ./openapi.yaml\n";

fn openapi(version: usize) -> String {
    format!("openapi: 3.0.0\ninfo:\n  title: Orders\n  version: 1.{version}.0\npaths:\n  /orders:\n    get:\n      summary: List orders v{version}\n")
}

struct Org {
    dir: PathBuf,
    /// Component folder → (name, title, description, owner, depends).
    components: BTreeMap<String, (String, String, String, String, Vec<String>)>,
    next: usize,
}

impl Org {
    fn write_component(&self, folder: &str) -> PathBuf {
        let (name, title, description, owner, deps) = &self.components[folder];
        let path = self.dir.join("repo").join(folder).join("catalog-info.yaml");
        write_files(
            &self.dir,
            &[(&format!("repo/{folder}/catalog-info.yaml"), &component(name, title, description, owner, deps))],
        );
        path
    }

    fn new(dir: &Path) -> Org {
        write_files(
            dir,
            &[
                (
                    "site.toml",
                    "[site]\ntitle = \"Incremental\"\nbase_url = \"/\"\n\n[[sources]]\nname = \"repo\"\npath = \"repo\"\ncatalog = [\"**/catalog-info.yaml\"]\n",
                ),
                ("repo/org/catalog-info.yaml", &org(&[("team-a", None), ("team-b", Some("team-a")), ("team-c", None)])),
                ("repo/api/catalog-info.yaml", API),
                ("repo/api/openapi.yaml", &openapi(0)),
                ("content/index.md", "# Welcome\n\nThe shop.\n"),
                ("content/about.md", "# About\n\nAbout us.\n"),
            ],
        );
        let mut org = Org { dir: dir.to_path_buf(), components: BTreeMap::new(), next: 0 };
        for _ in 0..8 {
            org.add();
        }
        org
    }

    fn add(&mut self) -> PathBuf {
        let n = self.next;
        self.next += 1;
        let folder = format!("svc-{n}");
        let owner = GROUPS[n % GROUPS.len()].to_string();
        self.components.insert(
            folder.clone(),
            (folder.clone(), format!("Service {n}"), format!("Does thing {n}"), owner, Vec::new()),
        );
        self.write_component(&folder)
    }

    /// One random edit; returns the paths it changed.
    fn edit(&mut self, rng: &mut Rng) -> Vec<PathBuf> {
        let folders: Vec<String> = self.components.keys().cloned().collect();
        let pick = |rng: &mut Rng| folders[rng.below(folders.len())].clone();
        match rng.below(14) {
            0 => {
                let f = pick(rng);
                self.components.get_mut(&f).unwrap().2 = format!("Now does {}", rng.below(1000));
                vec![self.write_component(&f)]
            }
            1 => {
                let f = pick(rng);
                let owners = ["team-a", "team-b", "team-c", "team-missing", "user:ada"];
                self.components.get_mut(&f).unwrap().3 = owners[rng.below(owners.len())].to_string();
                vec![self.write_component(&f)]
            }
            2 => vec![self.add()],
            3 if folders.len() > 2 => {
                let f = pick(rng);
                self.components.remove(&f);
                let path = self.dir.join("repo").join(&f);
                std::fs::remove_dir_all(&path).unwrap();
                vec![path]
            }
            4 => {
                // Rename the entity (same file).
                let f = pick(rng);
                self.components.get_mut(&f).unwrap().0 = format!("renamed-{}", rng.below(1000));
                vec![self.write_component(&f)]
            }
            5 => {
                // Move the file to another folder.
                let f = pick(rng);
                let entry = self.components.remove(&f).unwrap();
                let to = format!("moved-{}", self.next);
                self.next += 1;
                std::fs::rename(self.dir.join("repo").join(&f), self.dir.join("repo").join(&to)).unwrap();
                self.components.insert(to.clone(), entry);
                vec![self.dir.join("repo").join(&f), self.dir.join("repo").join(&to)]
            }
            6 => {
                // Break the YAML; a later rewrite of the component fixes it.
                let f = pick(rng);
                let path = self.dir.join("repo").join(&f).join("catalog-info.yaml");
                std::fs::write(
                    &path,
                    "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: [broken\n",
                )
                .unwrap();
                vec![path]
            }
            7 => {
                let f = pick(rng);
                let target = self.components[&pick(rng)].0.clone();
                let deps = &mut self.components.get_mut(&f).unwrap().4;
                if deps.is_empty() || rng.below(2) == 0 {
                    deps.push(target);
                } else {
                    deps.clear();
                }
                vec![self.write_component(&f)]
            }
            8 => {
                let f = pick(rng);
                self.components.get_mut(&f).unwrap().1 = format!("{} Service", ["Alpha", "Zulu", "Mid"][rng.below(3)]);
                vec![self.write_component(&f)]
            }
            9 => {
                let parent = [None, Some("team-a"), Some("team-c")][rng.below(3)];
                let extra = rng.below(2) == 0;
                let mut groups = vec![("team-a", None), ("team-b", parent), ("team-c", None)];
                if extra {
                    groups.push(("team-d", Some("team-b")));
                }
                write_files(&self.dir, &[("repo/org/catalog-info.yaml", &org(&groups))]);
                vec![self.dir.join("repo/org/catalog-info.yaml")]
            }
            10 => {
                write_files(&self.dir, &[("repo/api/openapi.yaml", &openapi(rng.below(100)))]);
                vec![self.dir.join("repo/api/openapi.yaml")]
            }
            11 => {
                let n = rng.below(3);
                let (rel, text) = match n {
                    0 => ("content/about.md".to_string(), format!("# About {}\n\nAbout us.\n", rng.below(100))),
                    1 => ("content/index.md".to_string(), format!("# Welcome\n\nThe shop, day {}.\n", rng.below(100))),
                    _ => (format!("content/page-{}.md", rng.below(3)), format!("# Page\n\nText {}.\n", rng.below(100))),
                };
                write_files(&self.dir, &[(&rel, &text)]);
                vec![self.dir.join(rel)]
            }
            12 => {
                let path = self.dir.join("templates/page.html");
                if path.exists() {
                    std::fs::remove_file(&path).unwrap();
                } else {
                    write_files(
                        &self.dir,
                        &[("templates/page.html", "{% extends \"base.html\" %}{% block content %}<article class=\"custom\">{{ content_html | safe }}</article>{% endblock %}")],
                    );
                }
                vec![path]
            }
            _ => {
                // Fix every broken file by writing all components again.
                folders.iter().map(|f| self.write_component(f)).collect()
            }
        }
    }
}

fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
            files.insert(rel, std::fs::read(entry.path()).unwrap());
        }
    }
    files
}

fn full_build(config_path: &Path, out: &Path) -> BTreeMap<String, Vec<u8>> {
    let config = Config::load(config_path).unwrap();
    let loaded = pipeline::load_catalog(&config, LoadOptions { offline: true });
    pipeline::write_site(&config, &loaded, out).unwrap();
    snapshot(out)
}

fn assert_same(step: &str, incremental: &BTreeMap<String, Vec<u8>>, full: &BTreeMap<String, Vec<u8>>) {
    let a: Vec<&String> = incremental.keys().collect();
    let b: Vec<&String> = full.keys().collect();
    let only_incremental: Vec<_> = a.iter().filter(|f| !full.contains_key(**f)).collect();
    let only_full: Vec<_> = b.iter().filter(|f| !incremental.contains_key(**f)).collect();
    assert!(
        only_incremental.is_empty() && only_full.is_empty(),
        "{step}: files differ: only incremental {only_incremental:?}, only full {only_full:?}"
    );
    for (file, bytes) in incremental {
        if full[file] != *bytes {
            panic!(
                "{step}: {file} differs\n--- incremental\n{}\n--- full\n{}",
                String::from_utf8_lossy(bytes),
                String::from_utf8_lossy(&full[file])
            );
        }
    }
}

fn run(seed: u64, steps: usize) {
    let dir = tempdir();
    let mut org = Org::new(dir.path());
    let config_path = dir.path().join("site.toml");
    let out = dir.path().join("public");
    let full_out = dir.path().join("full");
    let mut session = Session::new(&config_path, Some(out.clone()), LoadOptions { offline: true }).unwrap();
    session.full_build();
    assert_same("first build", &snapshot(&out), &full_build(&config_path, &full_out));
    let mut rng = Rng(seed);
    let mut history = Vec::new();
    for step in 0..steps {
        let paths = org.edit(&mut rng);
        history.push(
            paths
                .iter()
                .map(|p| p.strip_prefix(dir.path()).unwrap().display().to_string())
                .collect::<Vec<_>>()
                .join(" "),
        );
        let changes = Changes { paths: paths.into_iter().collect(), rescan: false };
        session.rebuild(&changes);
        let label = format!("seed {seed}, step {step} (edits: {})", history.join(" | "));
        assert_same(&label, &snapshot(&out), &full_build(&config_path, &full_out));
    }
}

#[test]
fn incremental_rebuilds_equal_full_builds() {
    for seed in [0x9e3779b97f4a7c15, 42, 7] {
        run(seed, 20);
    }
}
