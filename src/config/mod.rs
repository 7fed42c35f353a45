//! `site.toml`: what to read and how to build. Unknown keys are errors so a
//! typo never silently changes a build.

use std::path::{Path, PathBuf};

use serde::Deserialize;

pub const DEFAULT_CATALOG_GLOB: &str = "**/catalog-info.yaml";
pub const ALL_KINDS: [&str; 9] =
    ["Component", "API", "System", "Domain", "Resource", "Group", "User", "Location", "Template"];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    site: SiteSection,
    #[serde(default)]
    sources: Vec<SourceSection>,
    #[serde(default)]
    catalog: CatalogSection,
}

/// `[site]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SiteSection {
    pub title: String,
    pub description: String,
    /// `/`, `/portal/` or a full URL such as `https://org.github.io/portal/`.
    pub base_url: String,
    pub output: String,
    /// `directory` links to `/x/`; `file` links to `/x/index.html`, for
    /// object storage without index documents and for opening from disk.
    pub url_style: UrlStyle,
    /// A theme folder under `themes/`; `default` is built in.
    pub theme: String,
    /// Markdown pages of the site (the home page is `index.md`).
    pub content: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UrlStyle {
    Directory,
    File,
}

impl Default for SiteSection {
    fn default() -> Self {
        SiteSection {
            title: "Developer portal".into(),
            description: "Who owns what, what depends on what, and where the docs are.".into(),
            base_url: "/".into(),
            output: "public".into(),
            url_style: UrlStyle::Directory,
            theme: "default".into(),
            content: "content".into(),
        }
    }
}

/// `[[sources]]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceSection {
    pub name: String,
    /// A local directory, relative to `site.toml`.
    pub path: Option<String>,
    /// Globs, relative to the source root, of the files to register.
    #[serde(default = "default_catalog_globs")]
    pub catalog: Vec<String>,
    /// Where the source root lives on its forge, e.g.
    /// `https://github.com/org/repo/blob/main/`: files are then registered as
    /// `url` locations, get view/edit/source links, and `url:` targets into it resolve locally.
    pub url: Option<String>,
}

fn default_catalog_globs() -> Vec<String> {
    vec![DEFAULT_CATALOG_GLOB.to_string()]
}

/// `[catalog]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogSection {
    /// Kinds a registered file may contain (Backstage's `catalog.rules`);
    /// unset: every kind.
    #[serde(default)]
    pub allow: Option<Vec<String>>,
}

/// A loaded configuration with its paths resolved.
#[derive(Debug, Clone)]
pub struct Config {
    /// The folder of `site.toml`; relative paths resolve against it.
    pub root: PathBuf,
    pub file: PathBuf,
    pub site: SiteSection,
    pub sources: Vec<SourceSection>,
    pub catalog: CatalogSection,
}

#[derive(Debug)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Config {
    pub fn load(file: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(file).map_err(|e| {
            ConfigError(format!(
                "{}: cannot read the configuration ({e}); run `portalgen init` to create one, or pass --config FILE",
                file.display()
            ))
        })?;
        let root = file
            .parent()
            .map(|p| if p.as_os_str().is_empty() { Path::new(".") } else { p })
            .unwrap_or(Path::new("."))
            .to_path_buf();
        Config::parse(&text, file, &root)
    }

    pub fn parse(text: &str, file: &Path, root: &Path) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(text)
            .map_err(|e| ConfigError(format!("{}: {}", file.display(), e.to_string().trim_end())))?;
        let config = Config {
            root: root.to_path_buf(),
            file: file.to_path_buf(),
            site: raw.site,
            sources: raw.sources,
            catalog: raw.catalog,
        };
        config.check()?;
        Ok(config)
    }

    fn check(&self) -> Result<(), ConfigError> {
        let file = self.file.display();
        let mut names = std::collections::HashSet::new();
        for (i, s) in self.sources.iter().enumerate() {
            if s.name.trim().is_empty() {
                return Err(ConfigError(format!("{file}: sources[{i}] needs a non-empty `name`")));
            }
            if !names.insert(s.name.as_str()) {
                return Err(ConfigError(format!(
                    "{file}: two sources are named \"{}\"; source names must be unique",
                    s.name
                )));
            }
            if s.path.is_none() {
                return Err(ConfigError(format!("{file}: source \"{}\" needs `path` (a local directory)", s.name)));
            }
            for g in &s.catalog {
                if let Err(e) = globset::Glob::new(g) {
                    return Err(ConfigError(format!(
                        "{file}: source \"{}\": catalog pattern \"{g}\" is not a valid glob ({e})",
                        s.name
                    )));
                }
            }
            if let Some(url) = &s.url {
                if url::Url::parse(url).is_err() {
                    return Err(ConfigError(format!(
                        "{file}: source \"{}\": url \"{url}\" is not an absolute URL",
                        s.name
                    )));
                }
            }
        }
        let base = &self.site.base_url;
        if !(base.starts_with('/') || url::Url::parse(base).is_ok()) {
            return Err(ConfigError(format!(
                "{file}: site.base_url \"{base}\" must start with / or be a full URL such as https://org.github.io/portal/"
            )));
        }
        if self.site.theme.is_empty() || self.site.theme.contains(['/', '\\']) || self.site.theme.starts_with('.') {
            return Err(ConfigError(format!(
                "{file}: site.theme \"{}\" must be the name of a folder under themes/",
                self.site.theme
            )));
        }
        for kind in self.catalog.allow.iter().flatten() {
            if !ALL_KINDS.contains(&kind.as_str()) {
                return Err(ConfigError(format!(
                    "{file}: catalog.allow: unknown kind \"{kind}\" (known: {})",
                    ALL_KINDS.join(", ")
                )));
            }
        }
        Ok(())
    }

    /// The output folder, resolved against the configuration's folder.
    pub fn output_dir(&self) -> PathBuf {
        self.root.join(&self.site.output)
    }

    /// The path part of `base_url`, always ending in `/` (`/`, `/portal/`).
    pub fn base_path(&self) -> String {
        let base = &self.site.base_url;
        let path = match url::Url::parse(base) {
            Ok(u) => u.path().to_string(),
            Err(_) => base.clone(),
        };
        if path.ends_with('/') {
            path
        } else {
            format!("{path}/")
        }
    }

    /// `base_url` ending in `/`, for canonical links and the sitemap.
    pub fn base_url(&self) -> String {
        let base = &self.site.base_url;
        if base.ends_with('/') {
            base.clone()
        } else {
            format!("{base}/")
        }
    }

    /// A configuration for `portalgen check PATH...` without a `site.toml`.
    pub fn for_check(root: &Path) -> Config {
        Config {
            root: root.to_path_buf(),
            file: root.join("site.toml"),
            site: SiteSection::default(),
            sources: Vec::new(),
            catalog: CatalogSection::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("site.toml"), Path::new("."))
    }

    #[test]
    fn defaults() {
        let c = parse("[[sources]]\nname = \"a\"\npath = \"repos/a\"\n").map_err(|e| e.0);
        let c = c.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.site.base_url, "/");
        assert_eq!(c.site.output, "public");
        assert_eq!(c.sources[0].catalog, vec![DEFAULT_CATALOG_GLOB.to_string()]);
        assert_eq!(c.catalog.allow, None);
        assert_eq!(c.site.url_style, UrlStyle::Directory);
        assert_eq!(c.base_path(), "/");
        let sub = parse("[site]\nbase_url = \"https://org.github.io/portal\"\n").map_err(|e| e.0);
        assert_eq!(sub.map(|c| c.base_path()).as_deref(), Ok("/portal/"));
        assert!(parse("[site]\nurl_style = \"flat\"\n").is_err());
    }

    #[test]
    fn unknown_keys_name_the_key_and_file() {
        let err = parse("[site]\ntitel = \"x\"\n").err().map(|e| e.0).unwrap_or_default();
        assert!(err.contains("site.toml") && err.contains("titel"), "{err}");
        let err = parse("[catalog]\nallow = [\"Widget\"]\n").err().map(|e| e.0).unwrap_or_default();
        assert!(err.contains("Widget"), "{err}");
    }
}
