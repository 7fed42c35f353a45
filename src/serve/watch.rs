//! File watching: notify reports changes under the watched folders; bursts
//! (an editor saving through a temporary file and a rename, `git checkout`
//! of many files) are gathered into one set of changed paths.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

/// A burst has ended when nothing changed for this long.
const QUIET: Duration = Duration::from_millis(30);
/// A steady stream of changes still rebuilds this often.
const LONGEST_BURST: Duration = Duration::from_secs(2);

pub enum Message {
    Changed(PathBuf),
    /// The watcher lost events (its queue overflowed): rebuild everything.
    Rescan,
    /// Stop serving (Ctrl-C).
    Stop,
}

/// One gathered burst.
#[derive(Debug, Default)]
pub struct Changes {
    pub paths: BTreeSet<PathBuf>,
    pub rescan: bool,
}

pub struct Watch {
    // Dropping the watcher stops its thread.
    _watcher: notify::RecommendedWatcher,
    /// Folders to watch that did not exist yet: once one appears, watching starts again.
    pub missing: Vec<PathBuf>,
}

/// What to watch: folders watched with everything below them, and folders
/// watched alone (for files such as `site.toml` that editors replace).
pub struct Targets {
    pub recursive: Vec<PathBuf>,
    pub shallow: Vec<PathBuf>,
    /// Changes below these (the output folder) are the server's own.
    pub ignored: Vec<PathBuf>,
}

pub fn start(targets: Targets, tx: Sender<Message>) -> Result<(Watch, Vec<String>), String> {
    let ignored = targets.ignored.clone();
    let events = tx.clone();
    let mut watcher = notify::recommended_watcher(move |result: notify::Result<notify::Event>| match result {
        Ok(event) => {
            if event.need_rescan() {
                let _ = events.send(Message::Rescan);
            }
            if matches!(event.kind, notify::EventKind::Access(_)) {
                return;
            }
            for path in event.paths {
                if !is_ignored(&path, &ignored) {
                    let _ = events.send(Message::Changed(path));
                }
            }
        }
        Err(_) => {
            let _ = events.send(Message::Rescan);
        }
    })
    .map_err(|e| format!("cannot watch files: {e}"))?;
    let mut warnings = Vec::new();
    let mut missing = Vec::new();
    let mut watched: Vec<&PathBuf> = Vec::new();
    for (dirs, mode) in
        [(&targets.recursive, RecursiveMode::Recursive), (&targets.shallow, RecursiveMode::NonRecursive)]
    {
        for dir in dirs {
            // A folder inside one already watched with all below it needs no watch of its own.
            if !dir.exists() {
                missing.push(dir.clone());
                continue;
            }
            if watched.iter().any(|w| dir.starts_with(w) && *w != dir) {
                continue;
            }
            if let Err(e) = watcher.watch(dir, mode) {
                warnings.push(format!(
                    "cannot watch {}: {e}; changes there need a restart (on Linux, raise fs.inotify.max_user_watches)",
                    dir.display()
                ));
            }
            if mode == RecursiveMode::Recursive {
                watched.push(dir);
            }
        }
    }
    Ok((Watch { _watcher: watcher, missing }, warnings))
}

fn is_ignored(path: &Path, ignored: &[PathBuf]) -> bool {
    if ignored.iter().any(|i| path.starts_with(i)) {
        return true;
    }
    // The staging folders of the output (`.public.staging-<pid>`, `….old`),
    // version-control internals and editors' swap files.
    path.components().any(|c| {
        let c = c.as_os_str().to_string_lossy();
        c == ".git" || c.contains(".staging-")
    }) || path.file_name().is_some_and(|n| {
        let n = n.to_string_lossy();
        n.ends_with(".swp") || n.ends_with(".swx") || n.ends_with('~') || n == "4913"
    })
}

/// Waits for the next burst of changes; `None` when told to stop.
pub fn next_burst(rx: &Receiver<Message>) -> Option<Changes> {
    let mut changes = Changes::default();
    let add = |changes: &mut Changes, message: Message| -> bool {
        match message {
            Message::Changed(p) => {
                changes.paths.insert(p);
            }
            Message::Rescan => changes.rescan = true,
            Message::Stop => return false,
        }
        true
    };
    let first = rx.recv().ok()?;
    if !add(&mut changes, first) {
        return None;
    }
    let started = Instant::now();
    loop {
        match rx.recv_timeout(QUIET) {
            Ok(message) => {
                if !add(&mut changes, message) {
                    return None;
                }
                if started.elapsed() > LONGEST_BURST {
                    return Some(changes);
                }
            }
            Err(RecvTimeoutError::Timeout) => return Some(changes),
            Err(RecvTimeoutError::Disconnected) => return None,
        }
    }
}

pub fn channel() -> (Sender<Message>, Receiver<Message>) {
    mpsc::channel()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bursts_are_gathered_and_stop_ends_waiting() {
        let (tx, rx) = channel();
        for p in ["/a", "/b", "/a"] {
            tx.send(Message::Changed(PathBuf::from(p))).unwrap();
        }
        let burst = next_burst(&rx).unwrap();
        assert_eq!(burst.paths.len(), 2);
        assert!(!burst.rescan);
        tx.send(Message::Stop).unwrap();
        assert!(next_burst(&rx).is_none());
    }

    #[test]
    fn own_output_and_editor_files_are_ignored() {
        let out = vec![PathBuf::from("/site/public")];
        assert!(is_ignored(Path::new("/site/public/index.html"), &out));
        assert!(is_ignored(Path::new("/site/.public.staging-12/x"), &out));
        assert!(is_ignored(Path::new("/site/repos/a/.catalog-info.yaml.swp"), &out));
        assert!(!is_ignored(Path::new("/site/repos/a/catalog-info.yaml"), &out));
    }
}
