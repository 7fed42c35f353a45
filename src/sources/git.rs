//! Git repositories as sources: fetched into a cache of bare repositories,
//! read straight from the objects of the fetched commit (no checkout, so no
//! repository content is written outside the cache).
//!
//! A cache entry is a bare repository plus `portalgen/record.json` (URL,
//! ref, commit, when that commit was fetched), written last and atomically:
//! an entry without a readable record, whose commit or any listed object is
//! missing, is damaged and cloned again, never used. The file list of a
//! commit is kept beside it (`portalgen/files-<commit>.txt`), so an unchanged
//! repository costs one ref listing and no tree walk.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use git2::{AutotagOption, Cred, CredentialType, Direction, ErrorCode, FetchOptions, Oid, RemoteCallbacks, Repository};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::forge::{self, Forge, RefKind};
use super::{normalize_rel, parent_dir, SKIPPED_DIRS};

/// What to build from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Want {
    /// The remote's default branch (its `HEAD`).
    Default,
    Branch(String),
    Tag(String),
    /// A full commit id.
    Rev(String),
}

impl Want {
    fn key(&self) -> String {
        match self {
            Want::Default => "default".into(),
            Want::Branch(b) => format!("branch:{b}"),
            Want::Tag(t) => format!("tag:{t}"),
            Want::Rev(r) => format!("rev:{r}"),
        }
    }

    fn describe(&self) -> String {
        match self {
            Want::Default => "its default branch".into(),
            Want::Branch(b) => format!("branch {b}"),
            Want::Tag(t) => format!("tag {t}"),
            Want::Rev(r) => format!("commit {r}"),
        }
    }
}

/// One repository to fetch; sources reading different subpaths of the same
/// repository at the same ref share it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Target {
    /// As configured, for people (never carries a secret: the configuration refuses them).
    pub url: String,
    /// What libgit2 is given: the URL, or the absolute path of a local repository.
    pub fetch_url: String,
    /// The repository folder, for local repositories.
    pub local_path: Option<PathBuf>,
    pub want: Want,
    /// The environment variable holding an https token.
    pub token_env: Option<String>,
    pub ssh_key: Option<PathBuf>,
    /// Only for the user name that goes with a token.
    pub forge: Option<Forge>,
}

/// How to fetch.
#[derive(Debug, Clone)]
pub struct Settings {
    pub cache: PathBuf,
    pub offline: bool,
    pub jobs: usize,
}

/// A file of a commit's tree.
#[derive(Debug, Clone)]
pub struct TreeFile {
    /// From the repository root, `/`-separated.
    pub path: String,
    pub oid: Oid,
    /// A symbolic link: the blob holds its target.
    pub link: bool,
}

/// A fetched commit, ready to read.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// The cache entry (a bare repository).
    pub repo_path: PathBuf,
    pub commit: Oid,
    /// The ref that was fetched: a branch, a tag or the commit itself.
    pub at: RefKind,
    /// When this commit was fetched (Unix seconds), from the cache's record.
    pub fetched_at: u64,
    /// Every file of the commit (outside `.git`, `node_modules`, `target`), sorted.
    pub files: Arc<Vec<TreeFile>>,
}

/// How a fetch went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Cloned,
    Updated,
    Unchanged,
    /// `--offline`: the cached commit, without asking the remote.
    Cached,
    /// The remote could not be reached; the cached commit is used.
    Stale,
    Failed,
}

#[derive(Debug, Clone)]
pub struct Outcome {
    pub snapshot: Option<Snapshot>,
    pub status: Status,
    /// Why the repository could not be fetched, and what was used instead.
    pub problem: Option<String>,
}

/// The cache's record of an entry; written last, so its presence means the
/// entry is complete.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Record {
    url: String,
    want: String,
    /// The full ref name fetched (`refs/heads/main`), or the commit id for `rev`.
    #[serde(rename = "ref")]
    refname: String,
    commit: String,
    fetched_at: u64,
}

const RECORD: &str = "portalgen/record.json";
const FETCHED_REF: &str = "refs/portalgen/head";
/// Git's mode for symbolic links.
const LINK_MODE: i32 = 0o120000;

/// Fetches every target (in parallel, at most `jobs` at once) and reports
/// progress on stderr; outcomes come back in target order.
pub fn fetch_all(targets: &[Target], settings: &Settings) -> Vec<Outcome> {
    if targets.is_empty() {
        return Vec::new();
    }
    if let Err(e) = std::fs::create_dir_all(&settings.cache) {
        let why = format!(
            "the git cache folder {} cannot be created ({e}); fix `git.cache` in site.toml or the folder's permissions",
            settings.cache.display()
        );
        return targets
            .iter()
            .map(|_| Outcome { snapshot: None, status: Status::Failed, problem: Some(why.clone()) })
            .collect();
    }
    sweep(&settings.cache);
    let progress = Progress::new(targets.len(), settings.offline);
    let run = || -> Vec<Outcome> {
        targets
            .par_iter()
            .map(|t| {
                let outcome = sync(t, settings);
                progress.step(t, &outcome);
                outcome
            })
            .collect()
    };
    let outcomes = match rayon::ThreadPoolBuilder::new().num_threads(settings.jobs.max(1)).build() {
        Ok(pool) => pool.install(run),
        Err(_) => run(),
    };
    progress.finish(&outcomes);
    outcomes
}

/// Removes what interrupted builds left behind: half-written clones
/// (`.tmp-*`) and entries being deleted (`.trash-*`), once they are an hour
/// old (a younger one may belong to a build running now).
fn sweep(cache: &Path) {
    let Ok(dir) = std::fs::read_dir(cache) else { return };
    for entry in dir.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(".tmp-") || name.starts_with(".trash-")) {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > Duration::from_secs(3600));
        if old {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// The folder of a target in the cache: readable, and unique per URL and ref.
pub fn entry_name(t: &Target) -> String {
    let base = t.url.trim_end_matches('/').rsplit(['/', ':', '\\']).next().unwrap_or("repo").trim_end_matches(".git");
    let slug: String = base
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
        .take(40)
        .collect();
    format!(
        "{}-{:016x}",
        if slug.is_empty() { "repo" } else { &slug },
        fnv1a(&format!("{}\n{}", t.fetch_url, t.want.key()))
    )
}

/// A stable hash (std's may change between Rust versions; cache names must not).
fn fnv1a(text: &str) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

fn sync(t: &Target, settings: &Settings) -> Outcome {
    let entry = settings.cache.join(entry_name(t));
    let mut damaged = None;
    let cached = match open_cached(&entry, t) {
        Ok(c) => c,
        Err(why) => {
            let why = format!("the cached copy at {} is damaged ({why})", entry.display());
            if !settings.offline {
                eprintln!("git: {}: {why}; cloning it again", t.url);
            }
            if let Err(e) = discard(&entry) {
                return failed(format!("{why} and cannot be removed ({e}); delete that folder"));
            }
            damaged = Some(why);
            None
        }
    };
    if settings.offline {
        return match cached {
            Some(snapshot) => Outcome { snapshot: Some(snapshot), status: Status::Cached, problem: None },
            None => failed(format!(
                "{} is not in the git cache{}, and --offline builds from the cache alone; build once without --offline",
                t.url,
                damaged.map(|d| format!(" ({d})")).unwrap_or_default()
            )),
        };
    }
    let secret = token(t);
    match update(t, &entry, cached.as_ref(), secret.as_deref()) {
        Ok((snapshot, status)) => Outcome {
            snapshot: Some(snapshot),
            status: if damaged.is_some() { Status::Cloned } else { status },
            problem: None,
        },
        Err(why) => {
            let why = redact(&why, secret.as_deref());
            match cached {
                Some(snapshot) => {
                    let problem = format!(
                        "{} could not be fetched: {why}; the portal uses the cached commit {} fetched {}",
                        t.url,
                        short(&snapshot.commit),
                        timestamp(snapshot.fetched_at)
                    );
                    Outcome { snapshot: Some(snapshot), status: Status::Stale, problem: Some(problem) }
                }
                None => failed(format!(
                    "{} could not be fetched: {why}; nothing from it is in the portal until it is fetched once (check the URL, the ref and this machine's access to it)",
                    t.url
                )),
            }
        }
    }
}

fn failed(problem: String) -> Outcome {
    Outcome { snapshot: None, status: Status::Failed, problem: Some(problem) }
}

fn token(t: &Target) -> Option<String> {
    let var = t.token_env.as_deref()?;
    std::env::var(var).ok().filter(|v| !v.is_empty())
}

/// Never let a secret into a message.
fn redact(text: &str, secret: Option<&str>) -> String {
    match secret {
        Some(s) if !s.is_empty() => text.replace(s, "***"),
        _ => text.to_string(),
    }
}

/// Moves a damaged entry aside and deletes it.
fn discard(entry: &Path) -> io::Result<()> {
    if !entry.exists() {
        return Ok(());
    }
    let trash = entry.with_file_name(format!(
        ".trash-{}-{}",
        entry.file_name().and_then(|n| n.to_str()).unwrap_or("entry"),
        std::process::id()
    ));
    std::fs::rename(entry, &trash)?;
    std::fs::remove_dir_all(&trash)
}

/// The entry's snapshot, `Ok(None)` when there is none, `Err` when it is damaged.
fn open_cached(entry: &Path, t: &Target) -> Result<Option<Snapshot>, String> {
    if !entry.exists() {
        return Ok(None);
    }
    let repo = Repository::open_bare(entry).map_err(|e| format!("not a git repository: {}", e.message()))?;
    let text = std::fs::read(entry.join(RECORD))
        .map_err(|_| "it has no fetch record: an earlier clone or fetch was interrupted".to_string())?;
    let record: Record = serde_json::from_slice(&text).map_err(|e| format!("its fetch record is unreadable: {e}"))?;
    if record.want != t.want.key() || record.url != t.url {
        return Err(format!("it holds {} at {}, not this source", record.url, record.want));
    }
    let commit = Oid::from_str(&record.commit).map_err(|_| "its fetch record names no commit".to_string())?;
    let files = files_of(&repo, entry, commit)?;
    let at = ref_kind(&record.refname, commit);
    Ok(Some(Snapshot { repo_path: entry.to_path_buf(), commit, at, fetched_at: record.fetched_at, files }))
}

/// The file list of a commit: from the cache when it was listed before
/// (after checking every listed object is present), else by walking its tree.
fn files_of(repo: &Repository, entry: &Path, commit: Oid) -> Result<Arc<Vec<TreeFile>>, String> {
    let c = repo.find_commit(commit).map_err(|e| format!("commit {commit} is missing: {}", e.message()))?;
    let tree = c.tree().map_err(|e| format!("the tree of commit {commit} is missing: {}", e.message()))?;
    let list_file = entry.join(format!("portalgen/files-{commit}.txt"));
    if let Some(files) = std::fs::read_to_string(&list_file).ok().and_then(|t| parse_listing(&t)) {
        let odb = repo.odb().map_err(|e| e.message().to_string())?;
        if let Some(missing) = files.iter().find(|f| !odb.exists(f.oid)) {
            return Err(format!("the object of {} is missing", missing.path));
        }
        return Ok(Arc::new(files));
    }
    let files = walk_tree(&tree).map_err(|e| format!("the tree of commit {commit} cannot be read: {}", e.message()))?;
    let text: String =
        files.iter().map(|f| format!("{} {} {}\n", f.oid, if f.link { 'l' } else { 'f' }, f.path)).collect();
    write_atomic(&list_file, text.as_bytes()).map_err(|e| format!("{}: {e}", list_file.display()))?;
    // Only the current commit's list is worth keeping.
    if let Ok(dir) = std::fs::read_dir(entry.join("portalgen")) {
        for old in dir.flatten() {
            let name = old.file_name();
            let name = name.to_string_lossy();
            if name.starts_with("files-") && old.path() != list_file {
                let _ = std::fs::remove_file(old.path());
            }
        }
    }
    Ok(Arc::new(files))
}

fn parse_listing(text: &str) -> Option<Vec<TreeFile>> {
    text.lines()
        .map(|line| {
            let mut parts = line.splitn(3, ' ');
            let oid = Oid::from_str(parts.next()?).ok()?;
            let link = match parts.next()? {
                "l" => true,
                "f" => false,
                _ => return None,
            };
            Some(TreeFile { path: parts.next()?.to_string(), oid, link })
        })
        .collect()
}

/// Every blob of a tree, skipping the folders the local walk skips, and
/// names that are not UTF-8 or hold a newline.
fn walk_tree(tree: &git2::Tree) -> Result<Vec<TreeFile>, git2::Error> {
    let mut files = Vec::new();
    tree.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
        let Some(name) = entry.name().ok().filter(|n| !n.contains('\n')) else {
            return git2::TreeWalkResult::Skip;
        };
        match entry.kind() {
            Some(git2::ObjectType::Tree) if SKIPPED_DIRS.contains(&name) => git2::TreeWalkResult::Skip,
            Some(git2::ObjectType::Blob) => {
                files.push(TreeFile {
                    path: format!("{dir}{name}"),
                    oid: entry.id(),
                    link: entry.filemode() == LINK_MODE,
                });
                git2::TreeWalkResult::Ok
            }
            _ => git2::TreeWalkResult::Ok,
        }
    })?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

fn ref_kind(refname: &str, commit: Oid) -> RefKind {
    if let Some(b) = refname.strip_prefix("refs/heads/") {
        RefKind::Branch(b.to_string())
    } else if let Some(t) = refname.strip_prefix("refs/tags/") {
        RefKind::Tag(t.to_string())
    } else {
        RefKind::Commit(commit.to_string())
    }
}

/// Brings the entry up to date with the remote: lists the remote's refs and
/// fetches only when the wanted ref moved.
fn update(
    t: &Target,
    entry: &Path,
    cached: Option<&Snapshot>,
    secret: Option<&str>,
) -> Result<(Snapshot, Status), String> {
    // A commit never changes: one already in the cache needs no network.
    if let (Want::Rev(rev), Some(c)) = (&t.want, cached) {
        if c.commit.to_string() == *rev {
            return Ok((c.clone(), Status::Unchanged));
        }
    }
    let (refname, tip) = match &t.want {
        Want::Rev(rev) => (rev.clone(), Oid::from_str(rev).ok()),
        _ => {
            let (name, oid) = remote_tip(t, secret)?;
            (name, Some(oid))
        }
    };
    if let Some(c) = cached {
        if Some(c.commit) == tip && c_refname(c) == refname {
            return Ok((c.clone(), Status::Unchanged));
        }
    }
    let fresh = cached.is_none();
    let work = if fresh {
        let tmp = entry.with_file_name(format!(
            ".tmp-{}-{}",
            entry.file_name().and_then(|n| n.to_str()).unwrap_or("entry"),
            std::process::id()
        ));
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).map_err(|e| format!("{}: {e}", tmp.display()))?;
        }
        tmp
    } else {
        entry.to_path_buf()
    };
    let result = fetch_into(t, &work, &refname, fresh, secret);
    let (commit, files) = match result {
        Ok(ok) => ok,
        Err(e) => {
            if fresh {
                let _ = std::fs::remove_dir_all(&work);
            }
            return Err(e);
        }
    };
    let fetched_at = match cached {
        Some(c) if c.commit == commit => c.fetched_at,
        _ => now(),
    };
    let record = Record {
        url: t.url.clone(),
        want: t.want.key(),
        refname: refname.clone(),
        commit: commit.to_string(),
        fetched_at,
    };
    let bytes = serde_json::to_vec_pretty(&record).map_err(|e| e.to_string())?;
    write_atomic(&work.join(RECORD), &bytes).map_err(|e| format!("cannot write to the git cache: {e}"))?;
    if fresh {
        if entry.exists() {
            discard(entry).map_err(|e| format!("{}: {e}", entry.display()))?;
        }
        std::fs::rename(&work, entry)
            .map_err(|e| format!("cannot move the new clone into {}: {e}", entry.display()))?;
    }
    let snapshot =
        Snapshot { repo_path: entry.to_path_buf(), commit, at: ref_kind(&refname, commit), fetched_at, files };
    Ok((snapshot, if fresh { Status::Cloned } else { Status::Updated }))
}

/// The full ref name a snapshot was fetched from.
fn c_refname(s: &Snapshot) -> String {
    match &s.at {
        RefKind::Branch(b) => format!("refs/heads/{b}"),
        RefKind::Tag(t) => format!("refs/tags/{t}"),
        RefKind::Commit(c) => c.clone(),
    }
}

/// The wanted ref of the remote and the commit it points at (`git ls-remote`).
fn remote_tip(t: &Target, secret: Option<&str>) -> Result<(String, Oid), String> {
    let mut remote = git2::Remote::create_detached(t.fetch_url.as_str()).map_err(|e| describe(&e, t))?;
    let conn = remote.connect_auth(Direction::Fetch, Some(callbacks(t, secret)), None).map_err(|e| describe(&e, t))?;
    let heads = conn.list().map_err(|e| describe(&e, t))?;
    let find = |name: &str| heads.iter().find(|h| h.name() == name).map(|h| h.oid());
    let wanted = match &t.want {
        Want::Default => match conn.default_branch().ok().and_then(|b| b.as_str().ok().map(String::from)) {
            Some(branch) => branch,
            None => {
                // A server that does not say which branch HEAD is: build HEAD's commit.
                let oid = find("HEAD").ok_or_else(|| format!("{} has no default branch (HEAD)", t.url))?;
                return Ok((oid.to_string(), oid));
            }
        },
        Want::Branch(b) => format!("refs/heads/{b}"),
        Want::Tag(tag) => format!("refs/tags/{tag}"),
        Want::Rev(rev) => return Oid::from_str(rev).map(|o| (rev.clone(), o)).map_err(|e| e.message().to_string()),
    };
    // An annotated tag is listed twice; the peeled entry names the commit.
    let oid = find(&format!("{wanted}^{{}}")).or_else(|| find(&wanted)).ok_or_else(|| {
        format!("{} does not exist in the repository; fix `branch`/`tag` in site.toml", t.want.describe())
    })?;
    Ok((wanted, oid))
}

/// Fetches `refname` into the bare repository at `dir` (created when
/// `fresh`) and lists the fetched commit's files.
fn fetch_into(
    t: &Target,
    dir: &Path,
    refname: &str,
    fresh: bool,
    secret: Option<&str>,
) -> Result<(Oid, Arc<Vec<TreeFile>>), String> {
    let repo = if fresh { Repository::init_bare(dir) } else { Repository::open_bare(dir) }
        .map_err(|e| format!("cannot create the cache repository {}: {}", dir.display(), e.message()))?;
    // An anonymous remote keeps the URL out of the cache's config.
    let mut remote = repo.remote_anonymous(&t.fetch_url).map_err(|e| describe(&e, t))?;
    let refspec = format!("+{refname}:{FETCHED_REF}");
    // The local transport cannot fetch shallow; every other one tries.
    let shallow = t.local_path.is_none() && !t.fetch_url.starts_with("file://");
    let mut attempt = |depth: bool| {
        let mut opts = FetchOptions::new();
        opts.remote_callbacks(callbacks(t, secret));
        opts.download_tags(AutotagOption::None);
        opts.update_fetchhead(false);
        if depth {
            opts.depth(1);
        }
        remote.fetch(&[refspec.as_str()], Some(&mut opts), None)
    };
    let fetched = match attempt(shallow) {
        Err(e) if shallow && e.message().to_ascii_lowercase().contains("shallow") => attempt(false),
        other => other,
    };
    fetched.map_err(|e| match &t.want {
        Want::Rev(rev) if e.code() != ErrorCode::Auth => {
            format!(
                "commit {rev} cannot be fetched ({}); check `rev`, or the server may not serve commits by id",
                e.message()
            )
        }
        _ => describe(&e, t),
    })?;
    let commit = repo
        .revparse_single(FETCHED_REF)
        .and_then(|o| o.peel_to_commit())
        .map_err(|e| format!("the fetched {} is not a commit: {}", t.want.describe(), e.message()))?
        .id();
    let files = files_of(&repo, dir, commit)?;
    Ok((commit, files))
}

/// Credentials on request: the token for https, the SSH agent or key for
/// ssh. Each kind is offered a few times only, so a refused secret ends in
/// an authentication error instead of a loop.
fn callbacks<'a>(t: &'a Target, secret: Option<&'a str>) -> RemoteCallbacks<'a> {
    let mut cb = RemoteCallbacks::new();
    let mut tries = 0;
    cb.credentials(move |_url, user_from_url, allowed| {
        tries += 1;
        if tries > 3 {
            return Err(git2::Error::new(ErrorCode::Auth, git2::ErrorClass::Net, "the credentials were refused"));
        }
        if allowed.contains(CredentialType::SSH_KEY) {
            let user = user_from_url.unwrap_or("git");
            return match &t.ssh_key {
                Some(key) => Cred::ssh_key(user, None, key, None),
                None => Cred::ssh_key_from_agent(user),
            };
        }
        if allowed.contains(CredentialType::USER_PASS_PLAINTEXT) {
            let Some(token) = secret else {
                let why = match &t.token_env {
                    Some(var) => {
                        format!("the server asks for credentials and the environment variable {var} is not set")
                    }
                    None => {
                        "the server asks for credentials; name an environment variable holding a token with `token_env`"
                            .into()
                    }
                };
                return Err(git2::Error::new(ErrorCode::Auth, git2::ErrorClass::Net, why.as_str()));
            };
            if t.fetch_url.starts_with("http://") && !is_loopback(&t.fetch_url) {
                return Err(git2::Error::new(
                    ErrorCode::Auth,
                    git2::ErrorClass::Net,
                    "a token is only sent over https; use the https URL",
                ));
            }
            let user = user_from_url.unwrap_or(Forge::token_user(t.forge.as_ref()));
            return Cred::userpass_plaintext(user, token);
        }
        if allowed.contains(CredentialType::USERNAME) {
            return Cred::username(user_from_url.unwrap_or("git"));
        }
        Cred::default()
    });
    cb
}

fn is_loopback(url: &str) -> bool {
    url::Url::parse(url).ok().and_then(|u| u.host_str().map(String::from)).is_some_and(|h| {
        h == "localhost" || h == "[::1]" || h.parse::<std::net::Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
    })
}

/// A libgit2 error as a reason a person can act on.
fn describe(e: &git2::Error, t: &Target) -> String {
    let message = e.message().trim_end_matches('.');
    match e.code() {
        ErrorCode::Auth => {
            let hint = match (&t.token_env, &t.ssh_key) {
                _ if forge::is_scp_like(&t.url) || t.url.starts_with("ssh://") => {
                    "check the SSH agent or `ssh_key`".to_string()
                }
                (Some(var), _) => format!("check the token in {var}"),
                (None, _) => "set `token_env` to an environment variable holding a token".to_string(),
            };
            format!("authentication failed ({message}); {hint}")
        }
        _ => message.to_string(),
    }
}

fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

pub fn short(oid: &Oid) -> String {
    oid.to_string().chars().take(7).collect()
}

/// Unix seconds as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn timestamp(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// Progress on stderr: one updating line on a terminal, plain log lines
/// otherwise (changes and failures as they happen, a count every few seconds).
struct Progress {
    total: usize,
    done: AtomicUsize,
    tty: bool,
    offline: bool,
    started: Instant,
    last: Mutex<Instant>,
}

impl Progress {
    fn new(total: usize, offline: bool) -> Progress {
        let tty = std::io::IsTerminal::is_terminal(&std::io::stderr());
        let started = Instant::now();
        Progress { total, done: AtomicUsize::new(0), tty, offline, started, last: Mutex::new(started) }
    }

    fn step(&self, t: &Target, outcome: &Outcome) {
        let n = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        let Ok(mut last) = self.last.lock() else { return };
        if self.tty {
            if n == self.total || last.elapsed() >= Duration::from_millis(100) {
                *last = Instant::now();
                let verb = if self.offline { "reading the git cache" } else { "fetching" };
                eprint!("\r\x1b[K{verb}: {n}/{} repositories ({})", self.total, t.url);
            }
            return;
        }
        let commit = outcome.snapshot.as_ref().map(|s| short(&s.commit)).unwrap_or_default();
        match outcome.status {
            Status::Cloned => eprintln!("git: cloned {} at {commit}", t.url),
            Status::Updated => eprintln!("git: updated {} to {commit}", t.url),
            Status::Stale => eprintln!("git: could not fetch {}; using the cached {commit}", t.url),
            Status::Failed => eprintln!("git: could not fetch {}", t.url),
            Status::Unchanged | Status::Cached => {}
        }
        if last.elapsed() >= Duration::from_secs(5) && n < self.total {
            *last = Instant::now();
            eprintln!("git: {n}/{} repositories", self.total);
        }
    }

    fn finish(&self, outcomes: &[Outcome]) {
        if self.tty {
            eprint!("\r\x1b[K");
        }
        let count = |s: Status| outcomes.iter().filter(|o| o.status == s).count();
        let failed = count(Status::Failed) + count(Status::Stale);
        if self.offline {
            eprintln!(
                "git: {} from the cache (offline) in {:.1?}; {failed} not cached",
                plural(self.total),
                self.started.elapsed()
            );
        } else {
            eprintln!(
                "git: {} in {:.1?}: {} cloned, {} updated, {} unchanged, {failed} could not be fetched",
                plural(self.total),
                self.started.elapsed(),
                count(Status::Cloned),
                count(Status::Updated),
                count(Status::Unchanged)
            );
        }
    }
}

fn plural(n: usize) -> String {
    format!("{n} {}", if n == 1 { "repository" } else { "repositories" })
}

/// The files of one source inside a fetched commit (the whole tree, or a
/// subpath of it), read from the cache's objects.
pub struct GitTree {
    repo_path: PathBuf,
    /// By path relative to the source root.
    entries: std::collections::HashMap<String, (Oid, bool)>,
    /// Open repositories, reused across reads (a `Repository` is not `Sync`).
    pool: Mutex<Vec<Repository>>,
}

/// Symbolic links followed for one read, at most.
const MAX_LINKS: usize = 16;

impl GitTree {
    /// The tree below `subpath` (`""` for the root) and its file list.
    pub fn new(snapshot: &Snapshot, subpath: &str) -> (GitTree, Vec<String>) {
        let prefix = if subpath.is_empty() { String::new() } else { format!("{subpath}/") };
        let mut entries = std::collections::HashMap::new();
        let mut list = Vec::new();
        for f in snapshot.files.iter() {
            if let Some(rel) = f.path.strip_prefix(&prefix) {
                entries.insert(rel.to_string(), (f.oid, f.link));
                list.push(rel.to_string());
            }
        }
        (GitTree { repo_path: snapshot.repo_path.clone(), entries, pool: Mutex::new(Vec::new()) }, list)
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// A file's content; symbolic links resolve within the source and are
    /// refused when they lead outside it.
    pub fn read(&self, rel: &str) -> io::Result<Vec<u8>> {
        let oid = self.resolve(rel)?;
        self.blob(oid)
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.entries.contains_key(rel) || self.resolve(rel).is_ok()
    }

    fn resolve(&self, rel: &str) -> io::Result<Oid> {
        let outside =
            || io::Error::new(io::ErrorKind::PermissionDenied, "it leads outside the source (through a symlink)");
        let mut path = normalize_rel("", rel).ok_or_else(outside)?;
        for _ in 0..=MAX_LINKS {
            let parts: Vec<&str> = path.split('/').collect();
            let mut next = None;
            for i in 1..=parts.len() {
                let prefix = parts[..i].join("/");
                let Some(&(oid, link)) = self.entries.get(&prefix) else { continue };
                if !link {
                    if i == parts.len() {
                        return Ok(oid);
                    }
                    break;
                }
                let target = String::from_utf8_lossy(&self.blob(oid)?).into_owned();
                if target.starts_with('/') || target.contains('\\') {
                    return Err(outside());
                }
                let joined = normalize_rel(parent_dir(&prefix), &target).ok_or_else(outside)?;
                let rest = parts[i..].join("/");
                next = Some(if rest.is_empty() { joined } else { format!("{joined}/{rest}") });
                break;
            }
            match next {
                Some(p) => path = p,
                None => return Err(io::Error::new(io::ErrorKind::NotFound, "no such file in the repository")),
            }
        }
        Err(io::Error::other("too many levels of symbolic links"))
    }

    fn blob(&self, oid: Oid) -> io::Result<Vec<u8>> {
        let repo = match self.pool.lock().ok().and_then(|mut p| p.pop()) {
            Some(r) => r,
            None => Repository::open_bare(&self.repo_path).map_err(|e| self.damaged(e.message()))?,
        };
        let bytes = repo.find_blob(oid).map(|b| b.content().to_vec()).map_err(|e| self.damaged(e.message()));
        if let Ok(mut pool) = self.pool.lock() {
            pool.push(repo);
        }
        bytes
    }

    /// A read failed inside the cache: drop the entry's record so the next
    /// build clones it again, and say so.
    fn damaged(&self, why: &str) -> io::Error {
        let _ = std::fs::remove_file(self.repo_path.join(RECORD));
        io::Error::other(format!(
            "the git cache at {} is damaged ({why}); it is cloned again on the next build",
            self.repo_path.display()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert_eq!(timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(timestamp(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(timestamp(1_700_000_000), "2023-11-14T22:13:20Z");
    }

    #[test]
    fn entry_names_are_readable_and_distinct() {
        let t = |url: &str, want: Want| Target {
            url: url.into(),
            fetch_url: url.into(),
            local_path: None,
            want,
            token_env: None,
            ssh_key: None,
            forge: None,
        };
        let a = entry_name(&t("https://github.com/o/payments.git", Want::Default));
        assert!(a.starts_with("payments-"), "{a}");
        assert_ne!(a, entry_name(&t("https://github.com/o/payments.git", Want::Branch("dev".into()))));
        assert_ne!(a, entry_name(&t("https://github.com/p/payments.git", Want::Default)));
        assert!(entry_name(&t("git@h:o/x y.git", Want::Default)).starts_with("x_y-"));
    }

    #[test]
    fn secrets_are_redacted() {
        assert_eq!(redact("401 for s3cr3t at x", Some("s3cr3t")), "401 for *** at x");
        assert!(is_loopback("http://127.0.0.1:8080/x") && !is_loopback("http://example.com/x"));
    }
}
