//! AsyncAPI 2.x and 3.x as a reference: info, servers, channels with their
//! operations (2.x `publish`/`subscribe`, 3.x `send`/`receive`), messages
//! with headers and payload schemas, and the named schemas.

use serde_json::{Map, Value};

use super::openapi::{info_section, scalar};
use super::schema::Resolver;
use super::{esc, example_block, markdown, Anchors, DefinitionIssue, OutlineGroup, OutlineItem, Reference};

const MAX_EXAMPLE_BYTES: usize = 4 * 1024;

pub fn render(doc: &Value) -> Result<Reference, DefinitionIssue> {
    let Some(root) = doc.as_object() else {
        return Err(DefinitionIssue {
            line: None,
            message: "an AsyncAPI document is a mapping at the top level".into(),
        });
    };
    let Some(version) = root.get("asyncapi").map(scalar) else {
        return Err(DefinitionIssue {
            line: None,
            message: "no `asyncapi` field at the top: this does not look like an AsyncAPI document; fix the definition or change spec.type".into(),
        });
    };
    let v3 = !version.starts_with('2') && !version.starts_with('1');
    let mut anchors = Anchors::default();
    let mut resolver = Resolver::new(doc);
    let named = root.get("components").and_then(|c| c.get("schemas")).and_then(Value::as_object);
    let mut named_anchors = Vec::new();
    if let Some(named) = named {
        for name in named.keys() {
            let anchor = anchors.make("api-schema-", name);
            let pointer_name = name.replace('~', "~0").replace('/', "~1");
            resolver.name_schema(format!("#/components/schemas/{pointer_name}"), anchor.clone());
            named_anchors.push((name.as_str(), anchor));
        }
    }

    let mut out = String::with_capacity(16 * 1024);
    out.push_str("<section class=\"api-info\" aria-label=\"About this API\">");
    info_section(&mut out, root);
    servers(&mut out, root);
    out.push_str("</section>");

    let mut outline = Vec::new();
    let mut note = None;
    let channels = root.get("channels").and_then(Value::as_object);
    // Channel anchors first, so 3.x operations can link to their channel.
    let channel_anchors: Vec<(&str, String)> =
        channels.map(|c| c.keys().map(|k| (k.as_str(), anchors.make("api-channel-", k))).collect()).unwrap_or_default();
    let channel_anchor = |key: &str| channel_anchors.iter().find(|(k, _)| *k == key).map(|(_, a)| a.clone());

    if v3 {
        if let Some(Value::Object(ops)) = root.get("operations") {
            let mut group = OutlineGroup {
                title: "Operations".into(),
                anchor: Some("api-operations".into()),
                ..Default::default()
            };
            out.push_str("<section class=\"api-group\" aria-labelledby=\"api-operations\"><h3 class=\"api-group-title\" id=\"api-operations\">Operations <span class=\"count\">");
            out.push_str(&ops.len().to_string());
            out.push_str("</span></h3>");
            for (id, op) in ops {
                if out.len() > super::REFERENCE_BUDGET {
                    note = Some(
                        "The reference stops early to keep this page small; the raw definition has everything."
                            .to_string(),
                    );
                    break;
                }
                let op = resolver.deref(op);
                let action = op.get("action").and_then(Value::as_str).unwrap_or("operation");
                let channel_ref = op.get("channel").and_then(|c| c.get("$ref")).and_then(Value::as_str);
                let channel_key =
                    channel_ref.and_then(|r| r.strip_prefix("#/channels/")).map(crate::sources::percent_decode);
                let channel = channel_ref.and_then(|r| resolver.target(r));
                let address = channel.and_then(|c| c.get("address")).and_then(Value::as_str);
                let anchor = anchors.make("api-op-", id);
                out.push_str("<article class=\"api-op\" id=\"");
                out.push_str(&anchor);
                out.push_str("\"><h4 class=\"api-op-title\">");
                badge(&mut out, action);
                out.push_str(" <code class=\"api-path\">");
                esc(&mut out, id);
                out.push_str("</code>");
                anchor_link(&mut out, &anchor, "Link to this operation");
                out.push_str("</h4>");
                if let Some(key) = &channel_key {
                    out.push_str("<p class=\"api-media\"><span class=\"meta-label\">Channel</span> ");
                    match channel_anchor(key) {
                        Some(a) => {
                            out.push_str("<a href=\"#");
                            out.push_str(&a);
                            out.push_str("\"><code>");
                            esc(&mut out, address.unwrap_or(key));
                            out.push_str("</code></a>");
                        }
                        None => {
                            out.push_str("<code>");
                            esc(&mut out, address.unwrap_or(key));
                            out.push_str("</code>");
                        }
                    }
                    out.push_str("</p>");
                }
                op_text(&mut out, op);
                let messages: Vec<&Value> = match op.get("messages") {
                    Some(Value::Array(list)) => list.iter().collect(),
                    // Without `messages`, every message of the channel applies.
                    _ => channel
                        .and_then(|c| c.get("messages"))
                        .and_then(Value::as_object)
                        .map(|m| m.values().collect())
                        .unwrap_or_default(),
                };
                if !messages.is_empty() {
                    out.push_str("<h5>Messages</h5>");
                    for m in messages {
                        message(&mut out, m, &resolver);
                    }
                }
                out.push_str("</article>");
                group.add(OutlineItem {
                    label: id.clone(),
                    badge: Some(action.to_string()),
                    detail: address.map(String::from).or(channel_key.clone()),
                    anchor,
                    deprecated: false,
                });
            }
            out.push_str("</section>");
            outline.push(group);
        }
    }

    if let Some(channels) = channels.filter(|c| !c.is_empty()) {
        let mut group =
            OutlineGroup { title: "Channels".into(), anchor: Some("api-channels".into()), ..Default::default() };
        out.push_str("<section class=\"api-group\" aria-labelledby=\"api-channels\"><h3 class=\"api-group-title\" id=\"api-channels\">Channels <span class=\"count\">");
        out.push_str(&channels.len().to_string());
        out.push_str("</span></h3>");
        for (key, channel) in channels {
            if out.len() > super::REFERENCE_BUDGET {
                note = Some(
                    "The reference stops early to keep this page small; the raw definition has everything.".to_string(),
                );
                break;
            }
            let channel = resolver.deref(channel);
            let anchor = channel_anchor(key).unwrap_or_default();
            let address = if v3 { channel.get("address").and_then(Value::as_str).unwrap_or(key) } else { key };
            out.push_str("<article class=\"api-channel\" id=\"");
            out.push_str(&anchor);
            out.push_str("\"><h4><code class=\"api-path\">");
            esc(&mut out, address);
            out.push_str("</code>");
            if v3 && address != key {
                out.push_str(" <span class=\"muted\">");
                esc(&mut out, key);
                out.push_str("</span>");
            }
            anchor_link(&mut out, &anchor, "Link to this channel");
            out.push_str("</h4>");
            if let Some(d) = channel.get("description").and_then(Value::as_str) {
                markdown(&mut out, d);
            }
            parameters(&mut out, channel.get("parameters"), &resolver);
            if v3 {
                if let Some(Value::Object(messages)) = channel.get("messages") {
                    out.push_str("<h5>Messages</h5><ul class=\"api-props\">");
                    for (name, m) in messages {
                        let m = resolver.deref(m);
                        out.push_str("<li><code class=\"api-prop-name\">");
                        esc(&mut out, name);
                        out.push_str("</code> ");
                        if let Some(p) = m.get("payload") {
                            resolver.type_label(&mut out, p);
                        }
                        if let Some(s) = m.get("summary").and_then(Value::as_str) {
                            out.push_str(" <span class=\"muted\">");
                            esc(&mut out, s);
                            out.push_str("</span>");
                        }
                        out.push_str("</li>");
                    }
                    out.push_str("</ul>");
                }
                group.add(OutlineItem {
                    label: address.to_string(),
                    badge: None,
                    detail: None,
                    anchor,
                    deprecated: false,
                });
            } else {
                let mut first = true;
                for action in ["publish", "subscribe"] {
                    let Some(op) = channel.get(action) else { continue };
                    let op = resolver.deref(op);
                    let op_anchor = match op.get("operationId").and_then(Value::as_str) {
                        Some(id) => anchors.make("api-op-", id),
                        None => anchors.make("api-op-", &format!("{action} {key}")),
                    };
                    out.push_str("<section class=\"api-channel-op\" id=\"");
                    out.push_str(&op_anchor);
                    out.push_str("\"><h5 class=\"api-op-title\">");
                    badge(&mut out, action);
                    if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                        out.push_str(" <code>");
                        esc(&mut out, id);
                        out.push_str("</code>");
                    }
                    anchor_link(&mut out, &op_anchor, "Link to this operation");
                    out.push_str("</h5><p class=\"muted api-action-hint\">");
                    // 2.x names the action from the application's side.
                    out.push_str(if action == "publish" {
                        "The application receives these messages: others publish them."
                    } else {
                        "The application sends these messages: others subscribe to them."
                    });
                    out.push_str("</p>");
                    op_text(&mut out, op);
                    if let Some(m) = op.get("message") {
                        message(&mut out, m, &resolver);
                    }
                    out.push_str("</section>");
                    group.add(OutlineItem {
                        label: key.clone(),
                        badge: Some(action.to_string()),
                        detail: op
                            .get("summary")
                            .and_then(Value::as_str)
                            .or(op.get("operationId").and_then(Value::as_str))
                            .map(String::from),
                        anchor: if first { anchor.clone() } else { op_anchor },
                        deprecated: false,
                    });
                    first = false;
                }
            }
            out.push_str("</article>");
        }
        out.push_str("</section>");
        outline.push(group);
    }

    if let Some(named) = named.filter(|n| !n.is_empty()) {
        if note.is_none() {
            let mut group =
                OutlineGroup { title: "Schemas".into(), anchor: Some("api-schemas".into()), ..Default::default() };
            out.push_str("<section class=\"api-group api-schemas\" aria-labelledby=\"api-schemas\"><h3 class=\"api-group-title\" id=\"api-schemas\">Schemas <span class=\"count\">");
            out.push_str(&named.len().to_string());
            out.push_str("</span></h3>");
            for (name, anchor) in &named_anchors {
                if out.len() > super::REFERENCE_BUDGET {
                    note = Some(
                        "The reference stops early to keep this page small; the raw definition has everything."
                            .to_string(),
                    );
                    break;
                }
                let Some(schema) = named.get(*name) else { continue };
                out.push_str("<article class=\"api-named-schema\" id=\"");
                out.push_str(anchor);
                out.push_str("\"><h4><code>");
                esc(&mut out, name);
                out.push_str("</code>");
                anchor_link(&mut out, anchor, "Link to this schema");
                out.push_str("</h4>");
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
    Ok(Reference {
        label: format!("AsyncAPI {version}"),
        html: out,
        outline,
        note,
        source_html: None,
        source_shown_lines: None,
    })
}

fn badge(out: &mut String, action: &str) {
    out.push_str("<span class=\"api-method api-method-");
    out.push_str(&super::slug(action));
    out.push_str("\">");
    esc(out, action);
    out.push_str("</span>");
}

fn anchor_link(out: &mut String, anchor: &str, label: &str) {
    out.push_str(" <a class=\"api-anchor\" href=\"#");
    esc(out, anchor);
    out.push_str("\" aria-label=\"");
    out.push_str(label);
    out.push_str("\">#</a>");
}

fn op_text(out: &mut String, op: &Value) {
    if let Some(t) = op.get("title").and_then(Value::as_str) {
        out.push_str("<p class=\"api-summary\">");
        esc(out, t);
        out.push_str("</p>");
    }
    if let Some(s) = op.get("summary").and_then(Value::as_str) {
        out.push_str("<p class=\"api-summary\">");
        esc(out, s);
        out.push_str("</p>");
    }
    if let Some(d) = op.get("description").and_then(Value::as_str) {
        markdown(out, d);
    }
}

/// Servers: 2.x `url`, 3.x `host` + `pathname`, with protocol and description.
fn servers(out: &mut String, root: &Map<String, Value>) {
    let Some(Value::Object(servers)) = root.get("servers") else { return };
    if servers.is_empty() {
        return;
    }
    out.push_str("<h3 class=\"api-subtitle\">Servers</h3><div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Servers\"><table class=\"api-table\"><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">URL</th><th scope=\"col\">Protocol</th><th scope=\"col\">Description</th></tr></thead><tbody>");
    for (name, s) in servers {
        out.push_str("<tr><td><code>");
        esc(out, name);
        out.push_str("</code></td><td><code class=\"api-server\">");
        let url = match s.get("url").and_then(Value::as_str) {
            Some(u) => u.to_string(),
            None => format!(
                "{}{}",
                s.get("host").and_then(Value::as_str).unwrap_or(""),
                s.get("pathname").and_then(Value::as_str).unwrap_or("")
            ),
        };
        esc(out, &url);
        out.push_str("</code></td><td>");
        esc(out, s.get("protocol").and_then(Value::as_str).unwrap_or(""));
        if let Some(v) = s.get("protocolVersion") {
            out.push(' ');
            esc(out, &scalar(v));
        }
        out.push_str("</td><td>");
        if let Some(d) = s.get("description").and_then(Value::as_str) {
            esc(out, d);
        }
        out.push_str("</td></tr>");
    }
    out.push_str("</tbody></table></div>");
}

fn parameters(out: &mut String, params: Option<&Value>, resolver: &Resolver) {
    let Some(Value::Object(params)) = params else { return };
    if params.is_empty() {
        return;
    }
    out.push_str("<h5>Parameters</h5><ul class=\"api-props\">");
    for (name, p) in params {
        let p = resolver.deref(p);
        out.push_str("<li><code class=\"api-prop-name\">");
        esc(out, name);
        out.push_str("</code> ");
        match p.get("schema") {
            Some(s) => resolver.type_label(out, s),
            None => out.push_str("<span class=\"api-type\">string</span>"),
        }
        if let Some(d) = p.get("description").and_then(Value::as_str) {
            markdown(out, d);
        }
        if let Some(Value::Array(values)) = p.get("enum") {
            out.push_str("<p class=\"api-enum\">one of ");
            esc(out, &values.iter().map(scalar).collect::<Vec<_>>().join(", "));
            out.push_str("</p>");
        }
        out.push_str("</li>");
    }
    out.push_str("</ul>");
}

/// One message (or a `oneOf` of messages): name, text, headers, payload, examples.
fn message(out: &mut String, m: &Value, resolver: &Resolver) {
    let reference = m.get("$ref").and_then(Value::as_str);
    let m = resolver.deref(m);
    if let Some(Value::Array(alternatives)) = m.get("oneOf") {
        for alt in alternatives.iter().take(20) {
            message(out, alt, resolver);
        }
        return;
    }
    out.push_str(
        "<div class=\"api-body api-message\"><p class=\"api-media\"><span class=\"chip\">message</span> <strong>",
    );
    let name = m
        .get("title")
        .or(m.get("name"))
        .and_then(Value::as_str)
        .or(reference.and_then(|r| r.rsplit('/').next()))
        .unwrap_or("message");
    esc(out, name);
    out.push_str("</strong>");
    if let Some(ct) = m.get("contentType").and_then(Value::as_str) {
        out.push_str(" <code class=\"api-media-type\">");
        esc(out, ct);
        out.push_str("</code>");
    }
    out.push_str("</p>");
    if let Some(s) = m.get("summary").and_then(Value::as_str) {
        out.push_str("<p class=\"api-summary\">");
        esc(out, s);
        out.push_str("</p>");
    }
    if let Some(d) = m.get("description").and_then(Value::as_str) {
        markdown(out, d);
    }
    // Headers may come from the message or its traits.
    let mut headers: Vec<&Value> = m.get("headers").into_iter().collect();
    if let Some(Value::Array(traits)) = m.get("traits") {
        headers.extend(traits.iter().filter_map(|t| resolver.deref(t).get("headers")));
    }
    for h in headers {
        out.push_str("<p class=\"api-example-title\">Headers</p>");
        resolver.render(out, h);
    }
    if let Some(p) = m.get("payload") {
        out.push_str("<p class=\"api-example-title\">Payload</p>");
        // 3.x may wrap the schema in a multi-format object.
        let schema = if p.get("schemaFormat").is_some() { p.get("schema").unwrap_or(p) } else { p };
        resolver.render(out, schema);
    }
    if let Some(Value::Array(examples)) = m.get("examples") {
        for ex in examples.iter().take(5) {
            let title = ex.get("name").or(ex.get("summary")).and_then(Value::as_str);
            out.push_str("<p class=\"api-example-title\">Example");
            if let Some(t) = title {
                out.push(' ');
                esc(out, t);
            }
            out.push_str("</p>");
            example_block(out, ex.get("payload").unwrap_or(ex), MAX_EXAMPLE_BYTES);
        }
    }
    out.push_str("</div>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn renders_2x_channels_with_messages() {
        let doc = json!({
            "asyncapi": "2.6.0",
            "info": {"title": "Lights", "version": "1.0.0"},
            "servers": {"production": {"url": "mqtt.example.com:{port}", "protocol": "mqtt"}},
            "channels": {
                "light/{id}/measured": {
                    "parameters": {"id": {"$ref": "#/components/parameters/id"}},
                    "subscribe": {"operationId": "receiveLight", "summary": "Light readings", "message": {"$ref": "#/components/messages/lightMeasured"}}
                },
                "light/{id}/on": {"publish": {"operationId": "turnOn", "message": {"oneOf": [{"$ref": "#/components/messages/lightMeasured"}, {"name": "plain", "payload": {"type": "string"}}]}}}
            },
            "components": {
                "parameters": {"id": {"description": "The light", "schema": {"type": "string"}}},
                "messages": {"lightMeasured": {"name": "lightMeasured", "contentType": "application/json", "payload": {"$ref": "#/components/schemas/payload"}, "examples": [{"payload": {"lumens": 3}}]}},
                "schemas": {"payload": {"type": "object", "properties": {"lumens": {"type": "integer", "minimum": 0}}}}
            }
        });
        let r = render(&doc).expect("renders");
        assert_eq!(r.label, "AsyncAPI 2.6.0");
        let html = &r.html;
        assert!(html.contains("mqtt.example.com:{port}"));
        assert!(html.contains("id=\"api-op-receiveLight\""));
        assert!(html.contains("<span class=\"api-method api-method-subscribe\">subscribe</span>"));
        assert!(html.contains(">lumens</code>"), "payload through two $refs: {html}");
        assert!(html.contains("The light"), "parameter $ref resolved");
        assert!(html.contains(">plain</strong>"), "oneOf messages");
        assert!(html.contains("&quot;lumens&quot;: 3"), "example");
        assert_eq!(r.outline.iter().map(|g| g.title.as_str()).collect::<Vec<_>>(), ["Channels", "Schemas"]);
        assert_eq!(r.outline[0].items.len(), 2);
    }

    #[test]
    fn renders_3x_operations_and_channels() {
        let doc = json!({
            "asyncapi": "3.0.0",
            "info": {"title": "Accounts", "version": "1"},
            "servers": {"prod": {"host": "broker.example.com", "pathname": "/v1", "protocol": "amqp"}},
            "channels": {"userSignedUp": {"address": "user/signedup", "messages": {"UserSignedUp": {"$ref": "#/components/messages/UserSignedUp"}}}},
            "operations": {"onUserSignUp": {"action": "receive", "channel": {"$ref": "#/channels/userSignedUp"}, "messages": [{"$ref": "#/channels/userSignedUp/messages/UserSignedUp"}]}},
            "components": {"messages": {"UserSignedUp": {"payload": {"type": "object", "properties": {"email": {"type": "string", "format": "email"}}}}}}
        });
        let r = render(&doc).expect("renders");
        let html = &r.html;
        assert!(html.contains("broker.example.com/v1"));
        assert!(html.contains("id=\"api-op-onUserSignUp\""));
        assert!(html.contains("<span class=\"api-method api-method-receive\">receive</span>"));
        assert!(html.contains("href=\"#api-channel-userSignedUp\""), "operation links its channel: {html}");
        assert!(html.contains(">email</code>"), "message payload through channel message $ref");
        assert_eq!(r.outline[0].title, "Operations");
        assert_eq!(r.outline[0].items[0].detail.as_deref(), Some("user/signedup"));
    }

    #[test]
    fn not_asyncapi_is_an_issue() {
        assert!(render(&json!({"openapi": "3.0.0"})).is_err());
    }
}
