//! Problems found while building: every one names the file (and line where
//! known), the entity, and what to do.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub severity: Severity,
    pub file: String,
    pub line: Option<usize>,
    #[serde(rename = "ref")]
    pub entity_ref: Option<String>,
    pub message: String,
}

impl Problem {
    pub fn error(
        file: impl Into<String>,
        line: Option<usize>,
        entity_ref: Option<String>,
        message: impl Into<String>,
    ) -> Self {
        Problem { severity: Severity::Error, file: file.into(), line, entity_ref, message: message.into() }
    }

    pub fn warning(
        file: impl Into<String>,
        line: Option<usize>,
        entity_ref: Option<String>,
        message: impl Into<String>,
    ) -> Self {
        Problem { severity: Severity::Warning, ..Problem::error(file, line, entity_ref, message) }
    }
}
