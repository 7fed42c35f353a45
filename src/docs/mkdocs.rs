//! `mkdocs.yml`: the settings portalgen honours, read the way MkDocs reads
//! them. YAML tags MkDocs users write (`!ENV`, `!!python/name:…`,
//! `!include`) never break parsing: `!ENV` is resolved from the
//! environment, `!include` marks a monorepo sub-site, any other tag is
//! dropped and its value kept.

use serde_yaml::Value;

/// One entry of `nav`, as written.
#[derive(Debug, Clone, PartialEq)]
pub enum NavSpec {
    /// `- path.md` or `- Title: path.md`.
    Page {
        title: Option<String>,
        path: String,
    },
    /// `- Title: https://…` (or any link that is not a Markdown file).
    Link {
        title: String,
        url: String,
    },
    Section {
        title: String,
        children: Vec<NavSpec>,
    },
    /// The monorepo plugin's `!include ./sub/mkdocs.yml` (`glob` for `*include`).
    Include {
        title: Option<String>,
        path: String,
        glob: bool,
    },
}

#[derive(Debug, Clone, Default)]
pub struct MkDocs {
    pub site_name: String,
    pub site_description: Option<String>,
    pub docs_dir: String,
    pub nav: Option<Vec<NavSpec>>,
    pub use_directory_urls: bool,
    pub repo_url: Option<String>,
    pub edit_uri: Option<String>,
    pub edit_uri_template: Option<String>,
    pub markdown_extensions: Option<Value>,
    /// gitignore-style patterns of `exclude_docs` and `not_in_nav`.
    pub exclude_docs: Vec<String>,
    pub not_in_nav: Vec<String>,
    /// Material's `navigation.indexes` (theme.features): a section whose only
    /// page is its folder's index is drawn as that page.
    pub section_indexes: bool,
    /// Settings read but not used (unknown plugins, theme): said once.
    pub notes: Vec<String>,
}

/// Plugins whose effect portalgen reproduces (or that change nothing in its output).
const KNOWN_PLUGINS: [&str; 4] = ["techdocs-core", "search", "monorepo", "gh-admonitions"];

/// Parses `mkdocs.yml` text. Errors say what is wrong, with the line when known.
pub fn parse(text: &str) -> Result<MkDocs, (Option<usize>, String)> {
    let value: Value = serde_yaml::from_str(text).map_err(|e| {
        (e.location().map(|l| l.line()), format!("mkdocs.yml is not valid YAML: {e}; fix the YAML syntax"))
    })?;
    let value = untag(value);
    let Value::Mapping(map) = value else {
        return Err((Some(1), "mkdocs.yml must be a mapping of settings (site_name: …, nav: …)".into()));
    };
    let text_of = |key: &str| map.get(key).and_then(scalar_string);
    let mut config = MkDocs {
        site_name: text_of("site_name").unwrap_or_default(),
        site_description: text_of("site_description"),
        docs_dir: text_of("docs_dir").unwrap_or_else(|| "docs".into()),
        use_directory_urls: map.get("use_directory_urls").and_then(Value::as_bool).unwrap_or(true),
        repo_url: text_of("repo_url").filter(|s| !s.is_empty()),
        edit_uri: text_of("edit_uri"),
        edit_uri_template: text_of("edit_uri_template").filter(|s| !s.is_empty()),
        markdown_extensions: map.get("markdown_extensions").cloned(),
        ..MkDocs::default()
    };
    if config.site_name.is_empty() {
        config.notes.push("site_name is missing; MkDocs requires it (the entity's title is shown instead)".into());
    }
    if let Some(nav) = map.get("nav") {
        match nav {
            Value::Sequence(items) => config.nav = Some(items.iter().filter_map(nav_spec).collect()),
            Value::Null => {}
            _ => config.notes.push("nav must be a list; it is ignored and pages are listed by folder".into()),
        }
    }
    for (key, target) in [("exclude_docs", &mut config.exclude_docs), ("not_in_nav", &mut config.not_in_nav)] {
        if let Some(patterns) = text_of(key) {
            *target = patterns
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(String::from)
                .collect();
        }
    }
    let unknown: Vec<String> =
        plugin_names(map.get("plugins")).into_iter().filter(|p| !KNOWN_PLUGINS.contains(&p.as_str())).collect();
    if !unknown.is_empty() {
        config.notes.push(format!(
            "plugins {} are not run by portalgen and are ignored (pages render without them)",
            unknown.join(", ")
        ));
    }
    if let Some(theme) = map.get("theme").and_then(Value::as_mapping) {
        config.section_indexes = theme
            .get("features")
            .and_then(Value::as_sequence)
            .is_some_and(|f| f.iter().any(|v| v.as_str() == Some("navigation.indexes")));
        if theme.get("custom_dir").is_some()
            || theme.get("name").and_then(Value::as_str).is_some_and(|n| n != "material")
        {
            config.notes.push("theme settings are ignored: docs use the portal's theme".into());
        }
    }
    if map.get("INHERIT").is_some() {
        config.notes.push("INHERIT is not supported: only this file's settings are used".into());
    }
    Ok(config)
}

/// Removes YAML tags: `!ENV` becomes the variable's value (or its default),
/// any other tag keeps its value (the YAML parser already reads
/// `!!python/name:x` as an empty string).
fn untag(value: Value) -> Value {
    match value {
        Value::Tagged(tagged) => {
            let tag = tagged.tag.to_string();
            let tag = tag.trim_start_matches('!');
            if tag == "ENV" {
                return env_value(tagged.value);
            }
            if tag == "include" || tag == "relative" {
                if let Value::String(s) = &tagged.value {
                    return Value::String(format!("!{tag} {s}"));
                }
            }
            match untag(tagged.value) {
                Value::Null => Value::String(tag.trim_start_matches('!').to_string()),
                Value::String(s) if s.is_empty() => Value::String(tag.trim_start_matches('!').to_string()),
                v => v,
            }
        }
        Value::Sequence(items) => Value::Sequence(items.into_iter().map(untag).collect()),
        Value::Mapping(map) => Value::Mapping(map.into_iter().map(|(k, v)| (untag(k), untag(v))).collect()),
        v => v,
    }
}

/// `!ENV NAME` or `!ENV [NAME, OTHER, default]`: the first variable set, else the last item.
fn env_value(value: Value) -> Value {
    let items = match value {
        Value::Sequence(items) => items,
        v => vec![v],
    };
    let count = items.len();
    for (i, item) in items.into_iter().enumerate() {
        let item = untag(item);
        let is_default = count > 1 && i == count - 1;
        if is_default {
            return item;
        }
        if let Some(name) = item.as_str() {
            if let Ok(v) = std::env::var(name) {
                return Value::String(v);
            }
        }
    }
    Value::Null
}

fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn nav_spec(item: &Value) -> Option<NavSpec> {
    match item {
        Value::String(path) => Some(target_spec(None, path)),
        Value::Mapping(map) => {
            let (key, value) = map.iter().next()?;
            let title = scalar_string(key)?;
            match value {
                Value::Sequence(children) => {
                    Some(NavSpec::Section { title, children: children.iter().filter_map(nav_spec).collect() })
                }
                Value::Null => Some(NavSpec::Section { title, children: Vec::new() }),
                v => Some(target_spec(Some(title), &scalar_string(v)?)),
            }
        }
        _ => None,
    }
}

fn target_spec(title: Option<String>, target: &str) -> NavSpec {
    let target = target.trim();
    for (prefix, glob) in [("!include ", false), ("*include ", true)] {
        if let Some(path) = target.strip_prefix(prefix) {
            return NavSpec::Include { title, path: path.trim().to_string(), glob };
        }
    }
    let lower = target.to_ascii_lowercase();
    let external = lower.contains("://") || lower.starts_with("mailto:") || lower.starts_with("//");
    if external || (!lower.ends_with(".md") && !lower.ends_with(".markdown") && !lower.contains(".md#")) {
        if let Some(title) = title.clone() {
            if external || target.starts_with('/') || target.ends_with('/') || target.contains('#') {
                return NavSpec::Link { title, url: target.to_string() };
            }
        }
    }
    NavSpec::Page { title, path: target.to_string() }
}

/// Plugin names from the list or mapping form.
pub fn plugin_names(plugins: Option<&Value>) -> Vec<String> {
    match plugins {
        Some(Value::Sequence(items)) => items
            .iter()
            .filter_map(|p| match p {
                Value::String(s) => Some(s.clone()),
                Value::Mapping(m) => m.keys().next().and_then(scalar_string),
                _ => None,
            })
            .collect(),
        Some(Value::Mapping(m)) => m.keys().filter_map(scalar_string).collect(),
        _ => Vec::new(),
    }
}

/// The configuration of one extension from the list or mapping form.
pub fn extension_config<'a>(extensions: Option<&'a Value>, name: &str) -> Option<&'a Value> {
    match extensions? {
        Value::Sequence(items) => items.iter().find_map(|e| match e {
            Value::Mapping(m) => m.get(name),
            _ => None,
        }),
        Value::Mapping(m) => m.get(name),
        _ => None,
    }
}

/// MkDocs' default `edit_uri` for well-known hosts.
pub fn default_edit_uri(repo_url: &str) -> Option<&'static str> {
    let host = repo_url.split("://").nth(1)?.split('/').next()?.to_ascii_lowercase();
    match host.as_str() {
        "github.com" | "gitlab.com" => Some("edit/master/docs/"),
        "bitbucket.org" => Some("src/default/docs/"),
        _ => None,
    }
}

/// The edit URL of a page (`src` relative to `docs_dir`), as MkDocs makes it.
pub fn edit_url(config: &MkDocs, src: &str) -> Option<String> {
    let repo = config.repo_url.as_deref();
    if let Some(template) = &config.edit_uri_template {
        let path = template.replace("{path}", src).replace("{path_noext}", src.trim_end_matches(".md"));
        return Some(join_url(repo.unwrap_or(""), &path));
    }
    let edit_uri = match &config.edit_uri {
        Some(e) if e.is_empty() => return None,
        Some(e) => e.clone(),
        None => default_edit_uri(repo?)?.to_string(),
    };
    let edit_uri = if edit_uri.ends_with('/') || edit_uri.ends_with('=') || edit_uri.ends_with('#') {
        edit_uri
    } else {
        format!("{edit_uri}/")
    };
    if edit_uri.contains("://") {
        return Some(format!("{edit_uri}{src}"));
    }
    Some(join_url(repo?, &format!("{edit_uri}{src}")))
}

/// `urljoin`-like: an absolute path replaces the repository's path.
fn join_url(base: &str, path: &str) -> String {
    if path.contains("://") || base.is_empty() {
        return path.to_string();
    }
    if let Some(rest) = path.strip_prefix('/') {
        let origin_end = base.find("://").map(|i| i + 3).and_then(|s| base[s..].find('/').map(|j| s + j));
        let origin = origin_end.map_or(base, |e| &base[..e]);
        return format!("{origin}/{rest}");
    }
    format!("{}/{}", base.trim_end_matches('/'), path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_never_break_parsing() {
        std::env::set_var("PORTALGEN_TEST_SITE", "From env");
        let c = parse(
            "site_name: !ENV [PORTALGEN_TEST_SITE, x]\nsite_description: !ENV [PORTALGEN_UNSET_VAR, fallback]\n\
             markdown_extensions:\n  - pymdownx.superfences:\n      custom_fences:\n        - name: mermaid\n          class: mermaid\n          format: !!python/name:pymdownx.superfences.fence_code_format\n  \
             - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n\
             plugins:\n  - techdocs-core\n  - mkdocs-nav-weight\n  - macros:\n      x: 1\n",
        )
        .unwrap();
        assert_eq!(c.site_name, "From env");
        assert_eq!(c.site_description.as_deref(), Some("fallback"));
        assert_eq!(c.docs_dir, "docs");
        assert!(c.use_directory_urls);
        assert_eq!(c.notes.len(), 1, "{:?}", c.notes);
        assert!(c.notes[0].contains("mkdocs-nav-weight, macros"));
        let fences = extension_config(c.markdown_extensions.as_ref(), "pymdownx.superfences").unwrap();
        assert!(format!("{fences:?}").contains("mermaid"));
    }

    #[test]
    fn nav_shapes() {
        let c = parse(
            "site_name: S\nnav:\n  - index.md\n  - Guide: guide/intro.md\n  - Section:\n    - a.md\n    - Ext: https://example.com\n  - Components: '*include ./components/*/mkdocs.yml'\n  - v1: !include ./v1/mkdocs.yml\n",
        )
        .unwrap();
        let nav = c.nav.unwrap();
        assert_eq!(nav[0], NavSpec::Page { title: None, path: "index.md".into() });
        assert_eq!(nav[1], NavSpec::Page { title: Some("Guide".into()), path: "guide/intro.md".into() });
        assert_eq!(
            nav[2],
            NavSpec::Section {
                title: "Section".into(),
                children: vec![
                    NavSpec::Page { title: None, path: "a.md".into() },
                    NavSpec::Link { title: "Ext".into(), url: "https://example.com".into() }
                ]
            }
        );
        assert_eq!(
            nav[3],
            NavSpec::Include { title: Some("Components".into()), path: "./components/*/mkdocs.yml".into(), glob: true }
        );
        assert_eq!(nav[4], NavSpec::Include { title: Some("v1".into()), path: "./v1/mkdocs.yml".into(), glob: false });
    }

    #[test]
    fn bad_yaml_is_a_message_with_a_line() {
        let (line, message) = parse("site_name: a\nnav: [\n").unwrap_err();
        assert!(line.is_some());
        assert!(message.contains("not valid YAML"));
        assert!(parse("- a\n").is_err());
    }

    #[test]
    fn edit_urls() {
        let mut c = parse("site_name: S\nrepo_url: https://github.com/o/r\n").unwrap();
        assert_eq!(edit_url(&c, "a/b.md").as_deref(), Some("https://github.com/o/r/edit/master/docs/a/b.md"));
        c.edit_uri = Some("edit/main/sub/docs".into());
        assert_eq!(edit_url(&c, "x.md").as_deref(), Some("https://github.com/o/r/edit/main/sub/docs/x.md"));
        c.edit_uri = Some("/o/r/-/edit/main/docs/".into());
        assert_eq!(edit_url(&c, "x.md").as_deref(), Some("https://github.com/o/r/-/edit/main/docs/x.md"));
        c.edit_uri = Some(String::new());
        assert_eq!(edit_url(&c, "x.md"), None);
        let c = parse("site_name: S\nrepo_url: https://git.example.com/o/r\n").unwrap();
        assert_eq!(edit_url(&c, "x.md"), None);
    }
}
