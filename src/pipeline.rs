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
pub fn timed<T>(stage: &str, f: impl FnOnce() -> T) -> T {
    let started = std::time::Instant::now();
    let out = f();
    if std::env::var_os("PORTALGEN_TIMINGS").is_some() {
        eprintln!("timing: {stage}: {:.1?}", started.elapsed());
    }
    out
}

/// Reads every configured source and builds the catalog.
pub fn load_catalog(config: &Config, options: LoadOptions) -> Loaded {
    let sources = timed("fetch", || sources::from_config(config, options));
    let registrations: Vec<FileKey> = timed("discover", || {
        sources
            .iter()
            .enumerate()
            .flat_map(|(i, s)| s.catalog_files().into_iter().map(move |rel| FileKey { source: i, rel }))
            .collect()
    });
    let mut catalog = timed("catalog", || {
        catalog::build(catalog::Input { sources: &sources, registrations, allow: config.catalog.allow.as_deref() })
    });
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
    Loaded { sources, catalog }
}

/// Writes the site for a loaded catalog into `out`, atomically: nothing
/// replaces the previous site unless every file was written.
pub fn write_site(config: &Config, loaded: &Loaded, out: &Path) -> Result<site::SiteReport, String> {
    let staging = Staging::new(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let report = timed("site", || site::render(config, &loaded.catalog, &loaded.sources, &staging))?;
    timed("commit", || staging.commit()).map_err(|e| format!("{}: {e}", out.display()))?;
    Ok(report)
}
