//! portalgen: a developer portal built as a static site.
//!
//! The build is one-way data flow through stages, each a module:
//! [`sources`] → files ([`catalog::load`]) → [`entities`] → [`catalog`] →
//! [`site`] → [`output`]. [`apidef`] renders API definitions for the site.

pub mod apidef;
pub mod catalog;
pub mod check;
pub mod commands;
pub mod config;
pub mod docs;
pub mod entities;
pub mod graph;
pub mod output;
pub mod pipeline;
pub mod problems;
pub mod search;
pub mod serve;
pub mod site;
pub mod sources;
