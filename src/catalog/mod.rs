//! Stage 4 — catalog: registered files are followed through their Location
//! entities breadth first, each document becomes a verdict (valid? ingested?),
//! refs are resolved and relations derived exactly as Backstage derives them.
//!
//! Per-file work (reading, parsing, validating) runs in parallel; the
//! decisions that depend on order (first location to claim a ref keeps it,
//! a later document in the same file supersedes an earlier one) are made in
//! one sequential pass over the records in processing order.

pub mod load;
pub mod locations;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use serde_json::{Map, Value};

use crate::entities::lines;
use crate::entities::placeholders;
use crate::entities::refs::{EntityRef, DEFAULT_NAMESPACE};
use crate::entities::relations::{self, DeclaredRef, RelationRow};
use crate::entities::validate::{self, Violation};
use crate::entities::yaml::{DocContent, Document};
use crate::problems::Problem;
use crate::sources::Source;
use load::LoadedFile;

/// A file inside a source.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileKey {
    pub source: usize,
    pub rel: String,
}

/// What happened to one YAML document.
#[derive(Debug, Clone)]
pub struct Record {
    pub file: FileKey,
    /// Position of the document in its file; `None` for a file that could not be read.
    pub index: Option<usize>,
    pub line: usize,
    pub entity_ref: Option<String>,
    pub valid: bool,
    pub ingested: bool,
    pub error: Option<(Option<usize>, String)>,
    /// Why a valid entity did not make it into the catalog.
    pub dropped: Option<String>,
    entity: Option<Map<String, Value>>,
    rows: Vec<RelationRow>,
    declared: Vec<DeclaredRef>,
    targets: Vec<FileKey>,
    /// Checked in parallel, applied at stitching time as Backstage does.
    stitch_error: Option<String>,
    parent: Option<usize>,
    origin: String,
    file_ok: bool,
    blocks_file: bool,
}

/// An entity in the catalog, in the shape Backstage's API returns.
#[derive(Debug, Clone)]
pub struct Entity {
    pub entity_ref: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
    /// apiVersion, kind, metadata and spec (relations are in `relations`).
    pub data: Map<String, Value>,
    pub relations: Vec<Relation>,
    pub file: FileKey,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Relation {
    pub kind: &'static str,
    pub target: String,
}

impl Entity {
    /// The entity as Backstage's REST API returns it, relations included.
    pub fn to_api_json(&self) -> Value {
        let mut out = Map::new();
        for key in ["apiVersion", "kind", "metadata", "spec"] {
            if let Some(v) = self.data.get(key) {
                out.insert(key.to_string(), v.clone());
            }
        }
        let relations = self
            .relations
            .iter()
            .map(|r| {
                let mut m = Map::new();
                m.insert("type".into(), Value::String(r.kind.into()));
                m.insert("targetRef".into(), Value::String(r.target.clone()));
                Value::Object(m)
            })
            .collect();
        out.insert("relations".into(), Value::Array(relations));
        Value::Object(out)
    }

    pub fn metadata(&self) -> Option<&Map<String, Value>> {
        self.data.get("metadata").and_then(Value::as_object)
    }
    pub fn spec(&self) -> Option<&Map<String, Value>> {
        self.data.get("spec").and_then(Value::as_object)
    }
    pub fn meta_str(&self, key: &str) -> Option<&str> {
        self.metadata()?.get(key)?.as_str()
    }
    pub fn spec_str(&self, key: &str) -> Option<&str> {
        self.spec()?.get(key)?.as_str()
    }
    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.metadata()?.get("annotations")?.get(key)?.as_str()
    }
    pub fn title(&self) -> &str {
        self.meta_str("title").unwrap_or(&self.name)
    }
    pub fn related(&self, kind: &str) -> impl Iterator<Item = &str> {
        let kind = kind.to_string();
        self.relations.iter().filter(move |r| r.kind == kind).map(|r| r.target.as_str())
    }
}

/// What to build a catalog from.
pub struct Input<'a> {
    pub sources: &'a [Source],
    /// Files registered as locations, in registration order.
    pub registrations: Vec<FileKey>,
    /// Kinds a registered file may contain; `None`: every kind.
    pub allow: Option<&'a [String]>,
}

pub struct Catalog {
    pub records: Vec<Record>,
    /// Ingested entities, sorted by ref.
    pub entities: Vec<Entity>,
    pub by_ref: HashMap<String, usize>,
    pub problems: Vec<Problem>,
}

impl Catalog {
    pub fn get(&self, entity_ref: &str) -> Option<&Entity> {
        self.by_ref.get(&entity_ref.to_lowercase()).map(|&i| &self.entities[i])
    }
}

struct Ctx<'a> {
    sources: &'a [Source],
    allow: Option<&'a [String]>,
    cache: Mutex<HashMap<FileKey, Arc<LoadedFile>>>,
    /// When rebuilding with [`Reuse`]: the other files each processed file read.
    reads: Option<Mutex<HashMap<FileKey, Vec<FileKey>>>>,
}

/// Per-file results kept from one build for the next (`portalgen serve`):
/// a rebuild reads and processes again only the files that changed and the
/// files whose results depend on them (placeholder and Location targets);
/// every other file's records are reused. Ingestion, relations and problems
/// are always decided again over all records, so the catalog is exactly the
/// one a full build makes.
#[derive(Default)]
pub struct Reuse {
    files: HashMap<FileKey, Reusable>,
}

struct Reusable {
    /// The Location that led to the file (its ref and origin), if any.
    parent: Option<(String, String)>,
    records: Vec<Record>,
    /// Other files the records depend on.
    reads: Vec<FileKey>,
    /// Whether the records depend on which files exist (Location targets).
    lists_files: bool,
}

impl Reuse {
    /// Forgets the results of `changed` files and of every file that read
    /// one of them; `listing_changed`: sources where files were added or removed.
    pub fn forget(&mut self, changed: &HashSet<FileKey>, listing_changed: &HashSet<usize>) {
        self.files.retain(|key, r| {
            let stale = changed.contains(key)
                || r.reads.iter().any(|k| changed.contains(k))
                || (r.lists_files && listing_changed.contains(&key.source));
            !stale
        });
    }

    /// Whether a file was read by the last build (as a catalog file or
    /// by one).
    pub fn knows(&self, key: &FileKey) -> bool {
        self.files.contains_key(key) || self.files.values().any(|r| r.reads.contains(key))
    }

    /// Whether some file's results depend on which files `source` has.
    pub fn lists_files(&self, source: usize) -> bool {
        self.files.iter().any(|(k, r)| k.source == source && r.lists_files)
    }

    /// Forgets everything.
    pub fn clear(&mut self) {
        self.files.clear();
    }
}

/// [`build`], reusing the results of files [`Reuse`] still holds and
/// keeping the results of this build for the next. Also returns the files
/// processed again.
pub fn build_reusing(input: Input, reuse: &mut Reuse) -> (Catalog, HashSet<FileKey>) {
    build_with(input, Some(reuse))
}

impl Ctx<'_> {
    fn load(&self, key: &FileKey) -> Arc<LoadedFile> {
        if let Some(hit) = self.cache.lock().ok().and_then(|c| c.get(key).cloned()) {
            return hit;
        }
        let loaded = Arc::new(load::load(&self.sources[key.source], &key.rel, self.allow));
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(key.clone(), loaded.clone());
        }
        loaded
    }

    /// The file with its documents, for processing them; the cache keeps
    /// only its summary afterwards so memory does not grow with the catalog.
    fn take(&self, key: &FileKey) -> LoadedFile {
        let cached = self.cache.lock().ok().and_then(|mut c| c.remove(key));
        let loaded = match cached {
            Some(arc) if arc.docs.as_ref().is_ok_and(|d| !d.is_empty()) => {
                Arc::try_unwrap(arc).unwrap_or_else(|shared| (*shared).clone())
            }
            _ => load::load(&self.sources[key.source], &key.rel, self.allow),
        };
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(key.clone(), Arc::new(loaded.summary()));
        }
        loaded
    }

    fn display(&self, key: &FileKey) -> String {
        self.sources[key.source].display(&key.rel)
    }
}

pub fn build(input: Input) -> Catalog {
    build_with(input, None).0
}

fn build_with(input: Input, mut reuse: Option<&mut Reuse>) -> (Catalog, HashSet<FileKey>) {
    let ctx = Ctx {
        sources: input.sources,
        allow: input.allow,
        cache: Mutex::new(HashMap::new()),
        reads: reuse.is_some().then(|| Mutex::new(HashMap::new())),
    };
    let mut processed: HashSet<FileKey> = HashSet::new();
    let mut records: Vec<Record> = Vec::new();
    let mut visited: HashSet<FileKey> = HashSet::new();
    let mut level: Vec<(FileKey, Option<usize>)> = Vec::new();
    for key in input.registrations {
        if visited.insert(key.clone()) {
            level.push((key, None));
        }
    }
    while !level.is_empty() {
        let parents: Vec<Option<(String, String)>> = level
            .iter()
            .map(|(_, p)| p.map(|i| (records[i].entity_ref.clone().unwrap_or_default(), records[i].origin.clone())))
            .collect();
        let reusable = |file: &FileKey, parent_info: &Option<(String, String)>| {
            let r = reuse.as_ref()?.files.get(file)?;
            (r.parent == *parent_info).then_some(r)
        };
        let batch: Vec<Vec<Record>> = level
            .par_iter()
            .zip(parents.par_iter())
            .map(|((file, parent), parent_info)| match reusable(file, parent_info) {
                Some(r) => r.records.iter().map(|rec| Record { parent: *parent, ..rec.clone() }).collect(),
                None => process_file(&ctx, file, *parent, parent_info.as_ref()),
            })
            .collect();
        if let Some(reuse) = reuse.as_deref_mut() {
            let mut reads = ctx.reads.as_ref().and_then(|r| r.lock().ok().map(|mut r| std::mem::take(&mut *r)));
            for (((file, _), parent_info), records) in level.iter().zip(&parents).zip(&batch) {
                let Some(file_reads) = reads.as_mut().and_then(|r| r.remove(file)) else { continue };
                processed.insert(file.clone());
                let lists_files =
                    records.iter().any(|r| r.entity_ref.as_deref().is_some_and(|e| e.starts_with("location:")));
                reuse.files.insert(
                    file.clone(),
                    Reusable { parent: parent_info.clone(), records: records.clone(), reads: file_reads, lists_files },
                );
            }
        }
        let first_new = records.len();
        records.extend(batch.into_iter().flatten());
        level = Vec::new();
        for (i, rec) in records.iter().enumerate().skip(first_new) {
            if rec.valid {
                for t in &rec.targets {
                    if visited.insert(t.clone()) {
                        level.push((t.clone(), Some(i)));
                    }
                }
            }
        }
    }
    if let Some(reuse) = reuse {
        // Files no longer reached (removed, or their Location changed).
        reuse.files.retain(|k, _| visited.contains(k));
    }
    (finish(&ctx, records), processed)
}

fn process_file(
    ctx: &Ctx,
    file: &FileKey,
    parent: Option<usize>,
    parent_info: Option<&(String, String)>,
) -> Vec<Record> {
    let loaded = ctx.take(file);
    let reads = Mutex::new(Vec::new());
    let records = process_loaded(ctx, file, loaded, parent, parent_info, &reads);
    if let Some(all) = &ctx.reads {
        if let Ok(mut all) = all.lock() {
            all.insert(file.clone(), reads.into_inner().unwrap_or_default());
        }
    }
    records
}

fn process_loaded(
    ctx: &Ctx,
    file: &FileKey,
    loaded: LoadedFile,
    parent: Option<usize>,
    parent_info: Option<&(String, String)>,
    reads: &Mutex<Vec<FileKey>>,
) -> Vec<Record> {
    let location = locations::location_ref(ctx.sources, file);
    let origin = match parent_info {
        Some((_, origin)) => origin.clone(),
        None => location.clone(),
    };
    let blank = |index: Option<usize>, line: usize| Record {
        file: file.clone(),
        index,
        line,
        entity_ref: None,
        valid: false,
        ingested: false,
        error: None,
        dropped: None,
        entity: None,
        rows: Vec::new(),
        declared: Vec::new(),
        targets: Vec::new(),
        stitch_error: None,
        parent,
        origin: origin.clone(),
        file_ok: true,
        blocks_file: false,
    };
    let file_ok = parent.is_some() || loaded.blocking.is_none();
    let docs = match loaded.docs {
        Ok(docs) => docs,
        Err(why) => {
            let mut r = blank(None, 1);
            r.error = Some((None, format!("{why}. Nothing from this file is in the catalog")));
            return vec![r];
        }
    };
    let parent_ref = parent_info.map(|(r, _)| r.as_str());
    let process_doc = |doc: Document| -> Option<Record> {
        if matches!(doc.content, DocContent::Empty) {
            return None;
        }
        let mut rec = blank(Some(doc.index), doc.line);
        rec.file_ok = file_ok;
        if let Some((line, message)) = load::document_error(&doc, ctx.allow) {
            if let DocContent::Object(map) = &doc.content {
                rec.entity_ref = loose_ref(map);
            }
            rec.error = Some((line, message));
            rec.blocks_file = true;
            return Some(rec);
        }
        let Document { line, text, content, .. } = doc;
        let DocContent::Object(map) = content else {
            return None;
        };
        let me = envelope_ref(&map);
        let canonical = me.canonical();
        if parent_ref == Some(canonical.as_str()) {
            // Backstage ignores an entity with the same ref as the Location emitting it.
            return None;
        }
        rec.entity_ref = Some(canonical);
        match process_entity(ctx, file, (&text, line), map, &me, (&location, &rec.origin), reads) {
            Ok(processed) => {
                rec.valid = true;
                rec.stitch_error = validate::check_key_casing(&processed.entity).err().map(|v| v.message);
                rec.entity = Some(processed.entity);
                rec.rows = processed.rows;
                rec.declared = processed.declared;
                rec.targets = processed.targets;
            }
            Err((line, message)) => rec.error = Some((line, message)),
        }
        Some(rec)
    };
    // Organisation files hold thousands of documents; spread them over the
    // cores too (order is kept).
    if docs.len() > 64 {
        docs.into_par_iter().filter_map(process_doc).collect()
    } else {
        docs.into_iter().filter_map(process_doc).collect()
    }
}

/// The ref of a document whose envelope is valid.
fn envelope_ref(map: &Map<String, Value>) -> EntityRef {
    let kind = map.get("kind").and_then(Value::as_str).unwrap_or("");
    let meta = map.get("metadata");
    let name = meta.and_then(|m| m.get("name")).and_then(Value::as_str).unwrap_or("");
    let namespace = meta.and_then(|m| m.get("namespace")).and_then(Value::as_str).unwrap_or(DEFAULT_NAMESPACE);
    EntityRef::new(kind, namespace, name)
}

/// A best-effort ref for a document whose envelope is broken.
fn loose_ref(map: &Map<String, Value>) -> Option<String> {
    let text = |v: &Value| match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(true) => Some("true".into()),
        _ => None,
    };
    let kind = map.get("kind").and_then(text)?;
    let meta = map.get("metadata")?;
    let name = meta.get("name").and_then(text)?;
    let namespace = meta.get("namespace").and_then(text).unwrap_or_else(|| DEFAULT_NAMESPACE.into());
    Some(EntityRef::new(&kind, &namespace, &name).canonical())
}

struct Processed {
    entity: Map<String, Value>,
    rows: Vec<RelationRow>,
    declared: Vec<DeclaredRef>,
    targets: Vec<FileKey>,
}

/// Backstage's per-entity processing: location annotations, placeholders,
/// policies, kind validation, Location targets, relations.
fn process_entity(
    ctx: &Ctx,
    file: &FileKey,
    (doc_text, doc_line): (&str, usize),
    mut entity: Map<String, Value>,
    me: &EntityRef,
    (location, origin): (&str, &str),
    reads: &Mutex<Vec<FileKey>>,
) -> Result<Processed, (Option<usize>, String)> {
    let at = |path: &[String]| lines::locate(doc_text, doc_line, path).or(Some(doc_line));
    let fail = |v: Violation| (at(&v.path), v.message);
    locations::annotate(&mut entity, ctx.sources, file, location, origin);
    let reader = locations::SourceReader { sources: ctx.sources, file, reads: Some(reads) };
    placeholders::substitute(&mut entity, &reader).map_err(|e| (at(&e.path), e.message))?;
    validate::apply_policies(&mut entity).map_err(fail)?;
    validate::check_kind(&entity).map_err(fail)?;
    let mut targets = Vec::new();
    if me.kind == "Location" {
        let empty = Map::new();
        let spec = entity.get("spec").and_then(Value::as_object).unwrap_or(&empty);
        targets = locations::location_targets(ctx.sources, file, spec).map_err(fail)?;
        if let Ok(mut reads) = reads.lock() {
            reads.extend(targets.iter().cloned());
        }
        for target in &targets {
            let loaded = ctx.load(target);
            if let Err(why) = &loaded.docs {
                return Err((at(&["spec".into()]), format!("target {}: {why}", ctx.display(target))));
            }
            if let Some(block) = &loaded.blocking {
                return Err((
                    at(&["spec".into()]),
                    format!(
                        "target {}{}: {} — Backstage then rejects this whole Location",
                        ctx.display(target),
                        block.line.map(|l| format!(":{l}")).unwrap_or_default(),
                        block.message
                    ),
                ));
            }
        }
    }
    let (rows, declared) = relations::emit(&entity, me).map_err(fail)?;
    Ok(Processed { entity, rows, declared, targets })
}

/// Ingestion decisions, relations, stitching and problems.
fn finish(ctx: &Ctx, mut records: Vec<Record>) -> Catalog {
    let mut problems = Vec::new();
    // Ingestion, in processing order.
    let mut owner_of_ref: HashMap<String, usize> = HashMap::new();
    for i in 0..records.len() {
        let parent_ingested = records[i].parent.is_none_or(|p| records[p].ingested);
        let mut ok = records[i].valid && records[i].file_ok && parent_ingested;
        if records[i].valid && !ok {
            records[i].dropped = Some(if !records[i].file_ok {
                let block = ctx.load(&records[i].file).blocking.clone();
                match block {
                    Some(b) => format!(
                        "not added to the catalog: document {} of this file{} has an error, and then no entity of the file is read. Fix that one first",
                        b.index + 1,
                        b.line.map(|l| format!(" (line {l})")).unwrap_or_default()
                    ),
                    None => "not added to the catalog: its file has an error".into(),
                }
            } else {
                let p = records[i].parent.map(|p| &records[p]);
                format!(
                    "not added to the catalog: the Location {} that points at this file was not added{}",
                    p.and_then(|p| p.entity_ref.clone()).unwrap_or_default(),
                    p.map(|p| format!(" (see {})", ctx.display(&p.file))).unwrap_or_default()
                )
            });
        }
        if ok {
            let r = records[i].entity_ref.clone().unwrap_or_default();
            if let Some(&prev) = owner_of_ref.get(&r) {
                if records[prev].file == records[i].file {
                    records[prev].ingested = false;
                    records[prev].dropped = Some(format!(
                        "not added to the catalog: document {} of the same file declares {r} again, and the later one wins",
                        records[i].index.map_or(0, |x| x + 1)
                    ));
                    owner_of_ref.insert(r, i);
                } else {
                    ok = false;
                    let first = ctx.display(&records[prev].file);
                    records[i].dropped = Some(format!(
                        "{r} is already defined in {first}:{}; the first definition wins and this one is ignored. Rename one of them or remove the duplicate",
                        records[prev].line
                    ));
                }
            } else {
                owner_of_ref.insert(r, i);
            }
        }
        records[i].ingested = ok;
    }

    // Relations: every row emitted by an ingested entity, deduplicated.
    let mut by_source: HashMap<&str, Vec<Relation>> = HashMap::new();
    for r in records.iter().filter(|r| r.ingested) {
        for row in &r.rows {
            by_source
                .entry(row.source.as_str())
                .or_default()
                .push(Relation { kind: row.kind, target: row.target.clone() });
        }
    }
    let by_source: Vec<(&str, Vec<Relation>)> = by_source
        .into_par_iter()
        .map(|(source, mut list)| {
            list.sort_unstable();
            list.dedup();
            (source, list)
        })
        .collect();
    // Each list goes to the record that defines its source entity (moved, not copied).
    let mut relations_of: Vec<Vec<Relation>> = std::iter::repeat_with(Vec::new).take(records.len()).collect();
    for (source, list) in by_source {
        if let Some(&i) = owner_of_ref.get(source) {
            relations_of[i] = list;
        }
    }

    // Stitching: relations attached, javascript: links neutralised, keys
    // that differ only in case refused (Backstage's search index would).
    let mut entities: Vec<Entity> = records
        .par_iter_mut()
        .zip(relations_of.into_par_iter())
        .filter(|(r, _)| r.ingested)
        .filter_map(|(rec, relations)| {
            let mut data = rec.entity.take()?;
            let entity_ref = rec.entity_ref.clone().unwrap_or_default();
            neutralise_script_urls(&mut data);
            if let Some(message) = rec.stitch_error.take() {
                rec.valid = false;
                rec.ingested = false;
                rec.error = Some((None, message));
                return None;
            }
            let me = envelope_ref(&data);
            Some(Entity {
                entity_ref,
                kind: me.kind,
                namespace: me.namespace,
                name: me.name,
                data,
                relations,
                file: rec.file.clone(),
                line: rec.line,
            })
        })
        .collect();
    entities.par_sort_unstable_by(|a, b| a.entity_ref.cmp(&b.entity_ref));
    let by_ref: HashMap<String, usize> = entities.iter().enumerate().map(|(i, e)| (e.entity_ref.clone(), i)).collect();

    let mut reloaded: HashMap<FileKey, load::LoadedFile> = HashMap::new();
    // Problems, in processing order. A reference to an entity that exists
    // but was rejected says where, so the fix is one click away.
    let rejected: HashMap<&str, &Record> =
        records.iter().filter(|r| !r.ingested).filter_map(|r| Some((r.entity_ref.as_deref()?, r))).collect();
    for rec in &records {
        // Shown only in problems, which most records have none of.
        let file = std::cell::LazyCell::new(|| ctx.display(&rec.file));
        if let Some((line, message)) = &rec.error {
            problems.push(Problem::error(&*file, line.or(Some(rec.line)), rec.entity_ref.clone(), message.clone()));
        } else if let Some(why) = &rec.dropped {
            let conflict = why.contains("already defined");
            let p = if conflict {
                Problem::error(&*file, Some(rec.line), rec.entity_ref.clone(), why.clone())
            } else {
                Problem::warning(&*file, Some(rec.line), rec.entity_ref.clone(), why.clone())
            };
            problems.push(p);
        }
        if rec.ingested {
            for d in &rec.declared {
                if !by_ref.contains_key(&d.target) {
                    let line = declared_line(ctx, rec, d, &mut reloaded);
                    let why = match rejected.get(d.target.as_str()) {
                        Some(r) => format!(
                            "it is defined in {}:{} but was not added (see the problem reported there)",
                            ctx.display(&r.file),
                            r.line
                        ),
                        None => "check the spelling, or add that entity".to_string(),
                    };
                    problems.push(Problem::warning(
                        &*file,
                        line,
                        rec.entity_ref.clone(),
                        format!("spec.{} refers to {}, which is not in the catalog; {why}", d.field, d.target),
                    ));
                }
            }
        }
    }
    Catalog { records, entities, by_ref, problems }
}

/// The line of a declared ref, found only when a problem needs it (the
/// documents are not kept in memory after processing).
fn declared_line(
    ctx: &Ctx,
    rec: &Record,
    declared: &DeclaredRef,
    reloaded: &mut HashMap<FileKey, load::LoadedFile>,
) -> Option<usize> {
    let loaded = reloaded
        .entry(rec.file.clone())
        .or_insert_with(|| load::load(&ctx.sources[rec.file.source], &rec.file.rel, ctx.allow));
    let doc = loaded.docs.as_ref().ok()?.iter().find(|d| Some(d.index) == rec.index)?;
    lines::locate(&doc.text, doc.line, &declared.path()).or(Some(rec.line))
}

/// Backstage replaces `javascript:` view/edit URLs when stitching.
fn neutralise_script_urls(entity: &mut Map<String, Value>) {
    let Some(Value::Object(annotations)) = entity.get_mut("metadata").and_then(|m| m.get_mut("annotations")) else {
        return;
    };
    for key in [locations::VIEW_URL, locations::EDIT_URL] {
        if let Some(Value::String(v)) = annotations.get_mut(key) {
            if is_script_url(v) {
                *v = "https://backstage.io/annotation-rejected-for-security-reasons".into();
            }
        }
    }
}

/// `javascript:` with the control characters and whitespace browsers ignore.
pub fn is_script_url(url: &str) -> bool {
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take(11)
        .collect();
    cleaned.to_ascii_lowercase().starts_with("javascript:")
}

impl Record {
    pub fn display_file(&self, sources: &[Source]) -> String {
        sources[self.file.source].display(&self.file.rel)
    }
}
