//! Stage 6 — output: the site is written to a staging folder beside the
//! output folder and swapped in only when everything was written, so a
//! failed build never leaves a half-written site behind.

use std::io;
use std::path::{Path, PathBuf};

pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
}

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
        Ok(Staging { dir, target: target.to_path_buf() })
    }

    /// Writes `rel` (a `/`-separated path inside the site).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        if rel.split('/').any(|p| p == ".." || p.is_empty()) {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("refusing to write unsafe path {rel}")));
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
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
