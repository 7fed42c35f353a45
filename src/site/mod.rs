//! Stage 5 — site model: what pages and data files the portal consists of.

use serde_json::{Map, Value};

use crate::catalog::Catalog;

/// `api/entities.json`: every entity as Backstage's REST API returns it
/// (`GET /api/catalog/entities`), sorted by ref.
pub fn entities_json(catalog: &Catalog) -> Vec<u8> {
    let list: Vec<Value> = catalog
        .entities
        .iter()
        .map(|e| {
            let mut out = Map::new();
            for key in ["apiVersion", "kind", "metadata", "spec", "relations"] {
                if let Some(v) = e.data.get(key) {
                    out.insert(key.to_string(), v.clone());
                }
            }
            Value::Object(out)
        })
        .collect();
    let mut bytes = serde_json::to_vec(&list).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// Writes every page and data file into `staging`; returns the number of files written.
pub fn render(
    config: &crate::config::Config,
    catalog: &Catalog,
    sources: &[crate::sources::Source],
    staging: &crate::output::Staging,
) -> std::io::Result<usize> {
    staging.write("api/entities.json", &entities_json(catalog))?;
    let mut html = String::new();
    html.push_str("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>");
    html.push_str(&escape(&config.site.title));
    html.push_str("</title></head><body><h1>");
    html.push_str(&escape(&config.site.title));
    html.push_str("</h1><ul>\n");
    for e in &catalog.entities {
        html.push_str(&format!(
            "<li>{} <code>{}</code> — {}</li>\n",
            escape(&e.kind),
            escape(&e.entity_ref),
            escape(&sources[e.file.source].display(&e.file.rel))
        ));
    }
    html.push_str("</ul></body></html>\n");
    staging.write("index.html", html.as_bytes())?;
    Ok(2)
}

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
