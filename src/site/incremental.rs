//! Incremental rendering for `portalgen serve`: after a change, only the
//! pages whose inputs changed are rendered again, and the result is the
//! same site, byte for byte, that a full build writes.
//!
//! How a page says what it depends on:
//! - **Entities it shows** are recorded while it renders: every entity
//!   looked up through [`super::views::Views`] (links, table rows, relation
//!   cards, group trees) is noted with [`touch`]. A page is rendered again
//!   when one of them changed (data, relations, file, problems), was added
//!   or was removed.
//! - **Everything else it shows** is its key (`page_key` in `mod.rs`): a
//!   hash of the page's other inputs, such as the refs in the slice of the
//!   ordered catalog a list page shows, or a content page's Markdown. A
//!   page whose key changed is rendered again.
//! - **What every page shows** (the base context: navigation, counts, site
//!   settings) is hashed once; when it changes, every page is rendered.
//! - A page kind without a key is rendered on every change: correct, only
//!   slower. New page kinds get a key arm in `page_key` to be fast.
//!
//! Data files are produced in full on every build; the output writes only
//! the files whose bytes changed.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::Mutex;

use crate::problems::Problem;

/// What the last build rendered.
#[derive(Default)]
pub struct SiteState {
    built: bool,
    base: u64,
    pages: HashMap<String, PageRecord>,
    /// Every file of the site (pages and data files).
    pub files: HashSet<String>,
    /// Pages the build that made this state rendered.
    pub rendered: usize,
}

struct PageRecord {
    key: Option<u64>,
    refs: Box<[String]>,
    /// Broken links found in the page.
    problems: Vec<Problem>,
}

/// What changed since the last build.
#[derive(Debug, Default, Clone)]
pub struct Changed {
    /// Entity refs (lowercase) whose pages and mentions must be rendered again.
    pub refs: HashSet<String>,
    /// Render every page (the theme changed, or there is no last build).
    pub everything: bool,
}

/// One incremental build in progress.
pub(super) struct Pass<'a> {
    previous: &'a SiteState,
    changed: &'a Changed,
    base_changed: bool,
    base: u64,
    rendered: Mutex<Vec<(String, PageRecord)>>,
    /// Pages rendered in this pass.
    pub count: std::sync::atomic::AtomicUsize,
}

impl<'a> Pass<'a> {
    pub(super) fn new(previous: &'a SiteState, changed: &'a Changed, base: &serde_json::Value) -> Pass<'a> {
        let base = hash(&base.to_string());
        Pass {
            previous,
            changed,
            base_changed: !previous.built || previous.base != base,
            base,
            rendered: Mutex::new(Vec::new()),
            count: Default::default(),
        }
    }

    /// The problems of the page from the last build when it need not be
    /// rendered again.
    pub(super) fn reuse(&self, file: &str, key: Option<u64>) -> Option<Vec<Problem>> {
        if self.base_changed || self.changed.everything {
            return None;
        }
        let old = self.previous.pages.get(file)?;
        let same = key.is_some() && old.key == key && !old.refs.iter().any(|r| self.changed.refs.contains(r));
        same.then(|| old.problems.clone())
    }

    pub(super) fn rendered(&self, file: &str, key: Option<u64>, refs: Vec<String>, problems: &[Problem]) {
        self.count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let record = PageRecord { key, refs: refs.into_boxed_slice(), problems: problems.to_vec() };
        if let Ok(mut r) = self.rendered.lock() {
            r.push((file.to_string(), record));
        }
    }

    /// The state after this pass: pages not rendered keep their records.
    pub(super) fn finish(self, files: HashSet<String>) -> SiteState {
        let records = self.rendered.into_inner().unwrap_or_default();
        let mut pages: HashMap<String, PageRecord> = HashMap::with_capacity(self.previous.pages.len());
        for (file, record) in records {
            pages.insert(file, record);
        }
        for (file, old) in &self.previous.pages {
            if files.contains(file) && !pages.contains_key(file) {
                pages.insert(
                    file.clone(),
                    PageRecord { key: old.key, refs: old.refs.clone(), problems: old.problems.clone() },
                );
            }
        }
        let rendered = self.count.load(std::sync::atomic::Ordering::Relaxed);
        SiteState { built: true, base: self.base, pages, files, rendered }
    }
}

thread_local! {
    static TOUCHED: RefCell<Option<Vec<String>>> = const { RefCell::new(None) };
}

/// Notes that the page being rendered shows `entity_ref`.
pub fn touch(entity_ref: &str) {
    TOUCHED.with(|t| {
        if let Some(list) = t.borrow_mut().as_mut() {
            list.push(entity_ref.to_lowercase());
        }
    });
}

/// Runs `render` and returns what it touched (when `record` is set).
pub(super) fn recording<T>(record: bool, render: impl FnOnce() -> T) -> (T, Vec<String>) {
    if !record {
        return (render(), Vec::new());
    }
    TOUCHED.with(|t| *t.borrow_mut() = Some(Vec::new()));
    let out = render();
    let mut refs = TOUCHED.with(|t| t.borrow_mut().take()).unwrap_or_default();
    refs.sort_unstable();
    refs.dedup();
    (out, refs)
}

/// A stable hash of anything hashable, for page keys.
pub fn hash(value: &impl Hash) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}
