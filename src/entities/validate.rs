//! Backstage's validation rules, in Backstage's order: the envelope check a
//! location applies to every document it reads, the default entity policies
//! (schema, default namespace, no foreign root fields, field formats), then
//! the kind schemas of the built-in kinds and of Template. The first failure
//! wins, as in Backstage; verdicts match Backstage's, messages are our own.

use std::borrow::Cow;

use serde_json::{Map, Value};

/// A rule an entity breaks: where (a path into the entity) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub path: Vec<String>,
    pub message: String,
}

impl Violation {
    pub fn new(path: &[&str], message: impl Into<String>) -> Self {
        Violation { path: path.iter().map(|s| s.to_string()).collect(), message: message.into() }
    }

    fn at(path: Vec<String>, message: impl Into<String>) -> Self {
        Violation { path, message: message.into() }
    }
}

type Check = Result<(), Violation>;

const CATALOG_KINDS: [&str; 8] = ["Component", "API", "Resource", "System", "Domain", "Group", "User", "Location"];
const CATALOG_API_VERSIONS: [&str; 2] = ["backstage.io/v1alpha1", "backstage.io/v1beta1"];
const TEMPLATE_API_VERSION: &str = "scaffolder.backstage.io/v1beta3";

pub fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "empty (null)",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

fn quote_value(value: &Value) -> String {
    match value {
        Value::String(s) => format!("\"{s}\""),
        other => other.to_string(),
    }
}

// ---------------------------------------------------------------- envelope

/// The check every document gets when a location reads it. A failure here
/// belongs to the file: Backstage then ingests nothing from that file.
pub fn check_envelope(doc: &Map<String, Value>) -> Check {
    for field in ["apiVersion", "kind"] {
        match doc.get(field) {
            None => {
                return Err(Violation::new(
                    &[field],
                    format!("`{field}` is missing: every entity needs apiVersion, kind and metadata.name"),
                ))
            }
            Some(Value::String(s)) if !s.is_empty() => {}
            Some(other) => {
                return Err(Violation::new(
                    &[field],
                    format!("`{field}` must be a non-empty string, found {}", describe(other)),
                ))
            }
        }
    }
    let metadata = match doc.get("metadata") {
        None => return Err(Violation::new(&["metadata"], "`metadata` is missing: every entity needs metadata.name")),
        Some(Value::Object(m)) => m,
        Some(other) => {
            return Err(Violation::new(
                &["metadata"],
                format!("`metadata` must be a mapping, found {}", describe(other)),
            ))
        }
    };
    match metadata.get("name") {
        None => return Err(Violation::new(&["metadata"], "`metadata.name` is missing: every entity needs a name")),
        Some(Value::String(s)) if !s.is_empty() => {}
        Some(other) => {
            return Err(Violation::new(
                &["metadata", "name"],
                format!("`metadata.name` must be a non-empty string, found {}", describe(other)),
            ))
        }
    }
    match metadata.get("namespace") {
        None => {}
        Some(Value::String(s)) if !s.is_empty() => {}
        Some(other) => {
            return Err(Violation::new(
                &["metadata", "namespace"],
                format!("`metadata.namespace` must be a non-empty string, found {}", describe(other)),
            ))
        }
    }
    // Backstage reads `annotations || {}`: falsy values pass (and are replaced).
    let falsy_or_object = match metadata.get("annotations") {
        None | Some(Value::Null) | Some(Value::Object(_)) | Some(Value::Bool(false)) => true,
        Some(Value::String(s)) => s.is_empty(),
        Some(Value::Number(n)) => n.as_f64() == Some(0.0),
        Some(_) => false,
    };
    if falsy_or_object {
        Ok(())
    } else {
        Err(Violation::new(
            &["metadata", "annotations"],
            "`metadata.annotations` must be a mapping of key: value pairs",
        ))
    }
}

// ---------------------------------------------------------------- policies

/// Backstage's default entity policies, in order. Adds the default namespace.
pub fn apply_policies(entity: &mut Map<String, Value>) -> Check {
    check_schema(entity)?;
    if let Some(Value::Object(metadata)) = entity.get_mut("metadata") {
        if !metadata.contains_key("namespace") {
            metadata.insert("namespace".into(), Value::String("default".into()));
        }
    }
    for field in ["relations", "status"] {
        if entity.contains_key(field) {
            return Err(Violation::new(
                &[field],
                format!("`{field}` cannot be set in a catalog file: the catalog computes it; remove it"),
            ));
        }
    }
    check_field_formats(entity)
}

/// The `Entity` JSON schema (with `EntityMeta`).
fn check_schema(entity: &Map<String, Value>) -> Check {
    for key in entity.keys() {
        if !matches!(key.as_str(), "apiVersion" | "kind" | "metadata" | "spec" | "relations" | "status") {
            return Err(Violation::new(
                &[key],
                format!("unknown top-level field `{key}`: an entity has only apiVersion, kind, metadata and spec (did you mean to put it under spec or metadata?)"),
            ));
        }
    }
    let Some(Value::Object(meta)) = entity.get("metadata") else {
        return Err(Violation::new(&["metadata"], "`metadata` must be a mapping"));
    };
    for field in ["uid", "etag", "name", "namespace", "title"] {
        non_empty_string(meta.get(field), &["metadata", field], false)?;
    }
    if let Some(d) = meta.get("description") {
        if !d.is_string() {
            return Err(Violation::new(
                &["metadata", "description"],
                format!("`metadata.description` must be a string, found {}", describe(d)),
            ));
        }
    }
    for field in ["labels", "annotations"] {
        if let Some(v) = meta.get(field) {
            let Value::Object(map) = v else {
                return Err(Violation::new(
                    &["metadata", field],
                    format!("`metadata.{field}` must be a mapping of key: value pairs, found {}", describe(v)),
                ));
            };
            for (k, v) in map {
                let matches_pattern = !k.is_empty() && !k.contains(['\n', '\r', '\u{2028}', '\u{2029}']);
                if matches_pattern && !v.is_string() {
                    return Err(Violation::new(
                        &["metadata", field, k],
                        format!(
                            "the value of {field} `{k}` must be a string, found {} — quote it, e.g. `{k}: \"{}\"`",
                            describe(v),
                            plain(v)
                        ),
                    ));
                }
            }
        }
    }
    if let Some(tags) = meta.get("tags") {
        let Value::Array(items) = tags else {
            return Err(Violation::new(
                &["metadata", "tags"],
                format!("`metadata.tags` must be a list of strings, found {}", describe(tags)),
            ));
        };
        for (i, t) in items.iter().enumerate() {
            non_empty_string(Some(t), &["metadata", "tags", &i.to_string()], false)?;
        }
    }
    if let Some(links) = meta.get("links") {
        let Value::Array(items) = links else {
            return Err(Violation::new(
                &["metadata", "links"],
                format!("`metadata.links` must be a list, found {}", describe(links)),
            ));
        };
        for (i, link) in items.iter().enumerate() {
            let idx = i.to_string();
            let Value::Object(link) = link else {
                return Err(Violation::new(
                    &["metadata", "links", &idx],
                    format!("each entry of `metadata.links` must be a mapping with a `url`, found {}", describe(link)),
                ));
            };
            if !link.contains_key("url") {
                return Err(Violation::new(
                    &["metadata", "links", &idx],
                    format!("`metadata.links[{i}]` has no `url`"),
                ));
            }
            for field in ["url", "title", "icon", "type"] {
                non_empty_string(link.get(field), &["metadata", "links", &idx, field], false)?;
            }
        }
    }
    if let Some(spec) = entity.get("spec") {
        if !spec.is_object() {
            return Err(Violation::new(&["spec"], format!("`spec` must be a mapping, found {}", describe(spec))));
        }
    }
    Ok(())
}

fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `type: string, minLength: 1` when present (or always, when `required`).
fn non_empty_string(value: Option<&Value>, path: &[&str], required: bool) -> Check {
    let dotted = dotted(path);
    match value {
        None if required => Err(Violation::new(path, format!("`{dotted}` is missing"))),
        None => Ok(()),
        Some(Value::String(s)) if !s.is_empty() => Ok(()),
        Some(Value::String(_)) => Err(Violation::new(path, format!("`{dotted}` must not be empty"))),
        Some(other) => Err(Violation::new(path, format!("`{dotted}` must be a string, found {}", describe(other)))),
    }
}

fn dotted(path: &[&str]) -> String {
    let mut out = String::new();
    for (i, p) in path.iter().enumerate() {
        if p.chars().all(|c| c.is_ascii_digit()) && i > 0 {
            out.push_str(&format!("[{p}]"));
        } else {
            if i > 0 {
                out.push('.');
            }
            out.push_str(p);
        }
    }
    out
}

const NAME_RULE: &str = "1-63 characters: letters, digits and - _ . (a letter or digit first and last)";
const DNS_LABEL_RULE: &str = "1-63 characters: lower-case letters and digits separated by -";
const TAG_RULE: &str = "1-63 characters: lower-case letters, digits, + # : separated by single -";
const PREFIX_RULE: &str =
    "an optional DNS-style prefix and a slash (`example.com/`) followed by a name of 1-63 letters, digits, - _ .";

/// `FieldFormatEntityPolicy` with Backstage's default validators.
fn check_field_formats(entity: &Map<String, Value>) -> Check {
    let api_version = entity.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    if !is_valid_api_version(api_version) {
        return Err(Violation::new(
            &["apiVersion"],
            format!("apiVersion \"{api_version}\" is not valid: expected {PREFIX_RULE}, e.g. backstage.io/v1alpha1"),
        ));
    }
    let kind = entity.get("kind").and_then(Value::as_str).unwrap_or("");
    if !is_valid_kind(kind) {
        return Err(Violation::new(
            &["kind"],
            format!(
                "kind \"{kind}\" is not valid: expected a letter followed by letters and digits, at most 63 characters"
            ),
        ));
    }
    let empty = Map::new();
    let meta = entity.get("metadata").and_then(Value::as_object).unwrap_or(&empty);
    let name = meta.get("name").and_then(Value::as_str).unwrap_or("");
    if !is_valid_object_name(name) {
        return Err(Violation::new(
            &["metadata", "name"],
            format!("metadata.name \"{name}\" is not a valid name: use {NAME_RULE}"),
        ));
    }
    if let Some(ns) = meta.get("namespace") {
        let ns = ns.as_str().unwrap_or("");
        if !is_valid_dns_label(ns) {
            return Err(Violation::new(
                &["metadata", "namespace"],
                format!("metadata.namespace \"{ns}\" is not valid: use {DNS_LABEL_RULE}"),
            ));
        }
    }
    for field in ["labels", "annotations"] {
        if let Some(Value::Object(map)) = meta.get(field) {
            for (k, v) in map {
                if !is_valid_prefixed_name(k) {
                    return Err(Violation::new(
                        &["metadata", field, k],
                        format!("{} key \"{k}\" is not valid: expected {PREFIX_RULE}", singular(field)),
                    ));
                }
                let ok = match (field, v) {
                    ("labels", Value::String(s)) => s.is_empty() || is_valid_object_name(s),
                    ("annotations", Value::String(_)) => true,
                    _ => false,
                };
                if !ok {
                    let rule = if field == "labels" {
                        format!("label values are empty or {NAME_RULE}; put free text in an annotation instead")
                    } else {
                        "annotation values must be strings — quote the value".to_string()
                    };
                    return Err(Violation::new(
                        &["metadata", field, k],
                        format!("the value {} of {} \"{k}\" is not valid: {rule}", quote_value(v), singular(field)),
                    ));
                }
            }
        }
    }
    if let Some(Value::Array(tags)) = meta.get("tags") {
        for (i, tag) in tags.iter().enumerate() {
            let ok = tag.as_str().is_some_and(is_valid_tag);
            if !ok {
                return Err(Violation::new(
                    &["metadata", "tags", &i.to_string()],
                    format!(
                        "tag {} (metadata.tags[{i}]) is not valid: use {TAG_RULE}, e.g. \"go-1-15\"",
                        quote_value(tag)
                    ),
                ));
            }
        }
    }
    if let Some(Value::Array(links)) = meta.get("links") {
        for (i, link) in links.iter().enumerate() {
            let idx = i.to_string();
            let url = link.get("url");
            if !url.and_then(Value::as_str).is_some_and(is_valid_url) {
                return Err(Violation::new(
                    &["metadata", "links", &idx, "url"],
                    format!(
                        "metadata.links[{i}].url {} is not a valid absolute URL — include the scheme, e.g. https://",
                        url.map(quote_value).unwrap_or_default()
                    ),
                ));
            }
            for field in ["title", "icon"] {
                if let Some(v) = link.get(field) {
                    if v.as_str().is_none_or(|s| s.trim().is_empty()) {
                        return Err(Violation::new(
                            &["metadata", "links", &idx, field],
                            format!("metadata.links[{i}].{field} must be a non-empty string"),
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

fn singular(field: &str) -> &'static str {
    if field == "labels" {
        "label"
    } else {
        "annotation"
    }
}

pub fn is_valid_object_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

/// `^[a-z0-9]+(?:-+[a-z0-9]+)*$`, at most 63 characters.
pub fn is_valid_dns_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
}

fn is_valid_dns_subdomain(s: &str) -> bool {
    !s.is_empty() && s.len() <= 253 && s.split('.').all(is_valid_dns_label)
}

fn is_valid_api_version(s: &str) -> bool {
    prefix_and_suffix(s, |n| !n.is_empty() && n.len() <= 63 && n.bytes().all(|c| c.is_ascii_alphanumeric()))
}

fn is_valid_prefixed_name(s: &str) -> bool {
    prefix_and_suffix(s, is_valid_object_name)
}

fn prefix_and_suffix(s: &str, suffix_ok: impl Fn(&str) -> bool) -> bool {
    let parts: Vec<&str> = s.split('/').collect();
    match parts.as_slice() {
        [suffix] => suffix_ok(suffix),
        [prefix, suffix] => is_valid_dns_subdomain(prefix) && suffix_ok(suffix),
        _ => false,
    }
}

fn is_valid_kind(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty() && b.len() <= 63 && b[0].is_ascii_alphabetic() && b.iter().all(|c| c.is_ascii_alphanumeric())
}

/// `^[a-z0-9:+#]+(-[a-z0-9:+#]+)*$`, at most 63 characters.
pub fn is_valid_tag(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
        && !s.contains("--")
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b':' | b'+' | b'#' | b'-'))
}

/// What JavaScript's `new URL(value)` accepts: an absolute URL.
pub fn is_valid_url(s: &str) -> bool {
    url::Url::parse(s).is_ok()
}

// ---------------------------------------------------------------- kinds

/// Is this kind/apiVersion pair one Backstage's default processors know?
pub fn is_known_kind(kind: &str, api_version: &str) -> bool {
    (CATALOG_KINDS.contains(&kind) && CATALOG_API_VERSIONS.contains(&api_version))
        || (kind == "Template" && api_version == TEMPLATE_API_VERSION)
}

/// The kind schemas of `BuiltinKindsEntityProcessor` and the scaffolder's
/// Template processor.
pub fn check_kind(entity: &Map<String, Value>) -> Check {
    let kind = entity.get("kind").and_then(Value::as_str).unwrap_or("");
    let api_version = entity.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    if !is_known_kind(kind, api_version) {
        let hint = if CATALOG_KINDS.contains(&kind) {
            format!("{kind} needs apiVersion backstage.io/v1alpha1 (or v1beta1), not \"{api_version}\"")
        } else if kind == "Template" {
            format!("Template needs apiVersion {TEMPLATE_API_VERSION}, not \"{api_version}\" (older template versions are no longer supported)")
        } else if let Some(k) =
            CATALOG_KINDS.iter().chain(std::iter::once(&"Template")).find(|k| k.eq_ignore_ascii_case(kind))
        {
            format!("kinds are case-sensitive: write `kind: {k}`, not `{kind}`")
        } else {
            format!("\"{kind}\" is not a kind the catalog knows (Component, API, Resource, System, Domain, Group, User, Location, Template)")
        };
        return Err(Violation::new(&["kind"], format!("unrecognised entity: {hint}")));
    }
    let Some(spec) = entity.get("spec") else {
        return Err(Violation::new(
            &["spec"],
            format!("`spec` is missing: {} {kind} needs {}", article(kind), required_fields(kind)),
        ));
    };
    let Value::Object(spec) = spec else {
        return Err(Violation::new(&["spec"], "`spec` must be a mapping"));
    };
    let s = Spec { spec, kind };
    match kind {
        "Component" => {
            s.required(&["type", "lifecycle", "owner"])?;
            s.strings(&["type", "lifecycle", "owner", "system", "subcomponentOf"])?;
            s.string_lists(&["providesApis", "consumesApis", "dependsOn"])
        }
        "API" => {
            s.required(&["type", "lifecycle", "owner", "definition"])?;
            s.strings(&["type", "lifecycle", "owner", "system"])?;
            match spec.get("definition") {
                Some(Value::String(d)) if !d.is_empty() => Ok(()),
                Some(other) => Err(Violation::new(
                    &["spec", "definition"],
                    format!(
                        "spec.definition must be a string (use a `|` block or `$text: ./openapi.yaml`), found {}",
                        describe(other)
                    ),
                )),
                None => Ok(()),
            }
        }
        "Resource" => {
            s.required(&["type", "owner"])?;
            s.strings(&["type", "owner", "system"])?;
            s.string_lists(&["dependsOn"])
        }
        "System" => {
            s.required(&["owner"])?;
            s.strings(&["owner", "domain", "type"])
        }
        "Domain" => {
            s.required(&["owner"])?;
            s.strings(&["owner", "subdomainOf", "type"])
        }
        "Group" => {
            s.required(&["type", "children"])?;
            s.strings(&["type", "parent"])?;
            s.string_lists(&["children", "members"])?;
            s.profile()
        }
        "User" => {
            s.required(&["memberOf"])?;
            s.string_lists(&["memberOf"])?;
            s.profile()
        }
        "Location" => {
            s.strings(&["type", "target"])?;
            s.string_lists(&["targets"])?;
            match spec.get("presence") {
                None => Ok(()),
                Some(Value::String(p)) if p == "required" || p == "optional" => Ok(()),
                Some(other) => Err(Violation::new(
                    &["spec", "presence"],
                    format!("spec.presence must be \"required\" or \"optional\", found {}", quote_value(other)),
                )),
            }
        }
        "Template" => check_template(&s),
        _ => Ok(()),
    }
}

fn article(kind: &str) -> &'static str {
    if kind.starts_with(['A', 'E', 'I', 'O', 'U']) {
        "an"
    } else {
        "a"
    }
}

fn required_fields(kind: &str) -> &'static str {
    match kind {
        "Component" => "spec.type, spec.lifecycle and spec.owner",
        "API" => "spec.type, spec.lifecycle, spec.owner and spec.definition",
        "Resource" => "spec.type and spec.owner",
        "System" | "Domain" => "spec.owner",
        "Group" => "spec.type and spec.children (which may be [])",
        "User" => "spec.memberOf (which may be [])",
        "Template" => "spec.type and spec.steps",
        _ => "a spec mapping",
    }
}

struct Spec<'a> {
    spec: &'a Map<String, Value>,
    kind: &'a str,
}

impl Spec<'_> {
    fn required(&self, fields: &[&str]) -> Check {
        for f in fields {
            if !self.spec.contains_key(*f) {
                return Err(Violation::new(
                    &["spec"],
                    format!(
                        "spec.{f} is missing: {} {} needs {}",
                        article(self.kind),
                        self.kind,
                        required_fields(self.kind)
                    ),
                ));
            }
        }
        Ok(())
    }

    fn strings(&self, fields: &[&str]) -> Check {
        for f in fields {
            non_empty_string(self.spec.get(*f), &["spec", f], false).map_err(|v| {
                let hint = if self.spec.get(*f).is_some_and(Value::is_array) {
                    " — it takes a single value, not a list"
                } else {
                    ""
                };
                Violation::at(v.path, format!("{}{hint}", v.message))
            })?;
        }
        Ok(())
    }

    fn string_lists(&self, fields: &[&str]) -> Check {
        for f in fields {
            string_list(self.spec.get(*f), &["spec", f], true)?;
        }
        Ok(())
    }

    fn profile(&self) -> Check {
        match self.spec.get("profile") {
            None => Ok(()),
            Some(Value::Object(p)) => {
                for f in ["displayName", "email", "picture"] {
                    non_empty_string(p.get(f), &["spec", "profile", f], false)?;
                }
                Ok(())
            }
            Some(other) => Err(Violation::new(
                &["spec", "profile"],
                format!("spec.profile must be a mapping, found {}", describe(other)),
            )),
        }
    }
}

fn string_list(value: Option<&Value>, path: &[&str], non_empty_items: bool) -> Check {
    match value {
        None => Ok(()),
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let idx = i.to_string();
                let mut p: Vec<&str> = path.to_vec();
                p.push(&idx);
                match item {
                    Value::String(s) if !s.is_empty() || !non_empty_items => {}
                    _ => {
                        return Err(Violation::new(
                            &p,
                            format!("`{}` must be a non-empty string, found {}", dotted(&p), describe(item)),
                        ))
                    }
                }
            }
            Ok(())
        }
        Some(other) => Err(Violation::new(
            path,
            format!("`{}` must be a list, found {} — write it as `[{}]`", dotted(path), describe(other), plain(other)),
        )),
    }
}

fn expect_object<'a>(value: &'a Value, path: &[&str]) -> Result<&'a Map<String, Value>, Violation> {
    value
        .as_object()
        .ok_or_else(|| Violation::new(path, format!("`{}` must be a mapping, found {}", dotted(path), describe(value))))
}

fn string_or_bool(value: Option<&Value>, path: &[&str]) -> Check {
    match value {
        None | Some(Value::String(_)) | Some(Value::Bool(_)) => Ok(()),
        Some(other) => Err(Violation::new(
            path,
            format!("`{}` must be a string or a boolean, found {}", dotted(path), describe(other)),
        )),
    }
}

fn any_string(value: Option<&Value>, path: &[&str]) -> Check {
    match value {
        None | Some(Value::String(_)) => Ok(()),
        Some(other) => {
            Err(Violation::new(path, format!("`{}` must be a string, found {}", dotted(path), describe(other))))
        }
    }
}

fn permissions(item: &Map<String, Value>, path: &[&str]) -> Check {
    if let Some(p) = item.get("backstage:permissions") {
        let mut pp = path.to_vec();
        pp.push("backstage:permissions");
        let p = expect_object(p, &pp)?;
        pp.push("tags");
        string_list(p.get("tags"), &pp, false)?;
    }
    Ok(())
}

/// `Template.v1beta3.schema.json`.
fn check_template(s: &Spec) -> Check {
    let spec = s.spec;
    s.required(&["type", "steps"])?;
    s.strings(&["type", "owner", "lifecycle"])?;
    match spec.get("parameters") {
        None => {}
        Some(Value::Object(p)) => permissions(p, &["spec", "parameters"])?,
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let idx = i.to_string();
                let path = ["spec", "parameters", idx.as_str()];
                permissions(expect_object(item, &path)?, &path)?;
            }
        }
        Some(other) => {
            return Err(Violation::new(
                &["spec", "parameters"],
                format!("spec.parameters must be a mapping or a list of mappings, found {}", describe(other)),
            ))
        }
    }
    if let Some(secrets) = spec.get("secrets") {
        let secrets = expect_object(secrets, &["spec", "secrets"])?;
        if let Some(schema) = secrets.get("schema") {
            expect_object(schema, &["spec", "secrets", "schema"])?;
        }
    }
    if let Some(p) = spec.get("presentation") {
        let p = expect_object(p, &["spec", "presentation"])?;
        if let Some(labels) = p.get("buttonLabels") {
            let labels = expect_object(labels, &["spec", "presentation", "buttonLabels"])?;
            for f in ["backButtonText", "createButtonText", "reviewButtonText"] {
                any_string(labels.get(f), &["spec", "presentation", "buttonLabels", f])?;
            }
        }
    }
    if let Some(r) = spec.get("EXPERIMENTAL_recovery") {
        let r = expect_object(r, &["spec", "EXPERIMENTAL_recovery"])?;
        any_string(r.get("EXPERIMENTAL_strategy"), &["spec", "EXPERIMENTAL_recovery", "EXPERIMENTAL_strategy"])?;
    }
    for field in ["formDecorators", "EXPERIMENTAL_formDecorators"] {
        if let Some(list) = spec.get(field) {
            let Value::Array(items) = list else {
                return Err(Violation::new(&["spec", field], format!("spec.{field} must be a list")));
            };
            for (i, item) in items.iter().enumerate() {
                let idx = i.to_string();
                let path = ["spec", field, idx.as_str()];
                let item = expect_object(item, &path)?;
                any_string(item.get("id"), &["spec", field, &idx, "id"])?;
                if let Some(input) = item.get("input") {
                    expect_object(input, &["spec", field, &idx, "input"])?;
                }
            }
        }
    }
    match spec.get("steps") {
        Some(Value::Array(steps)) => {
            for (i, step) in steps.iter().enumerate() {
                let idx = i.to_string();
                let step = expect_object(step, &["spec", "steps", &idx])?;
                if !step.contains_key("action") {
                    return Err(Violation::new(
                        &["spec", "steps", &idx],
                        format!("spec.steps[{i}] has no `action` (e.g. `action: fetch:template`)"),
                    ));
                }
                for f in ["id", "name", "action"] {
                    any_string(step.get(f), &["spec", "steps", &idx, f])?;
                }
                if let Some(input) = step.get("input") {
                    expect_object(input, &["spec", "steps", &idx, "input"])?;
                }
                string_or_bool(step.get("if"), &["spec", "steps", &idx, "if"])?;
                permissions(step, &["spec", "steps", &idx])?;
            }
        }
        Some(other) => {
            return Err(Violation::new(
                &["spec", "steps"],
                format!("spec.steps must be a list of steps, found {}", describe(other)),
            ))
        }
        None => {}
    }
    if let Some(output) = spec.get("output") {
        let output = expect_object(output, &["spec", "output"])?;
        for (key, value) in output {
            match key.as_str() {
                "links" | "text" => {
                    let Value::Array(items) = value else {
                        return Err(Violation::new(
                            &["spec", "output", key],
                            format!("spec.output.{key} must be a list"),
                        ));
                    };
                    for (i, item) in items.iter().enumerate() {
                        let idx = i.to_string();
                        let item = expect_object(item, &["spec", "output", key, &idx])?;
                        string_or_bool(item.get("if"), &["spec", "output", key, &idx, "if"])?;
                        let fields: &[&str] =
                            if key == "links" { &["url", "entityRef", "title", "icon"] } else { &["title", "icon"] };
                        for f in fields {
                            non_empty_string(item.get(*f), &["spec", "output", key, &idx, f], false)?;
                        }
                        if key == "text" {
                            any_string(item.get("content"), &["spec", "output", key, &idx, "content"])?;
                        }
                    }
                }
                _ => any_string(Some(value), &["spec", "output", key])?,
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------- stitching

/// Backstage's search index refuses entities with two keys that differ only
/// in case (`example.com/Owner` and `example.com/owner`). Its index flattens
/// the entity into dotted paths, merging the objects of a list and adding a
/// `path.item` key for each string in a list; this walks the same flattened
/// paths level by level without building them.
pub fn check_key_casing(entity: &Map<String, Value>) -> Check {
    // Root keys are already limited to apiVersion, kind, metadata and spec.
    let mut seen_items = std::collections::HashSet::new();
    for (key, value) in entity {
        if !UNINDEXED.contains(&key.as_str()) {
            check_level(key, &[value], &mut seen_items)?;
        }
    }
    Ok(())
}

/// Paths the search index leaves out; name, namespace and uid are added back.
const UNINDEXED: [&str; 7] =
    ["attachments", "relations", "status", "metadata.name", "metadata.namespace", "metadata.uid", "metadata.etag"];

fn check_level<'a>(path: &str, nodes: &[&'a Value], seen_items: &mut std::collections::HashSet<String>) -> Check {
    // lower-cased name → (name as written, values under it)
    let mut names: Vec<(Cow<'a, str>, &'a str, Vec<&'a Value>)> = Vec::new();
    fn flatten<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
        match v {
            Value::Array(items) => items.iter().for_each(|i| flatten(i, out)),
            other => out.push(other),
        }
    }
    let mut flat = Vec::new();
    for node in nodes {
        flatten(node, &mut flat);
    }
    let mut add = |lower: Cow<'a, str>, raw: &'a str, child: Option<&'a Value>| -> Check {
        match names.iter_mut().find(|(l, _, _)| *l == lower) {
            Some((_, existing, _)) if *existing != raw => {
                let (a, b) = if *existing < raw { (*existing, raw) } else { (raw, *existing) };
                let join = |n: &str| if path.is_empty() { n.to_string() } else { format!("{path}.{n}") };
                Err(Violation::at(
                    join(a).split('.').map(String::from).collect(),
                    format!(
                        "`{}` and `{}` differ only in upper/lower case; the catalog treats keys case-insensitively — keep one of them",
                        join(a),
                        join(b)
                    ),
                ))
            }
            Some((_, _, children)) => {
                children.extend(child);
                Ok(())
            }
            None => {
                names.push((lower, raw, child.into_iter().collect()));
                Ok(())
            }
        }
    };
    if path == "metadata" {
        for fixed in ["name", "namespace", "uid"] {
            add(Cow::Borrowed(fixed), fixed, None)?;
        }
    }
    for node in &flat {
        if let Value::Object(map) = node {
            for (k, v) in map {
                add(lower_case(k), k, Some(v))?;
            }
        }
    }
    // Lists of strings add `path.item` keys, the first spelling of an item winning.
    for node in nodes {
        let mut strings = Vec::new();
        collect_list_strings(node, false, &mut strings);
        for item in strings {
            let lower = lower_case(item);
            if seen_items.insert(format!("{path}\0{lower}")) {
                add(lower, item, None)?;
            }
        }
    }
    for (_, raw, children) in names {
        // Scalars have no keys below them: nothing to compare, no path to build.
        if children.iter().all(|c| !c.is_object() && !c.is_array()) {
            continue;
        }
        let child_path = if path.is_empty() { raw.to_string() } else { format!("{path}.{raw}") };
        if UNINDEXED.contains(&child_path.as_str()) {
            continue;
        }
        check_level(&child_path, &children, seen_items)?;
    }
    Ok(())
}

/// Most keys are written in lower case already: no copy for them.
fn lower_case(text: &str) -> Cow<'_, str> {
    if text.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.to_lowercase())
    }
}

fn collect_list_strings<'a>(v: &'a Value, in_list: bool, out: &mut Vec<&'a str>) {
    match v {
        Value::Array(items) => items.iter().for_each(|i| collect_list_strings(i, true, out)),
        Value::String(s) if in_list => out.push(s),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entity(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn formats() {
        assert!(is_valid_object_name("My_Service.v2"));
        assert!(is_valid_object_name("a--b"));
        assert!(!is_valid_object_name("my-service-"));
        assert!(!is_valid_object_name(&"a".repeat(64)));
        assert!(is_valid_dns_label("a--b"));
        assert!(!is_valid_dns_label("Default"));
        assert!(is_valid_tag("lang:go"));
        assert!(is_valid_tag("c++"));
        assert!(!is_valid_tag("a--b"));
        assert!(!is_valid_tag("Go 1.15"));
        assert!(is_valid_api_version("backstage.io/v1alpha1"));
        assert!(!is_valid_api_version("backstage.io/v1alpha1/extra"));
        assert!(is_valid_url("mailto:a@b.c"));
        assert!(!is_valid_url("www.x.com"));
    }

    #[test]
    fn policies_default_the_namespace() {
        let mut e = entity(
            json!({"apiVersion": "backstage.io/v1alpha1", "kind": "Component", "metadata": {"name": "x"}, "spec": {}}),
        );
        assert_eq!(apply_policies(&mut e), Ok(()));
        assert_eq!(e["metadata"]["namespace"], "default");
    }

    #[test]
    fn kind_schemas() {
        let ok = entity(
            json!({"apiVersion": "backstage.io/v1alpha1", "kind": "Group", "metadata": {"name": "x"}, "spec": {"type": "team", "children": []}}),
        );
        assert_eq!(check_kind(&ok), Ok(()));
        let bad = entity(
            json!({"apiVersion": "backstage.io/v1alpha1", "kind": "Group", "metadata": {"name": "x"}, "spec": {"type": "team"}}),
        );
        assert!(check_kind(&bad).is_err());
        let lower = entity(
            json!({"apiVersion": "backstage.io/v1alpha1", "kind": "component", "metadata": {"name": "x"}, "spec": {}}),
        );
        let err = check_kind(&lower).err().map(|v| v.message).unwrap_or_default();
        assert!(err.contains("case-sensitive"), "{err}");
    }

    #[test]
    fn key_casing() {
        let e = entity(json!({"metadata": {"annotations": {"example.com/Owner": "a", "example.com/owner": "b"}}}));
        assert!(check_key_casing(&e).is_err());
        let tags = entity(json!({"metadata": {"tags": ["a", "A"]}}));
        assert_eq!(check_key_casing(&tags), Ok(()));
        let merged = entity(json!({"metadata": {"links": [{"Url": "a"}, {"url": "b"}]}}));
        assert!(check_key_casing(&merged).is_err(), "objects of a list share their paths");
        let item = entity(json!({"spec": {"x": ["Foo"], "X": 1}}));
        assert!(check_key_casing(&item).is_err());
        let item_vs_key = entity(json!({"spec": {"x": ["Foo", {"foo": 1}]}}));
        assert!(check_key_casing(&item_vs_key).is_err(), "a list string and an object key at one path");
        let name = entity(json!({"metadata": {"Name": "x"}}));
        assert!(check_key_casing(&name).is_err(), "metadata.name is always indexed");
        let same = entity(json!({"spec": {"links": [{"url": "a"}, {"url": "b"}]}}));
        assert_eq!(check_key_casing(&same), Ok(()));
    }
}
