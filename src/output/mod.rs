//! Stage 6 — output: the site is written to a staging folder beside the
//! output folder and swapped in only when everything was written, so a
//! failed build never leaves a half-written site behind.

use std::io;
use std::path::{Path, PathBuf};

pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    /// In-place mode (`portalgen serve`): files are kept in memory until
    /// [`Staging::commit_in_place`].
    buffer: Option<std::sync::Mutex<Vec<Buffered>>>,
}

/// A file of an in-place staging: its path in the site and its bytes.
type Buffered = (String, Vec<u8>);

impl Staging {
    pub fn new(target: &Path) -> io::Result<Staging> {
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent)?;
        let name = target.file_name().and_then(|n| n.to_str()).unwrap_or("public");
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir_all(&dir)?;
        Ok(Staging { dir, target: target.to_path_buf(), buffer: None })
    }

    /// Staging for a rebuild that writes some files of an existing site:
    /// nothing touches the site until [`Staging::commit_in_place`], which
    /// writes only the files whose bytes changed, each replaced atomically.
    pub fn in_place(target: &Path) -> Staging {
        Staging { dir: target.to_path_buf(), target: target.to_path_buf(), buffer: Some(Default::default()) }
    }

    /// Writes the files of an in-place staging that differ from the site's,
    /// and returns them.
    pub fn commit_in_place(self) -> io::Result<Vec<String>> {
        let files = match &self.buffer {
            Some(buffer) => std::mem::take(&mut *buffer.lock().map_err(|_| io::Error::other("poisoned"))?),
            None => return Err(io::Error::other("not an in-place staging")),
        };
        let mut changed = Vec::new();
        for (rel, bytes) in files {
            let path = self.target.join(&rel);
            let same = std::fs::metadata(&path).is_ok_and(|m| m.len() == bytes.len() as u64)
                && std::fs::read(&path).is_ok_and(|old| old == bytes);
            if same {
                continue;
            }
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            let temp = path.with_file_name(format!(
                ".{}.portalgen-{}",
                path.file_name().and_then(|n| n.to_str()).unwrap_or("file"),
                std::process::id()
            ));
            std::fs::write(&temp, &bytes)?;
            std::fs::rename(&temp, &path)?;
            changed.push(rel);
        }
        Ok(changed)
    }

    /// Writes `rel` (a `/`-separated path inside the site).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        if rel.split('/').any(|p| p == ".." || p.is_empty()) {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("refusing to write unsafe path {rel}")));
        }
        if let Some(buffer) = &self.buffer {
            buffer.lock().map_err(|_| io::Error::other("poisoned"))?.push((rel.to_string(), bytes.to_vec()));
            return Ok(());
        }
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            // Most pages live in a folder of their own whose parent exists:
            // one mkdir instead of create_dir_all's stat-then-mkdir.
            match std::fs::create_dir(parent) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                Err(_) => std::fs::create_dir_all(parent)?,
            }
        }
        std::fs::write(path, bytes)
    }

    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Moves the staged site into place.
    pub fn commit(self) -> io::Result<()> {
        if self.buffer.is_some() {
            return self.commit_in_place().map(|_| ());
        }
        let old = self.dir.with_extension("old");
        if self.target.exists() {
            std::fs::rename(&self.target, &old)?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            if old.exists() {
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(e);
        }
        if old.exists() {
            remove_tree(&old)?;
        }
        Ok(())
    }
}

/// Removes a folder tree, files in parallel (a site has tens of thousands).
fn remove_tree(dir: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if !entry.file_type().is_dir() {
            files.push(entry.into_path());
        }
    }
    files.par_iter().for_each(|f| {
        let _ = std::fs::remove_file(f);
    });
    std::fs::remove_dir_all(dir)
}

impl Drop for Staging {
    fn drop(&mut self) {
        if self.buffer.is_some() {
            // In place: `dir` is the site itself.
            return;
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
