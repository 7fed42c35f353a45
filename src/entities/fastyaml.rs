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
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'\n' => {
                let end = if i > start && bytes[i - 1] == b'\r' { i - 1 } else { i };
                lines.push(make_line(text.get(start..end)?, true)?);
                start = i + 1;
            }
            b'\r' => {
                if bytes.get(i + 1) != Some(&b'\n') {
                    return None;
                }
            }
            b'\t' => {}
            0..=0x1f | 0x7f => return None,
            // U+0080..U+009F (C1 controls and NEL).
            0xc2 if matches!(bytes.get(i + 1), Some(0x80..=0x9f)) => return None,
            // U+2028, U+2029.
            0xe2 if bytes.get(i + 1) == Some(&0x80) && matches!(bytes.get(i + 2), Some(0xa8 | 0xa9)) => return None,
            // U+FEFF, U+FFFE, U+FFFF.
            0xef if matches!((bytes.get(i + 1), bytes.get(i + 2)), (Some(0xbb), Some(0xbf)) | (Some(0xbf), Some(0xbe | 0xbf))) => {
                return None
            }
            _ => {}
        }
    }
    if start < bytes.len() {
        lines.push(make_line(text.get(start..)?, false)?);
    }
    Some(lines)
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
            leading_break = false;
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
                    b'#' if b[i - 1] == b' ' => return Ok(KeyScan::NotKey),
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
                    b'#' if b[i - 1] == b' ' => break,
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
            b':' if is_key => break,
            b':' | b'[' | b']' | b'{' | b'}' | b'\t' | b',' => return Err(Bail),
            b'#' if b[i - 1] == b' ' => return Err(Bail),
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
