//! The build, stage by stage: sources → files → entities → catalog → site → output.

use std::path::Path;

use crate::catalog::{self, Catalog, FileKey};
use crate::config::Config;
use crate::output::Staging;
use crate::site;
pub use crate::sources::LoadOptions;
use crate::sources::{self, Source};

pub struct Loaded {
    pub sources: Vec<Source>,
    pub catalog: Catalog,
}

/// Prints how long a stage took when `PORTALGEN_TIMINGS` is set (for the benchmark).
/// With the process's CPU time (all threads) where the system tells it, since
/// wall time alone says little on a busy machine.
pub fn timed<T>(stage: &str, f: impl FnOnce() -> T) -> T {
    let enabled = std::env::var_os("PORTALGEN_TIMINGS").is_some();
    let cpu_before = if enabled { cpu_seconds() } else { None };
    let started = std::time::Instant::now();
    let out = f();
    if enabled {
        let cpu = match (cpu_before, cpu_seconds()) {
            (Some(a), Some(b)) => format!(" (cpu {:.2}s)", b - a),
            _ => String::new(),
        };
        eprintln!("timing: {stage}: {:.1?}{cpu}", started.elapsed());
    }
    out
}

/// User plus system CPU time of this process so far (Linux: /proc/self/stat, in clock ticks of 1/100 s).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th of them.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

/// Reads every configured source and builds the catalog.
pub fn load_catalog(config: &Config, options: LoadOptions) -> Loaded {
    let sources = timed("fetch", || sources::from_config(config, options));
    let registrations: Vec<FileKey> = timed("discover", || discover(&sources));
    let mut catalog = timed("catalog", || {
        catalog::build(catalog::Input { sources: &sources, registrations, allow: config.catalog.allow.as_deref() })
    });
    add_source_problems(config, &sources, &mut catalog);
    Loaded { sources, catalog }
}

/// The catalog files the sources register, in registration order.
pub fn discover(sources: &[Source]) -> Vec<FileKey> {
    sources
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.catalog_files().into_iter().map(move |rel| FileKey { source: i, rel }))
        .collect()
}

/// [`load_catalog`] for a rebuild (`portalgen serve`): sources and
/// registrations as given, and every file [`catalog::Reuse`] still holds is
/// not read again. Also returns the files that were.
pub fn reload_catalog(
    config: &Config,
    sources: Vec<Source>,
    registrations: Vec<FileKey>,
    reuse: &mut catalog::Reuse,
) -> (Loaded, std::collections::HashSet<FileKey>) {
    let input = catalog::Input { sources: &sources, registrations, allow: config.catalog.allow.as_deref() };
    let (mut catalog, processed) = timed("catalog", || catalog::build_reusing(input, reuse));
    add_source_problems(config, &sources, &mut catalog);
    (Loaded { sources, catalog }, processed)
}

fn add_source_problems(config: &Config, sources: &[Source], catalog: &mut Catalog) {
    // Problems of the sources themselves come first: they explain missing entities.
    let source_problems = sources.iter().flat_map(|source| {
        source.problems.iter().map(|(severity, message)| crate::problems::Problem {
            severity: *severity,
            file: config.file.display().to_string(),
            line: None,
            entity_ref: None,
            message: format!("source \"{}\": {message}", source.name),
        })
    });
    catalog.problems.splice(0..0, source_problems);
}

/// Writes the site for a loaded catalog into `out`, atomically: nothing
/// replaces the previous site unless every file was written.
pub fn write_site(config: &Config, loaded: &Loaded, out: &Path) -> Result<site::SiteReport, String> {
    let staging = Staging::new(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let report = timed("site", || site::render(config, &loaded.catalog, &loaded.sources, &staging))?;
    timed("commit", || staging.commit()).map_err(|e| format!("{}: {e}", out.display()))?;
    Ok(report)
}

/// [`write_site`] for `portalgen serve`: renders only the pages whose inputs
/// changed since `state`. `in_place`: writes only the files whose bytes
/// changed, each atomically, and returns them; otherwise the whole site is
/// replaced atomically as by [`write_site`]. Nothing is written on error.
pub fn write_site_changed(
    config: &Config,
    loaded: &Loaded,
    out: &Path,
    state: &site::incremental::SiteState,
    changed: &site::incremental::Changed,
    in_place: bool,
) -> Result<(site::SiteReport, site::incremental::SiteState, Option<Vec<String>>), String> {
    let fail = |e: std::io::Error| format!("{}: {e}", out.display());
    let staging = if in_place { Staging::in_place(out) } else { Staging::new(out).map_err(fail)? };
    let (report, state) =
        timed("site", || site::render_changed(config, &loaded.catalog, &loaded.sources, &staging, state, changed))?;
    let written = if in_place {
        Some(timed("commit", || staging.commit_in_place()).map_err(fail)?)
    } else {
        timed("commit", || staging.commit()).map_err(fail)?;
        None
    };
    Ok((report, state, written))
}
