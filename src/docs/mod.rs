//! TechDocs: entities' MkDocs documentation trees rendered into the portal
//! without Python. [`plan`] resolves which entities have docs and reads each
//! site's `mkdocs.yml`, pages and navigation; [`render`] renders the pages
//! (with [`markdown`]) one by one into the site's staging folder.

pub mod markdown;
pub mod mkdocs;
pub mod nav;
pub mod plan;
pub mod render;

pub use plan::{plan, DocsPlan};
pub use render::{DocsReport, RenderEnv, SearchSection};

use std::collections::{HashMap, HashSet};

use crate::catalog::Catalog;
use crate::problems::Problem;
use crate::sources::Source;

/// `portalgen check`: every docs problem (refs, mkdocs.yml, links, anchors,
/// pages missing from nav) without writing anything.
pub fn check(catalog: &Catalog, sources: &[Source]) -> Vec<Problem> {
    let plan = plan::plan(catalog, sources);
    let known: HashSet<String> = plan.files().collect();
    let base = serde_json::Value::Null;
    let entities = HashMap::new();
    let env = RenderEnv {
        tera: None,
        staging: None,
        base: &base,
        style: crate::config::UrlStyle::Directory,
        base_url: String::new(),
        known: &known,
        entities: &entities,
        search: false,
    };
    let mut problems = plan.problems.clone();
    match render::render(&plan, sources, &env) {
        Ok(report) => problems.extend(report.problems),
        Err(e) => problems.push(Problem::error("docs", None, None, e)),
    }
    problems
}
