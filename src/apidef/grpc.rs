//! Protocol Buffers: the `.proto` source highlighted, messages and enums
//! anchored and linked, with an outline of services and their RPCs.

use super::lexer::{self, Kind, Lang, Marks, Token};
use super::{Anchors, DefinitionIssue, OutlineGroup, OutlineItem, Reference, RAW_INLINE_BYTES};

const KEYWORDS: [&str; 22] = [
    "syntax",
    "edition",
    "package",
    "import",
    "option",
    "message",
    "enum",
    "service",
    "rpc",
    "returns",
    "stream",
    "repeated",
    "optional",
    "required",
    "oneof",
    "map",
    "reserved",
    "extensions",
    "extend",
    "to",
    "max",
    "public",
];

pub fn render(src: &str) -> Result<Reference, DefinitionIssue> {
    let tokens = lexer::tokens(src, Lang::Proto)?;
    let sig = lexer::significant(&tokens);
    let mut marks = Marks::default();
    let mut anchors = Anchors::default();
    let mut syntax = None;
    let mut package = None;
    let mut services: Vec<OutlineGroup> = Vec::new();
    let mut messages = OutlineGroup { title: "Messages".into(), ..Default::default() };
    let mut enums = OutlineGroup { title: "Enums".into(), ..Default::default() };
    // Enclosing message names, for nested definitions (`Outer.Inner`).
    let mut scopes: Vec<(usize, String)> = Vec::new();
    let mut depth = 0usize;

    let name_at = |k: usize| sig.get(k).map(|&i| &tokens[i]).filter(|t| t.kind == Kind::Name);
    let mut k = 0;
    while k < sig.len() {
        let t = &tokens[sig[k]];
        match (t.kind, t.text) {
            (Kind::Punct, "{") => depth += 1,
            (Kind::Punct, "}") => {
                depth = depth.saturating_sub(1);
                while scopes.last().is_some_and(|(d, _)| *d > depth) {
                    scopes.pop();
                }
            }
            (Kind::Name, word) if KEYWORDS.contains(&word) && is_statement_start(&tokens, &sig, k) => {
                marks.classes.insert(sig[k], "hl-keyword");
                match word {
                    "syntax" | "edition" => {
                        syntax = sig.get(k + 2).map(|&i| tokens[i].text.trim_matches(['"', '\'']).to_string());
                    }
                    "package" => {
                        let mut name = String::new();
                        let mut j = k + 1;
                        while let Some(&i) = sig.get(j).filter(|&&i| tokens[i].text != ";") {
                            name.push_str(tokens[i].text);
                            j += 1;
                        }
                        package = Some(name);
                    }
                    "message" | "enum" => {
                        if let Some(name) = name_at(k + 1) {
                            let full: String =
                                scopes.iter().map(|(_, n)| format!("{n}.")).chain([name.text.to_string()]).collect();
                            let anchor = anchors.make(if word == "enum" { "api-enum-" } else { "api-message-" }, &full);
                            marks.anchors.insert(sig[k + 1], anchor.clone());
                            marks.targets.entry(name.text.to_string()).or_insert_with(|| anchor.clone());
                            let group = if word == "enum" { &mut enums } else { &mut messages };
                            push(
                                group,
                                OutlineItem {
                                    label: full.clone(),
                                    badge: None,
                                    detail: None,
                                    anchor,
                                    deprecated: false,
                                },
                            );
                            scopes.push((depth + 1, name.text.to_string()));
                        }
                    }
                    "service" => {
                        if let Some(name) = name_at(k + 1) {
                            let anchor = anchors.make("api-service-", name.text);
                            marks.anchors.insert(sig[k + 1], anchor.clone());
                            services.push(OutlineGroup {
                                title: format!("Service {}", name.text),
                                anchor: Some(anchor),
                                ..Default::default()
                            });
                        }
                    }
                    "rpc" => {
                        if let (Some(name), Some(service)) = (name_at(k + 1), services.last_mut()) {
                            let service_name = service.title.trim_start_matches("Service ").to_string();
                            let anchor = anchors.make("api-rpc-", &format!("{service_name}.{}", name.text));
                            marks.anchors.insert(sig[k + 1], anchor.clone());
                            marks.classes.insert(sig[k + 1], "hl-entity hl-name hl-function");
                            let detail = signature(&tokens, &sig, k + 2);
                            push(
                                service,
                                OutlineItem {
                                    label: name.text.to_string(),
                                    badge: Some("rpc".into()),
                                    detail: Some(detail),
                                    anchor,
                                    deprecated: false,
                                },
                            );
                        }
                    }
                    _ => {}
                }
            }
            (Kind::Name, "stream" | "returns" | "repeated" | "optional" | "map") => {
                marks.classes.insert(sig[k], "hl-keyword");
            }
            _ => {}
        }
        k += 1;
    }
    let mut outline = services;
    for g in [messages, enums] {
        if !g.items.is_empty() {
            outline.push(g);
        }
    }
    let (html, shown) = lexer::write(src, &tokens, &marks, RAW_INLINE_BYTES);
    let note = shown.map(|_| {
        "Only the first part of the file is shown; the outline may name definitions further down.".to_string()
    });
    let mut label = String::from("Protocol Buffers");
    if let Some(s) = syntax {
        label.push_str(&format!(" ({s})"));
    }
    if let Some(p) = package {
        label.push_str(&format!(" · package {p}"));
    }
    let rpcs: usize = outline.iter().filter(|g| g.title.starts_with("Service ")).map(|g| g.items.len() + g.more).sum();
    if rpcs > 0 {
        label.push_str(&format!(" · {rpcs} RPC{}", if rpcs == 1 { "" } else { "s" }));
    }
    Ok(Reference { label, html: String::new(), outline, note, source_html: Some(html), source_shown_lines: shown })
}

fn push(group: &mut OutlineGroup, item: OutlineItem) {
    group.add(item);
}

/// A keyword counts where a statement starts: first, or after `;`, `{` or `}`.
fn is_statement_start(tokens: &[Token], sig: &[usize], k: usize) -> bool {
    k == 0 || matches!(tokens[sig[k - 1]].text, ";" | "{" | "}")
}

/// `(HelloRequest) returns (stream HelloReply)` as "HelloRequest → stream HelloReply".
fn signature(tokens: &[Token], sig: &[usize], mut j: usize) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current: Option<String> = None;
    while let Some(&i) = sig.get(j) {
        match tokens[i].text {
            "(" => current = Some(String::new()),
            ")" => {
                parts.extend(current.take());
                if parts.len() == 2 {
                    break;
                }
            }
            "{" | ";" => break,
            text => {
                if let Some(c) = current.as_mut() {
                    if text == "stream" {
                        c.push_str("stream ");
                    } else {
                        c.push_str(text);
                    }
                }
            }
        }
        j += 1;
    }
    parts.join(" → ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROTO: &str = r#"// Greeter
syntax = "proto3";
package helloworld.v1;

service Greeter {
  // Sends a greeting
  rpc SayHello (HelloRequest) returns (HelloReply) {}
  rpc Chat (stream HelloRequest) returns (stream HelloReply);
}

message HelloRequest {
  string name = 1;
  message Meta { map<string, string> tags = 1; }
  Meta meta = 2;
  Mood mood = 3;
}
message HelloReply { string message = 1; }
enum Mood { MOOD_UNSPECIFIED = 0; HAPPY = 1; }
"#;

    #[test]
    fn outlines_services_rpcs_and_messages() {
        let r = render(PROTO).expect("parses");
        assert_eq!(r.label, "Protocol Buffers (proto3) · package helloworld.v1 · 2 RPCs");
        let titles: Vec<&str> = r.outline.iter().map(|g| g.title.as_str()).collect();
        assert_eq!(titles, ["Service Greeter", "Messages", "Enums"]);
        let rpcs: Vec<(&str, Option<&str>)> =
            r.outline[0].items.iter().map(|i| (i.label.as_str(), i.detail.as_deref())).collect();
        assert_eq!(
            rpcs,
            [
                ("SayHello", Some("HelloRequest → HelloReply")),
                ("Chat", Some("stream HelloRequest → stream HelloReply"))
            ]
        );
        let messages: Vec<&str> = r.outline[1].items.iter().map(|i| i.label.as_str()).collect();
        assert_eq!(messages, ["HelloRequest", "HelloRequest.Meta", "HelloReply"]);
        let html = r.source_html.expect("source");
        assert!(html.contains("id=\"api-rpc-Greeter.SayHello\""), "{html}");
        assert!(html.contains("href=\"#api-message-HelloRequest\">HelloRequest</a>"));
        assert!(html.contains("href=\"#api-enum-Mood\">Mood</a>"));
        assert!(html.contains("<span class=\"hl-m\">// Greeter</span>"));
        assert!(html.contains("<span class=\"hl-keyword\">service</span>"));
    }

    #[test]
    fn malformed_proto_is_an_issue() {
        let err = render("service A {\n  rpc B (C) returns (D);\n").err().expect("fails");
        assert_eq!(err.line, Some(1));
    }
}
