//! Stage 3 — entities: YAML documents become entities, checked against
//! Backstage's rules. Nothing here knows about other entities; relating them
//! is the catalog stage's job.

pub mod fastyaml;
pub mod lines;
pub mod placeholders;
pub mod refs;
pub mod relations;
pub mod validate;
pub mod yaml;

pub use refs::EntityRef;
