//! Search: a prebuilt, sharded elasticlunr index of the catalog entities and
//! the docs sections, with result records and facet columns, written as
//! script files under `search/` (scripts, not JSON, so that the client also
//! loads them from `file://`, where `fetch` of local files is refused).
//!
//! Layout (`themes/README.md` and the README describe it for users):
//! - `search/manifest.js`: field boosts, document counts, shard keys → content
//!   hashes, record buckets, the facet file's hash. Small; loaded when the
//!   reader first focuses a search box.
//! - `search/e/<hash>.js`, `search/d/<hash>.js`: term shards of the entity and
//!   docs indexes (see [`index`]), fetched per query token.
//! - `search/r/<hash>.js`: display records (title, kind, owner, snippet) in
//!   buckets of [`BUCKET`] consecutive documents, fetched for shown hits.
//! - `search/f/<hash>.js`: facet values of every entity (and which entity
//!   each docs section belongs to), loaded by the results page only.
//!
//! Every file but the manifest is named by a hash of its content, so a
//! rebuild changes only the files whose terms or records changed.

pub mod index;

use std::collections::{BTreeMap, HashMap};

use serde_json::{json, Value};

use crate::catalog::{Catalog, Entity};
use crate::entities::relations as rel;
use crate::site::markdown;
use crate::site::views::{self, Views};
use index::{Field, Inverted};

/// One section of a docs page, as the TechDocs stage hands it over. It is
/// found under its owning entity's kind, type, owner, system, lifecycle and
/// tags.
#[derive(Debug, Clone, Default)]
pub struct DocsSection {
    /// Site-relative, with the heading anchor: `docs/default/component/foo/guide/#install`.
    pub url: String,
    pub page_title: String,
    /// Empty for the text before a page's first heading.
    pub heading: String,
    /// Plain text of the section.
    pub text: String,
    /// The entity whose docs these are.
    pub entity_ref: String,
}

/// Entity fields, in ranking order: exact name > title > tags > description > the rest.
pub const ENTITY_FIELDS: [Field; 5] = [
    Field { name: "name", boost: 10.0 },
    Field { name: "title", boost: 6.0 },
    Field { name: "tags", boost: 4.0 },
    Field { name: "description", boost: 2.0 },
    Field { name: "body", boost: 1.0 },
];

pub const DOCS_FIELDS: [Field; 3] =
    [Field { name: "title", boost: 3.0 }, Field { name: "heading", boost: 2.0 }, Field { name: "text", boost: 1.0 }];

/// Records per display bucket: a page of hits needs a few small files.
pub const BUCKET: usize = 32;
/// Record buckets named by one hash per group of this many (the manifest
/// would otherwise hold a hash per bucket: 12,000 of them at 20,000 components).
pub const GROUP: usize = 64;
/// Shard size limit, in encoded bytes (before compression, which takes
/// these files to about a third).
pub const SHARD_LIMIT: usize = 96 * 1024;
/// Longest snippet kept for a docs section, in characters.
pub const SNIPPET: usize = 240;

/// What the search index build wrote, for the benchmark and the tests.
#[derive(Debug, Default, Clone)]
pub struct SearchStats {
    pub entities: usize,
    pub sections: usize,
    pub entity_shards: usize,
    pub docs_shards: usize,
    pub record_files: usize,
}

/// The files of the search index, by path under the site root.
pub struct SearchFiles {
    pub files: Vec<(String, Vec<u8>)>,
    pub stats: SearchStats,
}

/// The searchable text of the entities and sections, numbered as in the index.
pub struct Corpus<'a> {
    /// Entities in display order (their index is their id).
    pub entities: Vec<&'a Entity>,
    pub entity_docs: Vec<Vec<String>>,
    /// Sections grouped by entity (their index is their id) and, for each, its entity's id.
    pub sections: Vec<(&'a DocsSection, Option<usize>)>,
    pub section_docs: Vec<Vec<&'a str>>,
}

/// Numbers the entities and sections and extracts the text of each field.
pub fn corpus<'a>(views: &Views<'a>, sections: &'a [DocsSection]) -> Corpus<'a> {
    use rayon::prelude::*;
    let entities: Vec<&Entity> = views.ordered().collect();
    let id_of: HashMap<String, usize> =
        entities.iter().enumerate().map(|(i, e)| (normalize_ref(&e.entity_ref), i)).collect();
    let entity_docs: Vec<Vec<String>> = entities.par_iter().map(|e| entity_fields(views, e)).collect();
    let mut numbered: Vec<(&DocsSection, Option<usize>)> =
        sections.iter().map(|s| (s, id_of.get(&normalize_ref(&s.entity_ref)).copied())).collect();
    // Stable: a page's sections stay in order; orphans go last.
    numbered.sort_by_key(|(_, e)| e.unwrap_or(usize::MAX));
    let section_docs =
        numbered.iter().map(|(s, _)| vec![s.page_title.as_str(), s.heading.as_str(), s.text.as_str()]).collect();
    Corpus { entities, entity_docs, sections: numbered, section_docs }
}

/// `Component:Default/Foo` and `component:default/foo` name the same entity.
fn normalize_ref(r: &str) -> String {
    r.to_lowercase()
}

fn entity_fields(views: &Views, e: &Entity) -> Vec<String> {
    let profile = e.spec().and_then(|s| s.get("profile"));
    let profile_str = |k: &str| profile.and_then(|p| p.get(k)).and_then(Value::as_str).unwrap_or("");
    let mut title = e.meta_str("title").unwrap_or("").to_string();
    let display_name = profile_str("displayName");
    if !display_name.is_empty() && display_name != title {
        title = format!("{title} {display_name}");
    }
    let tags: Vec<&str> = e
        .metadata()
        .and_then(|m| m.get("tags"))
        .and_then(Value::as_array)
        .map(|t| t.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let description = e.meta_str("description").map(|d| markdown::plain_text(d, 2000)).unwrap_or_default();
    let mut body: Vec<String> = vec![e.kind.clone()];
    for key in ["type", "lifecycle"] {
        if let Some(v) = e.spec_str(key) {
            body.push(v.to_string());
        }
    }
    for r in e.related(rel::OWNED_BY).chain(e.related(rel::PART_OF)) {
        body.push(views::humanize(r, None).replace(['/', ':'], " "));
        if let Some(target) = views.catalog.get(r) {
            body.push(target.title().to_string());
        }
    }
    let email = profile_str("email");
    if !email.is_empty() {
        // Whole, and split so that a name part also finds the person.
        body.push(email.to_string());
        body.push(email.replace(['@', '.'], " "));
    }
    if let Some(links) = e.metadata().and_then(|m| m.get("links")).and_then(Value::as_array) {
        for l in links {
            if let Some(t) = l.get("title").and_then(Value::as_str) {
                body.push(t.to_string());
            }
        }
    }
    if let Some(annotations) = e.metadata().and_then(|m| m.get("annotations")).and_then(Value::as_object) {
        for (k, v) in annotations {
            if KEY_ANNOTATIONS.iter().any(|a| k == a) {
                if let Some(v) = v.as_str() {
                    body.push(v.replace(['/', ':', '.', '_', '='], " "));
                }
            }
        }
    }
    vec![e.name.clone(), title, tags.join(" "), description, body.join(" ")]
}

/// Annotations whose values people search for (a repository, an on-call service).
const KEY_ANNOTATIONS: &[&str] = &[
    "github.com/project-slug",
    "github.com/team-slug",
    "gitlab.com/project-slug",
    "pagerduty.com/service-id",
    "backstage.io/kubernetes-id",
    "backstage.io/kubernetes-namespace",
    "sonarqube.org/project-key",
    "jenkins.io/job-full-name",
    "circleci.com/project-slug",
    "sentry.io/project-slug",
];

/// Most postings a docs term keeps in a field (see [`index::shards`]);
/// entities keep all of theirs.
pub const DOCS_POSTINGS: usize = 1000;

/// Sizes the index is cut to.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Shard size limit, in encoded bytes.
    pub shard_bytes: usize,
    /// Most postings of a docs term per field.
    pub docs_postings: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { shard_bytes: SHARD_LIMIT, docs_postings: DOCS_POSTINGS }
    }
}

/// Builds the index and every file of it.
pub fn build(views: &Views, sections: &[DocsSection]) -> SearchFiles {
    build_with(views, sections, Limits::default())
}

/// [`build`] with other limits (tests use small ones).
pub fn build_with(views: &Views, sections: &[DocsSection], limits: Limits) -> SearchFiles {
    use crate::pipeline::timed;
    let corpus = timed("search: corpus", || corpus(views, sections));
    let (entity_index, docs_index) = timed("search: terms", || {
        rayon::join(
            || index::build(&ENTITY_FIELDS, &corpus.entity_docs),
            || index::build(&DOCS_FIELDS, &corpus.section_docs),
        )
    });
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut stats =
        SearchStats { entities: corpus.entities.len(), sections: corpus.sections.len(), ..Default::default() };

    let (entity_shards, docs_shards) = timed("search: shards", || {
        (
            shard_files("e", &entity_index, limits.shard_bytes, usize::MAX, &mut files),
            shard_files("d", &docs_index, limits.shard_bytes, limits.docs_postings, &mut files),
        )
    });
    stats.entity_shards = entity_shards.len();
    stats.docs_shards = docs_shards.len();

    let (entity_buckets, docs_buckets) = timed("search: records", || {
        use rayon::prelude::*;
        let rows: Vec<views::EntityLink> = corpus.entities.par_iter().map(|e| views.row(e)).collect();
        let entity_records: Vec<String> = rows.par_iter().map(entity_record).collect();
        let section_records: Vec<String> =
            corpus.sections.par_iter().map(|(s, e)| section_record(s, e.map(|i| &rows[i]))).collect();
        (record_files(&entity_records, &mut files), record_files(&section_records, &mut files))
    });
    stats.record_files = corpus.entities.len().div_ceil(BUCKET) + corpus.sections.len().div_ceil(BUCKET);

    let facets = timed("search: facets", || facets(views, &corpus));
    let facets_name = write_script(&mut files, "f", &facets.to_string());

    let manifest = json!({
        "version": 1,
        "bucket": BUCKET,
        "group": GROUP,
        "min": index::MIN_KEY,
        "entities": {
            "n": corpus.entities.len(),
            "fields": fields_json(&entity_index),
            "shards": entity_shards,
            "records": entity_buckets,
        },
        "docs": {
            "n": corpus.sections.len(),
            "fields": fields_json(&docs_index),
            "shards": docs_shards,
            "records": docs_buckets,
        },
        "facets": facets_name,
    });
    files.push(("search/manifest.js".into(), script("manifest", &manifest.to_string())));
    SearchFiles { files, stats }
}

fn fields_json(index: &Inverted) -> Value {
    Value::Array(index.fields.iter().map(|f| json!([f.name, f.boost])).collect())
}

/// A JSONP-style script: the loader registers `PORTALGEN_SEARCH_LOAD` first.
fn script(name: &str, json: &str) -> Vec<u8> {
    format!("PORTALGEN_SEARCH_LOAD({},{json});\n", Value::String(name.to_string())).into_bytes()
}

/// Writes `search/<dir>/<hash>.js` and returns `<dir>/<hash>`.
fn write_script(files: &mut Vec<(String, Vec<u8>)>, dir: &str, json: &str) -> String {
    let name = format!("{dir}/{}", index::content_hash(json.as_bytes()));
    files.push((format!("search/{name}.js"), script(&name, json)));
    name
}

/// Shard key → content hash, sorted by key.
fn shard_files(
    dir: &str,
    index: &Inverted,
    limit: usize,
    cap: usize,
    files: &mut Vec<(String, Vec<u8>)>,
) -> BTreeMap<String, String> {
    let mut keys = BTreeMap::new();
    for shard in index::shards(index, limit, cap) {
        let name = write_script(files, dir, &shard.json);
        keys.insert(shard.key, name.rsplit('/').next().unwrap_or_default().to_string());
    }
    keys
}

/// Buckets of [`BUCKET`] records (each one JSON value), in parallel, as
/// `r/<hash of its group of buckets>-<bucket number>.js`; returns the hash
/// of each group of [`GROUP`] buckets.
fn record_files(records: &[String], files: &mut Vec<(String, Vec<u8>)>) -> Vec<String> {
    use rayon::prelude::*;
    type Written = Vec<(String, Vec<u8>)>;
    let groups: Vec<(String, Written)> = records
        .par_chunks(BUCKET * GROUP)
        .enumerate()
        .map(|(g, group)| {
            let buckets: Vec<String> = group.chunks(BUCKET).map(|b| format!("[{}]", b.join(","))).collect();
            let hash = index::content_hash(buckets.concat().as_bytes());
            let written = buckets
                .iter()
                .enumerate()
                .map(|(i, json)| {
                    let name = format!("r/{hash}-{}", g * GROUP + i);
                    (format!("search/{name}.js"), script(&name, json))
                })
                .collect();
            (hash, written)
        })
        .collect();
    groups
        .into_iter()
        .map(|(hash, written)| {
            files.extend(written);
            hash
        })
        .collect()
}

fn json_text<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}

/// `[url, title, kind, type, owner, description, ref, tags]`
fn entity_record(row: &views::EntityLink) -> String {
    json_text(&(
        row.url.as_deref().unwrap_or_default(),
        &row.title,
        &row.kind,
        row.entity_type.as_deref().unwrap_or_default(),
        row.owner.as_ref().map(|o| o.title.as_str()).unwrap_or_default(),
        &row.description,
        &row.entity_ref,
        &row.tags,
    ))
}

/// `[url, page title, heading, entity title, kind, type, owner, snippet]`
fn section_record(s: &DocsSection, row: Option<&views::EntityLink>) -> String {
    json_text(&(
        &s.url,
        &s.page_title,
        &s.heading,
        row.map(|r| r.title.as_str()).unwrap_or_default(),
        row.map(|r| r.kind.as_str()).unwrap_or_default(),
        row.and_then(|r| r.entity_type.as_deref()).unwrap_or_default(),
        row.and_then(|r| r.owner.as_ref().map(|o| o.title.as_str())).unwrap_or_default(),
        snippet(&s.text, SNIPPET),
    ))
}

/// At most `max` characters, cut at a word boundary.
pub fn snippet(text: &str, max: usize) -> String {
    // Whitespace collapsed, and only as many words as can be shown.
    let mut collapsed = String::new();
    for word in text.split_whitespace() {
        if !collapsed.is_empty() {
            collapsed.push(' ');
        }
        collapsed.push_str(word);
        if collapsed.len() > max * 4 {
            break;
        }
    }
    let text = collapsed;
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([',', '.', ';', ':']))
}

/// A dictionary of facet values: value → number, in first-seen order.
#[derive(Default)]
struct Dictionary {
    numbers: HashMap<String, usize>,
    values: Vec<String>,
}

impl Dictionary {
    fn number(&mut self, value: &str) -> usize {
        if let Some(&n) = self.numbers.get(value) {
            return n;
        }
        self.values.push(value.to_string());
        self.numbers.insert(value.to_string(), self.values.len() - 1);
        self.values.len() - 1
    }
}

/// Facet columns: for each entity the number of its kind, type, lifecycle,
/// owner and system (-1: none) and its tags; the value dictionaries (owners
/// and systems with their titles, owners with their parent group so a group
/// also finds what its sub-groups own); and which entity each docs section
/// belongs to, as runs of `[entity, sections]`.
fn facets(views: &Views, corpus: &Corpus) -> Value {
    let mut kind = Dictionary::default();
    let mut entity_type = Dictionary::default();
    let mut lifecycle = Dictionary::default();
    let mut owner = Dictionary::default();
    let mut system = Dictionary::default();
    let mut tag = Dictionary::default();
    let catalog: &Catalog = views.catalog;
    // Every group is an owner value, so a parent group that owns nothing
    // itself still finds what its sub-groups own.
    for e in &corpus.entities {
        if e.kind == "Group" {
            owner.number(&e.entity_ref);
        }
    }
    let mut columns: [Vec<i64>; 5] = Default::default();
    let mut tags: Vec<Vec<usize>> = Vec::with_capacity(corpus.entities.len());
    for e in &corpus.entities {
        let opt = |d: &mut Dictionary, v: Option<&str>| v.filter(|v| !v.is_empty()).map_or(-1, |v| d.number(v) as i64);
        columns[0].push(kind.number(&e.kind) as i64);
        columns[1].push(opt(&mut entity_type, e.spec_str("type")));
        columns[2].push(opt(&mut lifecycle, e.spec_str("lifecycle")));
        columns[3].push(opt(&mut owner, e.related(rel::OWNED_BY).next()));
        columns[4].push(opt(&mut system, e.related(rel::PART_OF).find(|t| t.starts_with("system:"))));
        let row_tags: Vec<usize> = e
            .metadata()
            .and_then(|m| m.get("tags"))
            .and_then(Value::as_array)
            .map(|t| t.iter().filter_map(Value::as_str).map(|t| tag.number(t)).collect())
            .unwrap_or_default();
        tags.push(row_tags);
    }
    // `[ref]`, or `[ref, title]` when the title is not the ref's name.
    let titled = |d: &Dictionary, context: &str| -> Vec<Value> {
        d.values
            .iter()
            .map(|r| {
                let title =
                    catalog.get(r).map(|e| e.title().to_string()).unwrap_or_else(|| views::humanize(r, Some(context)));
                if r.rsplit('/').next() == Some(title.as_str()) {
                    json!([r])
                } else {
                    json!([r, title])
                }
            })
            .collect()
    };
    let parents: Vec<i64> = owner
        .values
        .iter()
        .map(|r| {
            catalog
                .get(r)
                .and_then(|g| g.related(rel::CHILD_OF).next())
                .and_then(|p| owner.numbers.get(p))
                .map_or(-1, |&n| n as i64)
        })
        .collect();
    // Runs of sections of one entity, `[entity, sections]`, entities
    // ascending and delta-coded; sections of no known entity come last, as `[-1, n]`.
    let mut runs: Vec<[i64; 2]> = Vec::new();
    for (_, e) in &corpus.sections {
        let e = e.map_or(-1, |i| i as i64);
        match runs.last_mut() {
            Some(last) if last[0] == e => last[1] += 1,
            _ => runs.push([e, 1]),
        }
    }
    let mut previous = 0;
    for run in runs.iter_mut() {
        if run[0] >= 0 {
            (run[0], previous) = (run[0] - previous, run[0]);
        }
    }
    json!({
        "values": {
            "kind": kind.values,
            "type": entity_type.values,
            "lifecycle": lifecycle.values,
            "owner": titled(&owner, "group"),
            "system": titled(&system, "system"),
            "tag": tag.values,
        },
        "owner_parent": parents,
        "entity": {
            "kind": columns[0],
            "type": columns[1],
            "lifecycle": columns[2],
            "owner": columns[3],
            "system": columns[4],
            "tag": tags,
        },
        "sections": runs,
    })
}

/// The whole entity or docs index as elasticlunr-rs builds it (one JSON
/// document, refs are the ids of [`build`]): the reference the parity test
/// and the benchmark compare the sharded client against.
pub fn full_index_json<S: AsRef<str>>(fields: &[Field], documents: &[Vec<S>]) -> String {
    let names: Vec<&str> = fields.iter().map(|f| f.name).collect();
    let mut index = elasticlunr::IndexBuilder::new().save_docs(false).add_fields(&names).build();
    for (i, doc) in documents.iter().enumerate() {
        index.add_doc(&i.to_string(), doc.iter().map(|t| t.as_ref()));
    }
    index.to_json()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_are_bounded_at_word_boundaries() {
        assert_eq!(snippet("short  text\n here", 40), "short text here");
        let long = "word ".repeat(100);
        let s = snippet(&long, 30);
        assert!(s.chars().count() <= 31, "{s}");
        assert!(s.ends_with("word…"), "{s}");
    }
}
