//! Themes: Tera templates and static assets. The default theme is built into
//! the binary; a `themes/<name>/` folder beside `site.toml` replaces it file
//! by file, and the site's own `templates/` and `static/` folders override
//! any single file (Zola's model).

use std::collections::BTreeMap;
use std::path::Path;

use crate::config::Config;

macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/", $path)) as &[u8])),*]
    };
}

/// Every file of `themes/default/` (a test checks none is missing).
pub const DEFAULT_THEME: &[(&str, &[u8])] = embed![
    "templates/base.html",
    "templates/macros.html",
    "templates/home.html",
    "templates/page.html",
    "templates/catalog.html",
    "templates/entity.html",
    "templates/api.html",
    "templates/problems.html",
    "templates/sources.html",
    "templates/graph.html",
    "templates/404.html",
    "templates/search.html",
    "templates/docs.html",
    "static/css/portalgen.css",
    "static/css/api.css",
    "static/css/markdown.css",
    "static/js/portalgen.js",
    "static/js/search.js",
    "static/js/elasticlunr.min.js",
    "static/js/elasticlunr.LICENSE.txt",
    "static/css/graph.css",
    "static/js/graph.js",
    "static/css/docs.css",
    "static/js/docs.js",
    "static/js/mermaid.min.js",
    "static/js/mermaid.LICENSE.txt",
];

pub struct Theme {
    pub tera: tera::Tera,
    /// Static files, by path under `static/`.
    pub statics: BTreeMap<String, Vec<u8>>,
}

/// Loads the configured theme with the site's overrides.
pub fn load(config: &Config) -> Result<Theme, String> {
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let theme_dir = config.root.join("themes").join(&config.site.theme);
    if config.site.theme == "default" {
        for (path, bytes) in DEFAULT_THEME {
            files.insert(path.to_string(), bytes.to_vec());
        }
    } else if !theme_dir.is_dir() {
        return Err(format!(
            "{}: theme \"{}\" not found: expected a folder {}",
            config.file.display(),
            config.site.theme,
            theme_dir.display()
        ));
    }
    overlay(&theme_dir, "", &mut files)?;
    overlay(&config.root.join("templates"), "templates/", &mut files)?;
    overlay(&config.root.join("static"), "static/", &mut files)?;

    let mut tera = tera::Tera::default();
    let mut templates = Vec::new();
    let mut statics = BTreeMap::new();
    for (path, bytes) in files {
        if let Some(name) = path.strip_prefix("templates/") {
            let text = String::from_utf8(bytes).map_err(|_| format!("template {path} is not UTF-8 text"))?;
            templates.push((name.to_string(), text));
        } else if let Some(name) = path.strip_prefix("static/") {
            statics.insert(name.to_string(), bytes);
        }
    }
    tera.add_raw_templates(templates).map_err(|e| describe_tera_error(&e))?;
    // Tera's default also escapes `/`, which makes every link unreadable.
    tera.set_escape_fn(escape);
    Ok(Theme { tera, statics })
}

/// Adds every file under `dir` as `prefix` + its relative path.
fn overlay(dir: &Path, prefix: &str, files: &mut BTreeMap<String, Vec<u8>>) -> Result<(), String> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(dir).follow_links(false).sort_by_file_name() {
        let entry = entry.map_err(|e| format!("{}: {e}", dir.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(dir) else { continue };
        let rel = rel.to_string_lossy().replace('\\', "/");
        let bytes = std::fs::read(entry.path()).map_err(|e| format!("{}: {e}", entry.path().display()))?;
        files.insert(format!("{prefix}{rel}"), bytes);
    }
    Ok(())
}

fn escape(text: &str) -> String {
    super::highlight::escape_html(text)
}

/// Tera errors nest their causes; show the whole chain (template, line, why).
pub fn describe_tera_error(error: &tera::Error) -> String {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_theme_file_is_built_in() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let mut on_disk = Vec::new();
        for entry in walkdir::WalkDir::new(&dir).into_iter().flatten() {
            if entry.file_type().is_file() {
                if let Ok(rel) = entry.path().strip_prefix(&dir) {
                    on_disk.push(rel.to_string_lossy().replace('\\', "/"));
                }
            }
        }
        on_disk.sort();
        let mut embedded: Vec<String> = DEFAULT_THEME.iter().map(|(p, _)| p.to_string()).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded, "add new theme files to DEFAULT_THEME in src/site/theme.rs");
    }
}
