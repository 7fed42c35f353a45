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
    #[serde(default)]
    git: GitSection,
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

/// `[[sources]]`: a local folder (`path`), one git repository (`git`) or
/// many (`git_list`, `git_dir`, `git_pattern` with `names`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceSection {
    pub name: String,
    /// A local directory, relative to `site.toml`.
    pub path: Option<String>,
    /// A git repository: https, ssh, `file://` URL or a local path.
    pub git: Option<String>,
    /// A file listing one repository URL per line (`#` comments).
    pub git_list: Option<String>,
    /// A folder whose subfolders are repositories (a folder of checkouts).
    pub git_dir: Option<String>,
    /// A repository URL with `{name}`, expanded once per entry of `names`.
    pub git_pattern: Option<String>,
    pub names: Option<Vec<String>>,
    /// Which ref to build from; at most one. Default: the remote's default branch.
    pub branch: Option<String>,
    pub tag: Option<String>,
    /// A full commit id.
    pub rev: Option<String>,
    /// The folder of the repository to read (a monorepo's part).
    pub subpath: Option<String>,
    /// `github`, `gitlab`, `bitbucket`, `gitea` or a URL pattern, when the
    /// host does not tell.
    pub forge: Option<String>,
    /// Environment variable holding an https token (overrides `[git]`).
    pub token_env: Option<String>,
    /// SSH private key file (overrides `[git]`); default: the SSH agent.
    pub ssh_key: Option<String>,
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

/// `[git]`: how git sources are fetched.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GitSection {
    /// Where repositories are cloned, relative to `site.toml`.
    pub cache: String,
    /// Repositories fetched at once.
    pub jobs: usize,
    /// Environment variable holding an https token, for every git source.
    pub token_env: Option<String>,
    /// SSH private key file, for every git source; default: the SSH agent.
    pub ssh_key: Option<String>,
}

impl Default for GitSection {
    fn default() -> Self {
        GitSection { cache: ".portalgen-cache/git".into(), jobs: 8, token_env: None, ssh_key: None }
    }
}

/// The forms of a source, in the order they are named in messages.
const SOURCE_FORMS: [&str; 5] = ["path", "git", "git_list", "git_dir", "git_pattern"];

impl SourceSection {
    /// The keys of [`SOURCE_FORMS`] this source sets.
    fn forms(&self) -> Vec<&'static str> {
        let set = [
            self.path.is_some(),
            self.git.is_some(),
            self.git_list.is_some(),
            self.git_dir.is_some(),
            self.git_pattern.is_some(),
        ];
        SOURCE_FORMS.iter().zip(set).filter(|(_, on)| *on).map(|(k, _)| *k).collect()
    }

    /// Whether this source reads git repositories.
    pub fn is_git(&self) -> bool {
        self.path.is_none()
    }

    fn check(&self, file: &str) -> Result<(), ConfigError> {
        let name = &self.name;
        let err = |m: String| Err(ConfigError(format!("{file}: source \"{name}\": {m}")));
        let forms = self.forms();
        if forms.len() != 1 {
            let has = if forms.is_empty() { "none".to_string() } else { forms.join(" and ") };
            return err(format!(
                "needs exactly one of `path` (a local folder), `git` (a repository), `git_list` (a file of repository URLs), `git_dir` (a folder of repositories) or `git_pattern` (a URL with {{name}}, plus `names`); it has {has}"
            ));
        }
        if self.path.is_some() {
            let git_only = [
                ("branch", self.branch.is_some()),
                ("tag", self.tag.is_some()),
                ("rev", self.rev.is_some()),
                ("subpath", self.subpath.is_some()),
                ("forge", self.forge.is_some()),
                ("token_env", self.token_env.is_some()),
                ("ssh_key", self.ssh_key.is_some()),
                ("names", self.names.is_some()),
            ];
            if let Some((key, _)) = git_only.iter().find(|(_, on)| *on) {
                return err(format!("`{key}` is only for git sources; remove it, or replace `path` with `git`"));
            }
            return Ok(());
        }
        if self.url.is_some() {
            return err("`url` is for local folders; a git source derives its links from the repository URL (set `forge` when the host does not tell which forge it is)".into());
        }
        if self.git_pattern.is_some() != self.names.is_some() {
            return err(
                "`git_pattern` and `names` go together: a URL with {name} and the list of names to put there".into()
            );
        }
        if let Some(p) = &self.git_pattern {
            if !p.contains("{name}") {
                return err(format!("git_pattern \"{p}\" has no {{name}} placeholder"));
            }
        }
        let refs: Vec<&str> = [("branch", &self.branch), ("tag", &self.tag), ("rev", &self.rev)]
            .iter()
            .filter(|(_, v)| v.is_some())
            .map(|(k, _)| *k)
            .collect();
        if refs.len() > 1 {
            return err(format!("give at most one of `branch`, `tag` and `rev` (it has {})", refs.join(" and ")));
        }
        for (key, value) in [("branch", &self.branch), ("tag", &self.tag)] {
            if let Some(v) = value {
                if v.is_empty()
                    || v.starts_with('-')
                    || v.contains(['*', '?', '[', ' ', '~', '^', ':', '\\'])
                    || v.contains("..")
                {
                    return err(format!("{key} \"{v}\" is not a valid git ref name"));
                }
            }
        }
        if let Some(rev) = &self.rev {
            if !(rev.len() == 40 || rev.len() == 64) || !rev.bytes().all(|b| b.is_ascii_hexdigit()) {
                return err(format!(
                    "rev \"{rev}\" must be a full commit id (40 hex digits); use `branch` or `tag` for names"
                ));
            }
        }
        if let Some(sub) = &self.subpath {
            let clean = sub.trim_matches('/');
            if clean.is_empty()
                || sub.starts_with('/')
                || clean.split('/').any(|p| p == ".." || p == "." || p.is_empty())
            {
                return err(format!(
                    "subpath \"{sub}\" must be a folder inside the repository, such as services/payments"
                ));
            }
        }
        if let Some(forge) = &self.forge {
            crate::sources::forge::Forge::parse(forge)
                .map_err(|e| ConfigError(format!("{file}: source \"{name}\": {e}")))?;
        }
        for url in self.git.iter().chain(&self.git_pattern) {
            check_git_url(url).map_err(|e| ConfigError(format!("{file}: source \"{name}\": {e}")))?;
        }
        if let Some(var) = &self.token_env {
            check_env_name(var).map_err(|e| ConfigError(format!("{file}: source \"{name}\": {e}")))?;
        }
        Ok(())
    }
}

/// Refuses git URLs that carry a password: secrets belong in the environment.
pub fn check_git_url(url: &str) -> Result<(), String> {
    if url.trim().is_empty() {
        return Err("the repository URL is empty".into());
    }
    if let Ok(u) = url::Url::parse(url) {
        if u.password().is_some() {
            return Err(format!(
                "the repository URL {} contains a password or token; remove it and name an environment variable that holds it with `token_env`",
                redact_url(url)
            ));
        }
    }
    Ok(())
}

/// A URL with any password replaced by `***`, for messages.
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_string(),
    }
}

fn check_env_name(var: &str) -> Result<(), String> {
    if var.is_empty() || !var.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(format!(
            "token_env \"{var}\" must be the name of an environment variable (letters, digits and _), not the token itself"
        ));
    }
    Ok(())
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
    pub git: GitSection,
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
            git: raw.git,
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
            s.check(&file.to_string())?;
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
        if self.git.jobs == 0 {
            return Err(ConfigError(format!("{file}: git.jobs must be at least 1")));
        }
        if let Some(var) = &self.git.token_env {
            check_env_name(var).map_err(|e| ConfigError(format!("{file}: git: {e}")))?;
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
            git: GitSection::default(),
        }
    }

    /// The git cache folder, resolved against the configuration's folder.
    pub fn git_cache_dir(&self) -> PathBuf {
        self.root.join(&self.git.cache)
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

    fn source_error(body: &str) -> String {
        parse(&format!("[[sources]]\nname = \"s\"\n{body}")).err().map(|e| e.0).unwrap_or_default()
    }

    #[test]
    fn git_sources() {
        let ok = parse(
            "[git]\ncache = \"c\"\njobs = 2\ntoken_env = \"GH_TOKEN\"\n[[sources]]\nname = \"a\"\ngit = \"https://github.com/o/a.git\"\nbranch = \"dev\"\nsubpath = \"svc/a\"\nforge = \"github\"\n[[sources]]\nname = \"b\"\ngit_pattern = \"git@github.com:o/{name}.git\"\nnames = [\"x\", \"y\"]\n",
        );
        let ok = ok.map_err(|e| e.0);
        assert!(ok.as_ref().is_ok_and(|c| c.git.jobs == 2 && c.sources[0].is_git()), "{ok:?}");
        assert!(parse("").is_ok_and(|c| c.git.cache == ".portalgen-cache/git"));
        let both = source_error("path = \"a\"\ngit = \"b\"\n");
        assert!(both.contains("exactly one") && both.contains("path and git"), "{both}");
        assert!(source_error("").contains("it has none"));
        assert!(source_error("path = \"a\"\nbranch = \"x\"\n").contains("only for git sources"));
        assert!(source_error("git = \"a\"\nbranch = \"x\"\ntag = \"y\"\n").contains("at most one"));
        assert!(source_error("git = \"a\"\nrev = \"abc\"\n").contains("full commit id"));
        assert!(source_error("git = \"a\"\nsubpath = \"../x\"\n").contains("inside the repository"));
        assert!(source_error("git = \"a\"\nforge = \"svn\"\n").contains("not github"));
        assert!(source_error("git_pattern = \"https://h/{name}\"\n").contains("go together"));
        assert!(source_error("git_pattern = \"https://h/x\"\nnames = []\n").contains("{name}"));
        assert!(source_error("git = \"a\"\nurl = \"https://h/\"\n").contains("`url` is for local folders"));
        assert!(source_error("git = \"a\"\ntoken_env = \"ghp_123-abc\"\n").contains("name of an environment variable"));
        assert!(source_error("git = \"a\"\ncheckout = true\n").contains("checkout"));
        let secret = source_error("git = \"https://me:hunter2@github.com/o/r.git\"\n");
        assert!(secret.contains("token_env") && !secret.contains("hunter2"), "{secret}");
    }
}
