//! Stage 1 — sources: where catalog files come from. A source is a tree of
//! files with a root that nothing may leave: a local folder, or a git
//! repository (or a folder of one) read from the fetched commit's objects.
//! The rest of the build sees only [`Source`]: [`Source::list_files`],
//! [`Source::glob`], [`Source::read`], [`Source::exists`], how files are
//! shown and located, and where a URL points.

pub mod forge;
pub mod git;

use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

use globset::{GlobBuilder, GlobSetBuilder};

use crate::config::{Config, SourceSection};
use crate::problems::Severity;
use forge::{Forge, Links, RefKind};

#[derive(Debug)]
pub struct Source {
    pub name: String,
    tree: Tree,
    /// The project folder; files are shown relative to it when inside it.
    project_root: PathBuf,
    pub catalog: Vec<String>,
    /// Forge URL of the root, ending in `/`, when known.
    pub url: Option<String>,
    links: Option<Links>,
    /// Where the files came from, for git sources.
    pub repository: Option<Repository>,
    /// What went wrong reading this source (a missing folder, a failed fetch).
    pub problems: Vec<(Severity, String)>,
    files: OnceLock<Vec<String>>,
    /// How the root folder is shown (see `display`), computed once.
    display_root: OnceLock<String>,
}

/// Where a source's files are read from.
enum Tree {
    Local {
        root: PathBuf,
        /// Folders (relative) already checked to be real folders, not symlinks.
        real_dirs: std::sync::Mutex<std::collections::HashSet<String>>,
    },
    Git {
        tree: git::GitTree,
        /// For repositories on this machine: the folder files are shown in,
        /// as if checked out (`file:` locations, messages).
        on_disk: Option<PathBuf>,
    },
    /// A repository that could not be fetched and has no cached commit.
    Empty,
}

impl std::fmt::Debug for Tree {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Tree::Local { root, .. } => write!(f, "Local({})", root.display()),
            Tree::Git { on_disk, .. } => write!(f, "Git({on_disk:?})"),
            Tree::Empty => f.write_str("Empty"),
        }
    }
}

/// Provenance of a git source: the repository, the ref and the commit built.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Repository {
    /// As configured.
    pub url: String,
    /// The repository's home page on its forge, when known.
    pub web_url: Option<String>,
    pub subpath: Option<String>,
    /// `branch`, `tag` or `commit`.
    pub ref_type: &'static str,
    /// The branch or tag name, or the commit id; none when never fetched.
    #[serde(rename = "ref")]
    pub ref_name: Option<String>,
    pub commit: Option<String>,
    pub commit_url: Option<String>,
    /// When this commit was fetched (from the cache's record), RFC 3339.
    pub fetched_at: Option<String>,
}

/// Folders never searched for catalog files.
pub(crate) const SKIPPED_DIRS: [&str; 3] = [".git", "node_modules", "target"];

impl Source {
    pub fn local(name: &str, root: PathBuf, project_root: &Path, catalog: Vec<String>, url: Option<String>) -> Source {
        let root = absolute(&root);
        let project_root = absolute(project_root);
        let links = url.as_deref().map(Links::from_view_base);
        Source {
            name: name.to_string(),
            tree: Tree::Local { root, real_dirs: Default::default() },
            project_root,
            catalog,
            url: links.as_ref().map(|l| l.view.clone()),
            links,
            repository: None,
            problems: Vec::new(),
            files: OnceLock::new(),
            display_root: OnceLock::new(),
        }
    }

    /// The folder of a local source.
    pub fn local_root(&self) -> Option<&Path> {
        match &self.tree {
            Tree::Local { root, .. } => Some(root),
            _ => None,
        }
    }

    /// Every file of the source (relative, `/`-separated, sorted), skipping
    /// `.git`, `node_modules`, `target` and anything `.gitignore`d.
    pub fn list_files(&self) -> &[String] {
        self.files.get_or_init(|| self.walk(None))
    }

    /// Walks the source, no deeper than `max_depth` folders when given.
    fn walk(&self, max_depth: Option<usize>) -> Vec<String> {
        let Tree::Local { root, .. } = &self.tree else {
            return Vec::new();
        };
        let files = std::sync::Mutex::new(Vec::new());
        let walker = ignore::WalkBuilder::new(root)
            .hidden(false)
            .git_global(false)
            .git_exclude(false)
            // `.ignore` files are a search-tool convention, not git's.
            .ignore(false)
            .require_git(false)
            .follow_links(false)
            .max_depth(max_depth)
            .filter_entry(|e| {
                !(e.file_type().is_some_and(|t| t.is_dir()) && SKIPPED_DIRS.iter().any(|d| e.file_name() == *d))
            })
            .build_parallel();
        walker.run(|| {
            let files = &files;
            Box::new(move |entry| {
                if let Ok(entry) = entry {
                    if entry.file_type().is_some_and(|t| t.is_file() || t.is_symlink()) {
                        if let Some(rel) = entry.path().strip_prefix(root).ok().and_then(to_slash) {
                            if let Ok(mut f) = files.lock() {
                                f.push(rel);
                            }
                        }
                    }
                }
                ignore::WalkState::Continue
            })
        });
        let mut files = files.into_inner().unwrap_or_default();
        files.sort();
        files
    }

    /// The files the source's catalog globs match, sorted. Globs without
    /// `**` cannot match deeper than their own depth, so the walk stops
    /// there (a docs-heavy repository has far more files than catalog files).
    pub fn catalog_files(&self) -> Vec<String> {
        let depth = self.catalog.iter().map(|g| glob_depth(g)).try_fold(0, |max, d| d.map(|d| max.max(d)));
        match depth {
            Some(depth) if self.files.get().is_none() && self.local_root().is_some() => {
                filter_globs(&self.walk(Some(depth)), &self.catalog)
            }
            _ => self.glob(&self.catalog),
        }
    }

    /// Whether the source's catalog globs match `rel`.
    pub fn is_catalog_file(&self, rel: &str) -> bool {
        !filter_globs(&[rel.to_string()], &self.catalog).is_empty()
    }

    /// Files matching any of `patterns` (relative to the root), sorted.
    pub fn glob(&self, patterns: &[String]) -> Vec<String> {
        filter_globs(self.list_files(), patterns)
    }

    /// Reads a file by its relative path. Refuses paths that leave the root,
    /// including through symlinks.
    pub fn read(&self, rel: &str) -> std::io::Result<Vec<u8>> {
        match &self.tree {
            Tree::Local { root, real_dirs } => {
                let path = root.join(rel);
                if is_real_path(root, rel, real_dirs) {
                    return std::fs::read(path);
                }
                let real = std::fs::canonicalize(&path)?;
                // `root` was canonicalised when the source was made.
                if !real.starts_with(root) {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::PermissionDenied,
                        "it leads outside the source (through a symlink)",
                    ));
                }
                std::fs::read(real)
            }
            Tree::Git { tree, .. } => tree.read(rel),
            Tree::Empty => Err(std::io::Error::new(std::io::ErrorKind::NotFound, "the repository was not fetched")),
        }
    }

    pub fn exists(&self, rel: &str) -> bool {
        match &self.tree {
            Tree::Local { root, .. } => root.join(rel).is_file(),
            Tree::Git { tree, .. } => tree.exists(rel),
            Tree::Empty => false,
        }
    }

    /// The file as shown to people: a path relative to the project for local
    /// folders and repositories, the forge URL for other repositories.
    pub fn display(&self, rel: &str) -> String {
        match &self.tree {
            Tree::Local { root, .. } | Tree::Git { on_disk: Some(root), .. } => {
                // Called for every file and problem: the root's part is worked out once.
                // (Only when the root is inside the project: from above it,
                // the file's path may share more with the project's.)
                let prefix = self.display_root.get_or_init(|| display_path(root, &self.project_root));
                match (prefix.as_str(), rel) {
                    (p, _) if p.starts_with("..") || Path::new(p).is_absolute() => {
                        display_path(&root.join(rel), &self.project_root)
                    }
                    (_, "") => prefix.clone(),
                    ("", _) => rel.to_string(),
                    (p, _) => format!("{p}/{rel}"),
                }
            }
            _ => match &self.links {
                Some(links) => links.view_url(rel),
                None => format!("{}:{rel}", self.name),
            },
        }
    }

    /// `url` when the source has a forge URL or is a remote repository,
    /// `file` otherwise (Backstage's location types).
    pub fn location_type(&self) -> &'static str {
        match &self.tree {
            _ if self.links.is_some() => "url",
            Tree::Local { .. } | Tree::Git { on_disk: Some(_), .. } => "file",
            _ => "url",
        }
    }

    /// The location target of a file: its forge URL or its display path.
    pub fn location_target(&self, rel: &str) -> String {
        match (&self.links, &self.repository) {
            (Some(links), _) => links.view_url(rel),
            (None, Some(repo)) if self.location_type() == "url" => {
                let sub = repo.subpath.as_ref().map(|s| format!("{s}/")).unwrap_or_default();
                let home = forge::web_repo(&repo.url).map(|w| w.url()).unwrap_or_else(|| repo.url.clone());
                format!("{home}/{sub}{rel}")
            }
            _ => self.display(rel),
        }
    }

    /// A file's page on the forge (`backstage.io/view-url`).
    pub fn view_url(&self, rel: &str) -> Option<String> {
        self.links.as_ref().map(|l| l.view_url(rel))
    }

    /// A file's edit page on the forge (`backstage.io/edit-url`); none for
    /// tags and commits, which cannot be edited.
    pub fn edit_url(&self, rel: &str) -> Option<String> {
        self.links.as_ref()?.edit_url(rel)
    }

    /// A folder's page on the forge (`backstage.io/source-location`).
    pub fn tree_url(&self, dir: &str) -> Option<String> {
        self.links.as_ref().map(|l| l.tree_url(dir))
    }

    /// `rel` of a URL inside this source, if it points here (the forge's
    /// file, folder and edit forms all match).
    pub fn rel_of_url(&self, url: &str) -> Option<String> {
        let rest = self.links.as_ref()?.rel_of_url(url)?;
        normalize_rel("", &percent_decode(rest))
    }
}

/// True when no part of `rel` is a symlink (then it cannot leave the root),
/// checking each folder once per build instead of resolving every path.
fn is_real_path(root: &Path, rel: &str, real_dirs: &std::sync::Mutex<std::collections::HashSet<String>>) -> bool {
    if rel.split('/').any(|p| p.is_empty() || p == "." || p == "..") {
        return false;
    }
    let mut end = 0;
    while let Some(i) = rel[end..].find('/') {
        let dir = &rel[..end + i];
        let known = real_dirs.lock().is_ok_and(|d| d.contains(dir));
        if !known {
            match std::fs::symlink_metadata(root.join(dir)) {
                Ok(m) if m.is_dir() => {
                    if let Ok(mut d) = real_dirs.lock() {
                        d.insert(dir.to_string());
                    }
                }
                _ => return false,
            }
        }
        end += i + 1;
    }
    std::fs::symlink_metadata(root.join(rel)).is_ok_and(|m| m.is_file())
}

fn filter_globs(files: &[String], patterns: &[String]) -> Vec<String> {
    let mut set = GlobSetBuilder::new();
    for p in patterns {
        if let Ok(g) = GlobBuilder::new(p.trim_start_matches("./")).literal_separator(true).build() {
            set.add(g);
        }
    }
    let Ok(set) = set.build() else {
        return Vec::new();
    };
    files.iter().filter(|f| set.is_match(f.as_str())).cloned().collect()
}

/// How many path segments a glob can match, or `None` when unbounded (`**`).
fn glob_depth(glob: &str) -> Option<usize> {
    let glob = glob.trim_start_matches("./");
    if glob.contains("**") || glob.contains('{') {
        return None;
    }
    Some(glob.split('/').count())
}

/// Joins `target` onto the folder `base_dir` (both relative to a source
/// root) and normalises it; `None` when the result would leave the root.
/// A target starting with `/` is relative to the root.
pub fn normalize_rel(base_dir: &str, target: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    let start = if target.starts_with('/') { "" } else { base_dir };
    for piece in start.split('/').chain(target.split('/')) {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// The folder part of a relative path (`a/b/c.yaml` → `a/b`).
pub fn parent_dir(rel: &str) -> &str {
    rel.rfind('/').map_or("", |i| &rel[..i])
}

/// Decodes `%XX` escapes (invalid ones are kept as written).
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn to_slash(rel: &Path) -> Option<String> {
    let mut parts = Vec::new();
    for c in rel.components() {
        match c {
            Component::Normal(p) => parts.push(p.to_str()?.to_string()),
            _ => return None,
        }
    }
    Some(parts.join("/"))
}

pub fn absolute(path: &Path) -> PathBuf {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| std::env::current_dir().map(|d| d.join(path)).unwrap_or_else(|_| path.to_path_buf()))
}

/// `path` relative to `base` (with `..` where needed), `/`-separated, so
/// messages and `file:` locations do not depend on where the build ran.
pub fn display_path(path: &Path, base: &Path) -> String {
    let path_parts: Vec<Component> = path.components().collect();
    let base_parts: Vec<Component> = base.components().collect();
    let common = path_parts.iter().zip(&base_parts).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return path.display().to_string();
    }
    let mut parts: Vec<String> = base_parts[common..].iter().map(|_| "..".to_string()).collect();
    for c in &path_parts[common..] {
        parts.push(c.as_os_str().to_string_lossy().into_owned());
    }
    parts.join("/")
}

/// How to get the sources of a configuration.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Build git sources from the cache alone.
    pub offline: bool,
}

/// One git repository of a source, before fetching.
struct GitSource {
    name: String,
    target: git::Target,
    subpath: String,
    catalog: Vec<String>,
    forge: Option<Forge>,
    /// The repository's home on its forge: from its URL, or for a local
    /// repository from its `origin` remote (a folder of checkouts links to
    /// the forge the checkouts came from).
    web: Option<forge::WebRepo>,
}

// One per configured repository, briefly: their size does not matter.
#[allow(clippy::large_enum_variant)]
enum Planned {
    Ready(Source),
    /// A repository and its position among the fetch targets.
    Git(GitSource, usize),
}

/// The sources a configuration names, in order; git repositories are
/// fetched (or read from the cache) first. Problems of a source (a missing
/// folder, a repository that could not be fetched) are in its `problems`.
pub fn from_config(config: &Config, options: LoadOptions) -> Vec<Source> {
    let project_root = absolute(&config.root);
    // Each entry: a local source, or a git source with its position in `targets`.
    let mut planned: Vec<Planned> = Vec::new();
    let mut targets: Vec<git::Target> = Vec::new();
    for s in &config.sources {
        if let Some(path) = &s.path {
            let mut source =
                Source::local(&s.name, config.root.join(path), &config.root, s.catalog.clone(), s.url.clone());
            if let Some(root) = source.local_root().filter(|r| !r.is_dir()) {
                let why = format!("folder {} does not exist; fix its `path` (relative to this file)", root.display());
                source.problems.push((Severity::Error, why));
            }
            planned.push(Planned::Ready(source));
            continue;
        }
        let (repos, problems) = expand(config, s);
        if !problems.is_empty() {
            let mut source = Source::empty(&s.name, &project_root, s.catalog.clone());
            source.problems = problems.into_iter().map(|p| (Severity::Error, p)).collect();
            planned.push(Planned::Ready(source));
        }
        for repo in repos {
            // One cache entry per repository and ref: sources sharing them share one fetch.
            let same = |t: &git::Target| t.fetch_url == repo.target.fetch_url && t.want == repo.target.want;
            let index = match targets.iter().position(same) {
                Some(i) => i,
                None => {
                    targets.push(repo.target.clone());
                    targets.len() - 1
                }
            };
            planned.push(Planned::Git(repo, index));
        }
    }
    let settings = git::Settings { cache: config.git_cache_dir(), offline: options.offline, jobs: config.git.jobs };
    let outcomes = git::fetch_all(&targets, &settings);
    planned
        .into_iter()
        .map(|p| match p {
            Planned::Ready(source) => source,
            Planned::Git(repo, index) => git_source(repo, &outcomes[index], &project_root),
        })
        .collect()
}

impl Source {
    fn empty(name: &str, project_root: &Path, catalog: Vec<String>) -> Source {
        Source {
            name: name.to_string(),
            tree: Tree::Empty,
            project_root: project_root.to_path_buf(),
            catalog,
            url: None,
            links: None,
            repository: None,
            problems: Vec::new(),
            files: OnceLock::new(),
            display_root: OnceLock::new(),
        }
    }
}

/// A git source from its fetch outcome.
fn git_source(repo: GitSource, outcome: &git::Outcome, project_root: &Path) -> Source {
    let GitSource { name, target, subpath, catalog, forge, web } = repo;
    let mut source = Source::empty(&name, project_root, catalog);
    if let Some(problem) = &outcome.problem {
        // Stale content still builds; no content at all is an error.
        let severity = if outcome.snapshot.is_some() { Severity::Warning } else { Severity::Error };
        source.problems.push((severity, problem.clone()));
    }
    let forge = forge.or_else(|| web.as_ref().and_then(|w| Forge::infer(&w.host)));
    let snapshot = outcome.snapshot.as_ref();
    let at = snapshot.map(|s| s.at.clone());
    if let (Some(forge), Some(web), Some(at)) = (&forge, &web, &at) {
        source.links = Some(Links::for_repo(forge, web, at, &subpath));
        source.url = source.links.as_ref().map(|l| l.view.clone());
    }
    let commit = snapshot.map(|s| s.commit.to_string());
    source.repository = Some(Repository {
        url: target.url.clone(),
        web_url: web.as_ref().filter(|w| forge.is_some() && !w.host.is_empty()).map(|w| w.url()),
        subpath: (!subpath.is_empty()).then(|| subpath.clone()),
        ref_type: match (&at, &target.want) {
            (Some(RefKind::Tag(_)), _) | (None, git::Want::Tag(_)) => "tag",
            (Some(RefKind::Commit(_)), _) | (None, git::Want::Rev(_)) => "commit",
            _ => "branch",
        },
        ref_name: at.as_ref().map(|a| a.name().to_string()).or(match &target.want {
            git::Want::Branch(b) | git::Want::Tag(b) | git::Want::Rev(b) => Some(b.clone()),
            git::Want::Default => None,
        }),
        commit_url: match (&forge, &web, &commit) {
            (Some(f), Some(w), Some(c)) => forge::commit_url(f, w, c),
            _ => None,
        },
        commit,
        fetched_at: snapshot.map(|s| git::timestamp(s.fetched_at)),
    });
    if let Some(snapshot) = snapshot {
        let (tree, files) = git::GitTree::new(snapshot, &subpath);
        if !subpath.is_empty() && tree.is_empty() {
            source.problems.push((
                Severity::Warning,
                format!(
                    "{}: subpath {subpath} has no files at commit {}; fix `subpath`",
                    target.url,
                    git::short(&snapshot.commit)
                ),
            ));
        }
        let on_disk = target.local_path.as_ref().map(|p| if subpath.is_empty() { p.clone() } else { p.join(&subpath) });
        source.tree = Tree::Git { tree, on_disk };
        let _ = source.files.set(files);
    }
    source
}

/// The repositories of a git source section: one for `git`, many for the
/// other forms. Problems say why a list or folder could not be read.
fn expand(config: &Config, s: &SourceSection) -> (Vec<GitSource>, Vec<String>) {
    let mut urls: Vec<(Option<String>, String)> = Vec::new();
    let mut problems = Vec::new();
    if let Some(url) = &s.git {
        urls.push((None, url.clone()));
    } else if let Some(list) = &s.git_list {
        let path = config.root.join(list);
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
                    match crate::config::check_git_url(line) {
                        Ok(()) => urls.push((Some(repo_name(line)), line.to_string())),
                        Err(e) => problems.push(format!("{}: {e}", path.display())),
                    }
                }
            }
            Err(e) => problems.push(format!(
                "cannot read the repository list {} ({e}); fix `git_list` (relative to this file)",
                path.display()
            )),
        }
    } else if let Some(dir) = &s.git_dir {
        let path = config.root.join(dir);
        match std::fs::read_dir(&path) {
            Ok(entries) => {
                let mut found: Vec<(String, String)> = entries
                    .flatten()
                    .filter(|e| is_repository(&e.path()))
                    .filter_map(|e| {
                        let name = e.file_name().to_str()?.to_string();
                        Some((name.clone(), format!("{}/{name}", dir.trim_end_matches('/'))))
                    })
                    .collect();
                found.sort();
                for (name, url) in found {
                    urls.push((Some(name.trim_end_matches(".git").to_string()), url));
                }
            }
            Err(e) => problems.push(format!(
                "cannot read the folder of repositories {} ({e}); fix `git_dir` (relative to this file)",
                path.display()
            )),
        }
    } else if let (Some(pattern), Some(names)) = (&s.git_pattern, &s.names) {
        for n in names {
            urls.push((Some(n.clone()), pattern.replace("{name}", n)));
        }
    }
    let forge = s.forge.as_deref().and_then(|f| Forge::parse(f).ok());
    let want = match (&s.branch, &s.tag, &s.rev) {
        (Some(b), _, _) => git::Want::Branch(b.clone()),
        (_, Some(t), _) => git::Want::Tag(t.clone()),
        (_, _, Some(r)) => git::Want::Rev(r.to_ascii_lowercase()),
        _ => git::Want::Default,
    };
    let token_env = s.token_env.clone().or_else(|| config.git.token_env.clone());
    let ssh_key = s.ssh_key.as_ref().or(config.git.ssh_key.as_ref()).map(|k| config.root.join(k));
    let subpath = s.subpath.as_deref().unwrap_or("").trim_matches('/').to_string();
    let mut seen = std::collections::HashSet::new();
    let repos = urls
        .into_iter()
        .map(|(short, url)| {
            let local = is_local(&url);
            let local_path = local.then(|| match url.strip_prefix("file://") {
                Some(p) => PathBuf::from(percent_decode(p)),
                None => absolute(&config.root.join(&url)),
            });
            let fetch_url = match (&local_path, url.starts_with("file://")) {
                (Some(p), false) => p.display().to_string(),
                _ => url.clone(),
            };
            let name = match short {
                None => s.name.clone(),
                Some(short) => {
                    let mut name = format!("{}/{short}", s.name);
                    // Two repositories with the same last segment keep their whole path.
                    if !seen.insert(name.clone()) {
                        name = format!("{}/{}", s.name, forge::web_repo(&url).map(|w| w.path).unwrap_or(url.clone()));
                    }
                    name
                }
            };
            let web = match &local_path {
                None => forge::web_repo(&url),
                Some(path) => origin_of(path).as_deref().and_then(forge::web_repo).or_else(|| {
                    // A site's own URL pattern needs only the repository's name.
                    let name = repo_name(&url);
                    matches!(forge, Some(Forge::Pattern(_))).then(|| forge::WebRepo { host: String::new(), path: name })
                }),
            };
            GitSource {
                web,
                name,
                target: git::Target {
                    url,
                    fetch_url,
                    local_path,
                    want: want.clone(),
                    token_env: token_env.clone(),
                    ssh_key: ssh_key.clone(),
                    forge: forge.clone(),
                },
                subpath: subpath.clone(),
                catalog: s.catalog.clone(),
                forge: forge.clone(),
            }
        })
        .collect();
    (repos, problems)
}

/// The `origin` remote of a local repository, if it has one.
fn origin_of(path: &Path) -> Option<String> {
    let repo = git2::Repository::open(path).ok()?;
    let remote = repo.find_remote("origin").ok()?;
    remote.url().ok().map(String::from)
}

/// `file://` URLs and plain paths (not `host:path`, which is ssh).
fn is_local(url: &str) -> bool {
    url.starts_with("file://") || (!url.contains("://") && !forge::is_scp_like(url))
}

/// The last segment of a repository URL, without `.git`.
fn repo_name(url: &str) -> String {
    let last = url.trim_end_matches('/').rsplit(['/', ':']).next().unwrap_or(url);
    last.strip_suffix(".git").unwrap_or(last).to_string()
}

/// A checkout (with `.git`) or a bare repository.
fn is_repository(dir: &Path) -> bool {
    dir.is_dir() && (dir.join(".git").exists() || (dir.join("HEAD").is_file() && dir.join("objects").is_dir()))
}

/// Resolves a `url:` reference (a Location target or `backstage.io/techdocs-ref`)
/// to a source and the path inside it, when it points into a configured
/// source (forge file or folder URL, any of `/blob/`, `/tree/` and edit forms).
pub fn resolve_url_ref(sources: &[Source], reference: &str) -> Option<(usize, String)> {
    let url = reference.strip_prefix("url:").unwrap_or(reference);
    sources.iter().enumerate().find_map(|(i, s)| s.rel_of_url(url).map(|rel| (i, rel)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_within_the_root() {
        assert_eq!(normalize_rel("a/b", "./c.yaml").as_deref(), Some("a/b/c.yaml"));
        assert_eq!(normalize_rel("a/b", "../c.yaml").as_deref(), Some("a/c.yaml"));
        assert_eq!(normalize_rel("a/b", "/c.yaml").as_deref(), Some("c.yaml"));
        assert_eq!(normalize_rel("a", "../../etc/passwd"), None);
        assert_eq!(parent_dir("a/b/c.yaml"), "a/b");
        assert_eq!(parent_dir("c.yaml"), "");
    }

    #[test]
    fn glob_depths() {
        assert_eq!(glob_depth("*/catalog-info.yaml"), Some(2));
        assert_eq!(glob_depth("./all.yaml"), Some(1));
        assert_eq!(glob_depth("**/catalog-info.yaml"), None);
    }

    #[test]
    fn displays_relative_to_the_project() {
        assert_eq!(display_path(Path::new("/a/b/c.yaml"), Path::new("/a")), "b/c.yaml");
        assert_eq!(display_path(Path::new("/a/x/c.yaml"), Path::new("/a/b")), "../x/c.yaml");
    }

    #[test]
    fn local_paths_and_names() {
        assert!(is_local("repos/a") && is_local("/srv/a.git") && is_local("file:///srv/a.git"));
        assert!(!is_local("git@host:o/a.git") && !is_local("https://host/o/a.git"));
        assert_eq!(repo_name("https://host/o/payments.git/"), "payments");
        assert_eq!(repo_name("git@host:payments.git"), "payments");
    }

    #[test]
    fn maps_urls_into_the_source() {
        let s = Source::local(
            "x",
            PathBuf::from("."),
            Path::new("."),
            vec![],
            Some("https://github.com/o/r/blob/main".into()),
        );
        assert_eq!(s.rel_of_url("https://github.com/o/r/blob/main/a/b.yaml").as_deref(), Some("a/b.yaml"));
        assert_eq!(s.rel_of_url("https://github.com/o/r/tree/main/a/%20b.yaml").as_deref(), Some("a/ b.yaml"));
        assert_eq!(s.rel_of_url("https://github.com/o/other/blob/main/a.yaml"), None);
        let sources = [s];
        assert_eq!(
            resolve_url_ref(&sources, "url:https://github.com/o/r/tree/main/docs"),
            Some((0, "docs".to_string()))
        );
        assert_eq!(sources[0].edit_url("a.yaml").as_deref(), Some("https://github.com/o/r/edit/main/a.yaml"));
        assert_eq!(sources[0].tree_url("a").as_deref(), Some("https://github.com/o/r/tree/main/a/"));
    }
}
