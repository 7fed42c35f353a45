//! JSON Schema (as OpenAPI and AsyncAPI use it) as nested property lists,
//! resolving local `$ref`s. Expansion is bounded: a schema already being
//! expanded is shown as a circular link, named schemas nest only a few
//! levels deep, and one rendering stops after a fixed number of rows.

use std::collections::HashMap;

use serde_json::Value;

use super::{esc, markdown};

/// Rows (properties, alternatives) one schema rendering may show.
const MAX_ROWS: usize = 200;
/// Nesting levels shown below a schema's top.
const MAX_DEPTH: usize = 6;
/// How many named (`$ref`) schemas may be expanded inside each other.
const MAX_REF_DEPTH: usize = 3;

/// Resolves local references of one document and knows where the named
/// schemas are listed on the page.
pub struct Resolver<'a> {
    root: &'a Value,
    /// `$ref` value → anchor of that schema in the page's Schemas section.
    anchors: HashMap<String, String>,
}

impl<'a> Resolver<'a> {
    pub fn new(root: &'a Value) -> Self {
        Resolver { root, anchors: HashMap::new() }
    }

    /// Registers the anchor of a named schema, by the `$ref` that points at it.
    pub fn name_schema(&mut self, reference: String, anchor: String) {
        self.anchors.insert(reference, anchor);
    }

    /// The value a local `$ref` (`#/components/schemas/Pet`) points at.
    pub fn target(&self, reference: &str) -> Option<&'a Value> {
        let pointer = reference.strip_prefix('#')?;
        if pointer.is_empty() {
            return Some(self.root);
        }
        let decoded = crate::sources::percent_decode(pointer);
        self.root.pointer(&decoded)
    }

    /// Follows `$ref` chains (parameters, responses, messages), at most a few hops.
    pub fn deref(&self, mut value: &'a Value) -> &'a Value {
        for _ in 0..8 {
            match value.get("$ref").and_then(Value::as_str).and_then(|r| self.target(r)) {
                Some(next) => value = next,
                None => break,
            }
        }
        value
    }

    /// Renders `schema` as a block: its type line, then its properties.
    pub fn render(&self, out: &mut String, schema: &'a Value) {
        let mut walk = Walk { resolver: self, rows: 0, stack: Vec::new() };
        out.push_str("<div class=\"api-schema\">");
        walk.block(out, schema, 0, 0);
        if walk.rows >= MAX_ROWS {
            out.push_str("<p class=\"muted api-cut\">… more properties in the raw definition.</p>");
        }
        out.push_str("</div>");
    }

    /// A short inline type: `string (uuid)`, `array of Pet`, `one of A, B`.
    pub fn type_label(&self, out: &mut String, schema: &Value) {
        self.label(out, schema, 0);
    }

    fn label(&self, out: &mut String, schema: &Value, depth: usize) {
        if depth > 4 {
            out.push('…');
            return;
        }
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            self.ref_link(out, reference);
            return;
        }
        let Some(obj) = schema.as_object() else {
            out.push_str("<span class=\"api-type\">");
            out.push_str(if schema == &Value::Bool(false) { "nothing" } else { "any" });
            out.push_str("</span>");
            return;
        };
        for (key, word) in [("oneOf", "one of"), ("anyOf", "any of"), ("allOf", "all of")] {
            if let Some(Value::Array(items)) = obj.get(key) {
                if obj.get("type").is_none() && obj.get("properties").is_none() {
                    if key == "allOf" && items.len() == 1 {
                        self.label(out, &items[0], depth + 1);
                        return;
                    }
                    out.push_str("<span class=\"api-type\">");
                    out.push_str(word);
                    out.push_str("</span> ");
                    for (i, item) in items.iter().take(8).enumerate() {
                        if i > 0 {
                            out.push_str(", ");
                        }
                        self.label(out, item, depth + 1);
                    }
                    if items.len() > 8 {
                        out.push_str(", …");
                    }
                    return;
                }
            }
        }
        let types: Vec<&str> = match obj.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
            _ if obj.contains_key("properties") => vec!["object"],
            _ if obj.contains_key("items") => vec!["array"],
            _ if obj.contains_key("enum") => vec!["enum"],
            _ => vec!["any"],
        };
        for (i, t) in types.iter().enumerate() {
            if i > 0 {
                out.push_str(" | ");
            }
            if *t == "array" {
                out.push_str("<span class=\"api-type\">array of</span> ");
                match obj.get("items") {
                    Some(items) => self.label(out, items, depth + 1),
                    None => out.push_str("<span class=\"api-type\">any</span>"),
                }
                continue;
            }
            if *t == "object" {
                if let Some(extra) = obj.get("additionalProperties").filter(|a| a.is_object()) {
                    if obj.get("properties").is_none() {
                        out.push_str("<span class=\"api-type\">map of</span> ");
                        self.label(out, extra, depth + 1);
                        continue;
                    }
                }
            }
            out.push_str("<span class=\"api-type\">");
            esc(out, t);
            if let Some(format) = obj.get("format").and_then(Value::as_str) {
                out.push_str(" (");
                esc(out, format);
                out.push(')');
            }
            out.push_str("</span>");
        }
        if obj.get("nullable") == Some(&Value::Bool(true)) {
            out.push_str(" <span class=\"api-type\">| null</span>");
        }
    }

    fn ref_link(&self, out: &mut String, reference: &str) {
        let name = reference.rsplit('/').next().unwrap_or(reference);
        match self.anchors.get(reference) {
            Some(anchor) => {
                out.push_str("<a class=\"api-ref\" href=\"#");
                esc(out, anchor);
                out.push_str("\">");
                esc(out, name);
                out.push_str("</a>");
            }
            None if reference.starts_with('#') => {
                out.push_str("<span class=\"api-ref\">");
                esc(out, name);
                out.push_str("</span>");
            }
            None => {
                out.push_str(
                    "<span class=\"api-ref api-ref-external\" title=\"a reference to another file, not resolved\">",
                );
                esc(out, reference);
                out.push_str("</span>");
            }
        }
    }
}

struct Walk<'r, 'a> {
    resolver: &'r Resolver<'a>,
    rows: usize,
    /// The `$ref`s being expanded, innermost last.
    stack: Vec<&'a str>,
}

/// Properties of an object schema, with `allOf` members merged in.
struct Props<'a> {
    list: Vec<(&'a str, &'a Value)>,
    required: Vec<&'a str>,
}

impl<'a> Walk<'_, 'a> {
    /// The schema's own notes (type line, description, enum…) and its children.
    fn block(&mut self, out: &mut String, schema: &'a Value, depth: usize, ref_depth: usize) {
        out.push_str("<p class=\"api-schema-type\">");
        self.resolver.label(out, schema, 0);
        out.push_str("</p>");
        let (resolved, ref_depth) = match self.enter(schema, ref_depth) {
            Entered::Value(v, d) => (v, d),
            Entered::Circular(r) => {
                circular(out, r);
                return;
            }
            Entered::Unresolved => return,
        };
        facts(out, resolved);
        self.children(out, resolved, depth, ref_depth);
        self.leave(schema);
    }

    fn children(&mut self, out: &mut String, schema: &'a Value, depth: usize, ref_depth: usize) {
        if depth >= MAX_DEPTH || self.rows >= MAX_ROWS {
            return;
        }
        let Some(obj) = schema.as_object() else { return };
        let props = self.props(schema);
        if !props.list.is_empty() {
            out.push_str("<ul class=\"api-props\">");
            for (name, prop) in props.list {
                if self.rows >= MAX_ROWS {
                    break;
                }
                self.rows += 1;
                out.push_str("<li><code class=\"api-prop-name\">");
                esc(out, name);
                out.push_str("</code> ");
                self.resolver.label(out, prop, 0);
                if props.required.contains(&name) {
                    out.push_str(" <span class=\"api-required\">required</span>");
                }
                self.nested(out, prop, depth + 1, ref_depth);
                out.push_str("</li>");
            }
            out.push_str("</ul>");
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(items)) = obj.get(key) {
                out.push_str("<ul class=\"api-props api-alternatives\">");
                for (i, item) in items.iter().enumerate() {
                    if self.rows >= MAX_ROWS {
                        break;
                    }
                    self.rows += 1;
                    out.push_str("<li><span class=\"api-alt\">");
                    out.push_str(if key == "oneOf" { "one of" } else { "any of" });
                    out.push_str(&format!(" #{}</span> ", i + 1));
                    self.resolver.label(out, item, 0);
                    self.nested(out, item, depth + 1, ref_depth);
                    out.push_str("</li>");
                }
                out.push_str("</ul>");
            }
        }
        if let Some(items) = obj.get("items") {
            let inner = self.resolver.deref(items);
            if has_structure(inner) {
                out.push_str("<div class=\"api-items\"><span class=\"api-alt\">items</span>");
                self.nested(out, items, depth + 1, ref_depth);
                out.push_str("</div>");
            }
        }
        if let Some(extra) = obj.get("additionalProperties").filter(|a| has_structure(self.resolver.deref(a))) {
            out.push_str("<div class=\"api-items\"><span class=\"api-alt\">values</span>");
            self.nested(out, extra, depth + 1, ref_depth);
            out.push_str("</div>");
        }
    }

    /// A property's or item's notes and children (its type line is already written).
    fn nested(&mut self, out: &mut String, schema: &'a Value, depth: usize, ref_depth: usize) {
        match self.enter(schema, ref_depth) {
            Entered::Value(resolved, ref_depth) => {
                facts(out, resolved);
                if ref_depth <= MAX_REF_DEPTH {
                    self.children(out, resolved, depth, ref_depth);
                }
                self.leave(schema);
            }
            Entered::Circular(r) => circular(out, r),
            Entered::Unresolved => {}
        }
    }

    fn enter(&mut self, schema: &'a Value, ref_depth: usize) -> Entered<'a> {
        let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
            return Entered::Value(schema, ref_depth);
        };
        if self.stack.contains(&reference) {
            return Entered::Circular(reference);
        }
        match self.resolver.target(reference) {
            Some(target) => {
                self.stack.push(reference);
                Entered::Value(target, ref_depth + 1)
            }
            None => Entered::Unresolved,
        }
    }

    fn leave(&mut self, schema: &Value) {
        if schema.get("$ref").and_then(Value::as_str).is_some() {
            self.stack.pop();
        }
    }

    fn props(&self, schema: &'a Value) -> Props<'a> {
        let mut props = Props { list: Vec::new(), required: Vec::new() };
        self.collect(schema, &mut props, 0);
        props
    }

    fn collect(&self, schema: &'a Value, props: &mut Props<'a>, depth: usize) {
        if depth > 8 {
            return;
        }
        let schema = if depth > 0 { self.resolver.deref(schema) } else { schema };
        let Some(obj) = schema.as_object() else { return };
        if let Some(Value::Object(map)) = obj.get("properties") {
            for (name, prop) in map {
                if !props.list.iter().any(|(n, _)| n == name) {
                    props.list.push((name.as_str(), prop));
                }
            }
        }
        if let Some(Value::Array(required)) = obj.get("required") {
            props.required.extend(required.iter().filter_map(Value::as_str));
        }
        if let Some(Value::Array(all)) = obj.get("allOf") {
            for member in all {
                // A member being expanded already would loop; its properties are shown there.
                if member.get("$ref").and_then(Value::as_str).is_some_and(|r| self.stack.contains(&r)) {
                    continue;
                }
                self.collect(member, props, depth + 1);
            }
        }
    }
}

enum Entered<'a> {
    Value(&'a Value, usize),
    Circular(&'a str),
    Unresolved,
}

fn circular(out: &mut String, reference: &str) {
    let name = reference.rsplit('/').next().unwrap_or(reference);
    out.push_str("<p class=\"muted api-circular\">↻ circular: ");
    esc(out, name);
    out.push_str(" contains itself; its properties are listed above.</p>");
}

fn has_structure(schema: &Value) -> bool {
    schema.as_object().is_some_and(|o| {
        o.contains_key("properties")
            || o.contains_key("allOf")
            || o.contains_key("oneOf")
            || o.contains_key("anyOf")
            || o.contains_key("items")
            || o.contains_key("enum")
            || o.contains_key("description")
            || o.contains_key("$ref")
    })
}

/// Description, allowed values, default, example and limits of a schema.
fn facts(out: &mut String, schema: &Value) {
    let Some(obj) = schema.as_object() else { return };
    if obj.get("deprecated") == Some(&Value::Bool(true)) {
        out.push_str(" <span class=\"api-deprecated\">deprecated</span>");
    }
    if obj.get("readOnly") == Some(&Value::Bool(true)) {
        out.push_str(" <span class=\"api-flag\">read-only</span>");
    }
    if obj.get("writeOnly") == Some(&Value::Bool(true)) {
        out.push_str(" <span class=\"api-flag\">write-only</span>");
    }
    if let Some(d) = obj.get("description").and_then(Value::as_str) {
        markdown(out, d);
    }
    let mut notes: Vec<(&str, String)> = Vec::new();
    if let Some(Value::Array(values)) = obj.get("enum") {
        let shown: Vec<String> = values.iter().take(30).map(short_value).collect();
        let more = if values.len() > 30 { format!(" … ({} in all)", values.len()) } else { String::new() };
        notes.push(("allowed", format!("{}{more}", shown.join(", "))));
    }
    for (key, word) in [
        ("const", "always"),
        ("default", "default"),
        ("example", "example"),
        ("pattern", "pattern"),
        ("minimum", "minimum"),
        ("maximum", "maximum"),
        ("minLength", "min length"),
        ("maxLength", "max length"),
        ("minItems", "min items"),
        ("maxItems", "max items"),
    ] {
        if let Some(v) = obj.get(key) {
            notes.push((word, short_value(v)));
        }
    }
    if notes.is_empty() {
        return;
    }
    out.push_str("<dl class=\"api-notes\">");
    for (word, value) in notes {
        out.push_str("<div><dt>");
        out.push_str(word);
        out.push_str("</dt><dd><code>");
        esc(out, &value);
        out.push_str("</code></dd></div>");
    }
    out.push_str("</dl>");
}

/// A value on one line, cut at 120 characters.
fn short_value(v: &Value) -> String {
    let text = match v {
        Value::String(s) => s.clone(),
        other => serde_json::to_string(other).unwrap_or_default(),
    };
    if text.chars().count() > 120 {
        let cut: String = text.chars().take(117).collect();
        format!("{cut}…")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rendered(doc: &Value, schema: &Value) -> String {
        let mut r = Resolver::new(doc);
        r.name_schema("#/components/schemas/Node".into(), "api-schema-Node".into());
        let mut out = String::new();
        r.render(&mut out, schema);
        out
    }

    #[test]
    fn cycles_stop_and_say_so() {
        let doc = json!({"components": {"schemas": {"Node": {
            "type": "object",
            "properties": {"name": {"type": "string"}, "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}, "parent": {"$ref": "#/components/schemas/Node"}}
        }}}});
        let html = rendered(&doc, &json!({"$ref": "#/components/schemas/Node"}));
        assert!(html.contains("circular"), "{html}");
        assert!(html.contains("<a class=\"api-ref\" href=\"#api-schema-Node\">Node</a>"), "{html}");
        assert_eq!(html.matches(">name</code>").count(), 1, "expanded once: {html}");
    }

    #[test]
    fn mutual_cycles_through_all_of_terminate() {
        let doc = json!({"components": {"schemas": {
            "A": {"allOf": [{"$ref": "#/components/schemas/B"}], "properties": {"a": {"type": "string"}}},
            "B": {"allOf": [{"$ref": "#/components/schemas/A"}], "properties": {"b": {"$ref": "#/components/schemas/A"}}}
        }}});
        let html = rendered(&doc, &json!({"$ref": "#/components/schemas/A"}));
        assert!(html.contains(">a</code>") && html.contains(">b</code>"), "{html}");
        assert!(html.len() < 20_000, "{}", html.len());
    }

    #[test]
    fn labels_types() {
        let doc = json!({});
        let r = Resolver::new(&doc);
        let label = |s: Value| {
            let mut out = String::new();
            r.type_label(&mut out, &s);
            out.replace("<span class=\"api-type\">", "").replace("</span>", "")
        };
        assert_eq!(label(json!({"type": "string", "format": "uuid"})), "string (uuid)");
        assert_eq!(label(json!({"type": "array", "items": {"type": "integer"}})), "array of integer");
        assert_eq!(label(json!({"type": ["string", "null"]})), "string | null");
        assert_eq!(label(json!({"additionalProperties": {"type": "string"}, "type": "object"})), "map of string");
        assert!(label(json!({"oneOf": [{"type": "string"}, {"$ref": "other.yaml#/X"}]})).contains("other.yaml#/X"));
    }

    #[test]
    fn required_enum_and_escaping() {
        let doc = json!({});
        let html = rendered(
            &doc,
            &json!({"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string", "enum": ["<a>", "b"], "description": "The <script>kind</script>"}}}),
        );
        assert!(html.contains("required"));
        assert!(html.contains("&lt;a&gt;, b"), "{html}");
        assert!(!html.contains("<script>"), "{html}");
    }

    #[test]
    fn wide_schemas_stop_at_the_row_budget() {
        let mut props = serde_json::Map::new();
        for i in 0..1000 {
            props.insert(format!("p{i}"), json!({"type": "string"}));
        }
        let doc = json!({});
        let html = rendered(&doc, &json!({"type": "object", "properties": props}));
        assert!(html.matches("<li>").count() <= MAX_ROWS);
        assert!(html.contains("more properties"));
    }
}
