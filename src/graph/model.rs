//! The catalog as a graph, indexed once per build, and the small graphs the
//! pages draw from it: an entity's neighbourhood, a system's or domain's
//! architecture. Every extraction is bounded: big fans collapse into
//! "+N more" nodes, so a page's work and size do not grow with the catalog.

use std::collections::{BTreeMap, HashMap, HashSet};

use rayon::prelude::*;

use crate::catalog::Catalog;
use crate::config::UrlStyle;
use crate::entities::relations as rel;
use crate::entities::EntityRef;
use crate::site::{urls, views};

/// The relation types drawn, each in one direction: from the dependent (or
/// the part, the member) to what it relies on (the whole, the group).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EdgeType {
    DependsOn,
    ConsumesApi,
    /// An API relies on the component providing it.
    ProvidedBy,
    PartOf,
    OwnedBy,
    MemberOf,
    ChildOf,
}

impl EdgeType {
    pub const ALL: [EdgeType; 7] = [
        EdgeType::DependsOn,
        EdgeType::ConsumesApi,
        EdgeType::ProvidedBy,
        EdgeType::PartOf,
        EdgeType::OwnedBy,
        EdgeType::MemberOf,
        EdgeType::ChildOf,
    ];

    pub fn label(self) -> &'static str {
        match self {
            EdgeType::DependsOn => "depends on",
            EdgeType::ConsumesApi => "consumes",
            EdgeType::ProvidedBy => "provided by",
            EdgeType::PartOf => "part of",
            EdgeType::OwnedBy => "owned by",
            EdgeType::MemberOf => "member of",
            EdgeType::ChildOf => "child of",
        }
    }

    /// CSS class suffix and explorer filter value.
    pub fn slug(self) -> &'static str {
        match self {
            EdgeType::DependsOn => "depends-on",
            EdgeType::ConsumesApi => "consumes",
            EdgeType::ProvidedBy => "provided-by",
            EdgeType::PartOf => "part-of",
            EdgeType::OwnedBy => "owned-by",
            EdgeType::MemberOf => "member-of",
            EdgeType::ChildOf => "child-of",
        }
    }

    /// Whether failure travels along this edge (blast radius, second hop).
    pub fn is_dependency(self) -> bool {
        matches!(self, EdgeType::DependsOn | EdgeType::ConsumesApi | EdgeType::ProvidedBy)
    }

    /// A relation seen from the entity holding it: the edge type and whether
    /// the edge leaves that entity.
    pub fn of_relation(kind: &str) -> Option<(EdgeType, bool)> {
        Some(match kind {
            rel::DEPENDS_ON => (EdgeType::DependsOn, true),
            rel::DEPENDENCY_OF => (EdgeType::DependsOn, false),
            rel::CONSUMES_API => (EdgeType::ConsumesApi, true),
            rel::API_CONSUMED_BY => (EdgeType::ConsumesApi, false),
            rel::API_PROVIDED_BY => (EdgeType::ProvidedBy, true),
            rel::PROVIDES_API => (EdgeType::ProvidedBy, false),
            rel::PART_OF => (EdgeType::PartOf, true),
            rel::HAS_PART => (EdgeType::PartOf, false),
            rel::OWNED_BY => (EdgeType::OwnedBy, true),
            rel::OWNER_OF => (EdgeType::OwnedBy, false),
            rel::MEMBER_OF => (EdgeType::MemberOf, true),
            rel::HAS_MEMBER => (EdgeType::MemberOf, false),
            rel::CHILD_OF => (EdgeType::ChildOf, true),
            rel::PARENT_OF => (EdgeType::ChildOf, false),
            _ => return None,
        })
    }

    /// How the other end is described, seen from an entity: "dependents",
    /// "consumers" and so on (for "+N more" nodes).
    pub fn group_noun(self, out: bool) -> &'static str {
        match (self, out) {
            (EdgeType::DependsOn, true) => "dependencies",
            (EdgeType::DependsOn, false) => "dependents",
            (EdgeType::ConsumesApi, true) => "consumed APIs",
            (EdgeType::ConsumesApi, false) => "consumers",
            (EdgeType::ProvidedBy, true) => "providers",
            (EdgeType::ProvidedBy, false) => "provided APIs",
            (EdgeType::PartOf, true) => "wholes",
            (EdgeType::PartOf, false) => "parts",
            (EdgeType::OwnedBy, true) => "owners",
            (EdgeType::OwnedBy, false) => "owned",
            (EdgeType::MemberOf, true) => "groups",
            (EdgeType::MemberOf, false) => "members",
            (EdgeType::ChildOf, true) => "parents",
            (EdgeType::ChildOf, false) => "child groups",
        }
    }
}

/// One edge at a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Adj {
    pub other: u32,
    pub ty: EdgeType,
    /// The edge leaves this node.
    pub out: bool,
}

/// What is drawn of a node.
#[derive(Debug, Clone)]
pub struct NodeInfo {
    pub entity_ref: String,
    pub kind: String,
    pub title: String,
    pub entity_type: Option<String>,
    pub lifecycle: Option<String>,
    /// Link relative to the site root; `None` when not in the catalog.
    pub url: Option<String>,
}

/// A relation's target (its entity, or the ref when missing), type, direction.
type RawEdge<'c> = (Result<u32, &'c str>, EdgeType, bool);

/// The whole catalog as adjacency lists, built once per build. Node ids are
/// entity indexes; refs to entities that are not in the catalog get ids
/// after them.
pub struct GraphIndex {
    pub nodes: Vec<NodeInfo>,
    pub adj: Vec<Vec<Adj>>,
    /// The system an entity belongs to (for components, APIs, resources).
    pub system_of: Vec<Option<u32>>,
    pub entity_count: usize,
    pub catalog_url: String,
    style: UrlStyle,
    by_ref: HashMap<String, u32>,
}

impl GraphIndex {
    pub fn new(catalog: &Catalog, style: UrlStyle) -> GraphIndex {
        let n = catalog.entities.len();
        let mut nodes: Vec<NodeInfo> = catalog
            .entities
            .par_iter()
            .map(|e| NodeInfo {
                entity_ref: e.entity_ref.clone(),
                kind: e.kind.clone(),
                title: e.title().to_string(),
                entity_type: e.spec_str("type").map(String::from),
                lifecycle: e.spec_str("lifecycle").map(String::from),
                url: Some(urls::link_of(&urls::entity_file(&e.namespace, &e.kind, &e.name), style)),
            })
            .collect();
        // Known targets in parallel; missing ones get ids in entity order.
        let raw: Vec<Vec<RawEdge>> = catalog
            .entities
            .par_iter()
            .map(|e| {
                e.relations
                    .iter()
                    .filter_map(|r| {
                        let (ty, out) = EdgeType::of_relation(r.kind)?;
                        let target = match catalog.by_ref.get(&r.target) {
                            Some(&i) => Ok(i as u32),
                            None => Err(r.target.as_str()),
                        };
                        Some((target, ty, out))
                    })
                    .collect()
            })
            .collect();
        let mut by_ref: HashMap<String, u32> = HashMap::new();
        let mut adj: Vec<Vec<Adj>> = Vec::with_capacity(n);
        let mut missing_adj: Vec<Vec<Adj>> = Vec::new();
        for (i, list) in raw.into_iter().enumerate() {
            let mut out = Vec::with_capacity(list.len());
            for (target, ty, is_out) in list {
                let other = match target {
                    Ok(t) => t,
                    Err(r) => match by_ref.get(r) {
                        Some(&id) => id,
                        None => {
                            let id = (n + missing_adj.len()) as u32;
                            by_ref.insert(r.to_string(), id);
                            missing_adj.push(Vec::new());
                            nodes.push(missing_node(r));
                            id
                        }
                    },
                };
                if other as usize >= n {
                    missing_adj[other as usize - n].push(Adj { other: i as u32, ty, out: !is_out });
                }
                out.push(Adj { other, ty, out: is_out });
            }
            adj.push(out);
        }
        adj.extend(missing_adj);
        let system_of = (0..n)
            .map(|i| {
                adj[i]
                    .iter()
                    .find(|a| {
                        a.out && a.ty == EdgeType::PartOf && nodes[a.other as usize].kind.eq_ignore_ascii_case("system")
                    })
                    .map(|a| a.other)
            })
            .collect();
        GraphIndex {
            nodes,
            adj,
            system_of,
            entity_count: n,
            catalog_url: urls::link_of(&urls::catalog_page_file(1), style),
            style,
            by_ref,
        }
    }

    /// The node of a ref (canonical, lower case).
    pub fn id(&self, entity_ref: &str, catalog: &Catalog) -> Option<u32> {
        catalog.by_ref.get(entity_ref).map(|&i| i as u32).or_else(|| self.by_ref.get(entity_ref).copied())
    }

    /// The catalog page of one kind, relative to the root.
    pub fn catalog_url_of_kind(&self, kind: &str) -> String {
        urls::link_of(&urls::kind_page_file(kind, 1), self.style)
    }

    pub fn is_kind(&self, id: u32, kind: &str) -> bool {
        self.nodes[id as usize].kind.eq_ignore_ascii_case(kind)
    }

    /// Sort key: kind order, then title.
    fn order_key(&self, id: u32) -> (usize, String, &str) {
        let n = &self.nodes[id as usize];
        (views::kind_rank(&n.kind), n.title.to_lowercase(), n.entity_ref.as_str())
    }

    fn sorted(&self, mut ids: Vec<u32>) -> Vec<u32> {
        ids.sort_by_cached_key(|&i| {
            let (a, b, c) = self.order_key(i);
            (a, b, c.to_string())
        });
        ids
    }
}

fn missing_node(target: &str) -> NodeInfo {
    let (kind, title) = match EntityRef::parse(target, Some("component"), "default") {
        Ok(r) => (r.kind.clone(), r.name.clone()),
        Err(_) => (String::new(), target.to_string()),
    };
    let kind = views::KIND_ORDER.iter().find(|k| k.eq_ignore_ascii_case(&kind)).map_or(kind, |k| k.to_string());
    NodeInfo { entity_ref: target.to_string(), kind, title, entity_type: None, lifecycle: None, url: None }
}

/// A node of a drawn graph.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Entity {
        id: u32,
        center: bool,
    },
    /// "+N more": `count` hidden entities, `href` to where they are listed.
    More {
        count: usize,
        noun: String,
        href: String,
        side: Side,
    },
    /// Another system (or an entity in none) summarised around a diagram.
    Outside {
        id: u32,
        side: Side,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Inside,
    Before,
    After,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub ty: EdgeType,
    /// Relations this edge stands for (summaries and "+N more").
    pub count: usize,
}

/// A graph ready to lay out and draw. `cluster` marks nodes drawn inside
/// the box of the system or domain the diagram is about.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    pub cluster: Option<(u32, Vec<usize>)>,
}

/// Per relation group at most this many entities are drawn; the rest
/// becomes one "+N more" node.
pub const GROUP_CAP: usize = 6;
/// Above this many first-hop nodes, groups shrink to `SMALL_GROUP_CAP`.
const FIRST_HOP_BUDGET: usize = 30;
const SMALL_GROUP_CAP: usize = 3;
/// A second hop is drawn only around small neighbourhoods, at most
/// `SECOND_HOP_CAP` per neighbour, up to `NODE_BUDGET` nodes.
const SECOND_HOP_BELOW: usize = 14;
const SECOND_HOP_CAP: usize = 3;
pub const NODE_BUDGET: usize = 44;

struct Builder<'a> {
    index: &'a GraphIndex,
    graph: Graph,
    slot: HashMap<u32, usize>,
    edges: HashSet<(usize, usize, EdgeType)>,
}

impl<'a> Builder<'a> {
    fn new(index: &'a GraphIndex) -> Self {
        Builder { index, graph: Graph::default(), slot: HashMap::new(), edges: HashSet::new() }
    }

    fn entity(&mut self, id: u32, center: bool) -> usize {
        if let Some(&s) = self.slot.get(&id) {
            return s;
        }
        self.graph.nodes.push(Node::Entity { id, center });
        let s = self.graph.nodes.len() - 1;
        self.slot.insert(id, s);
        s
    }

    fn push(&mut self, node: Node) -> usize {
        self.graph.nodes.push(node);
        self.graph.nodes.len() - 1
    }

    /// An edge as seen from `at`: `out` when it leaves `at`.
    fn edge(&mut self, at: usize, other: usize, ty: EdgeType, out: bool, count: usize) {
        let (from, to) = if out { (at, other) } else { (other, at) };
        if from != to && self.edges.insert((from, to, ty)) {
            self.graph.edges.push(Edge { from, to, ty, count });
        }
    }

    /// Dependency edges between drawn entities not drawn yet.
    fn connect_shown(&mut self) {
        let shown: Vec<(u32, usize)> = self.slot.iter().map(|(&id, &s)| (id, s)).collect();
        let mut shown = shown;
        shown.sort_unstable();
        for (id, s) in shown {
            for a in &self.index.adj[id as usize] {
                if a.out && a.ty.is_dependency() {
                    if let Some(&t) = self.slot.get(&a.other) {
                        self.edge(s, t, a.ty, true, 1);
                    }
                }
            }
        }
    }
}

/// Where "+N more" of a relation group links: the catalog filtered by owner
/// when it can, else the entity page's relation lists.
fn more_href(index: &GraphIndex, id: u32, ty: EdgeType, out: bool, kind: &str, root: &str, on_page: bool) -> String {
    let node = &index.nodes[id as usize];
    if ty == EdgeType::OwnedBy && !out {
        return format!(
            "{root}{}?owner={}&kind={}",
            index.catalog_url,
            query_escape(&node.entity_ref),
            query_escape(kind)
        );
    }
    match (&node.url, on_page) {
        (_, true) => "#related".to_string(),
        (Some(url), false) => format!("{root}{url}#related"),
        (None, false) => "#related".to_string(),
    }
}

pub fn query_escape(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':' | b'/' | b'@') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// An entity, its direct relations (big groups collapsed), and a second
/// hop along dependencies when the neighbourhood is small.
pub fn neighbourhood(index: &GraphIndex, center: u32, root: &str) -> Graph {
    let mut b = Builder::new(index);
    let c = b.entity(center, true);
    let mut groups: BTreeMap<(EdgeType, bool, usize, String), Vec<u32>> = BTreeMap::new();
    for a in &index.adj[center as usize] {
        if a.other == center {
            continue;
        }
        let kind = &index.nodes[a.other as usize].kind;
        groups.entry((a.ty, a.out, views::kind_rank(kind), kind.clone())).or_default().push(a.other);
    }
    let first_hop: usize = groups.values().map(|g| g.len().min(GROUP_CAP)).sum();
    let cap = if first_hop > FIRST_HOP_BUDGET { SMALL_GROUP_CAP } else { GROUP_CAP };
    let mut dependency_hops: Vec<(usize, u32, bool)> = Vec::new();
    for ((ty, out, _, kind), ids) in groups {
        let total = ids.len();
        let ids = index.sorted(ids);
        let shown = if total > cap { cap - 1 } else { total };
        for &id in &ids[..shown] {
            let s = b.entity(id, false);
            b.edge(c, s, ty, out, 1);
            if ty.is_dependency() {
                dependency_hops.push((s, id, out));
            }
        }
        if total > shown {
            let hidden = total - shown;
            let noun = format!("{} {}", kind_noun(&kind, hidden), ty.group_noun(out));
            let href = more_href(index, center, ty, out, &kind, root, true);
            let m = b.push(Node::More { count: hidden, noun, href, side: Side::Inside });
            b.edge(c, m, ty, out, hidden);
        }
    }
    if b.graph.nodes.len() <= SECOND_HOP_BELOW {
        for (s, id, out) in dependency_hops {
            let next: Vec<u32> = index.adj[id as usize]
                .iter()
                .filter(|a| a.out == out && a.ty.is_dependency() && a.other != id && a.other != center)
                .map(|a| a.other)
                .collect();
            let next = index.sorted(next);
            let mut added = 0;
            for (k, &t) in next.iter().enumerate() {
                if b.slot.contains_key(&t) {
                    continue;
                }
                let remaining = next[k..].iter().filter(|x| !b.slot.contains_key(x)).count();
                if added == SECOND_HOP_CAP || b.graph.nodes.len() + 1 >= NODE_BUDGET {
                    let href = more_href(index, id, EdgeType::DependsOn, out, "", root, false);
                    let noun = format!("more {}", if out { "dependencies" } else { "dependents" });
                    let m = b.push(Node::More { count: remaining, noun, href, side: Side::Inside });
                    b.edge(s, m, EdgeType::DependsOn, out, remaining);
                    break;
                }
                let ty = index.adj[id as usize].iter().find(|a| a.other == t && a.out == out).map(|a| a.ty);
                let t_slot = b.entity(t, false);
                b.edge(s, t_slot, ty.unwrap_or(EdgeType::DependsOn), out, 1);
                added += 1;
            }
        }
    }
    b.connect_shown();
    b.graph
}

/// "components", "APIs", "systems" for a count.
pub fn kind_noun(kind: &str, count: usize) -> String {
    if kind.is_empty() {
        return if count == 1 { "entity".into() } else { "entities".into() };
    }
    if count == 1 {
        if kind == "API" {
            kind.to_string()
        } else {
            kind.to_lowercase()
        }
    } else {
        let plural = views::kind_plural(kind);
        if kind == "API" {
            plural
        } else {
            plural.to_lowercase()
        }
    }
}

/// Parts drawn inside a diagram's box, other systems around it.
const ARCH_PARTS: usize = 36;
const ARCH_OUTSIDE: usize = 6;

/// A system's parts and how they connect; dependencies on and from other
/// systems summarised as one edge per system.
pub fn system_diagram(index: &GraphIndex, system: u32, root: &str) -> Graph {
    let mut b = Builder::new(index);
    let parts: Vec<u32> =
        index.adj[system as usize].iter().filter(|a| !a.out && a.ty == EdgeType::PartOf).map(|a| a.other).collect();
    let part_set: HashSet<u32> = parts.iter().copied().collect();
    // Most connected parts first when they do not all fit.
    let parts = index.sorted(parts);
    let mut ranked: Vec<(usize, usize, u32)> = parts
        .iter()
        .enumerate()
        .map(|(i, &p)| {
            let degree = index.adj[p as usize].iter().filter(|a| a.ty.is_dependency()).count();
            (usize::MAX - degree, i, p)
        })
        .collect();
    if ranked.len() > ARCH_PARTS {
        ranked.sort_unstable();
    }
    let shown: Vec<u32> =
        ranked.iter().take(ARCH_PARTS - usize::from(ranked.len() > ARCH_PARTS)).map(|r| r.2).collect();
    let shown_set: HashSet<u32> = shown.iter().copied().collect();
    let mut inside = Vec::new();
    // Input order is display order (kind, title): stable layouts.
    for &p in &parts {
        if shown_set.contains(&p) {
            inside.push(b.entity(p, false));
        }
    }
    let mut hidden_by_kind: BTreeMap<(usize, String), usize> = BTreeMap::new();
    for &p in &parts {
        if !shown_set.contains(&p) {
            let kind = index.nodes[p as usize].kind.clone();
            *hidden_by_kind.entry((views::kind_rank(&kind), kind)).or_default() += 1;
        }
    }
    for ((_, kind), count) in hidden_by_kind {
        let href = more_href(index, system, EdgeType::PartOf, false, &kind, root, true);
        let m =
            b.push(Node::More { count, noun: format!("more {}", kind_noun(&kind, count)), href, side: Side::Inside });
        inside.push(m);
    }
    // Inside: dependencies and subcomponents between shown parts.
    for &p in &shown {
        let s = b.slot[&p];
        for a in &index.adj[p as usize] {
            if a.out && (a.ty.is_dependency() || a.ty == EdgeType::PartOf) {
                if let Some(&t) = b.slot.get(&a.other) {
                    b.edge(s, t, a.ty, true, 1);
                }
            }
        }
    }
    // Outside: per other system and direction, how many relations, and the
    // part most involved (where the summary edge attaches).
    let mut outside: BTreeMap<(u32, bool), (usize, HashMap<u32, usize>)> = BTreeMap::new();
    for &p in &parts {
        for a in &index.adj[p as usize] {
            if !a.ty.is_dependency() || part_set.contains(&a.other) {
                continue;
            }
            // Entities in no system stand for themselves.
            let other_system = index.system_of.get(a.other as usize).copied().flatten().unwrap_or(a.other);
            if other_system == system {
                continue;
            }
            let entry = outside.entry((other_system, a.out)).or_default();
            entry.0 += 1;
            *entry.1.entry(p).or_default() += 1;
        }
    }
    summarise_outside(&mut b, outside);
    b.graph.cluster = Some((system, inside));
    b.graph
}

/// A domain's systems (and subdomains) with dependencies between systems
/// summarised from their parts; other systems around it.
pub fn domain_diagram(index: &GraphIndex, domain: u32, root: &str) -> Graph {
    let mut b = Builder::new(index);
    let members: Vec<u32> = index.sorted(
        index.adj[domain as usize].iter().filter(|a| !a.out && a.ty == EdgeType::PartOf).map(|a| a.other).collect(),
    );
    let member_set: HashSet<u32> = members.iter().copied().collect();
    let mut inside = Vec::new();
    let mut hidden: BTreeMap<(usize, String), usize> = BTreeMap::new();
    for (i, &m) in members.iter().enumerate() {
        if i + 1 < ARCH_PARTS || members.len() <= ARCH_PARTS {
            inside.push(b.entity(m, false));
        } else {
            let kind = index.nodes[m as usize].kind.clone();
            *hidden.entry((views::kind_rank(&kind), kind)).or_default() += 1;
        }
    }
    for ((_, kind), count) in hidden {
        let href = more_href(index, domain, EdgeType::PartOf, false, &kind, root, true);
        inside.push(b.push(Node::More {
            count,
            noun: format!("more {}", kind_noun(&kind, count)),
            href,
            side: Side::Inside,
        }));
    }
    let mut between: BTreeMap<(u32, u32), usize> = BTreeMap::new();
    let mut outside: BTreeMap<(u32, bool), (usize, HashMap<u32, usize>)> = BTreeMap::new();
    for &m in &members {
        if !index.is_kind(m, "system") {
            continue;
        }
        for part in index.adj[m as usize].iter().filter(|a| !a.out && a.ty == EdgeType::PartOf) {
            for a in index.adj[part.other as usize].iter().filter(|a| a.ty.is_dependency()) {
                let Some(other) = index.system_of.get(a.other as usize).copied().flatten() else { continue };
                if other == m {
                    continue;
                }
                if member_set.contains(&other) {
                    if a.out {
                        *between.entry((m, other)).or_default() += 1;
                    }
                } else {
                    let entry = outside.entry((other, a.out)).or_default();
                    entry.0 += 1;
                    *entry.1.entry(m).or_default() += 1;
                }
            }
        }
    }
    for ((from, to), count) in between {
        if let (Some(&f), Some(&t)) = (b.slot.get(&from), b.slot.get(&to)) {
            b.edge(f, t, EdgeType::DependsOn, true, count);
        }
    }
    summarise_outside(&mut b, outside);
    b.graph.cluster = Some((domain, inside));
    b.graph
}

/// Other systems around a diagram: those depending on it before, those it
/// depends on after, the busiest `ARCH_OUTSIDE` of each, the rest counted.
fn summarise_outside(b: &mut Builder, outside: BTreeMap<(u32, bool), (usize, HashMap<u32, usize>)>) {
    for out in [false, true] {
        let mut list: Vec<(usize, u32, u32)> = outside
            .iter()
            .filter(|((_, o), _)| *o == out)
            .map(|((sys, _), (count, by_part))| {
                let busiest =
                    by_part.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))).map(|(&p, _)| p).unwrap_or(*sys);
                (*count, *sys, busiest)
            })
            .collect();
        list.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let side = if out { Side::After } else { Side::Before };
        let total = list.len();
        for (k, &(count, sys, busiest)) in list.iter().enumerate() {
            if k + 1 == ARCH_OUTSIDE && total > ARCH_OUTSIDE {
                let rest = total - k;
                let relations: usize = list[k..].iter().map(|x| x.0).sum();
                let noun = if out { "more systems it depends on" } else { "more systems depending on it" };
                let m = b.push(Node::More { count: rest, noun: noun.into(), href: "#related".into(), side });
                let anchor = b.slot.get(&busiest).copied().unwrap_or(0);
                b.edge(anchor, m, EdgeType::DependsOn, out, relations);
                break;
            }
            b.graph.nodes.push(Node::Outside { id: sys, side });
            let s = b.graph.nodes.len() - 1;
            if let Some(&anchor) = b.slot.get(&busiest) {
                b.edge(anchor, s, EdgeType::DependsOn, out, count);
            }
        }
    }
}

/// Kinds the explorer and its overview start with.
pub const ARCHITECTURE_KINDS: [&str; 5] = ["Component", "API", "Resource", "System", "Domain"];
/// Above this many entities of those kinds the overview shows systems.
pub const OVERVIEW_ENTITIES: usize = 120;
const OVERVIEW_SYSTEMS: usize = 48;

/// The catalog at a glance: every component, API, resource, system and
/// domain with their dependencies and parts when there are few; else the
/// busiest systems, with dependencies between them summarised, and their
/// domains.
pub fn overview(index: &GraphIndex, root: &str) -> (Graph, bool) {
    let mut b = Builder::new(index);
    let architecture = |id: u32| ARCHITECTURE_KINDS.iter().any(|k| index.is_kind(id, k));
    let ids: Vec<u32> = (0..index.entity_count as u32).filter(|&i| architecture(i)).collect();
    if ids.len() <= OVERVIEW_ENTITIES {
        for &id in &index.sorted(ids.clone()) {
            b.entity(id, false);
        }
        for &id in &ids {
            let s = b.slot[&id];
            for a in &index.adj[id as usize] {
                if a.out && (a.ty.is_dependency() || a.ty == EdgeType::PartOf) {
                    if let Some(&t) = b.slot.get(&a.other) {
                        b.edge(s, t, a.ty, true, 1);
                    }
                }
            }
        }
        return (b.graph, false);
    }
    let systems: Vec<u32> = ids.iter().copied().filter(|&i| index.is_kind(i, "system")).collect();
    let mut between: BTreeMap<(u32, u32), usize> = BTreeMap::new();
    let mut degree: HashMap<u32, usize> = HashMap::new();
    for &sys in &systems {
        for part in index.adj[sys as usize].iter().filter(|a| !a.out && a.ty == EdgeType::PartOf) {
            for a in index.adj[part.other as usize].iter().filter(|a| a.out && a.ty.is_dependency()) {
                if let Some(other) = index.system_of.get(a.other as usize).copied().flatten() {
                    if other != sys {
                        *between.entry((sys, other)).or_default() += 1;
                        *degree.entry(sys).or_default() += 1;
                        *degree.entry(other).or_default() += 1;
                    }
                }
            }
        }
    }
    let mut ranked = systems.clone();
    ranked.sort_by_key(|s| (usize::MAX - degree.get(s).copied().unwrap_or(0), *s));
    let shown: HashSet<u32> = ranked.iter().take(OVERVIEW_SYSTEMS).copied().collect();
    for &s in &index.sorted(shown.iter().copied().collect()) {
        b.entity(s, false);
    }
    // Strongest links only, a few per system, so the picture stays legible.
    let mut per_system: HashMap<u32, usize> = HashMap::new();
    let mut strongest: Vec<(&(u32, u32), &usize)> =
        between.iter().filter(|((a, c), _)| shown.contains(a) && shown.contains(c)).collect();
    strongest.sort_by(|x, y| y.1.cmp(x.1).then(x.0.cmp(y.0)));
    for ((from, to), count) in strongest {
        let f = per_system.entry(*from).or_default();
        if *f >= 3 {
            continue;
        }
        *f += 1;
        let (fs, ts) = (b.slot[from], b.slot[to]);
        b.edge(fs, ts, EdgeType::DependsOn, true, *count);
    }
    let hidden = systems.len().saturating_sub(shown.len());
    if hidden > 0 {
        b.push(Node::More {
            count: hidden,
            noun: "more systems".into(),
            href: format!("{root}{}", index.catalog_url_of_kind("System")),
            side: Side::Inside,
        });
    }
    (b.graph, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relation_pairs_map_to_one_direction() {
        for (fwd, rev) in [
            (rel::DEPENDS_ON, rel::DEPENDENCY_OF),
            (rel::CONSUMES_API, rel::API_CONSUMED_BY),
            (rel::API_PROVIDED_BY, rel::PROVIDES_API),
            (rel::PART_OF, rel::HAS_PART),
            (rel::OWNED_BY, rel::OWNER_OF),
            (rel::MEMBER_OF, rel::HAS_MEMBER),
            (rel::CHILD_OF, rel::PARENT_OF),
        ] {
            let a = EdgeType::of_relation(fwd);
            let b = EdgeType::of_relation(rev);
            assert_eq!(a.map(|x| x.0), b.map(|x| x.0));
            assert_eq!(a.map(|x| x.1), Some(true));
            assert_eq!(b.map(|x| x.1), Some(false));
        }
    }

    #[test]
    fn query_values_are_escaped() {
        assert_eq!(query_escape("group:default/a b&c"), "group:default/a%20b%26c");
    }
}
