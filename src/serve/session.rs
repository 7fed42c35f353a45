//! The builds of one `portalgen serve` run: a full build at the start and
//! after `site.toml` changes, and rebuilds after every burst of changes.
//! A failed build leaves the served site as it was.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::live::Overlay;
use super::watch::{Changes, Targets};
use crate::config::Config;
use crate::pipeline::{self, LoadOptions, Loaded};
use crate::problems::{Problem, Severity};

pub struct Session {
    config_path: PathBuf,
    out_override: Option<PathBuf>,
    options: LoadOptions,
    pub config: Config,
    loaded: Option<Loaded>,
    /// Files changed while serving (as problems name them): their errors
    /// are shown in the browser until fixed.
    touched: BTreeSet<String>,
    colour: bool,
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
            loaded: None,
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
        let mut recursive = vec![
            root.join(&config.site.content),
            root.join("themes").join(&config.site.theme),
            root.join("templates"),
            root.join("static"),
        ];
        if let Some(loaded) = &self.loaded {
            recursive.extend(loaded.sources.iter().filter_map(|s| s.local_root().map(Path::to_path_buf)));
        }
        let config_dir = crate::sources::absolute(&config.file).parent().map(Path::to_path_buf).unwrap_or(root);
        Targets { recursive, shallow: vec![config_dir], ignored: vec![self.out_dir()] }
    }

    /// Builds everything from scratch.
    pub fn full_build(&mut self) -> Outcome {
        let started = Instant::now();
        let config = match Config::load(&self.config_path) {
            Ok(c) => c,
            Err(e) => return self.failed(&self.config_path.display().to_string(), e.to_string()),
        };
        self.config = config;
        let loaded = pipeline::load_catalog(&self.config, self.options);
        let out = self.out_dir();
        match pipeline::write_site(&self.config, &loaded, &out) {
            Ok(report) => {
                let mut problems = loaded.catalog.problems.clone();
                problems.extend(report.problems);
                self.print_problems(&problems);
                eprintln!(
                    "built {} entities into {} in {:.2?}",
                    loaded.catalog.entities.len(),
                    out.display(),
                    started.elapsed()
                );
                let overlay = self.overlay(&problems);
                self.loaded = Some(loaded);
                Outcome { written: None, overlay, changed: true }
            }
            Err(e) => {
                // A template error names the template; show the file changed that has that name.
                let file = self
                    .touched
                    .iter()
                    .find(|t| t.rsplit('/').next().is_some_and(|name| e.contains(name)))
                    .cloned()
                    .or_else(|| self.template_file(&e))
                    .unwrap_or_else(|| out.display().to_string());
                self.failed(&file, e)
            }
        }
    }

    /// Rebuilds after `changes`.
    pub fn rebuild(&mut self, changes: &Changes) -> Outcome {
        let root = crate::sources::absolute(&self.config.root);
        for path in &changes.paths {
            self.touched.insert(crate::sources::display_path(path, &root));
        }
        self.full_build()
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
