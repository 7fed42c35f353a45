//! Blast radius: what breaks when an entity breaks. X depends on Y when X
//! `dependsOn` Y, X consumes API Y, X is an API provided by Y, or X is a
//! component with Y as a subcomponent. Dependents are found breadth first
//! (nearest first, each once, so cycles end), bounded per page. Cycles and
//! deprecated entities that are still depended on are found once per build.

use std::collections::{BTreeMap, HashMap, VecDeque};

use serde::Serialize;

use super::model::{Adj, EdgeType, GraphIndex};
use crate::catalog::Catalog;

/// A page lists this many dependents (and owners, systems, cycles); the
/// walk stops after `WALK_CAP` (then the total reads "more than …"), so
/// each page's work is bounded whatever the catalog's shape.
pub const LIST_CAP: usize = 100;
pub const WALK_CAP: usize = 1000;
/// An entity page shows this many dependents and owners: the nearest, and
/// the most affected (the totals are given).
pub const SHOWN: usize = 30;

/// An entity as the impact lists show it; `url` is relative to the root.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ItemLink {
    #[serde(rename = "ref")]
    pub entity_ref: String,
    pub kind: String,
    pub title: String,
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Dependent {
    pub entity: ItemLink,
    pub depth: usize,
    /// How it depends on the entity one step nearer: "depends on", "consumes"…
    pub relation: &'static str,
    pub via: ItemLink,
    pub lifecycle: Option<String>,
    pub owner: Option<ItemLink>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OwnerToNotify {
    pub owner: ItemLink,
    pub email: Option<String>,
    /// Impacted entities this owner owns.
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct SystemAffected {
    pub system: ItemLink,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Impact {
    pub dependents: Vec<Dependent>,
    /// All dependents found (the walk stops at `WALK_CAP`).
    pub total: usize,
    pub truncated: bool,
    pub direct: usize,
    pub max_depth: usize,
    pub owners: Vec<OwnerToNotify>,
    pub owners_total: usize,
    pub systems: Vec<SystemAffected>,
    pub systems_total: usize,
    /// The dependency cycle this entity is in, if any.
    pub cycle: Option<Cycle>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Cycle {
    /// Entities in the strongly connected component.
    pub size: usize,
    /// One concrete cycle: `steps[i]` relation `steps[i+1]`, back to the first.
    pub steps: Vec<CycleStep>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CycleStep {
    pub entity: ItemLink,
    /// How this entity depends on the next step.
    pub relation: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeprecatedInUse {
    pub entity: ItemLink,
    pub owner: Option<ItemLink>,
    pub dependents: Vec<Dependent>,
    pub dependents_total: usize,
}

/// Build-wide findings for the problems page.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Findings {
    pub cycles: Vec<Cycle>,
    pub cycles_total: usize,
    pub deprecated: Vec<DeprecatedInUse>,
    pub deprecated_total: usize,
}

/// Edges X → Y meaning "X depends on Y", seen from Y: the dependents.
pub fn dependents_of<'a>(index: &'a GraphIndex, y: u32) -> impl Iterator<Item = (u32, EdgeType)> + 'a {
    let y_component = index.is_kind(y, "component");
    index.adj[y as usize].iter().filter_map(move |a: &Adj| {
        if a.ty.is_dependency() && !a.out {
            Some((a.other, a.ty))
        } else if a.ty == EdgeType::PartOf && a.out && y_component && index.is_kind(a.other, "component") {
            Some((a.other, EdgeType::PartOf))
        } else {
            None
        }
    })
}

/// What X depends on.
fn dependencies_of<'a>(index: &'a GraphIndex, x: u32) -> impl Iterator<Item = (u32, EdgeType)> + 'a {
    let x_component = index.is_kind(x, "component");
    index.adj[x as usize].iter().filter_map(move |a: &Adj| {
        if a.ty.is_dependency() && a.out {
            Some((a.other, a.ty))
        } else if a.ty == EdgeType::PartOf && !a.out && x_component && index.is_kind(a.other, "component") {
            Some((a.other, EdgeType::PartOf))
        } else {
            None
        }
    })
}

fn relation_label(ty: EdgeType) -> &'static str {
    match ty {
        EdgeType::PartOf => "has part",
        other => other.label(),
    }
}

pub struct ImpactIndex<'a> {
    /// Dependents of every node, flattened (`dependents_of`, computed once).
    dependent_start: Vec<u32>,
    dependent_list: Vec<(u32, EdgeType)>,
    index: &'a GraphIndex,
    catalog: &'a Catalog,
    /// Per entity: its cycle, if it is in one.
    cycle_of: HashMap<u32, usize>,
    pub findings: Findings,
    cycles: Vec<Cycle>,
}

impl<'a> ImpactIndex<'a> {
    pub fn new(index: &'a GraphIndex, catalog: &'a Catalog) -> ImpactIndex<'a> {
        let mut dependent_start = Vec::with_capacity(index.adj.len() + 1);
        let mut dependent_list = Vec::new();
        for y in 0..index.adj.len() as u32 {
            dependent_start.push(dependent_list.len() as u32);
            dependent_list.extend(dependents_of(index, y));
        }
        dependent_start.push(dependent_list.len() as u32);
        let mut me = ImpactIndex {
            dependent_start,
            dependent_list,
            index,
            catalog,
            cycle_of: HashMap::new(),
            findings: Findings::default(),
            cycles: Vec::new(),
        };
        for component in strongly_connected(index) {
            let k = me.cycles.len();
            for &v in &component {
                me.cycle_of.insert(v, k);
            }
            let cycle = me.cycle_through(&component);
            me.cycles.push(cycle);
        }
        me.findings.cycles_total = me.cycles.len();
        let mut cycles = me.cycles.clone();
        cycles
            .sort_by(|a, b| b.size.cmp(&a.size).then(a.steps[0].entity.entity_ref.cmp(&b.steps[0].entity.entity_ref)));
        cycles.truncate(LIST_CAP);
        me.findings.cycles = cycles;
        let mut deprecated: Vec<DeprecatedInUse> = Vec::new();
        let mut total = 0;
        for id in 0..index.entity_count as u32 {
            let n = &index.nodes[id as usize];
            if !n.lifecycle.as_deref().is_some_and(|l| l.eq_ignore_ascii_case("deprecated")) {
                continue;
            }
            let direct: Vec<(u32, EdgeType)> = dependents_of(index, id).collect();
            if direct.is_empty() {
                continue;
            }
            total += 1;
            if deprecated.len() < LIST_CAP {
                let mut dependents: Vec<Dependent> = direct.iter().map(|&(x, ty)| me.dependent(x, 1, ty, id)).collect();
                dependents.sort_by_key(|d| d.entity.title.to_lowercase());
                let dependents_total = dependents.len();
                dependents.truncate(20);
                deprecated.push(DeprecatedInUse {
                    entity: me.link(id),
                    owner: me.owner(id),
                    dependents,
                    dependents_total,
                });
            }
        }
        me.findings.deprecated = deprecated;
        me.findings.deprecated_total = total;
        me
    }

    pub fn link(&self, id: u32) -> ItemLink {
        let n = &self.index.nodes[id as usize];
        ItemLink { entity_ref: n.entity_ref.clone(), kind: n.kind.clone(), title: n.title.clone(), url: n.url.clone() }
    }

    fn owner(&self, id: u32) -> Option<ItemLink> {
        self.index.adj[id as usize].iter().find(|a| a.out && a.ty == EdgeType::OwnedBy).map(|a| self.link(a.other))
    }

    fn dependent(&self, x: u32, depth: usize, ty: EdgeType, via: u32) -> Dependent {
        Dependent {
            entity: self.link(x),
            depth,
            relation: relation_label(ty),
            via: self.link(via),
            lifecycle: self.index.nodes[x as usize].lifecycle.clone(),
            owner: self.owner(x),
        }
    }

    /// The shortest cycle through the component's first member.
    fn cycle_through(&self, component: &[u32]) -> Cycle {
        let members: std::collections::HashSet<u32> = component.iter().copied().collect();
        let start = component
            .iter()
            .copied()
            .min_by(|a, b| self.index.nodes[*a as usize].entity_ref.cmp(&self.index.nodes[*b as usize].entity_ref));
        let Some(start) = start else {
            return Cycle { size: 0, steps: Vec::new() };
        };
        let mut prev: HashMap<u32, (u32, EdgeType)> = HashMap::new();
        let mut queue = VecDeque::from([start]);
        let mut closing: Option<(u32, EdgeType)> = None;
        'walk: while let Some(x) = queue.pop_front() {
            let mut next: Vec<(u32, EdgeType)> =
                dependencies_of(self.index, x).filter(|(y, _)| members.contains(y)).collect();
            next.sort_by_key(|&(y, _)| y);
            for (y, ty) in next {
                if y == start {
                    closing = Some((x, ty));
                    break 'walk;
                }
                if let std::collections::hash_map::Entry::Vacant(e) = prev.entry(y) {
                    e.insert((x, ty));
                    queue.push_back(y);
                }
            }
        }
        let mut steps = Vec::new();
        if let Some((last, ty)) = closing {
            // Walk back from `last` to `start`.
            let mut chain = vec![(last, ty)];
            let mut at = last;
            while at != start {
                let Some(&(p, pty)) = prev.get(&at) else { break };
                chain.push((p, pty));
                at = p;
            }
            chain.reverse();
            steps = chain
                .into_iter()
                .map(|(id, ty)| CycleStep { entity: self.link(id), relation: relation_label(ty) })
                .collect();
        }
        Cycle { size: component.len(), steps }
    }

    /// Everything that depends on `id`, nearest first.
    pub fn impact(&self, id: u32) -> Impact {
        SEEN.with(|cell| {
            let mut stamps = cell.borrow_mut();
            self.walk(id, &mut stamps)
        })
    }

    fn walk(&self, id: u32, stamps: &mut Stamps) -> Impact {
        let index = self.index;
        stamps.next(index.adj.len());
        let mut seen = |x: u32| stamps.mark(x);
        seen(id);
        let mut queue: VecDeque<(u32, usize)> = VecDeque::from([(id, 0)]);
        let mut found: Vec<(u32, usize, EdgeType, u32)> = Vec::new();
        let mut truncated = false;
        // Adjacency is in ref order, so the walk is deterministic.
        'walk: while let Some((y, depth)) = queue.pop_front() {
            let range = self.dependent_start[y as usize] as usize..self.dependent_start[y as usize + 1] as usize;
            for &(x, ty) in &self.dependent_list[range] {
                if seen(x) {
                    if found.len() == WALK_CAP {
                        truncated = true;
                        break 'walk;
                    }
                    found.push((x, depth + 1, ty, y));
                    queue.push_back((x, depth + 1));
                }
            }
        }
        let mut owners: BTreeMap<u32, usize> = BTreeMap::new();
        let mut systems: BTreeMap<u32, usize> = BTreeMap::new();
        for &(x, ..) in &found {
            if let Some(o) = index.adj[x as usize].iter().find(|a| a.out && a.ty == EdgeType::OwnedBy) {
                *owners.entry(o.other).or_default() += 1;
            }
            if let Some(s) = index.system_of.get(x as usize).copied().flatten() {
                *systems.entry(s).or_default() += 1;
            }
        }
        // Most affected first; ids are in ref order, so ties read alphabetically.
        let top = |counts: BTreeMap<u32, usize>| {
            let mut list: Vec<(u32, usize)> = counts.into_iter().collect();
            list.sort_by_key(|&(id, count)| (std::cmp::Reverse(count), id));
            let total = list.len();
            list.truncate(SHOWN);
            (list, total)
        };
        let (owners, owners_total) = top(owners);
        let owners: Vec<OwnerToNotify> = owners
            .into_iter()
            .map(|(o, count)| OwnerToNotify { owner: self.link(o), email: self.email(o), count })
            .collect();
        let (systems, systems_total) = top(systems);
        let systems: Vec<SystemAffected> =
            systems.into_iter().map(|(s, count)| SystemAffected { system: self.link(s), count }).collect();
        let direct = found.iter().filter(|f| f.1 == 1).count();
        let max_depth = found.iter().map(|f| f.1).max().unwrap_or(0);
        let total = found.len();
        found.truncate(SHOWN);
        found.sort_by_cached_key(|&(x, depth, ..)| (depth, index.nodes[x as usize].title.to_lowercase(), x));
        let dependents = found.into_iter().map(|(x, depth, ty, via)| self.dependent(x, depth, ty, via)).collect();
        Impact {
            dependents,
            total,
            truncated,
            direct,
            max_depth,
            owners,
            owners_total,
            systems,
            systems_total,
            cycle: self.cycle_of.get(&id).map(|&k| self.cycles[k].clone()),
        }
    }

    fn email(&self, owner: u32) -> Option<String> {
        let e = self.catalog.entities.get(owner as usize)?;
        let email = e.spec()?.get("profile")?.get("email")?.as_str()?;
        crate::site::views::safe_url(&format!("mailto:{email}")).map(|_| email.to_string())
    }
}

/// Visited marks for walks, reused across the walks of one thread: a
/// generation number instead of clearing.
#[derive(Default)]
struct Stamps {
    marks: Vec<u32>,
    generation: u32,
}

impl Stamps {
    fn next(&mut self, size: usize) {
        if self.marks.len() < size {
            self.marks.resize(size, 0);
        }
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.marks.iter_mut().for_each(|m| *m = 0);
            self.generation = 1;
        }
    }

    /// Marks `x`; whether it was new.
    fn mark(&mut self, x: u32) -> bool {
        let slot = &mut self.marks[x as usize];
        let new = *slot != self.generation;
        *slot = self.generation;
        new
    }
}

thread_local! {
    static SEEN: std::cell::RefCell<Stamps> = std::cell::RefCell::new(Stamps::default());
}

/// Strongly connected components with a cycle (two or more entities, or
/// one depending on itself), Tarjan's algorithm without recursion.
pub fn strongly_connected(index: &GraphIndex) -> Vec<Vec<u32>> {
    let n = index.entity_count;
    let succ: Vec<Vec<u32>> = (0..n as u32)
        .map(|x| dependencies_of(index, x).map(|(y, _)| y).filter(|&y| (y as usize) < n).collect())
        .collect();
    const UNSEEN: usize = usize::MAX;
    let mut order = vec![UNSEEN; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<u32> = Vec::new();
    let mut counter = 0;
    let mut out = Vec::new();
    for root in 0..n {
        if order[root] != UNSEEN {
            continue;
        }
        let mut call: Vec<(usize, usize)> = vec![(root, 0)];
        order[root] = counter;
        low[root] = counter;
        counter += 1;
        stack.push(root as u32);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut next)) = call.last_mut() {
            if let Some(&w) = succ[v].get(*next) {
                *next += 1;
                let w = w as usize;
                if order[w] == UNSEEN {
                    order[w] = counter;
                    low[w] = counter;
                    counter += 1;
                    stack.push(w as u32);
                    on_stack[w] = true;
                    call.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(order[w]);
                }
            } else {
                call.pop();
                if let Some(&(parent, _)) = call.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == order[v] {
                    let mut component = Vec::new();
                    while let Some(w) = stack.pop() {
                        on_stack[w as usize] = false;
                        component.push(w);
                        if w as usize == v {
                            break;
                        }
                    }
                    let self_loop = component.len() == 1 && succ[v].contains(&(v as u32));
                    if component.len() > 1 || self_loop {
                        component.sort_unstable();
                        out.push(component);
                    }
                }
            }
        }
    }
    out
}
