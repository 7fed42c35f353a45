//! Stage 1 — sources: where catalog files come from. A source is a tree of
//! files with a root that nothing may leave. Local directories today; git
//! repositories slot in beside them (the rest of the build only sees
//! [`Source::list_files`] and [`Source::read`]).

use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

use globset::{GlobBuilder, GlobSetBuilder};

use crate::config::Config;

#[derive(Debug)]
pub struct Source {
    pub name: String,
    /// The root on disk (absolute).
    pub root: PathBuf,
    /// The project folder; files are shown relative to it when inside it.
    project_root: PathBuf,
    pub catalog: Vec<String>,
    /// Forge URL of the root, ending in `/`, when known.
    pub url: Option<String>,
    files: OnceLock<Vec<String>>,
}

/// Folders never searched for catalog files.
const SKIPPED_DIRS: [&str; 3] = [".git", "node_modules", "target"];

impl Source {
    pub fn local(name: &str, root: PathBuf, project_root: &Path, catalog: Vec<String>, url: Option<String>) -> Source {
        let root = absolute(&root);
        let project_root = absolute(project_root);
        let url = url.map(|u| if u.ends_with('/') { u } else { format!("{u}/") });
        Source { name: name.to_string(), root, project_root, catalog, url, files: OnceLock::new() }
    }

    /// Every file of the source (relative, `/`-separated, sorted), skipping
    /// `.git`, `node_modules`, `target` and anything `.gitignore`d.
    pub fn list_files(&self) -> &[String] {
        self.files.get_or_init(|| self.walk(None))
    }

    /// Walks the source, no deeper than `max_depth` folders when given.
    fn walk(&self, max_depth: Option<usize>) -> Vec<String> {
        let files = std::sync::Mutex::new(Vec::new());
        let walker = ignore::WalkBuilder::new(&self.root)
            .hidden(false)
            .git_global(false)
            .git_exclude(false)
            .require_git(false)
            .follow_links(false)
            .max_depth(max_depth)
            .filter_entry(|e| {
                !(e.file_type().is_some_and(|t| t.is_dir()) && SKIPPED_DIRS.iter().any(|d| e.file_name() == *d))
            })
            .build_parallel();
        walker.run(|| {
            let files = &files;
            let root = &self.root;
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
            Some(depth) if self.files.get().is_none() => filter_globs(&self.walk(Some(depth)), &self.catalog),
            _ => self.glob(&self.catalog),
        }
    }

    /// Files matching any of `patterns` (relative to the root), sorted.
    pub fn glob(&self, patterns: &[String]) -> Vec<String> {
        filter_globs(self.list_files(), patterns)
    }

    /// Reads a file by its relative path. Refuses paths that leave the root,
    /// including through symlinks.
    pub fn read(&self, rel: &str) -> std::io::Result<Vec<u8>> {
        let path = self.root.join(rel);
        let real = std::fs::canonicalize(&path)?;
        // `root` was canonicalised when the source was made.
        if !real.starts_with(&self.root) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                "it leads outside the source (through a symlink)",
            ));
        }
        std::fs::read(real)
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.root.join(rel).is_file()
    }

    /// The file as shown to people: the source's display root joined with `rel`.
    pub fn display(&self, rel: &str) -> String {
        display_path(&self.root.join(rel), &self.project_root)
    }

    /// `url` when the source has a forge URL, `file` otherwise (Backstage's location types).
    pub fn location_type(&self) -> &'static str {
        if self.url.is_some() {
            "url"
        } else {
            "file"
        }
    }

    /// The location target of a file: its forge URL or its display path.
    pub fn location_target(&self, rel: &str) -> String {
        match &self.url {
            Some(base) => format!("{base}{rel}"),
            None => self.display(rel),
        }
    }

    /// `rel` of a URL inside this source, if it points here (`/blob/` and
    /// `/tree/` forms both match).
    pub fn rel_of_url(&self, url: &str) -> Option<String> {
        let base = self.url.as_deref()?;
        let clean = url.split(['#', '?']).next().unwrap_or(url);
        let tree = base.replacen("/blob/", "/tree/", 1);
        for b in [base, tree.as_str()] {
            if let Some(rest) = clean.strip_prefix(b) {
                return normalize_rel("", &percent_decode(rest));
            }
        }
        None
    }
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

fn percent_decode(s: &str) -> String {
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

/// The sources a configuration names.
pub fn from_config(config: &Config) -> Vec<Source> {
    config
        .sources
        .iter()
        .map(|s| {
            let path = s.path.as_deref().unwrap_or(".");
            Source::local(&s.name, config.root.join(path), &config.root, s.catalog.clone(), s.url.clone())
        })
        .collect()
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
    }
}
