//! `portalgen check`: which files to check, and the three report formats
//! (text for people, JSON for tools, GitHub workflow commands for PRs).

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::catalog::{Catalog, FileKey};
use crate::config::DEFAULT_CATALOG_GLOB;
use crate::problems::{Problem, Severity};
use crate::sources::{absolute, Source};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Github,
}

/// Sources and registrations for paths named on the command line. Each path
/// belongs to the repository that contains it (the nearest folder with a
/// `.git`), so placeholders may read anywhere in that repository and no further.
pub fn sources_for_paths(paths: &[PathBuf], cwd: &Path) -> (Vec<Source>, Vec<FileKey>, Vec<Problem>) {
    let mut sources: Vec<Source> = Vec::new();
    let mut by_root: HashMap<PathBuf, usize> = HashMap::new();
    let mut registrations = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        let abs = absolute(&cwd.join(path));
        if !abs.exists() {
            problems.push(Problem::error(
                path.display().to_string(),
                None,
                None,
                "no such file or folder; check the path",
            ));
            continue;
        }
        let root = repository_root(&abs, cwd);
        let source = *by_root.entry(root.clone()).or_insert_with(|| {
            sources.push(Source::local(
                &root.display().to_string(),
                root.clone(),
                cwd,
                vec![DEFAULT_CATALOG_GLOB.to_string()],
                None,
            ));
            sources.len() - 1
        });
        let Ok(rel) = abs.strip_prefix(&root) else { continue };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if abs.is_dir() {
            let prefix = if rel.is_empty() { String::new() } else { format!("{rel}/") };
            let pattern = format!("{prefix}{DEFAULT_CATALOG_GLOB}");
            for file in sources[source].glob(&[pattern]) {
                registrations.push(FileKey { source, rel: file });
            }
        } else {
            registrations.push(FileKey { source, rel });
        }
    }
    (sources, registrations, problems)
}

fn repository_root(path: &Path, cwd: &Path) -> PathBuf {
    let start = if path.is_dir() { path } else { path.parent().unwrap_or(path) };
    for dir in start.ancestors() {
        if dir.join(".git").exists() {
            return dir.to_path_buf();
        }
    }
    let cwd = absolute(cwd);
    if path.starts_with(&cwd) {
        cwd
    } else {
        start.to_path_buf()
    }
}

#[derive(Serialize)]
struct JsonEntity<'a> {
    #[serde(rename = "ref")]
    entity_ref: Option<&'a str>,
    file: String,
    index: usize,
    line: usize,
    valid: bool,
    ingested: bool,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    entities: Vec<JsonEntity<'a>>,
    problems: &'a [Problem],
}

pub fn render(format: Format, catalog: &Catalog, sources: &[Source], problems: &[Problem]) -> String {
    match format {
        Format::Json => {
            let entities = catalog
                .records
                .iter()
                .filter_map(|r| {
                    Some(JsonEntity {
                        entity_ref: r.entity_ref.as_deref(),
                        file: r.display_file(sources),
                        index: r.index?,
                        line: r.line,
                        valid: r.valid,
                        ingested: r.ingested,
                    })
                })
                .collect();
            let report = JsonReport { entities, problems };
            serde_json::to_string_pretty(&report).unwrap_or_default() + "\n"
        }
        Format::Github => {
            let mut out = String::new();
            for p in problems {
                let level = match p.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                };
                let mut props = format!("file={}", escape_property(&p.file));
                if let Some(line) = p.line {
                    props.push_str(&format!(",line={line}"));
                }
                let title = p.entity_ref.as_deref().unwrap_or("catalog");
                props.push_str(&format!(",title={}", escape_property(title)));
                out.push_str(&format!("::{level} {props}::{}\n", escape_data(&p.message)));
            }
            out.push_str(&summary(catalog, problems));
            out.push('\n');
            out
        }
        Format::Text => {
            let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            let mut out = String::new();
            for p in problems {
                out.push_str(&text_line(p, colour));
                out.push('\n');
            }
            out.push_str(&summary(catalog, problems));
            out.push('\n');
            out
        }
    }
}

/// `file:line: error: ref: message`
pub fn text_line(p: &Problem, colour: bool) -> String {
    let (label, code) = match p.severity {
        Severity::Error => ("error", "31"),
        Severity::Warning => ("warning", "33"),
    };
    let label = if colour { format!("\x1b[1;{code}m{label}\x1b[0m") } else { label.to_string() };
    let location = match p.line {
        Some(l) => format!("{}:{l}", p.file),
        None => p.file.clone(),
    };
    match &p.entity_ref {
        Some(r) => format!("{location}: {label}: {r}: {}", p.message),
        None => format!("{location}: {label}: {}", p.message),
    }
}

pub fn summary(catalog: &Catalog, problems: &[Problem]) -> String {
    let documents = catalog.records.iter().filter(|r| r.index.is_some()).count();
    let valid = catalog.records.iter().filter(|r| r.valid).count();
    let errors = problems.iter().filter(|p| p.severity == Severity::Error).count();
    let warnings = problems.len() - errors;
    format!(
        "checked {documents} entities: {valid} valid, {} in the catalog; {errors} error{}, {warnings} warning{}",
        catalog.entities.len(),
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" }
    )
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_escapes() {
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn text_format() {
        let p = Problem::error("a.yaml", Some(3), Some("component:default/x".into()), "bad");
        assert_eq!(text_line(&p, false), "a.yaml:3: error: component:default/x: bad");
    }
}
