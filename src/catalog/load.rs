//! Stage 2 — files: reading one catalog file into documents and deciding
//! whether the file as a whole is acceptable (Backstage rejects every entity
//! of a file when one document has a YAML, envelope or disallowed-kind error).

use serde_json::Value;

use crate::entities::validate::{check_envelope, Violation};
use crate::entities::yaml::{parse_file, DocContent, Document};
use crate::sources::Source;

#[derive(Debug, Clone)]
pub struct LoadedFile {
    /// The documents, or why the file could not be read at all.
    pub docs: Result<Vec<Document>, String>,
    /// The first document that makes Backstage reject the whole file.
    pub blocking: Option<FileBlock>,
}

#[derive(Debug, Clone)]
pub struct FileBlock {
    pub index: usize,
    pub line: Option<usize>,
    pub message: String,
}

impl LoadedFile {
    /// What is still needed once the documents have been processed: whether
    /// the file could be read and whether it blocks.
    pub fn summary(&self) -> LoadedFile {
        LoadedFile {
            docs: self.docs.as_ref().map(|_| Vec::new()).map_err(Clone::clone),
            blocking: self.blocking.clone(),
        }
    }
}

/// Why a document could not become an entity, for documents that block their file.
pub fn document_error(doc: &Document, allow: Option<&[String]>) -> Option<(Option<usize>, String)> {
    match &doc.content {
        DocContent::Empty => None,
        DocContent::Error { message, line } => Some((
            *line,
            format!("this is not valid YAML: {message}. Fix the syntax; until then no entity in this file is read"),
        )),
        DocContent::NotObject(what) => Some((
            Some(doc.line),
            format!("a catalog document must be a mapping (apiVersion, kind, metadata, spec), but this one is {what}"),
        )),
        DocContent::Object(map) => {
            if let Err(Violation { path, message }) = check_envelope(map) {
                let line = crate::entities::lines::locate(&doc.text, doc.line, &path).or(Some(doc.line));
                return Some((line, message));
            }
            let kind = map.get("kind").and_then(Value::as_str).unwrap_or("");
            if let Some(allow) = allow {
                // Backstage's catalog rules compare kinds case-insensitively.
                if !allow.iter().any(|k| k.eq_ignore_ascii_case(kind)) {
                    return Some((
                        Some(doc.line),
                        format!(
                            "kind {kind} is not allowed by catalog.allow in site.toml ({}); add it there or remove this entity",
                            allow.join(", ")
                        ),
                    ));
                }
            }
            None
        }
    }
}

pub fn load(source: &Source, rel: &str, allow: Option<&[String]>) -> LoadedFile {
    let bytes = match source.read(rel) {
        Ok(b) => b,
        Err(e) => {
            let why = if e.kind() == std::io::ErrorKind::NotFound {
                "the file does not exist".to_string()
            } else {
                format!("the file cannot be read: {e}")
            };
            return LoadedFile { docs: Err(why), blocking: None };
        }
    };
    match parse_file(&bytes) {
        Err(e) => LoadedFile { docs: Err(e.to_string()), blocking: None },
        Ok(docs) => {
            let blocking = docs.iter().find_map(|d| {
                document_error(d, allow).map(|(line, message)| FileBlock { index: d.index, line, message })
            });
            LoadedFile { docs: Ok(docs), blocking }
        }
    }
}
