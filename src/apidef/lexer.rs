//! A small tokenizer for GraphQL SDL and protobuf: enough to outline the
//! definitions and to write the source highlighted, with every defined name
//! anchored and every use of it linked. Unterminated strings and comments
//! and unbalanced brackets are reported with their line.

use std::collections::HashMap;

use super::{esc, DefinitionIssue};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    GraphQl,
    Proto,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Space,
    Comment,
    Str,
    Name,
    Number,
    Punct,
}

#[derive(Debug, Clone, Copy)]
pub struct Token<'a> {
    pub kind: Kind,
    pub text: &'a str,
    pub line: usize,
    /// Byte offset in the source.
    pub start: usize,
}

pub fn tokens(src: &str, lang: Lang) -> Result<Vec<Token<'_>>, DefinitionIssue> {
    let bytes = src.as_bytes();
    let mut out = Vec::with_capacity(src.len() / 4);
    let mut i = 0;
    let mut line = 1;
    let fail = |line: usize, message: &str| DefinitionIssue { line: Some(line), message: message.to_string() };
    while i < bytes.len() {
        let start = i;
        let start_line = line;
        let c = bytes[i];
        let kind = if c.is_ascii_whitespace() || c == b',' && lang == Lang::GraphQl {
            while i < bytes.len() && (bytes[i].is_ascii_whitespace() || (bytes[i] == b',' && lang == Lang::GraphQl)) {
                if bytes[i] == b'\n' {
                    line += 1;
                }
                i += 1;
            }
            Kind::Space
        } else if (lang == Lang::GraphQl && c == b'#') || (lang == Lang::Proto && src[i..].starts_with("//")) {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
            Kind::Comment
        } else if lang == Lang::Proto && src[i..].starts_with("/*") {
            let Some(end) = src[i + 2..].find("*/") else {
                return Err(fail(line, "a /* comment is never closed"));
            };
            let end = i + 2 + end + 2;
            line += src[i..end].matches('\n').count();
            i = end;
            Kind::Comment
        } else if lang == Lang::GraphQl && src[i..].starts_with("\"\"\"") {
            let Some(end) = src[i + 3..].find("\"\"\"") else {
                return Err(fail(line, "a \"\"\" block string is never closed"));
            };
            let end = i + 3 + end + 3;
            line += src[i..end].matches('\n').count();
            i = end;
            Kind::Str
        } else if c == b'"' || (lang == Lang::Proto && c == b'\'') {
            i += 1;
            loop {
                match bytes.get(i) {
                    None | Some(b'\n') => return Err(fail(line, "a string is not closed on its line")),
                    Some(b'\\') => i += 2,
                    Some(&q) if q == c => {
                        i += 1;
                        break;
                    }
                    Some(_) => i += 1,
                }
            }
            Kind::Str
        } else if c.is_ascii_alphabetic() || c == b'_' {
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            Kind::Name
        } else if c.is_ascii_digit() || (c == b'-' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)) {
            i += 1;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'.' | b'+' | b'-')) {
                i += 1;
            }
            Kind::Number
        } else if src[i..].starts_with("...") {
            i += 3;
            Kind::Punct
        } else {
            i += src[i..].chars().next().map_or(1, char::len_utf8);
            Kind::Punct
        };
        out.push(Token { kind, text: &src[start..i], line: start_line, start });
    }
    // Brackets must balance, or the outline would be wrong.
    let mut stack: Vec<(&str, usize)> = Vec::new();
    for t in out.iter().filter(|t| t.kind == Kind::Punct) {
        match t.text {
            "{" | "(" | "[" => stack.push((t.text, t.line)),
            "}" | ")" | "]" => {
                let open = match t.text {
                    "}" => "{",
                    ")" => "(",
                    _ => "[",
                };
                match stack.pop() {
                    Some((o, _)) if o == open => {}
                    Some((o, l)) => {
                        return Err(fail(t.line, &format!("`{}` closes the `{o}` opened on line {l}", t.text)));
                    }
                    None => return Err(fail(t.line, &format!("`{}` closes nothing", t.text))),
                }
            }
            _ => {}
        }
    }
    if let Some((o, l)) = stack.pop() {
        return Err(fail(l, &format!("`{o}` is never closed")));
    }
    Ok(out)
}

/// The indices of the non-space, non-comment tokens.
pub fn significant(tokens: &[Token]) -> Vec<usize> {
    tokens.iter().enumerate().filter(|(_, t)| !matches!(t.kind, Kind::Space | Kind::Comment)).map(|(i, _)| i).collect()
}

/// How one token is written in the highlighted source.
#[derive(Default)]
pub struct Marks {
    /// Token index → anchor id placed on it (a definition).
    pub anchors: HashMap<usize, String>,
    /// Token index → highlight class for names (keywords, fields).
    pub classes: HashMap<usize, &'static str>,
    /// Name → anchor of its definition, for linking every use.
    pub targets: HashMap<String, String>,
}

/// Writes the tokens as highlighted HTML, stopping at the first line that
/// starts past `max_bytes`. Returns the HTML and, when cut, the lines shown.
pub fn write(src: &str, tokens: &[Token], marks: &Marks, max_bytes: usize) -> (String, Option<usize>) {
    let mut out = String::with_capacity(src.len().min(max_bytes) * 2);
    let mut shown = None;
    for (i, t) in tokens.iter().enumerate() {
        if t.start > max_bytes && (t.kind == Kind::Space && t.text.contains('\n')) {
            let nl = t.text.find('\n').unwrap_or(0);
            esc(&mut out, &t.text[..=nl]);
            shown = Some(t.line);
            break;
        }
        match t.kind {
            Kind::Space => out.push_str(t.text),
            Kind::Comment => span(&mut out, "hl-m", t.text),
            Kind::Str => span(&mut out, "hl-s", t.text),
            Kind::Number => span(&mut out, "hl-n", t.text),
            Kind::Punct => span(&mut out, "hl-p", t.text),
            Kind::Name => {
                let class = marks.classes.get(&i).copied();
                if let Some(anchor) = marks.anchors.get(&i) {
                    out.push_str("<span id=\"");
                    esc(&mut out, anchor);
                    out.push_str("\" class=\"");
                    out.push_str(class.unwrap_or("hl-entity hl-name hl-type"));
                    out.push_str("\">");
                    esc(&mut out, t.text);
                    out.push_str("</span>");
                } else if let Some(target) = marks.targets.get(t.text).filter(|_| class.is_none()) {
                    out.push_str("<a class=\"hl-entity hl-name hl-type\" href=\"#");
                    esc(&mut out, target);
                    out.push_str("\">");
                    esc(&mut out, t.text);
                    out.push_str("</a>");
                } else {
                    match class {
                        Some(c) => span(&mut out, c, t.text),
                        None => esc(&mut out, t.text),
                    }
                }
            }
        }
    }
    (out, shown)
}

fn span(out: &mut String, class: &str, text: &str) {
    out.push_str("<span class=\"");
    out.push_str(class);
    out.push_str("\">");
    esc(out, text);
    out.push_str("</span>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_keep_every_byte_and_count_lines() {
        let src = "type A {\n  \"\"\"doc\nmore\"\"\"\n  b: [B!]! # c\n}\n";
        let toks = tokens(src, Lang::GraphQl).expect("lexes");
        assert_eq!(toks.iter().map(|t| t.text).collect::<String>(), src);
        let b = toks.iter().find(|t| t.text == "b").map(|t| t.line);
        assert_eq!(b, Some(4));
    }

    #[test]
    fn reports_unclosed_things_with_lines() {
        assert_eq!(tokens("type A {\n  a: B\n", Lang::GraphQl).err().and_then(|e| e.line), Some(1));
        assert_eq!(tokens("message A {\n}\n}\n", Lang::Proto).err().and_then(|e| e.line), Some(3));
        assert_eq!(tokens("a\n\"open\n", Lang::Proto).err().and_then(|e| e.line), Some(2));
        assert_eq!(tokens("/* x", Lang::Proto).err().and_then(|e| e.line), Some(1));
    }
}
