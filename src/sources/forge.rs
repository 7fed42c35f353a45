//! Forges: where a repository's files can be viewed and edited in a browser.
//! One place knows the URL shapes of GitHub, GitLab, Bitbucket and Gitea (and
//! of a site's own pattern), so entity pages link to the exact file and
//! `url:` targets pointing at a configured repository resolve from it.

/// The forges whose URL shapes portalgen knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ForgeKind {
    GitHub,
    GitLab,
    Bitbucket,
    Gitea,
}

/// How a source's files are linked: a known forge, or a site's own pattern.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Forge {
    Known(ForgeKind),
    /// The view URL of the repository root at a ref, with `{host}`, `{repo}`
    /// (`owner/name`), `{name}` and `{ref}` placeholders, e.g.
    /// `https://code.acme.internal/{repo}/-/blob/{ref}/`.
    Pattern(String),
}

impl Forge {
    /// `github`, `gitlab`, `bitbucket`, `gitea` (also `forgejo`), or a URL pattern.
    pub fn parse(value: &str) -> Result<Forge, String> {
        match value.to_ascii_lowercase().as_str() {
            "github" => Ok(Forge::Known(ForgeKind::GitHub)),
            "gitlab" => Ok(Forge::Known(ForgeKind::GitLab)),
            "bitbucket" => Ok(Forge::Known(ForgeKind::Bitbucket)),
            "gitea" | "forgejo" => Ok(Forge::Known(ForgeKind::Gitea)),
            _ if (value.starts_with("https://") || value.starts_with("http://")) && value.contains("{ref}") => {
                Ok(Forge::Pattern(value.to_string()))
            }
            _ => Err(format!(
                "forge \"{value}\" is not github, gitlab, bitbucket or gitea, nor a URL pattern with {{ref}} such as \"https://code.example.com/{{repo}}/blob/{{ref}}/\""
            )),
        }
    }

    /// The forge a host name suggests (`github.com`, `gitlab.example.com`, …).
    pub fn infer(host: &str) -> Option<Forge> {
        let host = host.to_ascii_lowercase();
        let kind = if host.contains("github") {
            ForgeKind::GitHub
        } else if host.contains("gitlab") {
            ForgeKind::GitLab
        } else if host.contains("bitbucket") {
            ForgeKind::Bitbucket
        } else if host.contains("gitea") || host.contains("forgejo") || host == "codeberg.org" {
            ForgeKind::Gitea
        } else {
            return None;
        };
        Some(Forge::Known(kind))
    }

    /// The user name that goes with a token over https when the URL names none.
    pub fn token_user(forge: Option<&Forge>) -> &'static str {
        match forge {
            Some(Forge::Known(ForgeKind::GitHub)) => "x-access-token",
            Some(Forge::Known(ForgeKind::GitLab)) => "oauth2",
            Some(Forge::Known(ForgeKind::Bitbucket)) => "x-token-auth",
            _ => "git",
        }
    }
}

/// A repository's home page: `https://<host>/<path>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebRepo {
    /// Host, with the port for http(s) URLs that name one.
    pub host: String,
    /// `owner/name` (or deeper, for GitLab groups), without `.git`.
    pub path: String,
}

impl WebRepo {
    pub fn url(&self) -> String {
        format!("https://{}/{}", self.host, self.path)
    }

    /// The last path segment: the repository's name.
    pub fn name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }
}

/// The web home of a git URL (`https://host/o/r.git`, `ssh://git@host/o/r`,
/// `git@host:o/r.git`); `None` for local repositories and anything else.
pub fn web_repo(git_url: &str) -> Option<WebRepo> {
    let (host, path) = if let Some(rest) = git_url.strip_prefix("https://").or_else(|| git_url.strip_prefix("http://"))
    {
        let (authority, path) = rest.split_once('/')?;
        let host = authority.rsplit('@').next().unwrap_or(authority);
        (host.to_string(), path)
    } else if let Some(rest) = git_url.strip_prefix("ssh://").or_else(|| git_url.strip_prefix("git://")) {
        let (authority, path) = rest.split_once('/')?;
        let host = authority.rsplit('@').next().unwrap_or(authority);
        // An ssh port is no web port.
        let host = host.split(':').next().unwrap_or(host);
        (host.to_string(), path)
    } else if is_scp_like(git_url) {
        let (authority, path) = git_url.split_once(':')?;
        let host = authority.rsplit('@').next().unwrap_or(authority);
        (host.to_string(), path)
    } else {
        return None;
    };
    let path = path.trim_matches('/');
    let path = path.strip_suffix(".git").unwrap_or(path).trim_matches('/');
    if host.is_empty() || path.is_empty() {
        return None;
    }
    Some(WebRepo { host, path: path.to_string() })
}

/// `user@host:path`, git's scp-like ssh syntax (not a Windows drive, not a URL).
pub fn is_scp_like(url: &str) -> bool {
    if url.contains("://") {
        return false;
    }
    match (url.find(':'), url.find('/')) {
        (Some(colon), slash) => colon > 1 && slash.is_none_or(|s| colon < s) && !url[..colon].contains('\\'),
        _ => false,
    }
}

/// What a source is built from: a branch, a tag or a commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefKind {
    Branch(String),
    Tag(String),
    Commit(String),
}

impl RefKind {
    pub fn name(&self) -> &str {
        match self {
            RefKind::Branch(n) | RefKind::Tag(n) | RefKind::Commit(n) => n,
        }
    }
}

/// The URLs of a source's files on its forge. Bases end in `/` and include
/// the source's subpath; a file's URL is the base followed by its path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Links {
    pub view: String,
    /// `(prefix, suffix)` of a file's edit URL; only for branches.
    pub edit: Option<(String, String)>,
    /// Folder URLs, for `backstage.io/source-location`.
    pub tree: String,
}

impl Links {
    /// Links of a local source with a configured `url`: the edit and folder
    /// forms are derived from the shape of the view URL.
    pub fn from_view_base(view: &str) -> Links {
        let view = if view.ends_with('/') { view.to_string() } else { format!("{view}/") };
        let edit = edit_url_of_view(&view).map(|e| (e, String::new()));
        let tree = view.replacen("/blob/", "/tree/", 1);
        Links { view, edit, tree }
    }

    /// Links of a repository on a forge, at a ref, below `subpath` (`""` or `a/b`).
    pub fn for_repo(forge: &Forge, repo: &WebRepo, at: &RefKind, subpath: &str) -> Links {
        let home = repo.url();
        let sub = if subpath.is_empty() { String::new() } else { format!("{subpath}/") };
        let r = at.name();
        let branch = matches!(at, RefKind::Branch(_));
        let (view, edit, tree) = match forge {
            Forge::Known(ForgeKind::GitHub) => (
                format!("{home}/blob/{r}/{sub}"),
                branch.then(|| (format!("{home}/edit/{r}/{sub}"), String::new())),
                format!("{home}/tree/{r}/{sub}"),
            ),
            Forge::Known(ForgeKind::GitLab) => (
                format!("{home}/-/blob/{r}/{sub}"),
                branch.then(|| (format!("{home}/-/edit/{r}/{sub}"), String::new())),
                format!("{home}/-/tree/{r}/{sub}"),
            ),
            Forge::Known(ForgeKind::Bitbucket) => (
                format!("{home}/src/{r}/{sub}"),
                branch.then(|| (format!("{home}/src/{r}/{sub}"), "?mode=edit".to_string())),
                format!("{home}/src/{r}/{sub}"),
            ),
            Forge::Known(ForgeKind::Gitea) => {
                let kind = match at {
                    RefKind::Branch(_) => "branch",
                    RefKind::Tag(_) => "tag",
                    RefKind::Commit(_) => "commit",
                };
                (
                    format!("{home}/src/{kind}/{r}/{sub}"),
                    branch.then(|| (format!("{home}/_edit/{r}/{sub}"), String::new())),
                    format!("{home}/src/{kind}/{r}/{sub}"),
                )
            }
            Forge::Pattern(pattern) => {
                let base = pattern
                    .replace("{host}", &repo.host)
                    .replace("{repo}", &repo.path)
                    .replace("{name}", repo.name())
                    .replace("{ref}", r);
                let base = if base.ends_with('/') { base } else { format!("{base}/") };
                let mut links = Links::from_view_base(&format!("{base}{sub}"));
                if !branch {
                    links.edit = None;
                }
                return links;
            }
        };
        Links { view, edit, tree }
    }

    pub fn view_url(&self, rel: &str) -> String {
        format!("{}{rel}", self.view)
    }

    pub fn edit_url(&self, rel: &str) -> Option<String> {
        self.edit.as_ref().map(|(prefix, suffix)| format!("{prefix}{rel}{suffix}"))
    }

    /// The folder URL of `dir` (`""` for the root).
    pub fn tree_url(&self, dir: &str) -> String {
        if dir.is_empty() {
            self.tree.clone()
        } else {
            format!("{}{dir}/", self.tree)
        }
    }

    /// The path below the root that a URL points at, if it points into this
    /// source by any of its forms (view, folder or edit).
    pub fn rel_of_url<'u>(&self, url: &'u str) -> Option<&'u str> {
        let clean = url.split(['#', '?']).next().unwrap_or(url);
        let edit = self.edit.as_ref().map(|(p, _)| p.as_str());
        for base in [Some(self.view.as_str()), Some(self.tree.as_str()), edit].into_iter().flatten() {
            if let Some(rest) = clean.strip_prefix(base) {
                return Some(rest);
            }
            // The root folder itself, written without its trailing slash.
            if base.strip_suffix('/') == Some(clean) {
                return Some("");
            }
        }
        None
    }
}

/// The page of a commit on its forge.
pub fn commit_url(forge: &Forge, repo: &WebRepo, commit: &str) -> Option<String> {
    let home = repo.url();
    match forge {
        Forge::Known(ForgeKind::GitHub) | Forge::Known(ForgeKind::Gitea) => Some(format!("{home}/commit/{commit}")),
        Forge::Known(ForgeKind::GitLab) => Some(format!("{home}/-/commit/{commit}")),
        Forge::Known(ForgeKind::Bitbucket) => Some(format!("{home}/commits/{commit}")),
        Forge::Pattern(_) => None,
    }
}

/// The forge's edit URL for a view URL (GitHub, GitLab and Gitea shapes);
/// none when the URL is pinned to a commit.
pub fn edit_url_of_view(view: &str) -> Option<String> {
    let is_commit = view.split('/').any(|seg| seg.len() >= 40 && seg.bytes().all(|b| b.is_ascii_hexdigit()));
    if is_commit {
        return None;
    }
    if view.contains("/-/blob/") {
        return Some(view.replacen("/-/blob/", "/-/edit/", 1));
    }
    if view.contains("/src/branch/") {
        return Some(view.replacen("/src/branch/", "/_edit/", 1));
    }
    if view.contains("/blob/") {
        return Some(view.replacen("/blob/", "/edit/", 1));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo(url: &str) -> WebRepo {
        web_repo(url).unwrap_or_else(|| panic!("no web repo for {url}"))
    }

    #[test]
    fn web_homes_of_git_urls() {
        for url in [
            "https://github.com/acme/payments.git",
            "https://ci:x@github.com/acme/payments",
            "ssh://git@github.com:22/acme/payments.git",
            "git@github.com:acme/payments.git",
        ] {
            assert_eq!(repo(url), WebRepo { host: "github.com".into(), path: "acme/payments".into() }, "{url}");
        }
        assert_eq!(repo("https://git.example.com:8443/a/b/c.git").url(), "https://git.example.com:8443/a/b/c");
        assert_eq!(web_repo("file:///srv/git/a.git"), None);
        assert_eq!(web_repo("/srv/git/a.git"), None);
        assert_eq!(web_repo("repos/a"), None);
        assert_eq!(web_repo("C:\\git\\a"), None);
        assert_eq!(Forge::infer("gitlab.example.com"), Some(Forge::Known(ForgeKind::GitLab)));
        assert_eq!(Forge::infer("git.example.com"), None);
    }

    #[test]
    fn url_shapes_of_each_forge() {
        let r = repo("https://host/o/r.git");
        let main = RefKind::Branch("main".into());
        let cases = [
            (
                ForgeKind::GitHub,
                "https://host/o/r/blob/main/a/b.yaml",
                "https://host/o/r/edit/main/a/b.yaml",
                "https://host/o/r/tree/main/a/",
            ),
            (
                ForgeKind::GitLab,
                "https://host/o/r/-/blob/main/a/b.yaml",
                "https://host/o/r/-/edit/main/a/b.yaml",
                "https://host/o/r/-/tree/main/a/",
            ),
            (
                ForgeKind::Bitbucket,
                "https://host/o/r/src/main/a/b.yaml",
                "https://host/o/r/src/main/a/b.yaml?mode=edit",
                "https://host/o/r/src/main/a/",
            ),
            (
                ForgeKind::Gitea,
                "https://host/o/r/src/branch/main/a/b.yaml",
                "https://host/o/r/_edit/main/a/b.yaml",
                "https://host/o/r/src/branch/main/a/",
            ),
        ];
        for (kind, view, edit, tree) in cases {
            let links = Links::for_repo(&Forge::Known(kind), &r, &main, "a");
            assert_eq!(links.view_url("b.yaml"), view);
            assert_eq!(links.edit_url("b.yaml").as_deref(), Some(edit));
            assert_eq!(links.tree_url(""), tree);
            assert_eq!(links.rel_of_url(view), Some("b.yaml"));
            assert_eq!(links.rel_of_url(&format!("{tree}docs")), Some("docs"));
        }
        let tag = Links::for_repo(&Forge::Known(ForgeKind::Gitea), &r, &RefKind::Tag("v1".into()), "");
        assert_eq!(tag.view_url("x"), "https://host/o/r/src/tag/v1/x");
        assert_eq!(tag.edit_url("x"), None);
        let pattern =
            Forge::parse("https://code.acme.internal/{repo}/blob/{ref}").unwrap_or(Forge::Known(ForgeKind::GitHub));
        let links = Links::for_repo(&pattern, &r, &main, "");
        assert_eq!(links.view_url("x.yaml"), "https://code.acme.internal/o/r/blob/main/x.yaml");
        assert_eq!(links.edit_url("x.yaml").as_deref(), Some("https://code.acme.internal/o/r/edit/main/x.yaml"));
        assert!(Forge::parse("sourcehut").is_err());
    }

    #[test]
    fn edit_urls_of_view_urls() {
        assert_eq!(edit_url_of_view("https://h/o/r/blob/main/x").as_deref(), Some("https://h/o/r/edit/main/x"));
        assert_eq!(edit_url_of_view(&format!("https://h/o/r/blob/{}/x", "a".repeat(40))), None);
        assert!(is_scp_like("git@host:o/r.git"));
        assert!(!is_scp_like("./a:b"));
        assert!(!is_scp_like("https://host/x"));
    }
}
