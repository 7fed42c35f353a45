//! The builds of one `portalgen serve` run: a full build at the start and
//! after `site.toml` changes, and rebuilds after every burst of changes.
//! A failed build leaves the served site as it was.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use std::collections::{HashMap, HashSet};

use super::live::Overlay;
use super::watch::{Changes, Targets};
use crate::catalog::{self, Catalog, FileKey};
use crate::config::Config;
use crate::pipeline::{self, LoadOptions, Loaded};
use crate::problems::{Problem, Severity};
use crate::site::incremental::{Changed, SiteState};

pub struct Session {
    config_path: PathBuf,
    out_override: Option<PathBuf>,
    options: LoadOptions,
    pub config: Config,
    built: Option<Built>,
    /// Files changed while serving (as problems name them): their errors
    /// are shown in the browser until fixed.
    touched: BTreeSet<String>,
    colour: bool,
}

/// The last build, kept for the next.
struct Built {
    loaded: Loaded,
    registrations: Vec<FileKey>,
    reuse: catalog::Reuse,
    site: SiteState,
    /// What changed since the site on disk was written (when writing failed).
    pending: Changed,
}

/// What a build did, for the browser.
pub struct Outcome {
    /// Site files written; `None`: possibly all of them.
    pub written: Option<Vec<String>>,
    pub overlay: Vec<Overlay>,
    /// Whether the served site changed at all.
    pub changed: bool,
}

impl Session {
    pub fn new(config_path: &Path, out: Option<PathBuf>, options: LoadOptions) -> Result<Session, String> {
        let config = Config::load(config_path).map_err(|e| e.to_string())?;
        Ok(Session {
            config_path: config_path.to_path_buf(),
            out_override: out,
            options,
            config,
            built: None,
            touched: BTreeSet::new(),
            colour: std::io::IsTerminal::is_terminal(&std::io::stderr()),
        })
    }

    pub fn out_dir(&self) -> PathBuf {
        let out = self.out_override.clone().unwrap_or_else(|| self.config.output_dir());
        // The folder may not exist yet; its parent does once a build ran.
        match (out.parent().filter(|p| !p.as_os_str().is_empty()), out.file_name()) {
            (Some(parent), Some(name)) => crate::sources::absolute(parent).join(name),
            _ => crate::sources::absolute(&out),
        }
    }

    /// Everything a build reads from disk.
    pub fn watch_targets(&self) -> Targets {
        let config = &self.config;
        let root = crate::sources::absolute(&config.root);
        let mut recursive = self.theme_dirs();
        recursive.push(root.join(&config.site.content));
        if let Some(built) = &self.built {
            recursive.extend(built.loaded.sources.iter().filter_map(|s| s.local_root().map(Path::to_path_buf)));
        }
        let config_dir = crate::sources::absolute(&config.file).parent().map(Path::to_path_buf).unwrap_or(root);
        Targets { recursive, shallow: vec![config_dir], ignored: vec![self.out_dir()] }
    }

    fn theme_dirs(&self) -> Vec<PathBuf> {
        let root = crate::sources::absolute(&self.config.root);
        vec![root.join("themes").join(&self.config.site.theme), root.join("templates"), root.join("static")]
    }

    /// Builds everything from scratch (at the start, and when `site.toml` changed).
    pub fn full_build(&mut self) -> Outcome {
        let started = Instant::now();
        let config = match Config::load(&self.config_path) {
            Ok(c) => c,
            Err(e) => return self.failed(&self.config_path.display().to_string(), e.to_string()),
        };
        self.config = config;
        let sources = pipeline::timed("fetch", || crate::sources::from_config(&self.config, self.options));
        let registrations = pipeline::timed("discover", || pipeline::discover(&sources));
        let mut reuse = catalog::Reuse::default();
        let (loaded, _) = pipeline::reload_catalog(&self.config, sources, registrations.clone(), &mut reuse);
        let out = self.out_dir();
        let everything = Changed { everything: true, ..Changed::default() };
        let result =
            pipeline::write_site_changed(&self.config, &loaded, &out, &SiteState::default(), &everything, false);
        let pending = if result.is_ok() { Changed::default() } else { everything };
        let outcome = match result {
            Ok((report, site, _)) => {
                let problems = self.all_problems(&loaded, &report.problems);
                self.print_problems(&problems);
                eprintln!(
                    "built {} entities into {} in {:.2?}",
                    loaded.catalog.entities.len(),
                    out.display(),
                    started.elapsed()
                );
                let overlay = self.overlay(&problems);
                self.built = Some(Built { loaded, registrations, reuse, site, pending });
                return Outcome { written: None, overlay, changed: true };
            }
            Err(e) => self.render_failed(e),
        };
        self.built = Some(Built { loaded, registrations, reuse, site: SiteState::default(), pending });
        outcome
    }

    /// Rebuilds after `changes`: only the catalog files that changed (and
    /// those that read them) are read again, and only the pages whose inputs
    /// changed are rendered; see [`crate::site::incremental`].
    pub fn rebuild(&mut self, changes: &Changes) -> Outcome {
        let root = crate::sources::absolute(&self.config.root);
        for path in &changes.paths {
            self.touched.insert(crate::sources::display_path(path, &root));
        }
        let Some(mut built) = self.built.take() else {
            return self.full_build();
        };
        let theme_dirs = self.theme_dirs();
        let content_dir = root.join(&self.config.site.content);
        let mut changed = std::mem::take(&mut built.pending);
        let mut content = false;
        let mut files: HashSet<FileKey> = HashSet::new();
        let mut listing: HashSet<usize> = HashSet::new();
        for path in &changes.paths {
            if theme_dirs.iter().any(|d| path.starts_with(d)) {
                changed.everything = true;
            }
            if path.starts_with(&content_dir) {
                content = true;
            }
            for (i, source) in built.loaded.sources.iter().enumerate() {
                let Some(rel) = source.local_root().and_then(|r| path.strip_prefix(r).ok()) else { continue };
                let rel = rel.to_string_lossy().replace('\\', "/");
                let key = FileKey { source: i, rel };
                // Catalog files added or removed change what the sources register.
                let known = built.registrations.contains(&key) || built.reuse.knows(&key);
                let below = format!("{}/", key.rel);
                let relevant = if path.is_file() {
                    !known && source.is_catalog_file(&key.rel)
                } else {
                    // Removed, or a folder: what was below it may have been registered.
                    known || path.is_dir() || built.registrations.iter().any(|r| r.rel.starts_with(&below))
                };
                if relevant || (!known && built.reuse.lists_files(i)) {
                    listing.insert(i);
                }
                files.insert(key);
            }
        }
        if files.is_empty() && !content && !changed.everything && changed.refs.is_empty() {
            self.built = Some(built);
            return Outcome { written: Some(Vec::new()), overlay: Vec::new(), changed: false };
        }
        let previous = built.loaded;
        let (sources, registrations) = if listing.is_empty() {
            (previous.sources, std::mem::take(&mut built.registrations))
        } else {
            // Git sources are not fetched again: their cache is read.
            let options = LoadOptions { offline: true };
            let sources = crate::sources::from_config(&self.config, options);
            let registrations = pipeline::discover(&sources);
            (sources, registrations)
        };
        built.reuse.forget(&files, &listing);
        let (loaded, processed) =
            pipeline::reload_catalog(&self.config, sources, registrations.clone(), &mut built.reuse);
        changed.refs.extend(diff(&previous.catalog, &loaded.catalog, &processed));
        let out = self.out_dir();
        let result = pipeline::write_site_changed(&self.config, &loaded, &out, &built.site, &changed, true);
        match result {
            Ok((report, site, written)) => {
                if let Some(written) = &written {
                    remove_gone(&out, &built.site.files, &site.files);
                    let problems = self.all_problems(&loaded, &report.problems);
                    let overlay = self.overlay(&problems);
                    self.print_problems(&problems);
                    let changed = !written.is_empty();
                    eprintln!("{} pages rendered, {} files changed", site.rendered, written.len());
                    self.built =
                        Some(Built { loaded, registrations, reuse: built.reuse, site, pending: Changed::default() });
                    return Outcome { written: Some(written.clone()), overlay, changed };
                }
                self.built =
                    Some(Built { loaded, registrations, reuse: built.reuse, site, pending: Changed::default() });
                Outcome { written: None, overlay: Vec::new(), changed: true }
            }
            Err(e) => {
                let outcome = self.render_failed(e);
                // The site on disk still shows the last good build: the next
                // build renders what changed since then too.
                self.built =
                    Some(Built { loaded, registrations, reuse: built.reuse, site: built.site, pending: changed });
                outcome
            }
        }
    }

    fn all_problems(&self, loaded: &Loaded, site: &[Problem]) -> Vec<Problem> {
        let mut problems = loaded.catalog.problems.clone();
        problems.extend(site.iter().cloned());
        problems
    }

    fn render_failed(&self, e: String) -> Outcome {
        // A template error names the template; show the file changed that has that name.
        let file = self
            .touched
            .iter()
            .find(|t| t.rsplit('/').next().is_some_and(|name| e.contains(name)))
            .cloned()
            .or_else(|| self.template_file(&e))
            .unwrap_or_else(|| self.out_dir().display().to_string());
        self.failed(&file, e)
    }

    /// The file of the template an error names (`template entity.html …`).
    fn template_file(&self, message: &str) -> Option<String> {
        let name = message.strip_prefix("template ")?.split_whitespace().next()?;
        let root = crate::sources::absolute(&self.config.root);
        [root.join("templates"), root.join("themes").join(&self.config.site.theme).join("templates")]
            .iter()
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
            .map(|p| crate::sources::display_path(&p, &root))
    }

    fn failed(&self, file: &str, message: String) -> Outcome {
        eprintln!("error: {message}");
        eprintln!("the site was not changed; fix the error and save again");
        let line = line_of(&message);
        Outcome {
            written: Some(Vec::new()),
            overlay: vec![Overlay { message, file: file.to_string(), line }],
            changed: false,
        }
    }

    fn print_problems(&self, problems: &[Problem]) {
        let named = |p: &Problem| self.touched.iter().any(|t| p.file == *t || p.message.contains(t.as_str()));
        for p in problems.iter().filter(|p| named(p)) {
            eprintln!("{}", crate::check::text_line(p, self.colour));
        }
        let errors = problems.iter().filter(|p| p.severity == Severity::Error).count();
        if self.touched.is_empty() {
            for p in problems {
                eprintln!("{}", crate::check::text_line(p, self.colour));
            }
        }
        eprintln!("{errors} errors, {} warnings in the catalog", problems.len() - errors);
    }

    /// Errors in files changed while serving: reported on the file, or on
    /// a file that refers to it (a Location whose target is broken names
    /// the target and line in its message).
    fn overlay(&self, problems: &[Problem]) -> Vec<Overlay> {
        problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .filter_map(|p| {
                let message = match &p.entity_ref {
                    Some(r) => format!("{r}: {}", p.message),
                    None => p.message.clone(),
                };
                if self.touched.contains(&p.file) {
                    return Some(Overlay { message, file: p.file.clone(), line: p.line });
                }
                let named = self.touched.iter().find(|t| p.message.contains(t.as_str()))?;
                let after = &p.message[p.message.find(named.as_str())? + named.len()..];
                let line = after
                    .strip_prefix(':')
                    .and_then(|a| a.split(|c: char| !c.is_ascii_digit()).next().and_then(|n| n.parse().ok()));
                Some(Overlay {
                    message: format!("{message} ({}:{})", p.file, p.line.unwrap_or(1)),
                    file: named.clone(),
                    line,
                })
            })
            .collect()
    }
}

/// Entities whose pages or mentions may look different: added, removed, or
/// changed in data (only entities of files read again can), relations,
/// place or problems.
pub fn diff(old: &Catalog, new: &Catalog, processed: &HashSet<FileKey>) -> HashSet<String> {
    let mut changed = HashSet::new();
    for e in &new.entities {
        let same = old.by_ref.get(&e.entity_ref).map(|&i| &old.entities[i]).is_some_and(|o| {
            o.relations == e.relations
                && o.file == e.file
                && o.line == e.line
                && (!processed.contains(&e.file) || o.data == e.data)
        });
        if !same {
            changed.insert(e.entity_ref.to_lowercase());
        }
    }
    for e in &old.entities {
        if !new.by_ref.contains_key(&e.entity_ref) {
            changed.insert(e.entity_ref.to_lowercase());
        }
    }
    let by_ref = |c: &Catalog| {
        let mut m: HashMap<String, Vec<Problem>> = HashMap::new();
        for p in &c.problems {
            if let Some(r) = &p.entity_ref {
                m.entry(r.to_lowercase()).or_default().push(p.clone());
            }
        }
        m
    };
    let (before, after) = (by_ref(old), by_ref(new));
    for (r, list) in before.iter().chain(&after) {
        if before.get(r) != Some(list) || after.get(r) != Some(list) {
            changed.insert(r.clone());
        }
    }
    changed
}

/// Removes the files of the last build that this one no longer writes.
fn remove_gone(out: &Path, before: &HashSet<String>, after: &HashSet<String>) {
    for gone in before.difference(after) {
        let path = out.join(gone);
        if std::fs::remove_file(&path).is_ok() {
            // Empty folders go too (an entity's page lives in a folder of its own).
            let mut dir = path.parent();
            while let Some(d) = dir.filter(|d| *d != out) {
                if std::fs::remove_dir(d).is_err() {
                    break;
                }
                dir = d.parent();
            }
        }
    }
}

/// The line number in a template error (Tera writes ` --> 12:5`).
fn line_of(message: &str) -> Option<usize> {
    let at = message.find("--> ")?;
    let rest = &message[at + 4..];
    rest.split(':').next()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn template_error_lines_are_found() {
        assert_eq!(super::line_of("template x: Failed to parse 'x'\n --> 3:7\n  |"), Some(3));
        assert_eq!(super::line_of("no line"), None);
    }
}
