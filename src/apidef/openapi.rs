//! OpenAPI 2.0 (Swagger) and 3.x as a reference: info, servers, security
//! schemes, operations grouped by tag (parameters, request body, responses
//! with schemas and examples), webhooks and the named schemas.

use serde_json::{Map, Value};

use super::schema::Resolver;
use super::{esc, example_block, link, markdown, Anchors, DefinitionIssue, OutlineGroup, OutlineItem, Reference};

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
/// Longest example shown inline.
const MAX_EXAMPLE_BYTES: usize = 4 * 1024;

struct Operation<'a> {
    method: &'a str,
    path: &'a str,
    op: &'a Map<String, Value>,
    /// Parameters declared on the path, which every operation inherits.
    path_params: Option<&'a Value>,
    webhook: bool,
    /// 2.0 media types for the whole API.
    root_consumes: Option<&'a Value>,
    root_produces: Option<&'a Value>,
}

pub fn render(doc: &Value) -> Result<Reference, DefinitionIssue> {
    let Some(root) = doc.as_object() else {
        return Err(DefinitionIssue {
            line: None,
            message: "an OpenAPI document is a mapping at the top level".into(),
        });
    };
    let (version, v2) = match (root.get("openapi"), root.get("swagger")) {
        (Some(v), _) => (scalar(v), false),
        (None, Some(v)) => (scalar(v), true),
        _ => {
            return Err(DefinitionIssue {
                line: None,
                message: "no `openapi` (3.x) or `swagger` (2.0) field at the top: this does not look like an OpenAPI document; fix the definition or change spec.type".into(),
            })
        }
    };
    let mut anchors = Anchors::default();
    let mut resolver = Resolver::new(doc);
    let schema_root = if v2 { "definitions" } else { "components" };
    let named: Option<&Map<String, Value>> = if v2 {
        root.get("definitions").and_then(Value::as_object)
    } else {
        root.get("components").and_then(|c| c.get("schemas")).and_then(Value::as_object)
    };
    let named_anchors: Vec<(&str, String)> = named
        .map(|m| {
            m.keys()
                .map(|name| {
                    let anchor = anchors.make("api-schema-", name);
                    let pointer_name = name.replace('~', "~0").replace('/', "~1");
                    let reference = if v2 {
                        format!("#/definitions/{pointer_name}")
                    } else {
                        format!("#/{schema_root}/schemas/{pointer_name}")
                    };
                    resolver.name_schema(reference, anchor.clone());
                    (name.as_str(), anchor)
                })
                .collect()
        })
        .unwrap_or_default();

    let mut out = String::with_capacity(16 * 1024);
    let mut outline = Vec::new();
    out.push_str("<section class=\"api-info\" aria-label=\"About this API\">");
    info_section(&mut out, root);
    servers(&mut out, root, v2);
    out.push_str("</section>");

    let security_anchor = security_schemes(&mut out, root, v2, &mut anchors);
    if let Some(global) = root.get("security") {
        out.push_str(
            "<p class=\"api-security-default\"><span class=\"meta-label\">Security for every operation</span> ",
        );
        requirements(&mut out, global, security_anchor.as_deref());
        out.push_str("</p>");
    }

    // Operations grouped by their first tag, tags in the declared order.
    let mut groups: Vec<(String, Vec<Operation>)> = Vec::new();
    if let Some(Value::Array(tags)) = root.get("tags") {
        for t in tags {
            if let Some(name) = t.get("name").and_then(Value::as_str) {
                if !groups.iter().any(|(n, _)| n == name) {
                    groups.push((name.to_string(), Vec::new()));
                }
            }
        }
    }
    let mut ops: Vec<(String, Operation)> = Vec::new();
    for (key, webhook) in [("paths", false), ("webhooks", true)] {
        let Some(Value::Object(paths)) = root.get(key) else { continue };
        for (path, item) in paths {
            let item = resolver.deref(item);
            let Some(item_obj) = item.as_object() else { continue };
            for method in METHODS {
                let Some(Value::Object(op)) = item_obj.get(method) else { continue };
                let tag = if webhook {
                    "Webhooks".to_string()
                } else {
                    op.get("tags")
                        .and_then(Value::as_array)
                        .and_then(|t| t.first())
                        .and_then(Value::as_str)
                        .unwrap_or("Operations")
                        .to_string()
                };
                ops.push((
                    tag,
                    Operation {
                        method,
                        path,
                        op,
                        path_params: item_obj.get("parameters"),
                        webhook,
                        root_consumes: root.get("consumes"),
                        root_produces: root.get("produces"),
                    },
                ));
            }
        }
    }
    let total_ops = ops.len();
    for (tag, op) in ops {
        match groups.iter_mut().find(|(n, _)| *n == tag) {
            Some((_, list)) => list.push(op),
            None => groups.push((tag, vec![op])),
        }
    }
    let tag_descriptions: Vec<(&str, &str)> = root
        .get("tags")
        .and_then(Value::as_array)
        .map(|tags| {
            tags.iter()
                .filter_map(|t| Some((t.get("name")?.as_str()?, t.get("description").and_then(Value::as_str)?)))
                .collect()
        })
        .unwrap_or_default();

    let mut shown = 0;
    let mut note = None;
    'groups: for (tag, ops) in &groups {
        if ops.is_empty() {
            continue;
        }
        let tag_anchor = anchors.make("api-tag-", tag);
        let mut group = OutlineGroup { title: tag.clone(), anchor: Some(tag_anchor.clone()), ..Default::default() };
        out.push_str("<section class=\"api-group\" aria-labelledby=\"");
        out.push_str(&tag_anchor);
        out.push_str("\"><h3 class=\"api-group-title\" id=\"");
        out.push_str(&tag_anchor);
        out.push_str("\">");
        esc(&mut out, tag);
        out.push_str(" <span class=\"count\">");
        out.push_str(&ops.len().to_string());
        out.push_str("</span></h3>");
        if let Some((_, d)) = tag_descriptions.iter().find(|(n, _)| n == tag) {
            markdown(&mut out, d);
        }
        for op in ops {
            if out.len() > super::REFERENCE_BUDGET {
                out.push_str("</section>");
                note = Some(format!(
                    "The reference shows {shown} of {total_ops} operations to keep this page small; the raw definition has all of them."
                ));
                outline.push(group);
                break 'groups;
            }
            let anchor = operation(&mut out, op, &resolver, &mut anchors, security_anchor.as_deref(), v2);
            shown += 1;
            group.add(OutlineItem {
                label: op.path.to_string(),
                badge: Some(op.method.to_string()),
                detail: op.op.get("summary").and_then(Value::as_str).map(String::from),
                anchor,
                deprecated: op.op.get("deprecated") == Some(&Value::Bool(true)),
            });
        }
        out.push_str("</section>");
        outline.push(group);
    }

    if let Some(named) = named {
        if !named.is_empty() && note.is_none() {
            let mut group =
                OutlineGroup { title: "Schemas".into(), anchor: Some("api-schemas".into()), ..Default::default() };
            out.push_str("<section class=\"api-group api-schemas\" aria-labelledby=\"api-schemas\"><h3 class=\"api-group-title\" id=\"api-schemas\">Schemas <span class=\"count\">");
            out.push_str(&named.len().to_string());
            out.push_str("</span></h3>");
            for (name, anchor) in &named_anchors {
                if out.len() > super::REFERENCE_BUDGET {
                    note = Some(format!(
                        "The reference stops before the end of the {} schemas to keep this page small; the raw definition has all of them.",
                        named.len()
                    ));
                    break;
                }
                let Some(schema) = named.get(*name) else { continue };
                out.push_str("<article class=\"api-named-schema\" id=\"");
                out.push_str(anchor);
                out.push_str("\"><h4><code>");
                esc(&mut out, name);
                out.push_str("</code> <a class=\"api-anchor\" href=\"#");
                out.push_str(anchor);
                out.push_str("\" aria-label=\"Link to this schema\">#</a></h4>");
                resolver.render(&mut out, schema);
                out.push_str("</article>");
                group.add(OutlineItem {
                    label: name.to_string(),
                    badge: None,
                    detail: None,
                    anchor: anchor.clone(),
                    deprecated: false,
                });
            }
            out.push_str("</section>");
            outline.push(group);
        }
    }
    if total_ops == 0 {
        out.push_str("<p class=\"muted\">This definition describes no operations.</p>");
    }
    let label = if v2 { format!("Swagger {version}") } else { format!("OpenAPI {version}") };
    Ok(Reference { label, html: out, outline, note, source_html: None, source_shown_lines: None })
}

/// Title, description, version, contact and licence (`info`, shared by OpenAPI and AsyncAPI).
pub(super) fn info_section(out: &mut String, root: &Map<String, Value>) {
    let info = root.get("info").and_then(Value::as_object);
    if let Some(info) = info {
        if let Some(t) = info.get("title").and_then(Value::as_str) {
            out.push_str("<h3 class=\"api-title\">");
            esc(out, t);
            out.push_str("</h3>");
        }
        if let Some(d) = info.get("description").and_then(Value::as_str) {
            markdown(out, d);
        }
        out.push_str("<dl class=\"facts api-facts\">");
        if let Some(v) = info.get("version") {
            fact(out, "Version", |o| esc(o, &scalar(v)));
        }
        if let Some(t) = info.get("termsOfService").and_then(Value::as_str) {
            fact(out, "Terms of service", |o| link(o, t, t));
        }
        if let Some(c) = info.get("contact").and_then(Value::as_object) {
            fact(out, "Contact", |o| {
                let name = c.get("name").and_then(Value::as_str);
                let url = c.get("url").and_then(Value::as_str);
                let email = c.get("email").and_then(Value::as_str);
                match (name, url) {
                    (Some(n), Some(u)) => link(o, u, n),
                    (Some(n), None) => esc(o, n),
                    (None, Some(u)) => link(o, u, u),
                    _ => {}
                }
                if let Some(e) = email {
                    if name.is_some() || url.is_some() {
                        o.push_str(" · ");
                    }
                    link(o, &format!("mailto:{e}"), e);
                }
            });
        }
        if let Some(l) = info.get("license").and_then(Value::as_object) {
            let name = l.get("name").and_then(Value::as_str).unwrap_or("licence");
            fact(out, "Licence", |o| match l.get("url").and_then(Value::as_str) {
                Some(u) => link(o, u, name),
                None => esc(o, name),
            });
        }
        out.push_str("</dl>");
    }
}

pub(super) fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub(super) fn fact(out: &mut String, label: &str, value: impl FnOnce(&mut String)) {
    out.push_str("<div><dt>");
    out.push_str(label);
    out.push_str("</dt><dd>");
    value(out);
    out.push_str("</dd></div>");
}

fn servers(out: &mut String, root: &Map<String, Value>, v2: bool) {
    let mut urls: Vec<(String, Option<&str>)> = Vec::new();
    if v2 {
        if let Some(host) = root.get("host").and_then(Value::as_str) {
            let base = root.get("basePath").and_then(Value::as_str).unwrap_or("");
            let schemes: Vec<&str> = root
                .get("schemes")
                .and_then(Value::as_array)
                .map(|s| s.iter().filter_map(Value::as_str).collect())
                .unwrap_or_else(|| vec!["https"]);
            for scheme in schemes {
                urls.push((format!("{scheme}://{host}{base}"), None));
            }
        } else if let Some(base) = root.get("basePath").and_then(Value::as_str) {
            urls.push((base.to_string(), None));
        }
    } else if let Some(Value::Array(list)) = root.get("servers") {
        for s in list {
            if let Some(url) = s.get("url").and_then(Value::as_str) {
                urls.push((url.to_string(), s.get("description").and_then(Value::as_str)));
            }
        }
    }
    if urls.is_empty() {
        return;
    }
    out.push_str("<h3 class=\"api-subtitle\">Servers</h3><ul class=\"api-servers\">");
    for (url, description) in urls {
        out.push_str("<li><code class=\"api-server\">");
        esc(out, &url);
        out.push_str("</code>");
        if let Some(d) = description {
            out.push_str(" <span class=\"muted\">");
            esc(out, d);
            out.push_str("</span>");
        }
        out.push_str("</li>");
    }
    out.push_str("</ul>");
}

/// The security schemes table; returns its anchor.
fn security_schemes(out: &mut String, root: &Map<String, Value>, v2: bool, anchors: &mut Anchors) -> Option<String> {
    let schemes = if v2 {
        root.get("securityDefinitions")
    } else {
        root.get("components").and_then(|c| c.get("securitySchemes"))
    }
    .and_then(Value::as_object)
    .filter(|m| !m.is_empty())?;
    let anchor = anchors.make("api-", "security");
    out.push_str("<h3 class=\"api-subtitle\" id=\"");
    out.push_str(&anchor);
    out.push_str("\">Security schemes</h3><div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Security schemes\"><table class=\"api-table\"><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Type</th><th scope=\"col\">Details</th></tr></thead><tbody>");
    for (name, scheme) in schemes {
        out.push_str("<tr><td><code>");
        esc(out, name);
        out.push_str("</code></td><td>");
        let ty = scheme.get("type").and_then(Value::as_str).unwrap_or("");
        esc(out, ty);
        if let Some(s) = scheme.get("scheme").and_then(Value::as_str) {
            out.push_str(" (");
            esc(out, s);
            if let Some(f) = scheme.get("bearerFormat").and_then(Value::as_str) {
                out.push_str(", ");
                esc(out, f);
            }
            out.push(')');
        }
        out.push_str("</td><td>");
        if let (Some(n), Some(i)) =
            (scheme.get("name").and_then(Value::as_str), scheme.get("in").and_then(Value::as_str))
        {
            out.push_str("<code>");
            esc(out, n);
            out.push_str("</code> in ");
            esc(out, i);
        }
        if let Some(u) = scheme.get("openIdConnectUrl").and_then(Value::as_str) {
            link(out, u, u);
        }
        let mut flows: Vec<(String, &Value)> = Vec::new();
        if v2 {
            if let Some(flow) = scheme.get("flow").and_then(Value::as_str) {
                flows.push((flow.to_string(), scheme));
            }
        } else if let Some(Value::Object(map)) = scheme.get("flows") {
            for (k, v) in map {
                flows.push((k.clone(), v));
            }
        }
        for (flow, f) in flows {
            out.push_str("<div class=\"api-flow\"><span class=\"chip\">");
            esc(out, &flow);
            out.push_str("</span>");
            for key in ["authorizationUrl", "tokenUrl", "refreshUrl"] {
                if let Some(u) = f.get(key).and_then(Value::as_str) {
                    out.push(' ');
                    esc(out, key);
                    out.push_str(": <code>");
                    esc(out, u);
                    out.push_str("</code>");
                }
            }
            if let Some(Value::Object(scopes)) = f.get("scopes") {
                out.push_str("<ul class=\"api-scopes\">");
                for (s, d) in scopes {
                    out.push_str("<li><code>");
                    esc(out, s);
                    out.push_str("</code> ");
                    esc(out, d.as_str().unwrap_or(""));
                    out.push_str("</li>");
                }
                out.push_str("</ul>");
            }
            out.push_str("</div>");
        }
        if let Some(d) = scheme.get("description").and_then(Value::as_str) {
            markdown(out, d);
        }
        out.push_str("</td></tr>");
    }
    out.push_str("</tbody></table></div>");
    Some(anchor)
}

/// `[{name: [scopes]}]` as a list of scheme names.
pub(super) fn requirements(out: &mut String, security: &Value, anchor: Option<&str>) {
    let Some(list) = security.as_array() else { return };
    if list.is_empty() || list.iter().all(|r| r.as_object().is_some_and(Map::is_empty)) {
        out.push_str("<span class=\"muted\">none (public)</span>");
        return;
    }
    for (i, req) in list.iter().enumerate() {
        if i > 0 {
            out.push_str(" <span class=\"muted\">or</span> ");
        }
        let Some(req) = req.as_object() else { continue };
        for (j, (name, scopes)) in req.iter().enumerate() {
            if j > 0 {
                out.push_str(" + ");
            }
            match anchor {
                Some(a) => {
                    out.push_str("<a class=\"chip\" href=\"#");
                    out.push_str(a);
                    out.push_str("\">");
                    esc(out, name);
                    out.push_str("</a>");
                }
                None => {
                    out.push_str("<span class=\"chip\">");
                    esc(out, name);
                    out.push_str("</span>");
                }
            }
            let scopes: Vec<&str> =
                scopes.as_array().map(|s| s.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
            if !scopes.is_empty() {
                out.push_str(" <span class=\"muted\">");
                esc(out, &scopes.join(", "));
                out.push_str("</span>");
            }
        }
    }
}

/// One operation as an article; returns its anchor.
fn operation(
    out: &mut String,
    o: &Operation,
    resolver: &Resolver,
    anchors: &mut Anchors,
    security_anchor: Option<&str>,
    v2: bool,
) -> String {
    let op = o.op;
    let anchor = match op.get("operationId").and_then(Value::as_str) {
        Some(id) => anchors.make("api-op-", id),
        None => anchors.make("api-op-", &format!("{} {}", o.method, o.path)),
    };
    let deprecated = op.get("deprecated") == Some(&Value::Bool(true));
    out.push_str("<article class=\"api-op api-op-");
    out.push_str(o.method);
    if deprecated {
        out.push_str(" api-op-deprecated");
    }
    out.push_str("\" id=\"");
    out.push_str(&anchor);
    out.push_str("\"><h4 class=\"api-op-title\"><span class=\"api-method api-method-");
    out.push_str(o.method);
    out.push_str("\">");
    out.push_str(&o.method.to_ascii_uppercase());
    out.push_str("</span> <code class=\"api-path\">");
    esc(out, o.path);
    out.push_str("</code>");
    if o.webhook {
        out.push_str(" <span class=\"chip\">webhook</span>");
    }
    if deprecated {
        out.push_str(" <span class=\"api-deprecated\">deprecated</span>");
    }
    out.push_str(" <a class=\"api-anchor\" href=\"#");
    out.push_str(&anchor);
    out.push_str("\" aria-label=\"Link to this operation\">#</a></h4>");
    if let Some(s) = op.get("summary").and_then(Value::as_str) {
        out.push_str("<p class=\"api-summary\">");
        esc(out, s);
        out.push_str("</p>");
    }
    if let Some(d) = op.get("description").and_then(Value::as_str) {
        markdown(out, d);
    }
    if let Some(id) = op.get("operationId").and_then(Value::as_str) {
        out.push_str("<p class=\"api-opid\"><span class=\"meta-label\">Operation ID</span> <code>");
        esc(out, id);
        out.push_str("</code></p>");
    }
    if let Some(security) = op.get("security") {
        out.push_str("<p class=\"api-op-security\"><span class=\"meta-label\">Security</span> ");
        requirements(out, security, security_anchor);
        out.push_str("</p>");
    }

    // Operation parameters override path parameters of the same name and place.
    let mut params: Vec<&Value> = Vec::new();
    for list in [op.get("parameters"), o.path_params].into_iter().flatten() {
        let Some(list) = list.as_array() else { continue };
        for p in list {
            let p = resolver.deref(p);
            let key = (p.get("name"), p.get("in"));
            if !params.iter().any(|q| (q.get("name"), q.get("in")) == key) {
                params.push(p);
            }
        }
    }
    let (body_params, params): (Vec<&Value>, Vec<&Value>) = params
        .into_iter()
        .partition(|p| matches!(p.get("in").and_then(Value::as_str), Some("body") | Some("formData")));
    if !params.is_empty() {
        out.push_str("<h5>Parameters</h5><div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Parameters\"><table class=\"api-table api-params\"><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">In</th><th scope=\"col\">Type</th><th scope=\"col\">Description</th></tr></thead><tbody>");
        for p in params {
            out.push_str("<tr><td><code>");
            esc(out, p.get("name").and_then(Value::as_str).unwrap_or("?"));
            out.push_str("</code>");
            if p.get("required") == Some(&Value::Bool(true)) {
                out.push_str(" <span class=\"api-required\">required</span>");
            }
            if p.get("deprecated") == Some(&Value::Bool(true)) {
                out.push_str(" <span class=\"api-deprecated\">deprecated</span>");
            }
            out.push_str("</td><td>");
            esc(out, p.get("in").and_then(Value::as_str).unwrap_or(""));
            out.push_str("</td><td>");
            // 2.0 puts the type on the parameter, 3.x in `schema`.
            match p.get("schema") {
                Some(s) => resolver.type_label(out, s),
                None => resolver.type_label(out, p),
            }
            out.push_str("</td><td>");
            if let Some(d) = p.get("description").and_then(Value::as_str) {
                markdown(out, d);
            }
            let schema = p.get("schema").unwrap_or(p);
            if let Some(Value::Array(values)) = resolver.deref(schema).get("enum") {
                out.push_str("<p class=\"api-enum\">one of ");
                for (i, v) in values.iter().take(30).enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str("<code>");
                    esc(out, &scalar(v));
                    out.push_str("</code>");
                }
                out.push_str("</p>");
            }
            if let Some(d) = resolver.deref(schema).get("default") {
                out.push_str("<p class=\"api-default\">default <code>");
                esc(out, &scalar(d));
                out.push_str("</code></p>");
            }
            if let Some(e) = p.get("example") {
                out.push_str("<p class=\"api-default\">example <code>");
                esc(out, &scalar(e));
                out.push_str("</code></p>");
            }
            out.push_str("</td></tr>");
        }
        out.push_str("</tbody></table></div>");
    }

    // Request body: 3.x `requestBody`, 2.0 `body`/`formData` parameters.
    if v2 {
        if !body_params.is_empty() {
            out.push_str("<h5>Request body</h5>");
            media_types(out, op.get("consumes").or(o.root_consumes));
            for p in body_params {
                out.push_str("<div class=\"api-body\">");
                if p.get("in").and_then(Value::as_str) == Some("formData") {
                    out.push_str("<p><span class=\"chip\">form field</span> <code>");
                    esc(out, p.get("name").and_then(Value::as_str).unwrap_or("?"));
                    out.push_str("</code> ");
                    resolver.type_label(out, p);
                    if p.get("required") == Some(&Value::Bool(true)) {
                        out.push_str(" <span class=\"api-required\">required</span>");
                    }
                    out.push_str("</p>");
                    if let Some(d) = p.get("description").and_then(Value::as_str) {
                        markdown(out, d);
                    }
                } else {
                    if let Some(d) = p.get("description").and_then(Value::as_str) {
                        markdown(out, d);
                    }
                    if let Some(s) = p.get("schema") {
                        resolver.render(out, s);
                    }
                }
                out.push_str("</div>");
            }
        }
    } else if let Some(body) = op.get("requestBody") {
        let body = resolver.deref(body);
        out.push_str("<h5>Request body");
        if body.get("required") == Some(&Value::Bool(true)) {
            out.push_str(" <span class=\"api-required\">required</span>");
        }
        out.push_str("</h5>");
        if let Some(d) = body.get("description").and_then(Value::as_str) {
            markdown(out, d);
        }
        content(out, body.get("content"), resolver);
    }

    if let Some(Value::Object(responses)) = op.get("responses") {
        out.push_str("<h5>Responses</h5><ul class=\"api-responses\">");
        for (status, response) in responses {
            let response = resolver.deref(response);
            let class = match status.chars().next() {
                Some('2') => "ok",
                Some('3') => "redirect",
                Some('4') | Some('5') => "error",
                _ => "other",
            };
            out.push_str("<li class=\"api-response\"><span class=\"api-status api-status-");
            out.push_str(class);
            out.push_str("\">");
            esc(out, status);
            out.push_str("</span>");
            if let Some(d) = response.get("description").and_then(Value::as_str) {
                markdown(out, d);
            }
            if let Some(Value::Object(headers)) = response.get("headers") {
                out.push_str("<p class=\"api-headers\"><span class=\"meta-label\">Headers</span> ");
                for (i, (name, h)) in headers.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str("<code>");
                    esc(out, name);
                    out.push_str("</code> ");
                    let h = resolver.deref(h);
                    resolver.type_label(out, h.get("schema").unwrap_or(h));
                }
                out.push_str("</p>");
            }
            if v2 {
                if let Some(schema) = response.get("schema") {
                    media_types(out, op.get("produces").or(o.root_produces));
                    resolver.render(out, schema);
                }
                if let Some(Value::Object(examples)) = response.get("examples") {
                    for (mime, example) in examples {
                        out.push_str("<p class=\"api-example-title\">Example <code>");
                        esc(out, mime);
                        out.push_str("</code></p>");
                        example_block(out, example, MAX_EXAMPLE_BYTES);
                    }
                }
            } else {
                content(out, response.get("content"), resolver);
            }
            out.push_str("</li>");
        }
        out.push_str("</ul>");
    }
    out.push_str("</article>");
    anchor
}

fn media_types(out: &mut String, list: Option<&Value>) {
    let Some(Value::Array(list)) = list else { return };
    out.push_str("<p class=\"api-media\">");
    for (i, m) in list.iter().filter_map(Value::as_str).enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str("<code class=\"api-media-type\">");
        esc(out, m);
        out.push_str("</code>");
    }
    out.push_str("</p>");
}

/// A 3.x `content` map: each media type with its schema and examples.
fn content(out: &mut String, content: Option<&Value>, resolver: &Resolver) {
    let Some(Value::Object(content)) = content else { return };
    for (mime, media) in content {
        out.push_str("<div class=\"api-body\"><p class=\"api-media\"><code class=\"api-media-type\">");
        esc(out, mime);
        out.push_str("</code></p>");
        if let Some(schema) = media.get("schema") {
            resolver.render(out, schema);
        }
        if let Some(example) = media.get("example") {
            out.push_str("<p class=\"api-example-title\">Example</p>");
            example_block(out, example, MAX_EXAMPLE_BYTES);
        }
        if let Some(Value::Object(examples)) = media.get("examples") {
            for (name, example) in examples.iter().take(10) {
                let example = resolver.deref(example);
                out.push_str("<p class=\"api-example-title\">Example <code>");
                esc(out, name);
                out.push_str("</code>");
                if let Some(s) = example.get("summary").and_then(Value::as_str) {
                    out.push(' ');
                    esc(out, s);
                }
                out.push_str("</p>");
                match example.get("value") {
                    Some(v) => example_block(out, v, MAX_EXAMPLE_BYTES),
                    None => {
                        if let Some(u) = example.get("externalValue").and_then(Value::as_str) {
                            out.push_str("<p>");
                            link(out, u, u);
                            out.push_str("</p>");
                        }
                    }
                }
            }
        }
        out.push_str("</div>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn petstore_v3() -> Value {
        json!({
            "openapi": "3.0.0",
            "info": {"title": "Petstore", "version": "1.0.0", "license": {"name": "MIT"}, "description": "Pets **and** more"},
            "servers": [{"url": "http://petstore.swagger.io/v1"}],
            "tags": [{"name": "pets", "description": "Everything about pets"}],
            "security": [{"key": []}],
            "paths": {
                "/pets": {
                    "parameters": [{"name": "trace", "in": "header", "schema": {"type": "string"}}],
                    "get": {
                        "summary": "List all pets", "operationId": "listPets", "tags": ["pets"],
                        "parameters": [{"$ref": "#/components/parameters/limit"}],
                        "responses": {
                            "200": {"description": "A paged array of pets", "headers": {"x-next": {"schema": {"type": "string"}}},
                                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pets"}, "example": [{"id": 1, "name": "Rex"}]}}},
                            "default": {"$ref": "#/components/responses/Error"}
                        }
                    },
                    "post": {"summary": "Create a pet", "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}, "responses": {"201": {"description": "Null response"}}}
                }
            },
            "components": {
                "parameters": {"limit": {"name": "limit", "in": "query", "description": "How many", "schema": {"type": "integer", "format": "int32"}}},
                "responses": {"Error": {"description": "unexpected error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}},
                "securitySchemes": {"key": {"type": "apiKey", "name": "X-Key", "in": "header"}},
                "schemas": {
                    "Pet": {"type": "object", "required": ["id", "name"], "properties": {"id": {"type": "integer", "format": "int64"}, "name": {"type": "string"}, "tag": {"type": "string"}}},
                    "Pets": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}},
                    "Error": {"type": "object", "properties": {"code": {"type": "integer"}, "message": {"type": "string"}}}
                }
            }
        })
    }

    #[test]
    fn renders_a_3x_reference() {
        let r = render(&petstore_v3()).expect("renders");
        let html = &r.html;
        assert_eq!(r.label, "OpenAPI 3.0.0");
        assert!(html.contains("id=\"api-op-listPets\""), "deep link by operationId");
        assert!(
            html.contains("<span class=\"api-method api-method-get\">GET</span> <code class=\"api-path\">/pets</code>")
        );
        assert!(html.contains("<code>limit</code>"), "parameter $ref resolved");
        assert!(html.contains("<code>trace</code>"), "path-level parameter inherited");
        assert!(html.contains("integer (int32)"));
        assert!(html.contains("<strong>and</strong>"), "markdown description");
        assert!(html.contains("http://petstore.swagger.io/v1"));
        assert!(html.contains("unexpected error"), "response $ref resolved");
        assert!(html.contains("<a class=\"api-ref\" href=\"#api-schema-Pet\">Pet</a>"), "{html}");
        assert!(html.contains("&quot;Rex&quot;"), "example");
        assert!(html.contains("X-Key"), "security scheme");
        assert!(html.contains("id=\"api-schema-Error\""), "named schemas listed");
        assert!(html.contains("MIT"));
        let titles: Vec<&str> = r.outline.iter().map(|g| g.title.as_str()).collect();
        assert_eq!(titles, ["pets", "Operations", "Schemas"]);
        assert_eq!(r.outline[0].items[0].anchor, "api-op-listPets");
        assert_eq!(r.outline[0].items[0].badge.as_deref(), Some("get"));
    }

    #[test]
    fn renders_swagger_2() {
        let doc = json!({
            "swagger": "2.0",
            "info": {"title": "Old", "version": "2"},
            "host": "api.example.com", "basePath": "/v2", "schemes": ["https"],
            "securityDefinitions": {"oauth": {"type": "oauth2", "flow": "implicit", "authorizationUrl": "https://auth.example.com", "scopes": {"read": "Read things"}}},
            "paths": {"/things/{id}": {"put": {
                "parameters": [
                    {"name": "id", "in": "path", "required": true, "type": "string"},
                    {"name": "body", "in": "body", "schema": {"$ref": "#/definitions/Thing"}}
                ],
                "security": [{"oauth": ["read"]}],
                "responses": {"200": {"description": "ok", "schema": {"type": "array", "items": {"$ref": "#/definitions/Thing"}}, "examples": {"application/json": {"a": 1}}}}
            }}},
            "definitions": {"Thing": {"type": "object", "properties": {"size": {"type": "number"}}}}
        });
        let r = render(&doc).expect("renders");
        assert_eq!(r.label, "Swagger 2.0");
        assert!(r.html.contains("https://api.example.com/v2"));
        assert!(r.html.contains("Request body"));
        assert!(r.html.contains(">size</code>"), "body schema expanded: {}", r.html);
        assert!(r.html.contains("array of</span> <a class=\"api-ref\" href=\"#api-schema-Thing\">Thing</a>"));
        assert!(r.html.contains("Read things"));
        assert!(r.html.contains("id=\"api-op-put-things-id\""));
        assert!(r.html.contains("<span class=\"muted\">read</span>"), "scopes of the requirement");
    }

    #[test]
    fn webhooks_of_3_1() {
        let doc = json!({"openapi": "3.1.0", "info": {"title": "W", "version": "1"}, "webhooks": {"newPet": {"post": {"requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}}, "responses": {"200": {"description": "ok"}}}}}});
        let r = render(&doc).expect("renders");
        assert!(r.html.contains("webhook"));
        assert_eq!(r.outline[0].title, "Webhooks");
    }

    #[test]
    fn not_openapi_is_an_issue() {
        assert!(render(&json!({"hello": "world"})).is_err());
        assert!(render(&json!(["a"])).is_err());
    }

    #[test]
    fn cyclic_schemas_render() {
        let doc = json!({"openapi": "3.0.3", "info": {"title": "C", "version": "1"},
            "paths": {"/n": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/N"}}}}}}}},
            "components": {"schemas": {"N": {"properties": {"next": {"$ref": "#/components/schemas/N"}}}}}});
        let r = render(&doc).expect("renders");
        assert!(r.html.contains("circular"));
    }

    #[test]
    fn many_operations_stay_under_the_budget() {
        let mut paths = Map::new();
        for i in 0..5000 {
            paths.insert(format!("/items/{i}"), json!({"get": {"summary": "An item with a long summary to take space", "responses": {"200": {"description": "The item, described at some length so that it takes space"}}}}));
        }
        let doc = json!({"openapi": "3.0.0", "info": {"title": "Big", "version": "1"}, "paths": paths});
        let r = render(&doc).expect("renders");
        assert!(r.html.len() < super::super::REFERENCE_BUDGET + 64 * 1024, "{}", r.html.len());
        assert!(r.note.is_some_and(|n| n.contains("of 5000 operations")));
    }
}
