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
use std::fmt::Write;

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

/// A fast hash for the analyzer's maps (words and term ids, not attacker
/// controlled in any way that matters: a build is not a server).
#[derive(Default, Clone, Copy)]
pub struct FastHasher(u64);

impl std::hash::Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = self.0;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            h = (h.rotate_left(5) ^ w).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
        for &b in chunks.remainder() {
            h = (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
        self.0 = h;
    }
}

pub type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<FastHasher>>;

/// Runs elasticlunr's English pipeline, remembering each word's result
/// (documentation repeats a small vocabulary; stemming is the costly part).
/// Terms are numbered per analyzer.
pub struct Analyzer {
    pipeline: Pipeline,
    /// Lower-cased word → its term number (None: a stop word).
    words: FastMap<Box<str>, Option<u32>>,
    numbers: FastMap<String, u32>,
    /// Term number → term.
    pub terms: Vec<String>,
    word: String,
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer::new()
    }
}

impl Analyzer {
    pub fn new() -> Analyzer {
        Analyzer {
            pipeline: English::new().make_pipeline(),
            words: FastMap::default(),
            numbers: FastMap::default(),
            terms: Vec::new(),
            word: String::new(),
        }
    }

    /// Appends the term numbers of `text` to `out`, in order, repeated as
    /// often as they occur. Words are split and lower-cased exactly as
    /// elasticlunr's tokenizer does (whitespace and hyphens).
    pub fn term_numbers(&mut self, text: &str, out: &mut Vec<u32>) {
        for piece in text.split(|c: char| c.is_whitespace() || c == '-') {
            if piece.is_empty() {
                continue;
            }
            self.word.clear();
            if piece.is_ascii() {
                self.word.push_str(piece);
                self.word.make_ascii_lowercase();
            } else {
                self.word.push_str(&piece.trim().to_lowercase());
            }
            let number = match self.words.get(self.word.as_str()) {
                Some(n) => *n,
                None => {
                    let n =
                        self.pipeline.run(vec![self.word.clone()]).pop().map(|term| match self.numbers.get(&term) {
                            Some(&n) => n,
                            None => {
                                let n = self.terms.len() as u32;
                                self.numbers.insert(term.clone(), n);
                                self.terms.push(term);
                                n
                            }
                        });
                    self.words.insert(self.word.clone().into_boxed_str(), n);
                    n
                }
            };
            if let Some(n) = number {
                out.push(n);
            }
        }
    }

    /// The index terms of `text`, in order, repeated as often as they occur.
    pub fn terms(&mut self, text: &str) -> Vec<String> {
        let mut numbers = Vec::new();
        self.term_numbers(text, &mut numbers);
        numbers.into_iter().map(|n| self.terms[n as usize].clone()).collect()
    }
}

const CHUNK: usize = 2048;

/// Indexes `documents`: for each document, one text per field.
pub fn build<S: AsRef<str> + Sync>(fields: &[Field], documents: &[Vec<S>]) -> Inverted {
    type ChunkPostings = Vec<Vec<(String, Vec<(u32, f64)>)>>;
    let chunks: Vec<ChunkPostings> = documents
        .par_chunks(CHUNK)
        .enumerate()
        .map_init(Analyzer::new, |analyzer, (c, chunk)| {
            let mut local: Vec<FastMap<u32, Vec<(u32, f64)>>> = vec![FastMap::default(); fields.len()];
            let mut numbers: Vec<u32> = Vec::new();
            for (j, doc) in chunk.iter().enumerate() {
                let id = (c * CHUNK + j) as u32;
                for (f, text) in doc.iter().enumerate().take(fields.len()) {
                    numbers.clear();
                    analyzer.term_numbers(text.as_ref(), &mut numbers);
                    if numbers.is_empty() {
                        continue;
                    }
                    // elasticlunr.js: score = tf · idf · 1/√(field length).
                    let norm = 1.0 / (numbers.len() as f64).sqrt();
                    numbers.sort_unstable();
                    let mut k = 0;
                    while k < numbers.len() {
                        let mut end = k + 1;
                        while end < numbers.len() && numbers[end] == numbers[k] {
                            end += 1;
                        }
                        let tf = ((end - k) as f64).sqrt();
                        local[f].entry(numbers[k]).or_default().push((id, tf * norm));
                        k = end;
                    }
                }
            }
            local
                .into_iter()
                .map(|map| map.into_iter().map(|(n, list)| (analyzer.terms[n as usize].clone(), list)).collect())
                .collect()
        })
        .collect();
    let mut postings: Vec<Postings> = vec![HashMap::new(); fields.len()];
    for chunk in chunks {
        for (f, lists) in chunk.into_iter().enumerate() {
            for (term, list) in lists {
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

/// Groups the terms into shards of at most about `limit` encoded bytes,
/// keeping at most `cap` postings of a term in a field (see [`encode`]).
pub fn shards(index: &Inverted, limit: usize, cap: usize) -> Vec<Shard> {
    let mut sizes: FastMap<&str, usize> = FastMap::default();
    for field in &index.postings {
        for (term, list) in field {
            // A posting is two small numbers, about 6 bytes once encoded.
            *sizes.entry(term.as_str()).or_insert(term.len() + 8) += list.len().min(cap) * 6 + 4;
        }
    }
    let mut terms: Vec<(&str, usize)> = sizes.into_iter().collect();
    terms.sort_unstable();
    let mut groups: Vec<(String, &[(&str, usize)])> = Vec::new();
    split(&terms, MIN_KEY, limit, &mut groups);
    groups.par_iter().map(|(key, terms)| Shard { key: key.clone(), json: encode(index, terms, cap) }).collect()
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

/// The documents of a term kept in its shard: all of them (None), or when
/// more than `cap` documents have the term, the `cap` that the term alone
/// ranks first (elasticlunr's score for a one-word query: boost · idf ·
/// baked frequency, summed over the fields; ties: lowest id), so that a
/// query for that word alone keeps its exact top results. Such a term is
/// in so many documents that its idf is near its floor; its document
/// frequency stays exact.
fn kept_docs(index: &Inverted, term: &str, cap: usize) -> Option<std::collections::HashSet<u32>> {
    let lists: Vec<Option<&Vec<(u32, f64)>>> = index.postings.iter().map(|f| f.get(term)).collect();
    if lists.iter().flatten().all(|l| l.len() <= cap) {
        let mut union: FastMap<u32, ()> = FastMap::default();
        for l in lists.iter().flatten() {
            union.extend(l.iter().map(|p| (p.0, ())));
        }
        if union.len() <= cap {
            return None;
        }
    }
    let n = index.documents as f64;
    let mut scores: FastMap<u32, f64> = FastMap::default();
    for (f, list) in lists.iter().enumerate() {
        let Some(list) = list else { continue };
        let idf = 1.0 + (n / (list.len() as f64 + 1.0)).ln();
        for (id, v) in list.iter() {
            *scores.entry(*id).or_default() += v * idf * index.fields[f].boost;
        }
    }
    let mut ranked: Vec<(u32, f64)> = scores.into_iter().collect();
    ranked.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    Some(ranked.into_iter().take(cap).map(|(id, _)| id).collect())
}

fn kept<'a>(
    list: &'a [(u32, f64)],
    keep: &Option<std::collections::HashSet<u32>>,
) -> std::borrow::Cow<'a, [(u32, f64)]> {
    match keep {
        None => std::borrow::Cow::Borrowed(list),
        Some(set) => std::borrow::Cow::Owned(list.iter().filter(|p| set.contains(&p.0)).copied().collect()),
    }
}

/// `{"v":[values],"t":[[term, field, [Δid, value#, …], field, […]], …]}`:
/// ids are delta-coded, and each distinct baked frequency is written once
/// (as the shortest decimal that reads back as the same double), commonest
/// first. Terms stay in sorted order, the order of elasticlunr's own trie.
/// A field whose postings were capped is written `[field, document frequency]`.
fn encode(index: &Inverted, terms: &[(&str, usize)], cap: usize) -> String {
    let keep: Vec<Option<std::collections::HashSet<u32>>> =
        terms.iter().map(|(term, _)| kept_docs(index, term, cap)).collect();
    let mut frequency: FastMap<u64, usize> = FastMap::default();
    for (t, (term, _)) in terms.iter().enumerate() {
        for field in &index.postings {
            if let Some(list) = field.get(*term) {
                for (_, v) in kept(list, &keep[t]).iter() {
                    *frequency.entry(v.to_bits()).or_default() += 1;
                }
            }
        }
    }
    let mut values: Vec<(u64, usize)> = frequency.into_iter().collect();
    values.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let number: FastMap<u64, usize> = values.iter().enumerate().map(|(i, (bits, _))| (*bits, i)).collect();
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
            let Some(all) = field.get(*term) else { continue };
            let list = kept(all, &keep[i]);
            if list.len() < all.len() {
                out.push_str(&format!(",[{f},{}],[", all.len()));
            } else {
                out.push_str(&format!(",{f},["));
            }
            let mut previous = 0u32;
            for (k, (id, v)) in list.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                let _ = write!(out, "{},{}", id - previous, number.get(&v.to_bits()).copied().unwrap_or(0));
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
        let shards = shards(&index, 300, usize::MAX);
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
        let shards = shards(&index, 1 << 20, usize::MAX);
        let ka = shards.iter().find(|s| s.key == "ka").map(|s| s.json.as_str());
        // Both title postings have tf·norm 1; the body one too.
        assert_eq!(ka, Some("{\"v\":[1.0],\"t\":[[\"kafka\",0,[0,0,2,0],1,[2,0]]]}"));
    }

    #[test]
    fn capped_terms_keep_their_best_postings_and_document_frequency() {
        let index = build(&FIELDS, &docs(&[("kafka", ""), ("kafka kafka x", ""), ("kafka y", ""), ("kafka", "")]));
        let shards = shards(&index, 1 << 20, 2);
        let ka = shards.iter().find(|s| s.key == "ka").map(|s| s.json.as_str());
        // tf·norm: 1 for docs 0 and 3, √2/√3 and 1/√2 for docs 1 and 2: 0 and 3 are kept.
        assert_eq!(ka, Some("{\"v\":[1.0],\"t\":[[\"kafka\",[0,4],[0,0,3,0]]]}"));
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
