//! Where a file's references lead: Location targets, placeholder targets and
//! the location annotations Backstage adds. Every path stays inside a
//! configured source; URLs resolve only into configured sources.

use serde_json::{Map, Value};

use super::FileKey;
use crate::entities::placeholders::PlaceholderReader;
use crate::entities::validate::Violation;
use crate::sources::{normalize_rel, parent_dir, Source};

pub const MANAGED_BY_LOCATION: &str = "backstage.io/managed-by-location";
pub const MANAGED_BY_ORIGIN_LOCATION: &str = "backstage.io/managed-by-origin-location";
pub const VIEW_URL: &str = "backstage.io/view-url";
pub const EDIT_URL: &str = "backstage.io/edit-url";
pub const SOURCE_LOCATION: &str = "backstage.io/source-location";

/// `<type>:<target>` of a file, as Backstage writes location refs.
pub fn location_ref(sources: &[Source], file: &FileKey) -> String {
    let s = &sources[file.source];
    format!("{}:{}", s.location_type(), s.location_target(&file.rel))
}

/// A URL into one of the sources, if any source claims it.
fn file_of_url(sources: &[Source], url: &str) -> Option<FileKey> {
    crate::sources::resolve_url_ref(sources, url).map(|(source, rel)| FileKey { source, rel })
}

fn is_absolute_url(text: &str) -> bool {
    url::Url::parse(text).is_ok_and(|u| u.scheme().len() > 1)
}

const NOT_FETCHABLE: &str = "portalgen reads only the configured sources and this URL is in none of them; add its repository as a source (with `url`) or use a relative path";

/// The files a Location entity points at, in target order. Missing
/// optional targets are skipped; any other failure fails the Location.
pub fn location_targets(
    sources: &[Source],
    file: &FileKey,
    spec: &Map<String, Value>,
) -> Result<Vec<FileKey>, Violation> {
    let source = &sources[file.source];
    let own_type = source.location_type();
    let ty = spec.get("type").and_then(Value::as_str).unwrap_or(own_type);
    let optional = spec.get("presence").and_then(Value::as_str) == Some("optional");
    if ty != own_type && ty != "url" {
        return Err(Violation::new(
            &["spec", "type"],
            format!("a Location here may only have type \"{own_type}\" or \"url\", not \"{ty}\" (Backstage only allows switching to url locations)"),
        ));
    }
    let mut targets: Vec<(Vec<String>, &str)> = Vec::new();
    if let Some(Value::String(t)) = spec.get("target") {
        if !t.is_empty() {
            targets.push((vec!["spec".into(), "target".into()], t));
        }
    }
    if let Some(Value::Array(list)) = spec.get("targets") {
        for (i, t) in list.iter().enumerate() {
            if let Value::String(t) = t {
                targets.push((vec!["spec".into(), "targets".into(), i.to_string()], t));
            }
        }
    }
    let mut out = Vec::new();
    for (path, target) in targets {
        let fail = |message: String| Violation { path: path.clone(), message };
        let found: Vec<FileKey> = if ty == "file" {
            if target.ends_with('/') || target.ends_with(std::path::MAIN_SEPARATOR) {
                return Err(fail(format!("target \"{target}\" ends with a slash; a file location must name a file or a glob such as ./**/catalog-info.yaml")));
            }
            if !target.starts_with('.') {
                return Err(fail(format!(
                    "target \"{target}\" is not relative to this file; start it with ./ (Backstage resolves other file targets against its own working folder, so they rarely work)"
                )));
            }
            let Some(rel) = normalize_rel(parent_dir(&file.rel), target) else {
                return Err(fail(format!(
                    "target \"{target}\" points outside the repository; targets must stay inside it"
                )));
            };
            if rel.contains(['*', '?', '[', '{']) {
                source.glob(&[rel]).into_iter().map(|rel| FileKey { source: file.source, rel }).collect()
            } else if source.exists(&rel) {
                vec![FileKey { source: file.source, rel }]
            } else {
                vec![]
            }
        } else if is_absolute_url(target) {
            match file_of_url(sources, target) {
                Some(key) if sources[key.source].exists(&key.rel) => vec![key],
                Some(_) => vec![],
                None => return Err(fail(format!("target {target} cannot be fetched: {NOT_FETCHABLE}"))),
            }
        } else if own_type == "url" {
            match normalize_rel(parent_dir(&file.rel), target) {
                Some(rel) if source.exists(&rel) => vec![FileKey { source: file.source, rel }],
                Some(_) => vec![],
                None => return Err(fail(format!("target \"{target}\" points outside the repository"))),
            }
        } else {
            return Err(fail(format!(
                "target \"{target}\" is not a URL: a `type: url` Location needs an absolute URL here (or give the source a `url` in site.toml so relative URLs resolve, or use `type: file`)"
            )));
        };
        if found.is_empty() {
            if optional {
                continue;
            }
            return Err(fail(format!(
                "target \"{target}\" matches no file; fix the path or mark the Location `presence: optional`"
            )));
        }
        out.extend(found);
    }
    Ok(out)
}

/// Reads placeholder targets relative to the entity's file, within its source.
pub struct SourceReader<'a> {
    pub sources: &'a [Source],
    pub file: &'a FileKey,
    /// Every file read, for rebuilds that must know what depends on what.
    pub reads: Option<&'a std::sync::Mutex<Vec<FileKey>>>,
}

impl PlaceholderReader for SourceReader<'_> {
    fn read_text(&self, target: &str) -> Result<String, String> {
        let key = if is_absolute_url(target) {
            file_of_url(self.sources, target).ok_or_else(|| format!("cannot be fetched: {NOT_FETCHABLE}"))?
        } else {
            let rel = normalize_rel(parent_dir(&self.file.rel), target).ok_or_else(|| {
                "the path points outside the repository; placeholders may only read files of their own repository"
                    .to_string()
            })?;
            FileKey { source: self.file.source, rel }
        };
        let source = &self.sources[key.source];
        if let Some(reads) = self.reads {
            if let Ok(mut reads) = reads.lock() {
                reads.push(key.clone());
            }
        }
        match source.read(&key.rel) {
            Ok(bytes) => Ok(String::from_utf8_lossy(&bytes).into_owned()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Err(format!("file {} does not exist", source.display(&key.rel)))
            }
            Err(e) => Err(format!("cannot read {}: {e}", source.display(&key.rel))),
        }
    }
}

/// Sets the two `managed-by` annotations (overwriting values in the file,
/// as Backstage does) and, for sources with a forge URL, view/edit/source
/// links (values in the file win).
/// `location` is the file's own location ref ([`location_ref`]), computed
/// once per file by the caller.
pub fn annotate(entity: &mut Map<String, Value>, sources: &[Source], file: &FileKey, location: &str, origin: &str) {
    let Some(Value::Object(metadata)) = entity.get_mut("metadata") else {
        return;
    };
    let annotations = metadata
        .entry("annotations")
        .and_modify(|a| {
            if !a.is_object() {
                *a = Value::Object(Map::new());
            }
        })
        .or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(annotations) = annotations else {
        return;
    };
    annotations.insert(MANAGED_BY_ORIGIN_LOCATION.into(), Value::String(origin.to_string()));
    annotations.insert(MANAGED_BY_LOCATION.into(), Value::String(location.to_string()));
    let source = &sources[file.source];
    // The forge's URL shapes live in `sources::forge`; the source knows its forge.
    let Some(view) = source.view_url(&file.rel) else {
        return;
    };
    let mut generated = vec![(VIEW_URL, view)];
    if let Some(edit) = source.edit_url(&file.rel) {
        generated.push((EDIT_URL, edit));
    }
    if let Some(dir_url) = source.tree_url(parent_dir(&file.rel)) {
        generated.push((SOURCE_LOCATION, format!("url:{dir_url}")));
    }
    for (key, value) in generated {
        annotations.entry(key).or_insert(Value::String(value));
    }
}
