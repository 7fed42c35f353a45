//! A fast parser for the block-style YAML subset catalog files are written
//! in, producing exactly the JSON data the serde_yaml path of
//! [`super::yaml`] produces.
//!
//! serde_yaml (libyaml plus a generic `Value` tree) dominated the cost of
//! the catalog stage. Real catalog files use a small part of YAML: block
//! mappings and sequences, one-line scalars, a few block scalars and tiny
//! flow collections. This module parses exactly that part in one pass over
//! the lines and returns `None` for anything else — anchors, tags, complex
//! keys, multi-line flow or plain scalars, tabs in indentation, duplicate
//! keys, odd indentation — so the caller falls back to serde_yaml, which
//! also produces the error messages. Whenever it returns `Some`, the value is
//! the one `yaml_to_json(serde_yaml::from_str(text))` gives; the tests check
//! that against every corpus file and random documents.

use serde_json::{Map, Number, Value};
use std::num::ParseIntError;

/// Why the fast path gave up; the caller then uses serde_yaml.
struct Bail;

type R<T> = Result<T, Bail>;

/// Nesting deeper than this goes to the slow path (serde_yaml stops at 128).
const MAX_DEPTH: usize = 64;

/// libyaml refuses simple keys longer than 1024 characters; stay clear of it.
const MAX_KEY_BYTES: usize = 1000;

/// Parses one YAML document (the text between document markers). `None`
/// means "not in the fast subset": parse it with serde_yaml instead. Only
/// mappings are returned, never a scalar or a list at the root.
pub fn parse(text: &str) -> Option<Value> {
    let lines = split_lines(text)?;
    let mut parser = Parser { lines, li: 0 };
    parser.document().ok()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Only spaces.
    Blank,
    /// Spaces, then `#`.
    Comment,
    /// A tab before the first non-space character.
    Tab,
    Content,
}

#[derive(Clone, Copy)]
struct Line<'a> {
    /// The line without its line break.
    text: &'a str,
    /// Leading spaces.
    indent: usize,
    kind: Kind,
    /// The last line of a text may end without a line break, which matters
    /// for the chomping of block scalars.
    has_break: bool,
}

/// Splits the text into lines and refuses what libyaml treats specially:
/// control characters (errors), NEL/LS/PS (extra line breaks), BOMs and
/// non-characters (errors), lone CRs, and column-0 `---`/`...`.
fn split_lines(text: &str) -> Option<Vec<Line<'_>>> {
    let bytes = text.as_bytes();
    let mut lines = Vec::with_capacity(bytes.len() / 32 + 1);
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Skip eight printable ASCII bytes at a time: most of the text.
        if let Some(word) = bytes.get(i..i + 8).and_then(|w| <[u8; 8]>::try_from(w).ok()) {
            if plain_ascii(u64::from_le_bytes(word)) {
                i += 8;
                continue;
            }
        }
        let b = bytes[i];
        match b {
            b'\n' => {
                let end = if i > start && bytes[i - 1] == b'\r' { i - 1 } else { i };
                lines.push(make_line(text.get(start..end)?, true)?);
                start = i + 1;
            }
            // A CR only as part of CRLF.
            b'\r' if bytes.get(i + 1) != Some(&b'\n') => return None,
            b'\r' | b'\t' => {}
            0..=0x1f | 0x7f => return None,
            // U+0080..U+009F (C1 controls and NEL).
            0xc2 if matches!(bytes.get(i + 1), Some(0x80..=0x9f)) => return None,
            // U+2028, U+2029.
            0xe2 if bytes.get(i + 1) == Some(&0x80) && matches!(bytes.get(i + 2), Some(0xa8 | 0xa9)) => return None,
            // U+FEFF, U+FFFE, U+FFFF.
            0xef if matches!(
                (bytes.get(i + 1), bytes.get(i + 2)),
                (Some(0xbb), Some(0xbf)) | (Some(0xbf), Some(0xbe | 0xbf))
            ) =>
            {
                return None
            }
            _ => {}
        }
        i += 1;
    }
    if start < bytes.len() {
        lines.push(make_line(text.get(start..)?, false)?);
    }
    Some(lines)
}

/// Whether all eight bytes of `w` are in 0x20..=0x7e (no line break, tab,
/// control character or non-ASCII byte).
fn plain_ascii(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below_space = w.wrapping_sub(ONES * 0x20) & !w & HIGH;
    let del = (w ^ (ONES * 0x7f)).wrapping_sub(ONES) & !(w ^ (ONES * 0x7f)) & HIGH;
    (below_space | del | (w & HIGH)) == 0
}

fn make_line(text: &str, has_break: bool) -> Option<Line<'_>> {
    let bytes = text.as_bytes();
    let indent = bytes.iter().take_while(|&&b| b == b' ').count();
    let kind = match bytes.get(indent) {
        None => Kind::Blank,
        Some(b'#') => Kind::Comment,
        Some(b'\t') => Kind::Tab,
        Some(_) => Kind::Content,
    };
    // Document markers are split off by the caller; whatever is left at
    // column 0 that looks like one is not worth reasoning about.
    if indent == 0 && (bytes.starts_with(b"---") || bytes.starts_with(b"...")) {
        return None;
    }
    Some(Line { text, indent, kind, has_break })
}

/// Whether `text` has a block sequence entry (`-` then space or end) at byte `col`.
fn is_entry(text: &str, col: usize) -> bool {
    let b = text.as_bytes();
    b.get(col) == Some(&b'-') && matches!(b.get(col + 1), None | Some(b' '))
}

struct Parser<'a> {
    lines: Vec<Line<'a>>,
    /// The first line not consumed yet.
    li: usize,
}

impl<'a> Parser<'a> {
    /// The first line at or after `from` that is neither blank nor a comment.
    fn next_content(&self, from: usize) -> R<Option<usize>> {
        for (i, line) in self.lines.iter().enumerate().skip(from) {
            match line.kind {
                Kind::Blank | Kind::Comment => {}
                Kind::Tab => return Err(Bail),
                Kind::Content => return Ok(Some(i)),
            }
        }
        Ok(None)
    }

    fn document(&mut self) -> R<Value> {
        let first = self.next_content(0)?.ok_or(Bail)?;
        let line = self.lines[first];
        if is_entry(line.text, line.indent) {
            return Err(Bail);
        }
        self.li = first;
        let map = self.mapping(line.indent, 0)?;
        if self.next_content(self.li)?.is_some() {
            return Err(Bail);
        }
        Ok(Value::Object(map))
    }

    /// A block mapping whose keys are at column `col`; the first key is on
    /// line `self.li` (possibly after a `- `).
    fn mapping(&mut self, col: usize, depth: usize) -> R<Map<String, Value>> {
        if depth > MAX_DEPTH {
            return Err(Bail);
        }
        let mut map = Map::new();
        loop {
            let line = self.lines[self.li];
            let rest = line.text.get(col..).ok_or(Bail)?;
            let KeyScan::Key(key, after) = split_key(rest)? else {
                return Err(Bail);
            };
            let value = self.value(line, col + after, col, depth, true)?;
            // serde_yaml rejects duplicate keys; keys that only collide once
            // converted to strings (`1` and `"1"`) are also left to it.
            if map.insert(key, value).is_some() {
                return Err(Bail);
            }
            match self.next_content(self.li)? {
                None => {
                    self.li = self.lines.len();
                    break;
                }
                Some(i) => {
                    self.li = i;
                    let indent = self.lines[i].indent;
                    if indent < col {
                        break;
                    }
                    if indent > col {
                        // A continuation line or a badly indented node.
                        return Err(Bail);
                    }
                }
            }
        }
        Ok(map)
    }

    /// A block sequence whose dashes are at column `col`; the first one is
    /// on line `self.li`.
    fn sequence(&mut self, col: usize, depth: usize) -> R<Vec<Value>> {
        if depth > MAX_DEPTH {
            return Err(Bail);
        }
        let mut items = Vec::new();
        loop {
            let line = self.lines[self.li];
            items.push(self.value(line, col + 1, col, depth, false)?);
            match self.next_content(self.li)? {
                None => {
                    self.li = self.lines.len();
                    break;
                }
                Some(i) => {
                    self.li = i;
                    let next = self.lines[i];
                    if next.indent == col && is_entry(next.text, col) {
                        continue;
                    }
                    if next.indent <= col {
                        // The parent decides whether this line fits it.
                        break;
                    }
                    return Err(Bail);
                }
            }
        }
        Ok(items)
    }

    /// A block node starting at column `col` of line `self.li`.
    fn block_node(&mut self, col: usize, depth: usize) -> R<Value> {
        if is_entry(self.lines[self.li].text, col) {
            Ok(Value::Array(self.sequence(col, depth)?))
        } else {
            Ok(Value::Object(self.mapping(col, depth)?))
        }
    }

    /// The value after a `key:` (`in_mapping`) or a `-` ending at byte `pos`
    /// of `line` (which is line `self.li`). `parent` is the column of the key
    /// or dash: libyaml's current indentation for block scalars, and the
    /// column a nested block must exceed.
    fn value(&mut self, line: Line<'a>, pos: usize, parent: usize, depth: usize, in_mapping: bool) -> R<Value> {
        let bytes = line.text.as_bytes();
        let here = self.li;
        self.li = here + 1;
        let mut v = pos;
        while bytes.get(v) == Some(&b' ') {
            v += 1;
        }
        match bytes.get(v) {
            // Nothing on this line (callers guarantee a space before `#`).
            None | Some(b'#') => match self.next_content(here + 1)? {
                Some(i) => {
                    let next = self.lines[i];
                    if next.indent > parent {
                        self.li = i;
                        return self.block_node(next.indent, depth + 1);
                    }
                    if in_mapping && next.indent == parent && is_entry(next.text, parent) {
                        // A sequence may sit at its key's indentation.
                        self.li = i;
                        return Ok(Value::Array(self.sequence(parent, depth + 1)?));
                    }
                    Ok(Value::Null)
                }
                None => Ok(Value::Null),
            },
            Some(b'|' | b'>') => Ok(Value::String(self.block_scalar(bytes, v, parent)?)),
            Some(b'-') if matches!(bytes.get(v + 1), None | Some(b' ')) => {
                if in_mapping {
                    // `key: - x` is an error in YAML.
                    return Err(Bail);
                }
                self.li = here;
                Ok(Value::Array(self.sequence(v, depth + 1)?))
            }
            Some(_) => {
                let rest = line.text.get(v..).ok_or(Bail)?;
                if !in_mapping {
                    if let KeyScan::Key(..) = split_key(rest)? {
                        // `- key: value` opens a mapping at the key's column.
                        self.li = here;
                        return Ok(Value::Object(self.mapping(v, depth + 1)?));
                    }
                }
                let (value, end) = inline_value(rest)?;
                trailing_ok(&rest.as_bytes()[end..])?;
                Ok(value)
            }
        }
    }

    /// A `|` or `>` block scalar whose header is at byte `at` of `header`;
    /// its content starts on line `self.li`. This follows libyaml's
    /// `yaml_parser_scan_block_scalar` step by step, so chomping, folding,
    /// more-indented lines and a missing final line break come out the same.
    fn block_scalar(&mut self, header: &[u8], at: usize, parent: usize) -> R<String> {
        let literal = header[at] == b'|';
        let mut i = at + 1;
        // -1 strip, 0 clip, 1 keep.
        let mut chomp = 0i8;
        match header.get(i) {
            Some(b'+') => {
                chomp = 1;
                i += 1;
            }
            Some(b'-') => {
                chomp = -1;
                i += 1;
            }
            _ => {}
        }
        // Explicit indentation indicators are rare; leave them to libyaml.
        if header.get(i).is_some_and(u8::is_ascii_digit) {
            return Err(Bail);
        }
        trailing_ok(&header[i..])?;

        let mut indent = 0;
        let mut breaks = 0;
        let mut out = String::new();
        let mut leading_break = false;
        let mut leading_blank = false;
        let mut col = self.block_scalar_breaks(&mut indent, &mut breaks, parent)?;
        while let Some(line) = self.lines.get(self.li) {
            if col != indent || (col == line.text.len() && !line.has_break) {
                break;
            }
            let content = line.text.get(col..).ok_or(Bail)?;
            let trailing_blank = matches!(content.as_bytes().first(), Some(b' ' | b'\t'));
            if !literal && leading_break && !leading_blank && !trailing_blank {
                // Folding: a single line break between text lines becomes a space.
                if breaks == 0 {
                    out.push(' ');
                }
            } else if leading_break {
                out.push('\n');
            }
            push_newlines(&mut out, breaks);
            breaks = 0;
            leading_blank = trailing_blank;
            out.push_str(content);
            leading_break = line.has_break;
            self.li += 1;
            col = self.block_scalar_breaks(&mut indent, &mut breaks, parent)?;
        }
        if chomp != -1 && leading_break {
            out.push('\n');
        }
        if chomp == 1 {
            push_newlines(&mut out, breaks);
        }
        Ok(out)
    }

    /// libyaml's `yaml_parser_scan_block_scalar_breaks`: skips empty lines
    /// (counting them in `breaks`), detects the indentation on first use and
    /// returns the column where the next line's text starts.
    fn block_scalar_breaks(&mut self, indent: &mut usize, breaks: &mut usize, parent: usize) -> R<usize> {
        let mut max_indent = 0;
        let mut col = 0;
        while let Some(line) = self.lines.get(self.li) {
            let b = line.text.as_bytes();
            col = 0;
            while (*indent == 0 || col < *indent) && b.get(col) == Some(&b' ') {
                col += 1;
            }
            max_indent = max_indent.max(col);
            if (*indent == 0 || col < *indent) && b.get(col) == Some(&b'\t') {
                return Err(Bail);
            }
            if col == b.len() && line.has_break {
                *breaks += 1;
                self.li += 1;
                continue;
            }
            break;
        }
        if *indent == 0 {
            *indent = max_indent.max(parent + 1);
        }
        Ok(col)
    }
}

fn push_newlines(out: &mut String, n: usize) {
    for _ in 0..n {
        out.push('\n');
    }
}

/// After a value on its line only spaces, then optionally a comment.
fn trailing_ok(rest: &[u8]) -> R<()> {
    let spaces = rest.iter().take_while(|&&b| b == b' ').count();
    match rest.get(spaces) {
        None => Ok(()),
        Some(b'#') if spaces > 0 => Ok(()),
        Some(_) => Err(Bail),
    }
}

enum KeyScan {
    /// The key and the byte offset just after its `:`.
    Key(String, usize),
    /// The line holds a scalar or flow collection, not a `key:`.
    NotKey,
}

/// Reads `key:` (followed by a space or the end of the line) at the start of `s`.
fn split_key(s: &str) -> R<KeyScan> {
    let b = s.as_bytes();
    match b.first() {
        Some(b'"' | b'\'') => {
            let (key, end) = if b[0] == b'"' { double_quoted(s)? } else { single_quoted(s)? };
            let mut i = end;
            while b.get(i) == Some(&b' ') {
                i += 1;
            }
            match b.get(i) {
                Some(b':') if matches!(b.get(i + 1), None | Some(b' ')) => {
                    if i >= MAX_KEY_BYTES {
                        return Err(Bail);
                    }
                    Ok(KeyScan::Key(key, i + 1))
                }
                None => Ok(KeyScan::NotKey),
                Some(b'#') if i > end => Ok(KeyScan::NotKey),
                Some(_) => Err(Bail),
            }
        }
        Some(b'[' | b'{') => Ok(KeyScan::NotKey),
        _ => {
            plain_start(b, false)?;
            let mut i = 0;
            while i < b.len() {
                match b[i] {
                    b':' if matches!(b.get(i + 1), None | Some(b' ')) => break,
                    b'#' if i > 0 && b[i - 1] == b' ' => return Ok(KeyScan::NotKey),
                    b'\t' => return Err(Bail),
                    _ => i += 1,
                }
            }
            if i == b.len() {
                return Ok(KeyScan::NotKey);
            }
            if i >= MAX_KEY_BYTES {
                return Err(Bail);
            }
            let raw = s.get(..i).ok_or(Bail)?.trim_end_matches(' ');
            if raw == "<<" {
                return Err(Bail);
            }
            Ok(KeyScan::Key(plain_key(raw)?, i + 1))
        }
    }
}

/// A plain key as `yaml_to_json` names it: strings as they are, integers and
/// booleans formatted; null and float keys are left to the slow path.
fn plain_key(raw: &str) -> R<String> {
    match resolve_plain(raw)? {
        Value::String(s) => Ok(s),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Number(n) if !n.is_f64() => Ok(n.to_string()),
        _ => Err(Bail),
    }
}

/// Checks that `b` can start a plain scalar (in a flow collection if
/// `flow`), conservatively: indicators and the `-`/`?`/`:` forms bail.
fn plain_start(b: &[u8], flow: bool) -> R<()> {
    match b.first() {
        None => Err(Bail),
        Some(b'-') => match b.get(1) {
            None | Some(b' ' | b'\t') => Err(Bail),
            Some(b',' | b'[' | b']' | b'{' | b'}') if flow => Err(Bail),
            Some(_) => Ok(()),
        },
        Some(
            b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\'' | b'"'
            | b'%' | b'@' | b'`' | b' ' | b'\t',
        ) => Err(Bail),
        Some(_) => Ok(()),
    }
}

/// A scalar or one-line flow collection at the start of `s` (not `|`/`>`);
/// returns it and the byte offset where it ends.
fn inline_value(s: &str) -> R<(Value, usize)> {
    let b = s.as_bytes();
    match b.first() {
        Some(b'"') => double_quoted(s).map(|(v, end)| (Value::String(v), end)),
        Some(b'\'') => single_quoted(s).map(|(v, end)| (Value::String(v), end)),
        Some(b'[') => flow_sequence(s),
        Some(b'{') => flow_mapping(s),
        _ => {
            plain_start(b, false)?;
            let mut end = 0;
            let mut i = 0;
            while i < b.len() {
                match b[i] {
                    // `a: b: c` and `a: b:` are errors.
                    b':' if matches!(b.get(i + 1), None | Some(b' ')) => return Err(Bail),
                    b'#' if i > 0 && b[i - 1] == b' ' => break,
                    b'\t' => return Err(Bail),
                    b' ' => {}
                    _ => end = i + 1,
                }
                i += 1;
            }
            Ok((resolve_plain(s.get(..end).ok_or(Bail)?)?, end))
        }
    }
}

/// A plain scalar inside a one-line flow collection, ending before `,` or
/// `close`; returns the scalar's text and where scanning stopped.
fn flow_plain(s: &str, from: usize, close: u8, is_key: bool) -> R<(&str, usize)> {
    let b = s.as_bytes();
    plain_start(&b[from..], true)?;
    let mut end = from;
    let mut i = from;
    while i < b.len() {
        match b[i] {
            b',' if !is_key => break,
            c if c == close && !is_key => break,
            // `group:default/a` is one scalar; `: ` ends a key; libyaml
            // rejects `:` before a flow indicator.
            b':' => match b.get(i + 1) {
                Some(b' ') if is_key => break,
                None | Some(b' ' | b'\t' | b',' | b'?' | b'[' | b']' | b'{' | b'}') => return Err(Bail),
                Some(_) => end = i + 1,
            },
            b'[' | b']' | b'{' | b'}' | b'\t' | b',' => return Err(Bail),
            b'#' if i > 0 && b[i - 1] == b' ' => return Err(Bail),
            b' ' => {}
            _ => end = i + 1,
        }
        i += 1;
    }
    Ok((s.get(from..end).ok_or(Bail)?, i))
}

fn skip_spaces(b: &[u8], mut i: usize) -> usize {
    while b.get(i) == Some(&b' ') {
        i += 1;
    }
    i
}

/// A flow scalar (quoted or plain) at byte `i`, ending before `,` or `close`.
fn flow_scalar(s: &str, i: usize, close: u8) -> R<(Value, usize)> {
    let rest = s.get(i..).ok_or(Bail)?;
    match rest.as_bytes().first() {
        Some(b'"') => double_quoted(rest).map(|(v, end)| (Value::String(v), i + end)),
        Some(b'\'') => single_quoted(rest).map(|(v, end)| (Value::String(v), i + end)),
        _ => {
            let (text, end) = flow_plain(s, i, close, false)?;
            Ok((resolve_plain(text)?, end))
        }
    }
}

/// `[a, "b", 3]` on one line, scalars only.
fn flow_sequence(s: &str) -> R<(Value, usize)> {
    let b = s.as_bytes();
    let mut items = Vec::new();
    let mut i = skip_spaces(b, 1);
    if b.get(i) == Some(&b']') {
        return Ok((Value::Array(items), i + 1));
    }
    loop {
        let (item, end) = flow_scalar(s, i, b']')?;
        items.push(item);
        i = skip_spaces(b, end);
        match b.get(i) {
            Some(b',') => {
                i = skip_spaces(b, i + 1);
                // A trailing comma is valid YAML but rare; not worth the risk.
                if b.get(i) == Some(&b']') {
                    return Err(Bail);
                }
            }
            Some(b']') => return Ok((Value::Array(items), i + 1)),
            _ => return Err(Bail),
        }
    }
}

/// `{a: b, "c": 1}` on one line, scalars only, every key with a value.
fn flow_mapping(s: &str) -> R<(Value, usize)> {
    let b = s.as_bytes();
    let mut map = Map::new();
    let mut i = skip_spaces(b, 1);
    if b.get(i) == Some(&b'}') {
        return Ok((Value::Object(map), i + 1));
    }
    loop {
        let key = match b.get(i) {
            Some(b'"' | b'\'') => {
                let rest = s.get(i..).ok_or(Bail)?;
                let (key, end) = if b[i] == b'"' { double_quoted(rest)? } else { single_quoted(rest)? };
                i = skip_spaces(b, i + end);
                key
            }
            _ => {
                let (text, end) = flow_plain(s, i, b'}', true)?;
                if text == "<<" {
                    return Err(Bail);
                }
                i = end;
                plain_key(text)?
            }
        };
        if b.get(i) != Some(&b':') || b.get(i + 1) != Some(&b' ') {
            return Err(Bail);
        }
        i = skip_spaces(b, i + 1);
        if matches!(b.get(i), None | Some(b',' | b'}')) {
            return Err(Bail);
        }
        let (value, end) = flow_scalar(s, i, b'}')?;
        if map.insert(key, value).is_some() {
            return Err(Bail);
        }
        i = skip_spaces(b, end);
        match b.get(i) {
            Some(b',') => {
                i = skip_spaces(b, i + 1);
                if b.get(i) == Some(&b'}') {
                    return Err(Bail);
                }
            }
            Some(b'}') => return Ok((Value::Object(map), i + 1)),
            _ => return Err(Bail),
        }
    }
}

/// `'...'` closed on the same line; returns the text and the offset after
/// the closing quote.
fn single_quoted(s: &str) -> R<(String, usize)> {
    let b = s.as_bytes();
    let mut out = String::new();
    let mut run = 1;
    let mut i = 1;
    loop {
        match b.get(i) {
            None => return Err(Bail),
            Some(b'\'') => {
                out.push_str(s.get(run..i).ok_or(Bail)?);
                if b.get(i + 1) == Some(&b'\'') {
                    out.push('\'');
                    i += 2;
                    run = i;
                } else {
                    return Ok((out, i + 1));
                }
            }
            Some(_) => i += 1,
        }
    }
}

/// `"..."` closed on the same line, with libyaml's escapes.
fn double_quoted(s: &str) -> R<(String, usize)> {
    let b = s.as_bytes();
    let mut out = String::new();
    let mut run = 1;
    let mut i = 1;
    loop {
        match b.get(i) {
            None => return Err(Bail),
            Some(b'"') => {
                out.push_str(s.get(run..i).ok_or(Bail)?);
                return Ok((out, i + 1));
            }
            Some(b'\\') => {
                out.push_str(s.get(run..i).ok_or(Bail)?);
                let escape = *b.get(i + 1).ok_or(Bail)?;
                i += 2;
                let c = match escape {
                    b'0' => '\0',
                    b'a' => '\x07',
                    b'b' => '\x08',
                    b't' | b'\t' => '\t',
                    b'n' => '\n',
                    b'v' => '\x0b',
                    b'f' => '\x0c',
                    b'r' => '\r',
                    b'e' => '\x1b',
                    b' ' => ' ',
                    b'"' => '"',
                    b'/' => '/',
                    b'\\' => '\\',
                    b'N' => '\u{85}',
                    b'_' => '\u{a0}',
                    b'L' => '\u{2028}',
                    b'P' => '\u{2029}',
                    b'x' | b'u' | b'U' => {
                        let len = match escape {
                            b'x' => 2,
                            b'u' => 4,
                            _ => 8,
                        };
                        let hex = b.get(i..i + len).ok_or(Bail)?;
                        // from_str_radix would also take a sign; libyaml does not.
                        if !hex.iter().all(u8::is_ascii_hexdigit) {
                            return Err(Bail);
                        }
                        let code = std::str::from_utf8(hex).ok().and_then(|h| u32::from_str_radix(h, 16).ok());
                        i += len;
                        // Surrogates and values past U+10FFFF are errors in libyaml too.
                        code.and_then(char::from_u32).ok_or(Bail)?
                    }
                    // Unknown escapes are errors; a backslash at the end of
                    // the line continues the scalar on the next one.
                    _ => return Err(Bail),
                };
                out.push(c);
                run = i;
            }
            Some(_) => i += 1,
        }
    }
}

/// Resolves a plain scalar as serde_yaml 0.9 does (`visit_untagged_scalar`)
/// and converts it as `yaml_to_json` does: null, booleans, integers (also
/// `0x`/`0o`/`0b`), floats (non-finite ones become null), else a string.
fn resolve_plain(v: &str) -> R<Value> {
    match v {
        "" | "~" | "null" | "Null" | "NULL" => return Ok(Value::Null),
        "true" | "True" | "TRUE" => return Ok(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Ok(Value::Bool(false)),
        _ => {}
    }
    // Integers and floats (Rust's grammar, which serde_yaml uses) start with
    // a digit, a sign or a dot; `inf`/`nan` parse but are refused as
    // non-finite. Anything else is a string.
    if !matches!(v.as_bytes()[0], b'0'..=b'9' | b'+' | b'-' | b'.') {
        return Ok(Value::String(v.to_owned()));
    }
    if let Some(n) = serde_yaml_num::parse_unsigned_int(v, u64::from_str_radix) {
        return Ok(Value::Number(n.into()));
    }
    if let Some(n) = serde_yaml_num::parse_negative_int(v, i64::from_str_radix) {
        return Ok(Value::Number(n.into()));
    }
    // Integers beyond 64 bits make serde_yaml's Value fail; leave them to it.
    if serde_yaml_num::parse_unsigned_int(v, u128::from_str_radix).is_some()
        || serde_yaml_num::parse_negative_int(v, i128::from_str_radix).is_some()
    {
        return Err(Bail);
    }
    if !serde_yaml_num::digits_but_not_number(v) {
        if let Some(f) = serde_yaml_num::parse_f64(v) {
            return Ok(Number::from_f64(f).map_or(Value::Null, Value::Number));
        }
    }
    Ok(Value::String(v.to_owned()))
}

/// serde_yaml 0.9's number resolution (`de.rs`), copied so the fast path
/// agrees with it on every plain scalar.
mod serde_yaml_num {
    use super::ParseIntError;

    pub fn parse_unsigned_int<T>(scalar: &str, from_str_radix: fn(&str, u32) -> Result<T, ParseIntError>) -> Option<T> {
        let unpositive = scalar.strip_prefix('+').unwrap_or(scalar);
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
            if let Some(rest) = unpositive.strip_prefix(prefix) {
                if rest.starts_with(['+', '-']) {
                    return None;
                }
                if let Ok(int) = from_str_radix(rest, radix) {
                    return Some(int);
                }
            }
        }
        if unpositive.starts_with(['+', '-']) {
            return None;
        }
        if digits_but_not_number(scalar) {
            return None;
        }
        from_str_radix(unpositive, 10).ok()
    }

    pub fn parse_negative_int<T>(scalar: &str, from_str_radix: fn(&str, u32) -> Result<T, ParseIntError>) -> Option<T> {
        for (prefix, radix) in [("-0x", 16), ("-0o", 8), ("-0b", 2)] {
            if let Some(rest) = scalar.strip_prefix(prefix) {
                let negative = format!("-{rest}");
                if let Ok(int) = from_str_radix(&negative, radix) {
                    return Some(int);
                }
            }
        }
        if digits_but_not_number(scalar) {
            return None;
        }
        from_str_radix(scalar, 10).ok()
    }

    pub fn parse_f64(scalar: &str) -> Option<f64> {
        let unpositive = if let Some(unpositive) = scalar.strip_prefix('+') {
            if unpositive.starts_with(['+', '-']) {
                return None;
            }
            unpositive
        } else {
            scalar
        };
        if let ".inf" | ".Inf" | ".INF" = unpositive {
            return Some(f64::INFINITY);
        }
        if let "-.inf" | "-.Inf" | "-.INF" = scalar {
            return Some(f64::NEG_INFINITY);
        }
        if let ".nan" | ".NaN" | ".NAN" = scalar {
            return Some(f64::NAN);
        }
        unpositive.parse::<f64>().ok().filter(|f| f.is_finite())
    }

    pub fn digits_but_not_number(scalar: &str) -> bool {
        let scalar = scalar.strip_prefix(['-', '+']).unwrap_or(scalar);
        scalar.len() > 1 && scalar.starts_with('0') && scalar[1..].bytes().all(|b| b.is_ascii_digit())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::yaml::{parse_file, yaml_to_json};
    use proptest::prelude::*;
    use std::path::{Path, PathBuf};

    fn slow(text: &str) -> Option<Value> {
        serde_yaml::from_str::<serde_yaml::Value>(text).ok().map(yaml_to_json)
    }

    /// Asserts that the fast path, when it answers, agrees with serde_yaml
    /// (key order included, hence the comparison of serialisations); returns
    /// whether it answered.
    fn check(text: &str) -> bool {
        let Some(fast) = parse(text) else { return false };
        let fast = serde_json::to_string(&fast).unwrap_or_default();
        let slow = slow(text).map(|v| serde_json::to_string(&v).unwrap_or_default());
        assert_eq!(Some(fast), slow, "fast and slow paths differ on:\n{text:?}");
        true
    }

    fn fast(text: &str) -> Value {
        assert!(check(text), "expected the fast path to take:\n{text}");
        parse(text).unwrap_or_default()
    }

    fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
        assert!(dir.is_dir(), "{} not found: the fast-path tests need ../shared beside the project", dir.display());
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name().into_iter().flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "yaml" || e == "yml")
                && !path.components().any(|c| c.as_os_str() == "node_modules")
            {
                out.push(path.to_path_buf());
            }
        }
    }

    /// Variants of a document that exercise the fast path's edges: each
    /// line dropped, each prefix, and no final line break.
    fn variants(text: &str) -> Vec<String> {
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        let mut out = vec![text.trim_end_matches('\n').to_string()];
        for i in 0..lines.len().min(200) {
            let mut dropped = String::new();
            for (j, line) in lines.iter().enumerate() {
                if j != i {
                    dropped.push_str(line);
                }
            }
            out.push(dropped);
            out.push(lines[..=i].concat());
        }
        out
    }

    #[test]
    fn agrees_with_serde_yaml_on_every_corpus_file() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in ["../shared/corpus", "../shared/oracle/cases", "tests/fixtures/oracle-extra", "examples"] {
            yaml_files(&root.join(dir), &mut files);
        }
        let (mut docs, mut taken, mut catalog_docs, mut catalog_taken) = (0, 0, 0, 0);
        for path in &files {
            let bytes = std::fs::read(path).unwrap_or_default();
            let is_catalog = !path.to_string_lossy().contains("techdocs") && !path.ends_with("mkdocs.yml");
            for doc in parse_file(&bytes).unwrap_or_default() {
                docs += 1;
                let hit = check(&doc.text);
                taken += usize::from(hit);
                if is_catalog && doc.text.trim() != "" {
                    catalog_docs += 1;
                    catalog_taken += usize::from(hit);
                }
                for variant in variants(&doc.text) {
                    check(&variant);
                }
            }
        }
        eprintln!("fast path: {taken}/{docs} documents, {catalog_taken}/{catalog_docs} catalog documents");
        assert!(files.len() > 200, "only {} YAML files found", files.len());
        // Real catalog files are mostly in the subset; a drop here means the
        // fast path stopped being useful.
        assert!(catalog_taken * 10 >= catalog_docs * 9, "{catalog_taken}/{catalog_docs}");
    }

    const TYPICAL: &str = concat!(
        "   # after a --- marker\n",
        "apiVersion: backstage.io/v1alpha1\n",
        "kind: Component\n",
        "metadata:\n",
        "  name: x # comment\n",
        "  title: \"X \\u00e9 \\\"q\\\"\"\n",
        "  tags: [a, 'b', \"c\"]\n",
        "  links:\n",
        "  - url: https://x.example/a#b\n",
        "    title: Docs\n",
        "  -   url: y\n",
        "      icon: z\n",
        "  annotations: {}\n",
        "spec:\n",
        "  type: service\n",
        "  owner: 'team-a'\n",
        "  dependsOn:\n",
        "    - component:b\n",
        "    -\n",
        "    - - nested\n",
        "      - list\n",
        "  description: >\n",
        "    folded\n",
        "    text\n",
        "\n",
        "      more\n",
        "    end\n",
        "\n",
        "\n",
        "  script: |+\n",
        "    keep\n",
        "\n",
        "  count: 0x1F\n",
        "  ratio: 1.5e3\n",
        "  empty:\n",
        "  nothing: ~\n",
    );

    #[test]
    fn typical_entity() {
        let v = fast(TYPICAL);
        assert_eq!(v["metadata"]["title"], "X é \"q\"");
        assert_eq!(v["spec"]["dependsOn"][1], Value::Null);
        assert_eq!(v["spec"]["description"], "folded text\n\n  more\nend\n");
        assert_eq!(v["spec"]["script"], "keep\n\n");
        assert_eq!(v["spec"]["count"], 31);
    }

    #[test]
    fn scalar_resolution_matches_serde_yaml() {
        for scalar in [
            "null",
            "Null",
            "NULL",
            "~",
            "nULL",
            "true",
            "True",
            "TRUE",
            "tRUE",
            "yes",
            "no",
            "on",
            "off",
            "y",
            "0",
            "-0",
            "+0",
            "1",
            "-1",
            "+1",
            "017",
            "-017",
            "0o17",
            "0O17",
            "0x1F",
            "0x1f",
            "-0x1F",
            "+0x1F",
            "0x",
            "0xG",
            "0x+1",
            "0b101",
            "-0b101",
            "0b2",
            "1_000",
            "1,000",
            "1.0",
            "1.",
            ".5",
            "+.5",
            "-.5",
            "1e3",
            "1E3",
            "1e-3",
            "1e",
            "e3",
            ".",
            "..",
            "-",
            "+",
            "+-1",
            "--1",
            ".inf",
            ".Inf",
            ".INF",
            "-.inf",
            "+.inf",
            ".nan",
            ".NaN",
            "-.nan",
            "inf",
            "infinity",
            "nan",
            "NaN",
            "Infinity",
            "-inf",
            "1.2.3",
            "2021-01-01",
            "2001-12-14t21:59:43.10-05:00",
            "12:30",
            "1:20",
            "0.0",
            "-0.0",
            "00",
            "00.5",
            "0.5e+3",
            "9223372036854775807",
            "9223372036854775808",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "123456789012345678901234567890",
            "1e400",
            "-1e400",
            "4.9e-324",
            "0.1",
            "3.14159265358979323846",
            "dir:.",
            "a:b",
            "http://x",
            "é",
            "1st",
            "v1",
            "-a",
            "a-",
            "a b",
            "a #b",
            "a#b",
            "<<",
            "=",
        ] {
            check(&format!("k: {scalar}\n"));
            check(&format!("k: [{scalar}]\n"));
            check(&format!("{scalar}: v\n"));
            check(&format!("k:\n- {scalar}\n"));
        }
    }

    #[test]
    fn refuses_what_it_does_not_handle() {
        for text in [
            "",
            "# only a comment\n",
            "- a\n- b\n",
            "just text\n",
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "? a\n: b\n",
            "<<: {a: 1}\n",
            "a: 1\na: 2\n",
            "a: 1\n\"a\": 2\n",
            "a:\n\tb: 1\n",
            "a: plain\n  continued\n",
            "a: \"quoted\n  continued\"\n",
            "a: [1,\n  2]\n",
            "a: [[1]]\n",
            "a: |2\n   x\n",
            "a: \"\\q\"\n",
            "a: b: c\n",
            "a: - b\n",
            "%YAML 1.2\na: 1\n",
            "a:\n  plain\n",
            "a: 1\n b: 2\n",
            "a: 1\r b\n",
            "a: x\u{2028}y\n",
        ] {
            assert!(parse(text).is_none(), "fast path took {text:?}");
            check(text);
        }
    }

    #[test]
    fn layout_edge_cases_agree() {
        for text in [
            "  a: 1\n  b: 2\n",
            "    a: 1\nb: 2\n",
            "key:: v\n",
            "a:b: c\n",
            "a: x:y\n",
            "--a: b\n",
            "a:\n- b\n- c\nd: e\n",
            "a:\n  - b\n  -\n  - - c\n    - d\n  - e: f\n    g: h\n",
            "a:\n- b: 1\n  c:\n  - x\n  d: 2\n",
            "a:\n  -   b: 1\n      c: 2\n",
            "a:\n  -   b: 1\n    c: 2\n",
            "a:\n - b\n  - c\n",
            "a: 1 # c\n# c\n   # c\nb: 2\n",
            "a:   # c\n  b: 1\n",
            "a:\n\n  b: 1\n",
            "a: 'x' # c\nb: \"y\"  \n",
            "a: [x, y] # c\nb: {k: v}\n",
            "a: x\n  # deeper comment\nb: y\n",
            "a: \"\\x00\\x7f\\u0085\\U0001F600\"\n",
            "a: \"\\uD800\"\n",
            "a: \"\\u+041\"\n",
            "a: \"x\\\ty\"\n",
            "a: 'x\ty'\n",
            "a: b\t\n",
            "a:\tb\n",
            "a: b\r\nc: d\r\n",
            "a: |\r\n  x\r\n\r\n  y\r\nb: 1\r\n",
            "a: |\n  x\n b: 1\n",
            "a: |\n    x\n  # c\nb: 1\n",
            "a:\n  b: |\n  c: 1\n",
            "a: >\n\n\n",
            "a: |-\n",
            "a: |+",
            "s:\n- |\n x\n",
            "s:\n  - |\n   x\n",
            "s:\n  - |\n  x\n",
            "- a: |\n  x\n",
            "a: 1\n...x: 2\n",
            "\u{a0}a: 1\n",
            "a: \u{a0}b\n",
            "1: a\n0x1: b\n",
            "true: a\nTrue: b\n",
            "\"a\":b\n",
            "a: {x: 1, x: 2}\n",
            "a: {\"x\": 1, 'y': [1]}\n",
            "a: [\"x\" , 'y' ]\n",
            "a: [x:y, x: y]\n",
            "a: [x:]\n",
            "a: [-x, -1, - x]\n",
        ] {
            check(text);
        }
    }

    #[test]
    fn block_scalars_follow_libyaml() {
        let bodies = [
            "  a\n  b\n",
            "  a\n  b",
            "  a\n\n  b\n\n\n",
            "  a\n   \n  b\n  \n",
            "\n\n  a\n",
            "    \n  a\n",
            "  a\n    b\n  c\n",
            "  a\n   b\n\n   c\n  d\n",
            "  # not a comment\n  a: b\n",
            "  a\tb\n  \tc\n",
            "",
            "\n",
            "  \n",
            "  a\n    \n",
            "  a\n      \n\n",
        ];
        for header in ["|", "|-", "|+", ">", ">-", ">+", "| # c", ">-  # c"] {
            for body in bodies {
                for tail in ["", "b: end\n", "# c\nb: end\n", " # c\nb: end\n"] {
                    check(&format!("a: {header}\n{body}{tail}"));
                    check(&format!("s:\n- {header}\n{body}{tail}"));
                    check(&format!("s:\n  - k: {header}\n  {body}{tail}"));
                }
            }
        }
    }

    /// Scalars in the fast subset, and odd ones (errors, YAML features it
    /// refuses, near misses) that documents contain less often.
    const SCALARS: &[&str] = &[
        "a",
        "hello world",
        "yes",
        "no",
        "1.0",
        "0x1F",
        "017",
        "~",
        "null",
        "true",
        "False",
        "1",
        "-1",
        "+1",
        "1e3",
        ".5",
        ".inf",
        ".NaN",
        "1_000",
        "2021-01-01",
        "1.2.3",
        "http://x/y",
        "a#b",
        "a:b",
        "-a",
        "é",
        "\"q\"",
        "\"a\\tb\\n\"",
        "\"\\u00e9\\x41\\/\\\\\"",
        "\"a\tb\"",
        "'it''s'",
        "''",
        "\"\"",
        "\"a\" # c",
        "[]",
        "{}",
        "[a, b]",
        "[a, \"b\", 1]",
        "[a,b]",
        "[ a ]",
        "[x:y, 'z']",
        "{a: b, c: 1}",
        "{a: b}",
        "a ]",
        "a }",
        "0",
        "",
    ];
    const ODD_SCALARS: &[&str] = &[
        "-",
        "- x",
        "#",
        "a #b",
        ": ",
        "a: b",
        "\"\\q\"",
        "'a",
        "\"a",
        "[a, b,]",
        "{a:b}",
        "{a: }",
        "[a, [b]]",
        "&x a",
        "*x",
        "!!str 1",
        "? a",
        "@a",
        "`a`",
        "%a",
        "a\tb",
        "a 'b'",
        "\"a\" b",
        "?a",
        ":a",
        " ",
        "  # c",
        "<<",
        ",a",
        "]",
        "[a] b",
        "\\",
        "\"\\\"",
        "[a:]",
        "[a: b]",
        "{a: [b]}",
        "123456789012345678901234567890",
    ];
    const KEYS: &[&str] = &[
        "a",
        "b",
        "key",
        "my key",
        "\"quoted\"",
        "'single'",
        "\"a\" ",
        "1",
        "0x10",
        "true",
        "é",
        "a#b",
        "k ",
        "\"\\u0041\"",
        "'it''s'",
        "c",
        "d",
        "e",
    ];
    const ODD_KEYS: &[&str] = &["null", "1.5", "<<", "-k", "[a]", "{a: b}", "? k", "&a k", "*a", "!t k", "a: b"];
    const BLOCK_LINES: &[&str] =
        &["text", "more text", "  indented", "", "   ", "#not a comment", "a: b", "\ttab", "- x"];

    fn pick(good: &'static [&'static str], odd: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
        prop_oneof![9 => prop::sample::select(good), 1 => prop::sample::select(odd)]
    }

    #[derive(Debug, Clone)]
    enum Node {
        Scalar(&'static str),
        Block(usize, Vec<(usize, usize)>),
        Map(Vec<(&'static str, Node)>),
        Seq(Vec<Node>),
    }

    fn node() -> impl Strategy<Value = Node> {
        let leaf = prop_oneof![
            4 => pick(SCALARS, ODD_SCALARS).prop_map(Node::Scalar),
            1 => (0..8usize, prop::collection::vec((0..4usize, 0..BLOCK_LINES.len()), 0..5))
                .prop_map(|(h, lines)| Node::Block(h, lines)),
        ];
        leaf.prop_recursive(4, 40, 5, |inner| {
            prop_oneof![
                prop::collection::vec((pick(KEYS, ODD_KEYS), inner.clone()), 0..5).prop_map(Node::Map),
                prop::collection::vec(inner, 0..5).prop_map(Node::Seq),
            ]
        })
    }

    /// Renders a node as block YAML, taking layout choices (indentation
    /// step, same-indent sequences, compact entries, comments, trailing
    /// spaces) from `choices`.
    struct Render<'a> {
        out: String,
        choices: &'a [u8],
        next: usize,
    }

    impl Render<'_> {
        fn choose(&mut self, n: u8) -> u8 {
            let c = self.choices.get(self.next % self.choices.len().max(1)).copied().unwrap_or(0);
            self.next += 1;
            c % n
        }

        fn pad(&mut self, n: usize) {
            self.out.extend(std::iter::repeat_n(' ', n));
        }

        fn maybe_comment(&mut self, indent: usize) {
            match self.choose(12) {
                0 => {
                    self.pad(indent);
                    self.out.push_str("# comment\n");
                }
                1 => self.out.push('\n'),
                2 => self.out.push_str("   \n"),
                _ => {}
            }
        }

        /// The rest of a line holding `node` after `key:` or `-`, and the
        /// lines below it; `indent` is the key's or dash's column.
        fn after_indicator(&mut self, node: &Node, indent: usize, in_mapping: bool) {
            let step = 1 + usize::from(self.choose(3));
            match node {
                Node::Scalar(s) => {
                    self.out.push(' ');
                    self.out.push_str(s);
                    match self.choose(6) {
                        0 => self.out.push_str(" # c"),
                        1 => self.out.push_str("  "),
                        _ => {}
                    }
                    self.out.push('\n');
                }
                Node::Block(h, lines) => {
                    self.out.push(' ');
                    self.out.push_str(["|", "|-", "|+", ">", ">-", ">+", "| # c", "|2"][*h]);
                    self.out.push('\n');
                    for &(extra, line) in lines {
                        let text = BLOCK_LINES[line];
                        if !text.is_empty() {
                            self.pad(indent + step + extra);
                        }
                        self.out.push_str(text);
                        self.out.push('\n');
                    }
                }
                Node::Map(entries) if entries.is_empty() => self.out.push_str(" {}\n"),
                Node::Seq(items) if items.is_empty() => self.out.push_str(" []\n"),
                Node::Map(entries) => {
                    if !in_mapping && self.choose(2) == 0 {
                        // `- key: value` with the mapping at the key's column.
                        self.out.push(' ');
                        self.map_entries(entries, indent + 2, true);
                    } else {
                        self.out.push('\n');
                        self.maybe_comment(indent + step);
                        self.map_entries(entries, indent + step, false);
                    }
                }
                Node::Seq(items) => {
                    if !in_mapping && self.choose(2) == 0 {
                        self.out.push(' ');
                        self.seq_items(items, indent + 2, true);
                    } else {
                        self.out.push('\n');
                        let at = if in_mapping && self.choose(2) == 0 { indent } else { indent + step };
                        self.seq_items(items, at, false);
                    }
                }
            }
        }

        fn map_entries(&mut self, entries: &[(&str, Node)], indent: usize, first_inline: bool) {
            for (n, (key, value)) in entries.iter().enumerate() {
                if n > 0 || !first_inline {
                    self.pad(indent);
                }
                self.out.push_str(key);
                self.out.push(':');
                self.after_indicator(value, indent, true);
                self.maybe_comment(indent);
            }
        }

        fn seq_items(&mut self, items: &[Node], indent: usize, first_inline: bool) {
            for (n, item) in items.iter().enumerate() {
                if n > 0 || !first_inline {
                    self.pad(indent);
                }
                self.out.push('-');
                self.after_indicator(item, indent, false);
                self.maybe_comment(indent);
            }
        }
    }

    fn document() -> impl Strategy<Value = String> {
        (
            prop::collection::vec((pick(KEYS, ODD_KEYS), node()), 1..6),
            prop::collection::vec(any::<u8>(), 1..64),
            0..3usize,
        )
            .prop_map(|(entries, choices, start)| {
                let mut r = Render { out: String::new(), choices: &choices, next: 0 };
                // Chunks may start with the spaces that replaced `---`.
                r.out.push_str(["", "   \n", "   # c\n"][start]);
                r.map_entries(&entries, 0, false);
                r.out
            })
    }

    /// Lines of fragments at random indentation: mostly invalid YAML, to
    /// check the fast path refuses (or agrees) and never panics.
    fn line_soup() -> impl Strategy<Value = String> {
        let fragment = prop_oneof![
            (pick(KEYS, ODD_KEYS), pick(SCALARS, ODD_SCALARS)).prop_map(|(k, s)| format!("{k}: {s}")),
            pick(KEYS, ODD_KEYS).prop_map(|k| format!("{k}:")),
            pick(SCALARS, ODD_SCALARS).prop_map(|s| format!("- {s}")),
            (0..BLOCK_LINES.len()).prop_map(|l| BLOCK_LINES[l].to_string()),
            Just("- |".to_string()),
            Just("k: >-".to_string()),
            Just("-".to_string()),
            Just("- - a".to_string()),
            Just("- k: v".to_string()),
        ];
        prop::collection::vec((0..7usize, fragment), 1..12).prop_map(|lines| {
            lines.into_iter().map(|(indent, line)| format!("{}{line}\n", " ".repeat(indent))).collect()
        })
    }

    fn plain_ascii_reference(word: [u8; 8]) -> bool {
        word.iter().all(|b| (0x20..=0x7e).contains(b))
    }

    #[test]
    fn plain_ascii_flags_every_special_byte() {
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut word = *b"abcdefgh";
                word[at] = b;
                assert_eq!(plain_ascii(u64::from_le_bytes(word)), plain_ascii_reference(word), "{word:?}");
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn plain_ascii_matches_bytewise_check(word in any::<[u8; 8]>()) {
            prop_assert_eq!(plain_ascii(u64::from_le_bytes(word)), plain_ascii_reference(word));
        }

        #[test]
        fn random_documents_agree(doc in document()) {
            check(&doc);
            check(doc.trim_end_matches('\n'));
            check(&doc.replace('\n', "\r\n"));
        }

        #[test]
        fn random_line_soup_agrees(doc in line_soup()) {
            check(&doc);
        }

        #[test]
        fn mutated_documents_agree(edits in prop::collection::vec((any::<prop::sample::Index>(), 0..24usize), 1..4)) {
            const INSERTS: &[&str] = &[
                " ", "\n", "-", ":", "#", "'", "\"", "|", ">", "[", "]", "{", "}", ",", "\t", "  ", "- ", ": ", "\\", "&",
            ];
            let mut doc = TYPICAL.to_string();
            for (at, what) in edits {
                let at = at.index(doc.len() + 1);
                match INSERTS.get(what) {
                    Some(text) => doc.insert_str(at, text),
                    None => drop(doc.drain(at..(at + what - INSERTS.len() + 1).min(doc.len()))),
                }
            }
            check(&doc);
        }

        #[test]
        fn never_panics(text in any::<String>()) {
            let _ = parse(&text);
        }
    }
}
