//! The build, stage by stage: sources → files → entities → catalog → site → output.

use std::path::Path;

use crate::catalog::{self, Catalog, FileKey};
use crate::config::Config;
use crate::output::Staging;
use crate::site;
use crate::sources::{self, Source};

pub struct Loaded {
    pub sources: Vec<Source>,
    pub catalog: Catalog,
}

/// Reads every configured source and builds the catalog.
pub fn load_catalog(config: &Config) -> Loaded {
    let sources = sources::from_config(config);
    let registrations: Vec<FileKey> = sources
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.catalog_files().into_iter().map(move |rel| FileKey { source: i, rel }))
        .collect();
    let catalog =
        catalog::build(catalog::Input { sources: &sources, registrations, allow: config.catalog.allow.as_deref() });
    Loaded { sources, catalog }
}

/// Writes the site for a loaded catalog into `out`, atomically.
pub fn write_site(config: &Config, loaded: &Loaded, out: &Path) -> std::io::Result<usize> {
    let staging = Staging::new(out)?;
    let pages = site::render(config, &loaded.catalog, &loaded.sources, &staging)?;
    staging.commit()?;
    Ok(pages)
}
