//! Splitting a catalog file into YAML documents and turning each into JSON
//! data, with the line numbers problems need.
//!
//! Documents are split on `---` / `...` lines before parsing so that one
//! broken document does not hide the others (Backstage's YAML parser also
//! reports errors per document) and so every document knows its first line.

use serde_json::{Map, Number, Value};

/// Bigger catalog files than this are refused: real ones are a few KB, and
/// the limit keeps a hostile file from exhausting memory.
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;

/// One YAML document of a file.
#[derive(Debug, Clone)]
pub struct Document {
    /// 0-based position in the file; empty documents count.
    pub index: usize,
    /// 1-based line where the document starts (its `---` line, or its first line).
    pub line: usize,
    /// The document's source text (lines `line..`), for locating fields.
    pub text: String,
    pub content: DocContent,
}

#[derive(Debug, Clone)]
pub enum DocContent {
    /// A mapping, the only shape an entity can have.
    Object(Map<String, Value>),
    /// An empty document: skipped silently, as Backstage does.
    Empty,
    /// Not a mapping (a list or a scalar).
    NotObject(&'static str),
    /// Not parseable YAML; the line is absolute within the file.
    Error { message: String, line: Option<usize> },
}

/// Why a whole file could not be read as YAML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileError {
    TooLarge(usize),
    Binary,
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FileError::TooLarge(n) => write!(
                f,
                "the file is {n} bytes; catalog files larger than {} bytes are not read — split it into several files",
                MAX_FILE_BYTES
            ),
            FileError::Binary => {
                write!(f, "the file is binary, not YAML text — check that it is really a catalog file")
            }
        }
    }
}

/// Splits and parses a whole file.
pub fn parse_file(bytes: &[u8]) -> Result<Vec<Document>, FileError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(FileError::TooLarge(bytes.len()));
    }
    if bytes.iter().take(8192).any(|&b| b == 0) {
        return Err(FileError::Binary);
    }
    // Node decodes invalid UTF-8 with replacement characters, so Backstage
    // never rejects a file for its encoding alone; do the same.
    let text = String::from_utf8_lossy(bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Ok(split_documents(text)
        .into_iter()
        .enumerate()
        .map(|(index, chunk)| {
            let content = parse_chunk(&chunk.text, chunk.line);
            Document { index, line: chunk.line, text: chunk.text, content }
        })
        .collect())
}

/// Parses a single-document YAML text (a `$yaml` placeholder target).
pub fn parse_single(text: &str) -> Result<Value, String> {
    let chunks = split_documents(text);
    let mut values = Vec::new();
    for chunk in &chunks {
        match parse_chunk(&chunk.text, chunk.line) {
            DocContent::Object(map) => values.push(Value::Object(map)),
            DocContent::Empty => {}
            DocContent::NotObject(_) => {
                let value: serde_yaml::Value = serde_yaml::from_str(&chunk.text).map_err(|e| e.to_string())?;
                values.push(yaml_to_json(value));
            }
            DocContent::Error { message, .. } => return Err(message),
        }
    }
    match values.len() {
        1 => Ok(values.remove(0)),
        n => Err(format!("expected exactly one YAML document, found {n}")),
    }
}

struct Chunk {
    line: usize,
    text: String,
}

/// Splits on document markers at column 0. A `---` that only follows
/// comments or directives opens the first document instead of ending it.
fn split_documents(text: &str) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    let mut current = String::new();
    let mut start_line = 1;
    let mut has_marker = false;
    let mut has_content = false;
    for (i, raw_line) in text.split_inclusive('\n').enumerate() {
        let line_no = i + 1;
        let line = raw_line.trim_end_matches(['\n', '\r']);
        if is_marker(line, "---") {
            if has_marker || has_content {
                chunks.push(Chunk { line: start_line, text: std::mem::take(&mut current) });
            } else {
                current.clear();
            }
            start_line = line_no;
            has_marker = true;
            has_content = !line[3..].trim().is_empty() && !line[3..].trim_start().starts_with('#');
            // Keep the rest of the line (`--- |`, `--- {a: 1}`) in place.
            current.push_str("   ");
            current.push_str(&raw_line[3..]);
            continue;
        }
        if is_marker(line, "...") {
            if has_marker || has_content {
                chunks.push(Chunk { line: start_line, text: std::mem::take(&mut current) });
            }
            current.clear();
            has_marker = false;
            has_content = false;
            start_line = line_no + 1;
            continue;
        }
        let trimmed = line.trim_start();
        if !has_content && !has_marker && (trimmed.is_empty() || trimmed.starts_with('#') || line.starts_with('%')) {
            // Prelude before the document: comments, blank lines, directives.
            if line.starts_with('%') {
                current.push('\n');
            } else {
                current.push_str(raw_line);
            }
            if current.trim().is_empty() {
                current.clear();
                start_line = line_no + 1;
            }
            continue;
        }
        if !trimmed.is_empty() && !trimmed.starts_with('#') {
            has_content = true;
        }
        current.push_str(raw_line);
    }
    if has_marker || has_content {
        chunks.push(Chunk { line: start_line, text: current });
    }
    chunks
}

fn is_marker(line: &str, marker: &str) -> bool {
    line.starts_with(marker) && line[marker.len()..].chars().next().is_none_or(|c| c == ' ' || c == '\t')
}

fn parse_chunk(text: &str, first_line: usize) -> DocContent {
    // Most catalog documents are plain block YAML that the fast parser reads
    // exactly as serde_yaml would; anything else (and every error) takes the
    // serde_yaml path below.
    if let Some(Value::Object(map)) = super::fastyaml::parse(text) {
        return DocContent::Object(map);
    }
    match serde_yaml::from_str::<serde_yaml::Value>(text) {
        Ok(serde_yaml::Value::Null) => DocContent::Empty,
        Ok(value) => match yaml_to_json(value) {
            Value::Object(map) => DocContent::Object(map),
            Value::Array(_) => DocContent::NotObject("a list"),
            Value::String(_) => DocContent::NotObject("a string"),
            Value::Number(_) => DocContent::NotObject("a number"),
            Value::Bool(_) => DocContent::NotObject("a boolean"),
            Value::Null => DocContent::Empty,
        },
        Err(err) => {
            let line = err.location().map(|l| l.line() + first_line - 1);
            DocContent::Error { message: clean_yaml_message(&err.to_string()), line }
        }
    }
}

/// serde_yaml appends "at line X column Y" relative to the document; the
/// problem carries the absolute line separately.
fn clean_yaml_message(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// Converts YAML data to the JSON data Backstage works on (`toJSON()` of the
/// `yaml` package): mapping keys become strings, tags are dropped.
pub fn yaml_to_json(value: serde_yaml::Value) -> Value {
    match value {
        serde_yaml::Value::Null => Value::Null,
        serde_yaml::Value::Bool(b) => Value::Bool(b),
        serde_yaml::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::Number(i.into())
            } else if let Some(u) = n.as_u64() {
                Value::Number(u.into())
            } else {
                n.as_f64().and_then(Number::from_f64).map_or(Value::Null, Value::Number)
            }
        }
        serde_yaml::Value::String(s) => Value::String(s),
        serde_yaml::Value::Sequence(items) => Value::Array(items.into_iter().map(yaml_to_json).collect()),
        serde_yaml::Value::Mapping(map) => {
            let mut out = Map::with_capacity(map.len());
            for (k, v) in map {
                out.insert(key_to_string(k), yaml_to_json(v));
            }
            Value::Object(out)
        }
        serde_yaml::Value::Tagged(tagged) => yaml_to_json(tagged.value),
    }
}

fn key_to_string(key: serde_yaml::Value) -> String {
    match key {
        serde_yaml::Value::String(s) => s,
        serde_yaml::Value::Null => String::new(),
        serde_yaml::Value::Bool(b) => b.to_string(),
        serde_yaml::Value::Number(n) => n.to_string(),
        other => serde_json::to_string(&yaml_to_json(other)).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(text: &str) -> Vec<Document> {
        parse_file(text.as_bytes()).unwrap_or_default()
    }

    #[test]
    fn splits_documents_and_counts_empty_ones() {
        let d = docs("# head\n---\na: 1\n---\n---\nb: 2\n---\n");
        let kinds: Vec<_> = d.iter().map(|d| (d.index, d.line, matches!(d.content, DocContent::Object(_)))).collect();
        assert_eq!(kinds, vec![(0, 2, true), (1, 4, false), (2, 5, true), (3, 7, false)]);
    }

    #[test]
    fn document_without_marker_starts_at_first_line() {
        let d = docs("\n\na: 1\n---\nb: 2\n");
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].line, 3);
        assert_eq!(d[1].line, 4);
    }

    #[test]
    fn error_in_one_document_keeps_the_others() {
        let d = docs("a: 1\n---\nb: \"unclosed\nc: 2\n---\nd: 3\n");
        assert!(matches!(d[0].content, DocContent::Object(_)));
        match &d[1].content {
            DocContent::Error { line, .. } => assert!(line.is_some_and(|l| l >= 3)),
            other => panic!("expected an error, got {other:?}"),
        }
        assert!(matches!(d[2].content, DocContent::Object(_)));
    }

    #[test]
    fn yaml_12_scalars_and_literal_merge_keys() {
        let d = docs("a: yes\nb: 2021-01-01\nbase: &b {x: 1}\nc:\n  <<: *b\n");
        let DocContent::Object(map) = &d[0].content else { panic!("not an object") };
        assert_eq!(map["a"], Value::String("yes".into()));
        assert_eq!(map["b"], Value::String("2021-01-01".into()));
        assert!(map["c"].get("<<").is_some(), "merge keys stay literal");
    }

    #[test]
    fn non_objects_and_garbage() {
        assert!(matches!(docs("- a\n- b\n")[0].content, DocContent::NotObject(_)));
        assert!(matches!(docs("just text\n")[0].content, DocContent::NotObject(_)));
        assert!(matches!(docs("a:\n\tb: 1\n")[0].content, DocContent::Error { .. }));
        assert!(matches!(docs("a: 1\na: 2\n")[0].content, DocContent::Error { .. }));
        assert_eq!(parse_file(b"\x00\x01binary").err(), Some(FileError::Binary));
        assert!(docs("").is_empty());
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        assert!(matches!(docs(&text)[0].content, DocContent::Error { .. }));
    }
}
