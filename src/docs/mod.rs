//! Stage: TechDocs — MkDocs documentation trees (`mkdocs.yml` + `docs/`)
//! rendered into the portal as techdocs-core would render them.

pub mod markdown;
