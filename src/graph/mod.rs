//! Relation graphs and blast radius, computed at build time: the catalog is
//! indexed once (`model`), each page draws a bounded piece of it (`layout`,
//! `svg`), and `impact` answers "what breaks if this breaks?". The site
//! stage adds [`Graphs::entity_context`] and [`Graphs::problems_context`] to
//! its pages; the keys are documented in `themes/README.md`.

pub mod impact;
pub mod layout;
pub mod model;
pub mod svg;

use serde_json::{json, Map, Value};

use crate::catalog::Catalog;
use model::{GraphIndex, Node};

pub struct Graphs<'a> {
    pub index: &'a GraphIndex,
    pub impact: impact::ImpactIndex<'a>,
}

impl<'a> Graphs<'a> {
    pub fn new(index: &'a GraphIndex, catalog: &'a Catalog) -> Graphs<'a> {
        Graphs { index, impact: impact::ImpactIndex::new(index, catalog) }
    }

    /// `graph` (and `impact` for components, APIs and resources) of an entity page.
    pub fn entity_context(&self, entity: usize, root: &str) -> Map<String, Value> {
        let mut out = Map::new();
        out.insert("graph".into(), self.entity_graph(entity, root));
        if let Some(impact) = self.entity_impact(entity) {
            out.insert("impact".into(), impact);
        }
        out
    }

    /// The relation graph, or the architecture of a system or domain.
    pub fn entity_graph(&self, entity: usize, root: &str) -> Value {
        let index = self.index;
        let id = entity as u32;
        let node = &index.nodes[entity];
        let kind = node.kind.to_ascii_lowercase();
        let (graph, what) = match kind.as_str() {
            "system" => (model::system_diagram(index, id, root), "architecture"),
            "domain" => (model::domain_diagram(index, id, root), "architecture"),
            _ => (model::neighbourhood(index, id, root), "relations"),
        };
        let drawn = graph.nodes.iter().filter(|n| !matches!(n, Node::More { .. })).count();
        let title = if what == "architecture" {
            format!("Architecture of {} {}", node.kind, node.title)
        } else {
            format!("Relations of {} {}", node.kind, node.title)
        };
        let figure = svg::render(
            index,
            &graph,
            &svg::Frame { id: "graph", title: title.clone(), description: describe(index, &graph, id), root },
        );
        json!({
            "kind": what,
            "title": title,
            "html": figure.html,
            "nodes": drawn,
            "edges": figure.edges,
        })
    }

    /// The blast radius of a component, API or resource.
    pub fn entity_impact(&self, entity: usize) -> Option<Value> {
        let kind = self.index.nodes[entity].kind.to_ascii_lowercase();
        matches!(kind.as_str(), "component" | "api" | "resource")
            .then(|| serde_json::to_value(self.impact.impact(entity as u32)).unwrap_or(Value::Null))
    }

    /// `graph_problems` of the problems page.
    pub fn problems_context(&self) -> Value {
        serde_json::to_value(&self.impact.findings).unwrap_or(Value::Null)
    }
}

impl Graphs<'_> {
    /// `explorer` of the graph explorer page: `html` (the overview drawn at
    /// build time), `level` (`entities` or `systems`), `kinds[]` and
    /// `relations[]` (`{value, label, checked}`) for the filters.
    pub fn explorer_context(&self, root: &str) -> Value {
        let index = self.index;
        let (graph, systems) = model::overview(index, root);
        let title = if systems { "The catalog's systems and how they depend on each other" } else { "The catalog" };
        let description = if systems {
            "The most connected systems; an arrow means parts of one system depend on parts of the other, labelled with how many relations. Every box links to its page."
        } else {
            "Every component, API, resource, system and domain with their dependencies and what they are part of. Every box links to its page."
        };
        let figure = svg::render(
            index,
            &graph,
            &svg::Frame { id: "overview", title: title.into(), description: description.into(), root },
        );
        let mut kinds: Vec<&str> = Vec::new();
        for n in &index.nodes[..index.entity_count] {
            if !kinds.contains(&n.kind.as_str()) {
                kinds.push(&n.kind);
            }
        }
        kinds.sort_by_key(|k| (crate::site::views::kind_rank(k), k.to_string()));
        let kinds: Vec<Value> = kinds
            .iter()
            .map(|k| json!({"value": k, "label": k, "checked": model::ARCHITECTURE_KINDS.contains(k)}))
            .collect();
        let relations: Vec<Value> = model::EdgeType::ALL
            .iter()
            .map(|t| json!({"value": t.slug(), "label": t.label(), "checked": t.is_dependency() || *t == model::EdgeType::PartOf}))
            .collect();
        json!({
            "title": title,
            "html": figure.html,
            "level": if systems { "systems" } else { "entities" },
            "nodes": graph.nodes.len(),
            "kinds": kinds,
            "relations": relations,
        })
    }

    /// `graph/_data/graph.js`: every entity and relation, compact, for the
    /// explorer's script (a script, not JSON, so it loads from `file://`).
    pub fn explorer_data(&self) -> Vec<u8> {
        let index = self.index;
        let n = index.entity_count;
        let mut kinds: Vec<&str> = Vec::new();
        let mut kind_of = Vec::with_capacity(n);
        for node in &index.nodes[..n] {
            let k = match kinds.iter().position(|k| *k == node.kind) {
                Some(k) => k,
                None => {
                    kinds.push(&node.kind);
                    kinds.len() - 1
                }
            };
            kind_of.push(k);
        }
        let nodes: Vec<Value> = (0..n)
            .map(|i| {
                let node = &index.nodes[i];
                json!([
                    kind_of[i],
                    node.title,
                    node.url,
                    index.system_of[i],
                    Value::Null,
                    node.lifecycle,
                    node.entity_ref
                ])
            })
            .collect();
        let position = |t: model::EdgeType| model::EdgeType::ALL.iter().position(|x| *x == t).unwrap_or(0);
        let mut edges: Vec<Value> = Vec::new();
        for (i, list) in index.adj[..n].iter().enumerate() {
            for a in list {
                if a.out && (a.other as usize) < n {
                    edges.push(json!([i, a.other, position(a.ty)]));
                }
            }
        }
        let relations: Vec<Value> = model::EdgeType::ALL.iter().map(|t| json!([t.slug(), t.label()])).collect();
        let data = json!({"kinds": kinds, "relations": relations, "nodes": nodes, "edges": edges});
        let text = serde_json::to_string(&data).unwrap_or_else(|_| "null".into());
        format!("window.PORTALGEN_GRAPH = {};\n", text.replace("</", "<\\/")).into_bytes()
    }
}

/// A sentence for the SVG's `<desc>`: what is drawn around the entity.
fn describe(index: &GraphIndex, graph: &model::Graph, id: u32) -> String {
    let node = &index.nodes[id as usize];
    let center = graph.nodes.iter().position(|n| matches!(n, Node::Entity { id: c, .. } if *c == id));
    let mut counts: std::collections::BTreeMap<(model::EdgeType, bool), usize> = Default::default();
    for e in &graph.edges {
        if Some(e.from) == center {
            *counts.entry((e.ty, true)).or_default() += e.count;
        } else if Some(e.to) == center {
            *counts.entry((e.ty, false)).or_default() += e.count;
        }
    }
    let parts: Vec<String> = counts.iter().map(|((ty, out), n)| format!("{n} {}", ty.group_noun(*out))).collect();
    if let Some((_, inside)) = &graph.cluster {
        let others = graph.nodes.iter().filter(|n| matches!(n, Node::Outside { .. })).count();
        return format!(
            "{} {}: {} parts drawn inside, {} other systems connected around it. Every box links to its page.",
            node.kind,
            node.title,
            inside.len(),
            others
        );
    }
    if parts.is_empty() {
        format!("{} {} has no relations.", node.kind, node.title)
    } else {
        format!("{} {}: {}. Every box links to its page.", node.kind, node.title, parts.join(", "))
    }
}
