//! The inverted index and its shard files.
//!
//! Terms come from elasticlunr-rs's English pipeline (tokenizer, trimmer,
//! stop words, stemmer), so they are exactly the terms elasticlunr.js looks
//! up. Postings are built here rather than in `elasticlunr::Index`: its trie
//! is private (reachable only through a JSON dump of the whole index), and
//! building in parallel with a stem cache keeps the build fast. Each posting
//! carries elasticlunr's term frequency (√count) multiplied by the field's
//! length norm (1/√length), so the client needs no document store: a
//! document missing from elasticlunr.js's store has norm 1, and the scores
//! come out the same as with the full index (the parity test checks it).
//!
//! Shards: terms are grouped by their first two characters; a group larger
//! than the size limit is split one character deeper, recursively. A shard
//! holds whole subtrees of the term trie, so prefix expansion of a query
//! token needs only the shards whose key is a prefix of the token or starts
//! with it.

use std::collections::HashMap;

use elasticlunr::lang::English;
use elasticlunr::{Language, Pipeline};
use rayon::prelude::*;

/// One searchable field and its weight in the ranking.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub boost: f64,
}

/// Postings of one field: term → (document id, baked term frequency), ids ascending.
pub type Postings = HashMap<String, Vec<(u32, f64)>>;

/// An inverted index over documents numbered from 0.
pub struct Inverted {
    pub fields: Vec<Field>,
    pub postings: Vec<Postings>,
    pub documents: usize,
}

/// The shortest shard key; shorter query tokens are not searched.
pub const MIN_KEY: usize = 2;
/// Keys never grow past this, however many postings a prefix has.
const MAX_KEY: usize = 8;

/// Runs elasticlunr's English pipeline, remembering each word's result
/// (documentation repeats a small vocabulary; stemming is the costly part).
pub struct Analyzer {
    language: English,
    pipeline: Pipeline,
    cache: HashMap<String, Option<String>>,
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer::new()
    }
}

impl Analyzer {
    pub fn new() -> Analyzer {
        let language = English::new();
        let pipeline = language.make_pipeline();
        Analyzer { language, pipeline, cache: HashMap::new() }
    }

    /// The index terms of `text`, in order, repeated as often as they occur.
    pub fn terms(&mut self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for word in self.language.tokenize(text) {
            let term = match self.cache.get(&word) {
                Some(t) => t.clone(),
                None => {
                    let t = self.pipeline.run(vec![word.clone()]).pop();
                    self.cache.insert(word, t.clone());
                    t
                }
            };
            if let Some(t) = term {
                out.push(t);
            }
        }
        out
    }
}

const CHUNK: usize = 1024;

/// Indexes `documents`: for each document, one text per field.
pub fn build(fields: &[Field], documents: &[Vec<String>]) -> Inverted {
    let chunks: Vec<Vec<Postings>> = documents
        .par_chunks(CHUNK)
        .enumerate()
        .map_init(Analyzer::new, |analyzer, (c, chunk)| {
            let mut local: Vec<Postings> = vec![HashMap::new(); fields.len()];
            let mut counts: HashMap<String, u32> = HashMap::new();
            for (j, doc) in chunk.iter().enumerate() {
                let id = (c * CHUNK + j) as u32;
                for (f, text) in doc.iter().enumerate().take(fields.len()) {
                    let terms = analyzer.terms(text);
                    if terms.is_empty() {
                        continue;
                    }
                    // elasticlunr.js: score = tf · idf · 1/√(field length).
                    let norm = 1.0 / (terms.len() as f64).sqrt();
                    counts.clear();
                    for t in terms {
                        *counts.entry(t).or_default() += 1;
                    }
                    for (term, count) in counts.drain() {
                        let tf = (count as f64).sqrt();
                        local[f].entry(term).or_default().push((id, tf * norm));
                    }
                }
            }
            local
        })
        .collect();
    let mut postings: Vec<Postings> = vec![HashMap::new(); fields.len()];
    for chunk in chunks {
        for (f, map) in chunk.into_iter().enumerate() {
            for (term, list) in map {
                postings[f].entry(term).or_default().extend(list);
            }
        }
    }
    Inverted { fields: fields.to_vec(), postings, documents: documents.len() }
}

/// The first `n` characters of `term` (all of it when shorter).
pub fn key_of(term: &str, n: usize) -> &str {
    match term.char_indices().nth(n) {
        Some((i, _)) => &term[..i],
        None => term,
    }
}

/// One shard file: its key and its encoded payload (JSON).
pub struct Shard {
    pub key: String,
    pub json: String,
}

/// Groups the terms into shards of at most about `limit` encoded bytes.
pub fn shards(index: &Inverted, limit: usize) -> Vec<Shard> {
    let mut sizes: HashMap<&str, usize> = HashMap::new();
    for field in &index.postings {
        for (term, list) in field {
            // A posting is two small numbers, about 6 bytes once encoded.
            *sizes.entry(term.as_str()).or_insert(term.len() + 8) += list.len() * 6 + 4;
        }
    }
    let mut terms: Vec<(&str, usize)> = sizes.into_iter().collect();
    terms.sort_unstable();
    let mut groups: Vec<(String, &[(&str, usize)])> = Vec::new();
    split(&terms, MIN_KEY, limit, &mut groups);
    groups.par_iter().map(|(key, terms)| Shard { key: key.clone(), json: encode(index, terms) }).collect()
}

fn split<'a>(
    terms: &'a [(&'a str, usize)],
    depth: usize,
    limit: usize,
    out: &mut Vec<(String, &'a [(&'a str, usize)])>,
) {
    let mut start = 0;
    while start < terms.len() {
        let key = key_of(terms[start].0, depth);
        let mut end = start + 1;
        while end < terms.len() && key_of(terms[end].0, depth) == key {
            end += 1;
        }
        let group = &terms[start..end];
        let size: usize = group.iter().map(|(_, s)| s).sum();
        // A group of one term, or one whose terms are all as short as its
        // key, cannot be split further.
        let deeper = group.iter().any(|(t, _)| t.chars().count() > depth);
        if size > limit && depth < MAX_KEY && group.len() > 1 && deeper {
            split(group, depth + 1, limit, out);
        } else {
            out.push((key.to_string(), group));
        }
        start = end;
    }
}

/// `{"v":[values],"t":[[term, field, [Δid, value#, …], field, […]], …]}`:
/// ids are delta-coded, and each distinct baked frequency is written once
/// (as the shortest decimal that reads back as the same double), commonest
/// first. Terms stay in sorted order, the order of elasticlunr's own trie.
fn encode(index: &Inverted, terms: &[(&str, usize)]) -> String {
    let mut frequency: HashMap<u64, usize> = HashMap::new();
    for (term, _) in terms {
        for field in &index.postings {
            if let Some(list) = field.get(*term) {
                for (_, v) in list {
                    *frequency.entry(v.to_bits()).or_default() += 1;
                }
            }
        }
    }
    let mut values: Vec<(u64, usize)> = frequency.into_iter().collect();
    values.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let number: HashMap<u64, usize> = values.iter().enumerate().map(|(i, (bits, _))| (*bits, i)).collect();
    let mut out = String::from("{\"v\":[");
    for (i, (bits, _)) in values.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(&f64::from_bits(*bits)).unwrap_or_else(|_| "0".into()));
    }
    out.push_str("],\"t\":[");
    for (i, (term, _)) in terms.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        out.push_str(&serde_json::to_string(term).unwrap_or_else(|_| "\"\"".into()));
        for (f, field) in index.postings.iter().enumerate() {
            let Some(list) = field.get(*term) else { continue };
            out.push_str(&format!(",{f},["));
            let mut previous = 0u32;
            for (k, (id, v)) in list.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                out.push_str(&(id - previous).to_string());
                out.push(',');
                out.push_str(&number.get(&v.to_bits()).copied().unwrap_or(0).to_string());
                previous = *id;
            }
            out.push(']');
        }
        out.push(']');
    }
    out.push_str("]}");
    out
}

/// A stable 64-bit content hash (FNV-1a), for file names that change only
/// when their content does.
pub fn content_hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{:010x}", h >> 24)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIELDS: [Field; 2] = [Field { name: "title", boost: 2.0 }, Field { name: "body", boost: 1.0 }];

    fn docs(texts: &[(&str, &str)]) -> Vec<Vec<String>> {
        texts.iter().map(|(a, b)| vec![a.to_string(), b.to_string()]).collect()
    }

    #[test]
    fn terms_are_elasticlunrs() {
        let mut a = Analyzer::new();
        assert_eq!(a.terms("The Payments-Service is running!"), vec!["payment", "servic", "run"]);
        // Cached words give the same answer.
        assert_eq!(a.terms("payments running"), vec!["payment", "run"]);
    }

    #[test]
    fn postings_carry_tf_times_length_norm() {
        let index = build(&FIELDS, &docs(&[("apple apple", "banana"), ("", "apple pear pear pear")]));
        let title = &index.postings[0]["appl"];
        assert_eq!(title, &vec![(0, 2f64.sqrt() / 2f64.sqrt())]);
        let body = &index.postings[1];
        assert_eq!(body["appl"], vec![(1, 1.0 / 4f64.sqrt())]);
        assert_eq!(body["pear"], vec![(1, 3f64.sqrt() / 4f64.sqrt())]);
        assert!(!index.postings[0].contains_key("banana"), "fields stay apart");
    }

    #[test]
    fn ids_ascend_across_chunks() {
        let many: Vec<Vec<String>> = (0..3000).map(|i| vec![format!("word{}", i % 3), String::new()]).collect();
        let index = build(&FIELDS, &many);
        let list = &index.postings[0]["word1"];
        assert_eq!(list.len(), 1000);
        assert!(list.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn big_prefixes_split_deeper_and_keys_cover_every_term() {
        let texts: Vec<(String, String)> =
            (0..400).map(|i| (format!("pay{} pax{} zz", i % 40, i % 7), String::new())).collect();
        let refs: Vec<(&str, &str)> = texts.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let index = build(&FIELDS, &docs(&refs));
        let shards = shards(&index, 300);
        let keys: Vec<&str> = shards.iter().map(|s| s.key.as_str()).collect();
        assert!(keys.contains(&"zz"));
        assert!(keys.iter().any(|k| k.len() > 2 && k.starts_with("pa")), "{keys:?}");
        // Every term is in exactly one shard, whose key is its prefix.
        for term in index.postings[0].keys() {
            let holders: Vec<&Shard> = shards.iter().filter(|s| s.json.contains(&format!("[\"{term}\","))).collect();
            assert_eq!(holders.len(), 1, "{term}");
            assert!(term.starts_with(&holders[0].key));
        }
        let small = shards.iter().filter(|s| s.key.starts_with("pa")).count();
        assert!(small > 1);
    }

    #[test]
    fn shard_encoding_is_delta_coded_with_a_value_table() {
        let index = build(&FIELDS, &docs(&[("kafka", ""), ("x", ""), ("kafka", "kafka")]));
        let shards = shards(&index, 1 << 20);
        let ka = shards.iter().find(|s| s.key == "ka").map(|s| s.json.as_str());
        // Both title postings have tf·norm 1; the body one too.
        assert_eq!(ka, Some("{\"v\":[1.0],\"t\":[[\"kafka\",0,[0,0,2,0],1,[2,0]]]}"));
    }

    #[test]
    fn keys_count_characters_not_bytes() {
        assert_eq!(key_of("été", 2), "ét");
        assert_eq!(key_of("a", 2), "a");
    }

    #[test]
    fn content_hash_is_stable() {
        assert_eq!(content_hash(b"abc"), content_hash(b"abc"));
        assert_ne!(content_hash(b"abc"), content_hash(b"abd"));
        assert_eq!(content_hash(b"").len(), 10);
    }
}
