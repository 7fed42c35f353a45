//! GraphQL SDL: the source highlighted, every type anchored and every use
//! linked, with an outline of queries, mutations, subscriptions and types.

use std::collections::HashMap;

use super::lexer::{self, Kind, Lang, Marks, Token};
use super::{Anchors, DefinitionIssue, OutlineGroup, OutlineItem, Reference, RAW_INLINE_BYTES};

const DEFINITION_KEYWORDS: [&str; 6] = ["type", "interface", "enum", "input", "union", "scalar"];

struct Definition<'a> {
    kind: &'a str,
    name: &'a str,
    token: usize,
    /// Fields (or enum values): name, token index, type text.
    fields: Vec<(&'a str, usize, String)>,
}

pub fn render(src: &str) -> Result<Reference, DefinitionIssue> {
    let tokens = lexer::tokens(src, Lang::GraphQl)?;
    let sig = lexer::significant(&tokens);
    let mut defs: Vec<Definition> = Vec::new();
    let mut roots: HashMap<&str, &str> = HashMap::new();
    let mut marks = Marks::default();
    let mut anchors = Anchors::default();

    let mut k = 0;
    let mut depth = 0usize;
    while k < sig.len() {
        let t = &tokens[sig[k]];
        match (t.kind, t.text) {
            (Kind::Punct, "{") => depth += 1,
            (Kind::Punct, "}") => depth = depth.saturating_sub(1),
            (Kind::Name, word) if depth == 0 && DEFINITION_KEYWORDS.contains(&word) => {
                marks.classes.insert(sig[k], "hl-keyword");
                let extend = k > 0 && tokens[sig[k - 1]].text == "extend";
                if let Some(&name_at) = sig.get(k + 1).filter(|&&i| tokens[i].kind == Kind::Name) {
                    let name = tokens[name_at].text;
                    if !extend && !defs.iter().any(|d| d.name == name) {
                        let anchor = anchors.make("api-type-", name);
                        marks.anchors.insert(name_at, anchor.clone());
                        marks.targets.insert(name.to_string(), anchor);
                        defs.push(Definition { kind: word, name, token: name_at, fields: Vec::new() });
                    }
                    // The body, if any: fields at depth 1.
                    let mut j = k + 2;
                    while j < sig.len() && !(tokens[sig[j]].text == "{" || is_definition_start(&tokens, &sig, j)) {
                        if tokens[sig[j]].kind == Kind::Name && ["implements", "on"].contains(&tokens[sig[j]].text) {
                            marks.classes.insert(sig[j], "hl-keyword");
                        }
                        j += 1;
                    }
                    if j < sig.len() && tokens[sig[j]].text == "{" && word != "union" && word != "scalar" {
                        let (fields, end) = fields(&tokens, &sig, j, word == "enum", &mut marks);
                        if let Some(d) = defs.iter_mut().find(|d| d.name == name) {
                            d.fields.extend(fields);
                        }
                        k = end;
                        continue;
                    }
                }
            }
            (Kind::Name, "schema") if depth == 0 => {
                marks.classes.insert(sig[k], "hl-keyword");
                // schema { query: Root mutation: M }
                let mut j = k + 1;
                if j < sig.len() && tokens[sig[j]].text == "{" {
                    j += 1;
                    while j + 2 < sig.len() && tokens[sig[j]].text != "}" {
                        if tokens[sig[j + 1]].text == ":" {
                            roots.insert(tokens[sig[j]].text, tokens[sig[j + 2]].text);
                            marks.classes.insert(sig[j], "hl-k");
                            j += 3;
                        } else {
                            j += 1;
                        }
                    }
                }
            }
            (Kind::Name, "extend" | "directive" | "repeatable") if depth == 0 => {
                marks.classes.insert(sig[k], "hl-keyword");
            }
            _ => {}
        }
        k += 1;
    }

    // Root fields get their own anchors, for the outline.
    let mut outline = Vec::new();
    for (op, default_root, badge) in [
        ("query", "Query", "query"),
        ("mutation", "Mutation", "mutation"),
        ("subscription", "Subscription", "subscription"),
    ] {
        let root = roots.get(op).copied().unwrap_or(default_root);
        let Some(def) = defs.iter().find(|d| d.name == root) else { continue };
        let title = match op {
            "query" => "Queries",
            "mutation" => "Mutations",
            _ => "Subscriptions",
        };
        let mut group =
            OutlineGroup { title: title.into(), anchor: marks.anchors.get(&def.token).cloned(), ..Default::default() };
        for (field, token, ty) in &def.fields {
            let anchor = anchors.make(&format!("api-{op}-"), field);
            marks.anchors.insert(*token, anchor.clone());
            group.add(OutlineItem {
                label: field.to_string(),
                badge: Some(badge.into()),
                detail: Some(ty.clone()).filter(|t| !t.is_empty()),
                anchor,
                deprecated: false,
            });
        }
        outline.push(group);
    }
    let root_names: Vec<&str> = ["query", "mutation", "subscription"]
        .iter()
        .zip(["Query", "Mutation", "Subscription"])
        .map(|(op, d)| roots.get(op).copied().unwrap_or(d))
        .collect();
    for (kind, title) in [
        ("type", "Types"),
        ("interface", "Interfaces"),
        ("input", "Inputs"),
        ("enum", "Enums"),
        ("union", "Unions"),
        ("scalar", "Scalars"),
    ] {
        let mut group = OutlineGroup { title: title.into(), ..Default::default() };
        for d in defs.iter().filter(|d| d.kind == kind && !(kind == "type" && root_names.contains(&d.name))) {
            group.add(OutlineItem {
                label: d.name.to_string(),
                badge: None,
                detail: None,
                anchor: marks.anchors.get(&d.token).cloned().unwrap_or_default(),
                deprecated: false,
            });
        }
        if !group.items.is_empty() {
            outline.push(group);
        }
    }
    let (html, shown) = lexer::write(src, &tokens, &marks, RAW_INLINE_BYTES);
    let note =
        shown.map(|_| "Only the first part of the schema is shown; the outline lists only what is shown.".to_string());
    if let Some(line) = shown {
        drop_beyond(&mut outline, &tokens, &marks, line);
    }
    let counts: Vec<String> =
        outline.iter().map(|g| format!("{} {}", g.items.len() + g.more, g.title.to_lowercase())).collect();
    let label =
        if counts.is_empty() { "GraphQL SDL".to_string() } else { format!("GraphQL SDL · {}", counts.join(", ")) };
    Ok(Reference { label, html: String::new(), outline, note, source_html: Some(html), source_shown_lines: shown })
}

/// Outline items whose anchor is past the shown part would lead nowhere.
fn drop_beyond(outline: &mut Vec<OutlineGroup>, tokens: &[Token], marks: &Marks, last_line: usize) {
    let shown: std::collections::HashSet<&str> =
        marks.anchors.iter().filter(|(i, _)| tokens[**i].line <= last_line).map(|(_, a)| a.as_str()).collect();
    for g in outline.iter_mut() {
        let before = g.items.len();
        g.items.retain(|i| shown.contains(i.anchor.as_str()));
        g.more += before - g.items.len();
        if g.anchor.as_deref().is_some_and(|a| !shown.contains(a)) {
            g.anchor = None;
        }
    }
    outline.retain(|g| !g.items.is_empty());
}

fn is_definition_start(tokens: &[Token], sig: &[usize], j: usize) -> bool {
    let t = &tokens[sig[j]];
    t.kind == Kind::Name
        && (DEFINITION_KEYWORDS.contains(&t.text) || t.text == "schema" || t.text == "extend" || t.text == "directive")
        && sig
            .get(j + 1)
            .is_some_and(|&n| tokens[n].kind == Kind::Name || tokens[n].text == "{" || tokens[n].text == "@")
        && j > 0
        && tokens[sig[j - 1]].text != ":"
}

/// The fields of a `{ … }` body starting at significant index `open`:
/// (name, token, type) and the significant index after the closing brace.
fn fields<'a>(
    tokens: &[Token<'a>],
    sig: &[usize],
    open: usize,
    is_enum: bool,
    marks: &mut Marks,
) -> (Vec<(&'a str, usize, String)>, usize) {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut parens = 0usize;
    let mut j = open;
    while j < sig.len() {
        let t = &tokens[sig[j]];
        match t.text {
            "{" => depth += 1,
            "}" => {
                depth -= 1;
                if depth == 0 {
                    return (out, j + 1);
                }
            }
            "(" => parens += 1,
            ")" => parens = parens.saturating_sub(1),
            _ => {}
        }
        let prev = if j > 0 { tokens[sig[j - 1]].text } else { "" };
        if t.kind == Kind::Name && depth == 1 && parens == 0 && prev != "@" && prev != ":" && prev != "[" {
            let next = sig.get(j + 1).map_or("", |&n| tokens[n].text);
            if is_enum && next != "(" {
                marks.classes.insert(sig[j], "hl-c");
                out.push((t.text, sig[j], String::new()));
            } else if next == ":" || next == "(" {
                marks.classes.insert(sig[j], "hl-k");
                out.push((t.text, sig[j], field_type(tokens, sig, j + 1)));
            }
        }
        j += 1;
    }
    (out, j)
}

/// The type after a field's arguments: `[Film]!`.
fn field_type(tokens: &[Token], sig: &[usize], mut j: usize) -> String {
    if sig.get(j).is_some_and(|&i| tokens[i].text == "(") {
        let mut parens = 0;
        while j < sig.len() {
            match tokens[sig[j]].text {
                "(" => parens += 1,
                ")" => {
                    parens -= 1;
                    if parens == 0 {
                        j += 1;
                        break;
                    }
                }
                _ => {}
            }
            j += 1;
        }
    }
    if sig.get(j).is_none_or(|&i| tokens[i].text != ":") {
        return String::new();
    }
    j += 1;
    let mut out = String::new();
    while let Some(&i) = sig.get(j) {
        let text = tokens[i].text;
        let opens = text == "[" || (tokens[i].kind == Kind::Name && (out.is_empty() || out.ends_with('[')));
        let closes = (text == "]" || text == "!") && !out.is_empty();
        if !(opens || closes) {
            break;
        }
        out.push_str(text);
        j += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SDL: &str = r#"schema { query: Root mutation: Changes }

"""A film."""
type Film implements Node {
  "The title"
  title: String
  characters(first: Int, after: String): [Person!]!
}

interface Node { id: ID! }
type Person implements Node { id: ID! name: String films: [Film] }
enum Episode { NEWHOPE EMPIRE @deprecated(reason: "old") JEDI }
input FilmInput { title: String! }
union Thing = Film | Person
scalar Date
type Root {
  film(id: ID!): Film
  allFilms: [Film]
}
type Changes { addFilm(input: FilmInput!): Film }
extend type Film { year: Int }
"#;

    #[test]
    fn outlines_roots_and_types_and_links_names() {
        let r = render(SDL).expect("parses");
        let titles: Vec<&str> = r.outline.iter().map(|g| g.title.as_str()).collect();
        assert_eq!(titles, ["Queries", "Mutations", "Types", "Interfaces", "Inputs", "Enums", "Unions", "Scalars"]);
        let queries: Vec<(&str, Option<&str>)> =
            r.outline[0].items.iter().map(|i| (i.label.as_str(), i.detail.as_deref())).collect();
        assert_eq!(queries, [("film", Some("Film")), ("allFilms", Some("[Film]"))]);
        assert_eq!(r.outline[1].items[0].label, "addFilm");
        let types: Vec<&str> = r.outline[2].items.iter().map(|i| i.label.as_str()).collect();
        assert_eq!(types, ["Film", "Person"], "root types are under Queries/Mutations, extensions not repeated");
        let html = r.source_html.expect("source");
        assert!(html.contains("<span id=\"api-type-Film\""), "{html}");
        assert!(html.contains("<a class=\"hl-entity hl-name hl-type\" href=\"#api-type-Person\">Person</a>"));
        assert!(html.contains("id=\"api-query-film\""));
        assert!(html.contains("<span class=\"hl-keyword\">type</span>"));
        assert!(html.contains("<span class=\"hl-s\">&quot;&quot;&quot;A film.&quot;&quot;&quot;</span>"));
        assert!(r.label.starts_with("GraphQL SDL"));
    }

    #[test]
    fn default_root_names() {
        let r = render("type Query { me: User }\ntype User { id: ID }\n").expect("parses");
        assert_eq!(r.outline[0].title, "Queries");
        assert_eq!(r.outline[0].items[0].label, "me");
    }

    #[test]
    fn malformed_sdl_is_an_issue_with_a_line() {
        let err = render("type A {\n  a: String\n\ntype B { b: Int }\n").err().expect("fails");
        assert_eq!(err.line, Some(1));
        assert!(err.message.contains("never closed"));
    }
}
