//! Finding the line of a field inside a YAML document, so problems can point
//! at `spec.owner` rather than at the document. A light indentation scan of
//! block-style YAML; flow-style content falls back to its enclosing key.

/// The 1-based line of `path` (e.g. `["spec", "owner"]`, `["metadata", "tags", "1"]`)
/// in `text`, whose first line is `first_line`; the closest enclosing field
/// when the exact one is not found.
pub fn locate(text: &str, first_line: usize, path: &[String]) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None; // (matched depth, line)
    scan(text, |segments, line| {
        let depth = segments.iter().zip(path).take_while(|(a, b)| a == b).count();
        if depth == segments.len() && depth > best.map_or(0, |b| b.0) {
            best = Some((depth, line));
        }
    });
    best.map(|(_, line)| line + first_line - 1)
}

struct Entry {
    indent: usize,
    segment: String,
    is_item: bool,
    next_index: usize,
}

/// Calls `visit` with the path of every key or list item and its 1-based line.
fn scan(text: &str, mut visit: impl FnMut(&[String], usize)) {
    let mut stack: Vec<Entry> = Vec::new();
    let mut block_scalar_indent: Option<usize> = None;
    for (i, line) in text.lines().enumerate() {
        let content = line.trim_start_matches(' ');
        let mut indent = line.len() - content.len();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        if let Some(parent) = block_scalar_indent {
            if indent > parent {
                continue;
            }
            block_scalar_indent = None;
        }
        let mut rest = content;
        let mut first = true;
        loop {
            if rest == "-" || rest.starts_with("- ") {
                while stack.last().is_some_and(|e| e.indent > indent || (e.indent == indent && e.is_item)) {
                    stack.pop();
                }
                let index = match stack.last_mut() {
                    Some(parent) => {
                        parent.next_index += 1;
                        parent.next_index - 1
                    }
                    None => 0,
                };
                stack.push(Entry { indent, segment: index.to_string(), is_item: true, next_index: 0 });
                emit(&stack, i + 1, &mut visit);
                let after = rest[1..].trim_start_matches(' ');
                indent += rest.len() - after.len();
                rest = after;
                first = false;
                if rest.is_empty() {
                    break;
                }
                continue;
            }
            if let Some((key, value)) = split_key(rest) {
                if first {
                    while stack.last().is_some_and(|e| e.indent >= indent) {
                        stack.pop();
                    }
                }
                stack.push(Entry { indent, segment: key, is_item: false, next_index: 0 });
                emit(&stack, i + 1, &mut visit);
                let value = value.trim();
                if value.starts_with('|') || value.starts_with('>') {
                    block_scalar_indent = Some(indent);
                }
            }
            break;
        }
    }
}

fn emit(stack: &[Entry], line: usize, visit: &mut impl FnMut(&[String], usize)) {
    let path: Vec<String> = stack.iter().map(|e| e.segment.clone()).collect();
    visit(&path, line);
}

/// `key: value` → (key, value), with quoted keys unquoted.
fn split_key(text: &str) -> Option<(String, &str)> {
    let (key, after) = if let Some(quote @ ('"' | '\'')) = text.chars().next() {
        let end = text[1..].find(quote)? + 1;
        (text[1..end].to_string(), &text[end + 1..])
    } else {
        let mut split = None;
        for (i, c) in text.char_indices() {
            if c == ':' && text[i + 1..].chars().next().is_none_or(|n| n == ' ' || n == '\t') {
                split = Some(i);
                break;
            }
            if c == '#' && i > 0 && text.as_bytes()[i - 1] == b' ' {
                return None;
            }
        }
        let i = split?;
        (text[..i].trim_end().to_string(), &text[i..])
    };
    let after = after.trim_start();
    let value = after.strip_prefix(':')?;
    if !value.is_empty() && !value.starts_with([' ', '\t']) {
        return None;
    }
    Some((key, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, path: &str) -> Option<usize> {
        let path: Vec<String> = path.split('.').map(String::from).collect();
        locate(text, 1, &path)
    }

    const DOC: &str = "apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: x
  description: |
    owner: not-a-key
  tags:
  - java
  - Go 1.15
  links:
    - url: https://a
      title: A
    - url: bad
spec:
  type: service
  \"owner\": team
";

    #[test]
    fn finds_fields_items_and_nested_keys() {
        assert_eq!(at(DOC, "metadata.name"), Some(4));
        assert_eq!(at(DOC, "metadata.tags.1"), Some(9));
        assert_eq!(at(DOC, "metadata.links.1.url"), Some(13));
        assert_eq!(at(DOC, "metadata.links.0.title"), Some(12));
        assert_eq!(at(DOC, "spec.owner"), Some(16));
        // Missing fields fall back to the closest parent.
        assert_eq!(at(DOC, "spec.lifecycle"), Some(14));
        assert_eq!(at(DOC, "nothing"), None);
    }
}
