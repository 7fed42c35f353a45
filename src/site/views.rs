//! What templates see of the catalog: entities turned into plain data for
//! display, with every link already relative to the site root. The template
//! context of each page type is documented in `themes/README.md`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;
use serde_json::Value;

use super::markdown;
use super::urls;
use crate::catalog::{Catalog, Entity};
use crate::config::UrlStyle;
use crate::entities::relations as rel;
use crate::entities::EntityRef;

/// Kinds in the order the portal lists them.
pub const KIND_ORDER: [&str; 9] =
    ["Component", "API", "Resource", "System", "Domain", "Group", "User", "Template", "Location"];

pub fn kind_rank(kind: &str) -> usize {
    KIND_ORDER.iter().position(|k| k.eq_ignore_ascii_case(kind)).unwrap_or(KIND_ORDER.len())
}

pub fn kind_plural(kind: &str) -> String {
    match kind {
        "API" => "APIs".into(),
        "Component" | "Resource" | "System" | "Domain" | "Group" | "User" | "Template" | "Location" => {
            format!("{kind}s")
        }
        other => format!("{other} entities"),
    }
}

/// A reference to an entity as shown in lists, cards and tables. `url` is
/// `None` when the entity is not in the catalog.
#[derive(Debug, Clone, Serialize)]
pub struct EntityLink {
    #[serde(rename = "ref")]
    pub entity_ref: String,
    pub kind: String,
    pub namespace: String,
    pub name: String,
    /// Display text: the title, or the ref shortened as Backstage does.
    pub title: String,
    pub url: Option<String>,
    #[serde(rename = "type")]
    pub entity_type: Option<String>,
    pub lifecycle: Option<String>,
    pub owner: Option<Box<EntityLink>>,
    pub system: Option<Box<EntityLink>>,
    pub tags: Vec<String>,
    pub description: String,
    /// A profile picture (Users and Groups), only `http(s)` URLs.
    pub picture: Option<String>,
    /// First letter of the title, for avatars without a picture.
    pub initial: String,
}

fn initial(title: &str) -> String {
    title.chars().find(|c| c.is_alphanumeric()).map(|c| c.to_uppercase().to_string()).unwrap_or_default()
}

/// Shared lookups for building views. Table rows are computed once per
/// entity (in parallel) and reused by every page that lists the entity.
pub struct Views<'a> {
    pub catalog: &'a Catalog,
    pub style: UrlStyle,
    rows: Vec<EntityLink>,
    /// Entity indexes in catalog display order (kind, then title).
    pub order: Vec<usize>,
}

impl<'a> Views<'a> {
    pub fn new(catalog: &'a Catalog, style: UrlStyle) -> Views<'a> {
        use rayon::prelude::*;
        let mut views = Views { catalog, style, rows: Vec::new(), order: Vec::new() };
        views.rows = catalog.entities.par_iter().map(|e| views.compute_row(e)).collect();
        let mut order: Vec<usize> = (0..catalog.entities.len()).collect();
        order.sort_by_cached_key(|&i| {
            let e = &catalog.entities[i];
            (kind_rank(&e.kind), e.title().to_lowercase(), e.entity_ref.clone())
        });
        views.order = order;
        views
    }

    /// Entities in display order.
    pub fn ordered(&self) -> impl Iterator<Item = &'a Entity> + '_ {
        self.order.iter().map(|&i| &self.catalog.entities[i])
    }

    pub fn url_of(&self, e: &Entity) -> String {
        urls::link_of(&urls::entity_file(&e.namespace, &e.kind, &e.name), self.style)
    }

    /// A short link: title, kind, url. `context_kind` is dropped from the
    /// text of missing refs, as Backstage's `humanizeEntityRef` does.
    pub fn link(&self, target: &str, context_kind: Option<&str>) -> EntityLink {
        super::incremental::touch(target);
        match self.catalog.get(target) {
            Some(e) => EntityLink {
                entity_ref: e.entity_ref.clone(),
                kind: e.kind.clone(),
                namespace: e.namespace.clone(),
                name: e.name.clone(),
                title: e.title().to_string(),
                url: Some(self.url_of(e)),
                entity_type: e.spec_str("type").map(String::from),
                lifecycle: e.spec_str("lifecycle").map(String::from),
                owner: None,
                system: None,
                tags: Vec::new(),
                description: String::new(),
                picture: picture(e),
                initial: initial(e.title()),
            },
            None => {
                let parsed = EntityRef::parse(target, Some("component"), "default").ok();
                let (kind, namespace, name) = match &parsed {
                    Some(r) => (r.kind.clone(), r.namespace.clone(), r.name.clone()),
                    None => (String::new(), String::new(), target.to_string()),
                };
                EntityLink {
                    entity_ref: target.to_string(),
                    title: humanize(target, context_kind),
                    kind,
                    namespace,
                    name,
                    url: None,
                    entity_type: None,
                    lifecycle: None,
                    owner: None,
                    system: None,
                    tags: Vec::new(),
                    description: String::new(),
                    picture: None,
                    initial: initial(&humanize(target, context_kind)),
                }
            }
        }
    }

    /// A full row for tables: type, owner, lifecycle, system, tags, description.
    pub fn row(&self, e: &Entity) -> EntityLink {
        let row = match self.catalog.by_ref.get(&e.entity_ref).and_then(|&i| self.rows.get(i)) {
            Some(row) => row.clone(),
            None => self.compute_row(e),
        };
        // What the row shows of other entities.
        super::incremental::touch(&row.entity_ref);
        for other in row.owner.iter().chain(&row.system) {
            super::incremental::touch(&other.entity_ref);
        }
        row
    }

    /// An entity by ref, noted as shown by the page being rendered.
    pub fn get(&self, entity_ref: &str) -> Option<&'a Entity> {
        super::incremental::touch(entity_ref);
        self.catalog.get(entity_ref)
    }

    fn compute_row(&self, e: &Entity) -> EntityLink {
        let mut link = self.link(&e.entity_ref, None);
        link.owner = e.related(rel::OWNED_BY).next().map(|o| Box::new(self.link(o, Some("group"))));
        link.system = e
            .related(rel::PART_OF)
            .find(|t| t.starts_with("system:") || t.starts_with("domain:"))
            .map(|s| Box::new(self.link(s, Some("system"))));
        link.tags = tags(e);
        link.description = e.meta_str("description").map(|d| markdown::plain_text(d, 160)).unwrap_or_default();
        link
    }
}

/// `group:default/team-a` → `team-a` where the context implies the kind.
pub fn humanize(entity_ref: &str, context_kind: Option<&str>) -> String {
    let Some((kind, rest)) = entity_ref.split_once(':') else {
        return entity_ref.to_string();
    };
    let rest = rest.strip_prefix("default/").unwrap_or(rest);
    match context_kind {
        Some(k) if k.eq_ignore_ascii_case(kind) => rest.to_string(),
        _ => format!("{kind}:{rest}"),
    }
}

fn tags(e: &Entity) -> Vec<String> {
    e.metadata()
        .and_then(|m| m.get("tags"))
        .and_then(Value::as_array)
        .map(|t| t.iter().filter_map(Value::as_str).map(String::from).collect())
        .unwrap_or_default()
}

fn picture(e: &Entity) -> Option<String> {
    let p = e.spec()?.get("profile")?.get("picture")?.as_str()?;
    safe_url(p).map(String::from)
}

/// Only absolute `http(s)` and `mailto` URLs become links.
pub fn safe_url(url: &str) -> Option<&str> {
    let lower = url.trim_start().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:")).then_some(url)
}

#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub title: String,
    pub url: String,
    pub icon: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct KeyValue {
    pub key: String,
    pub label: String,
    pub value: String,
    /// Set when the value is (or maps to) a safe URL.
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RelationGroup {
    pub title: String,
    /// Why this group exists, for screen readers and empty states.
    pub relation: String,
    pub items: Vec<EntityLink>,
    pub total: usize,
}

/// The About card and everything else shown for one entity.
#[derive(Debug, Clone, Serialize)]
pub struct EntityView {
    #[serde(flatten)]
    pub link: EntityLink,
    pub api_version: String,
    pub description_html: String,
    pub domain: Option<EntityLink>,
    pub parent: Option<EntityLink>,
    pub labels: Vec<KeyValue>,
    pub links: Vec<Link>,
    /// Links and values derived from well-known annotations.
    pub annotation_links: Vec<KeyValue>,
    /// Every other annotation, listed as written.
    pub annotations: Vec<KeyValue>,
    pub source_file: String,
    pub source_line: usize,
    pub relation_groups: Vec<RelationGroup>,
    /// Every relation, for the full relations table (at most [`LIST_LIMIT`]).
    pub relations: Vec<(String, EntityLink)>,
    pub relations_total: usize,
}

/// (annotation, label, how to turn the value into a URL)
const KNOWN_ANNOTATIONS: &[(&str, &str, UrlRule)] = &[
    ("backstage.io/view-url", "View source", UrlRule::AsIs),
    ("backstage.io/edit-url", "Edit", UrlRule::AsIs),
    ("backstage.io/source-location", "Source location", UrlRule::StripUrlPrefix),
    ("backstage.io/techdocs-ref", "TechDocs", UrlRule::None),
    ("backstage.io/techdocs-entity", "TechDocs of", UrlRule::None),
    ("github.com/project-slug", "GitHub repository", UrlRule::Prefix("https://github.com/")),
    ("github.com/team-slug", "GitHub team", UrlRule::None),
    ("gitlab.com/project-slug", "GitLab project", UrlRule::Prefix("https://gitlab.com/")),
    ("pagerduty.com/service-id", "PagerDuty service", UrlRule::None),
    ("pagerduty.com/integration-key", "PagerDuty integration", UrlRule::None),
    ("backstage.io/kubernetes-id", "Kubernetes id", UrlRule::None),
    ("backstage.io/kubernetes-label-selector", "Kubernetes selector", UrlRule::None),
    ("backstage.io/kubernetes-namespace", "Kubernetes namespace", UrlRule::None),
    ("sonarqube.org/project-key", "SonarQube project", UrlRule::None),
    ("grafana/overview-dashboard", "Grafana dashboard", UrlRule::AsIs),
    ("grafana/dashboard-selector", "Grafana dashboards", UrlRule::None),
    ("grafana/alert-label-selector", "Grafana alerts", UrlRule::None),
    ("jenkins.io/job-full-name", "Jenkins job", UrlRule::None),
    ("circleci.com/project-slug", "CircleCI project", UrlRule::None),
    ("sentry.io/project-slug", "Sentry project", UrlRule::None),
    ("lighthouse.com/website-url", "Lighthouse website", UrlRule::AsIs),
];

/// Shown as the catalog file, not repeated among annotations.
const LOCATION_ANNOTATIONS: [&str; 2] = ["backstage.io/managed-by-location", "backstage.io/managed-by-origin-location"];

#[derive(Debug, Clone, Copy)]
enum UrlRule {
    None,
    AsIs,
    StripUrlPrefix,
    Prefix(&'static str),
}

fn annotation_url(rule: UrlRule, value: &str) -> Option<String> {
    let url = match rule {
        UrlRule::None => return None,
        UrlRule::AsIs => value.to_string(),
        UrlRule::StripUrlPrefix => value.strip_prefix("url:")?.to_string(),
        UrlRule::Prefix(p) => {
            if value.contains(['<', '>', '"', ' ']) || value.starts_with('/') {
                return None;
            }
            format!("{p}{value}")
        }
    };
    safe_url(&url).map(String::from)
}

/// Which relation types each kind shows as cards, in Backstage's grouping.
fn card_specs(kind: &str) -> &'static [(&'static str, &'static str, Option<&'static str>)] {
    match kind {
        "Component" => &[
            ("Subcomponents", rel::HAS_PART, Some("component")),
            ("Provided APIs", rel::PROVIDES_API, None),
            ("Consumed APIs", rel::CONSUMES_API, None),
            ("Depends on", rel::DEPENDS_ON, None),
            ("Depended on by", rel::DEPENDENCY_OF, None),
        ],
        "API" => &[("Provided by", rel::API_PROVIDED_BY, None), ("Consumed by", rel::API_CONSUMED_BY, None)],
        "Resource" => &[("Depends on", rel::DEPENDS_ON, None), ("Depended on by", rel::DEPENDENCY_OF, None)],
        "System" => &[
            ("Components", rel::HAS_PART, Some("component")),
            ("APIs", rel::HAS_PART, Some("api")),
            ("Resources", rel::HAS_PART, Some("resource")),
        ],
        "Domain" => &[("Systems", rel::HAS_PART, Some("system")), ("Subdomains", rel::HAS_PART, Some("domain"))],
        _ => &[],
    }
}

pub fn relation_title(kind: &str) -> &'static str {
    match kind {
        rel::OWNED_BY => "owned by",
        rel::OWNER_OF => "owner of",
        rel::PROVIDES_API => "provides API",
        rel::API_PROVIDED_BY => "API provided by",
        rel::CONSUMES_API => "consumes API",
        rel::API_CONSUMED_BY => "API consumed by",
        rel::DEPENDS_ON => "depends on",
        rel::DEPENDENCY_OF => "dependency of",
        rel::PARENT_OF => "parent of",
        rel::CHILD_OF => "child of",
        rel::MEMBER_OF => "member of",
        rel::HAS_MEMBER => "has member",
        rel::PART_OF => "part of",
        rel::HAS_PART => "has part",
        _ => "related to",
    }
}

impl<'a> Views<'a> {
    pub fn entity(&self, e: &Entity, source_file: String) -> EntityView {
        let link = self.row(e);
        let meta = e.metadata();
        let description_html = e.meta_str("description").map(markdown::render_untrusted).unwrap_or_default();
        let part_of: Vec<&str> = e.related(rel::PART_OF).collect();
        let domain = part_of.iter().find(|t| t.starts_with("domain:")).map(|t| self.link(t, Some("domain")));
        let parent = part_of.iter().find(|t| t.starts_with("component:")).map(|t| self.link(t, Some("component")));
        let labels = meta
            .and_then(|m| m.get("labels"))
            .and_then(Value::as_object)
            .map(|l| {
                l.iter()
                    .map(|(k, v)| KeyValue {
                        key: k.clone(),
                        label: k.clone(),
                        value: v.as_str().unwrap_or("").to_string(),
                        url: None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        let links = meta
            .and_then(|m| m.get("links"))
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(|l| {
                        let url = safe_url(l.get("url")?.as_str()?)?.to_string();
                        let title = l.get("title").and_then(Value::as_str).unwrap_or(&url).to_string();
                        let icon = l.get("icon").and_then(Value::as_str).unwrap_or("link").to_string();
                        Some(Link { title, url, icon })
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut annotation_links = Vec::new();
        let mut annotations = Vec::new();
        if let Some(map) = meta.and_then(|m| m.get("annotations")).and_then(Value::as_object) {
            for (key, value) in map {
                let value = value.as_str().unwrap_or("").to_string();
                if LOCATION_ANNOTATIONS.contains(&key.as_str()) {
                    continue;
                }
                match KNOWN_ANNOTATIONS.iter().find(|(k, _, _)| k == key) {
                    Some((_, label, rule)) => annotation_links.push(KeyValue {
                        key: key.clone(),
                        label: label.to_string(),
                        url: annotation_url(*rule, &value),
                        value,
                    }),
                    None => annotations.push(KeyValue { key: key.clone(), label: key.clone(), url: None, value }),
                }
            }
        }
        let mut relation_groups = Vec::new();
        for (title, kind, target_kind) in card_specs(&e.kind) {
            let items: Vec<EntityLink> = e
                .related(kind)
                .filter(|t| target_kind.is_none_or(|k| t.starts_with(&format!("{k}:"))))
                .map(|t| self.row_or_link(t))
                .collect();
            let (items, total) = capped(items);
            relation_groups.push(RelationGroup { title: title.to_string(), relation: kind.to_string(), items, total });
        }
        let relations_total = e.relations.len();
        let relations = e
            .relations
            .iter()
            .take(LIST_LIMIT)
            .map(|r| (relation_title(r.kind).to_string(), self.link(&r.target, None)))
            .collect();
        EntityView {
            link,
            api_version: e.data.get("apiVersion").and_then(Value::as_str).unwrap_or("").to_string(),
            description_html,
            domain,
            parent,
            labels,
            links,
            annotation_links,
            annotations,
            source_file,
            source_line: e.line,
            relation_groups,
            relations,
            relations_total,
        }
    }

    /// A table row when the entity exists, a plain link otherwise.
    pub fn row_or_link(&self, target: &str) -> EntityLink {
        match self.get(target) {
            Some(e) => self.row(e),
            None => self.link(target, None),
        }
    }
}

/// Lists on one page stop here, so a group that owns thousands of entities
/// (through its child groups) still gets a page of reasonable size; the
/// `*_total` fields give the full count.
pub const LIST_LIMIT: usize = 200;

fn capped(mut rows: Vec<EntityLink>) -> (Vec<EntityLink>, usize) {
    let total = rows.len();
    rows.truncate(LIST_LIMIT);
    (rows, total)
}

/// Group pages: the tree around the group and what it owns.
#[derive(Debug, Clone, Serialize)]
pub struct GroupView {
    pub display_name: Option<String>,
    pub email: Option<String>,
    pub picture: Option<String>,
    pub parent: Option<EntityLink>,
    pub children: Vec<EntityLink>,
    pub members: Vec<EntityLink>,
    pub members_total: usize,
    pub owned: Vec<EntityLink>,
    pub owned_total: usize,
    /// Owned by the group's descendants.
    pub owned_by_descendants: Vec<EntityLink>,
    pub owned_by_descendants_total: usize,
}

/// User pages: profile, groups, ownership.
#[derive(Debug, Clone, Serialize)]
pub struct UserView {
    pub display_name: Option<String>,
    pub email: Option<String>,
    pub picture: Option<String>,
    pub groups: Vec<EntityLink>,
    pub owned: Vec<EntityLink>,
    pub owned_total: usize,
    pub owned_by_groups: Vec<EntityLink>,
    pub owned_by_groups_total: usize,
}

fn profile(e: &Entity) -> (Option<String>, Option<String>, Option<String>) {
    let p = e.spec().and_then(|s| s.get("profile"));
    let field = |k: &str| p.and_then(|p| p.get(k)).and_then(Value::as_str).map(String::from);
    (field("displayName"), field("email"), picture(e))
}

impl<'a> Views<'a> {
    fn sorted_rows<'b>(&self, refs: impl Iterator<Item = &'b str>) -> Vec<EntityLink> {
        let unique: BTreeSet<&str> = refs.collect();
        let mut rows: Vec<EntityLink> = unique.into_iter().map(|r| self.row_or_link(r)).collect();
        rows.sort_by(|a, b| {
            (kind_rank(&a.kind), a.title.to_lowercase()).cmp(&(kind_rank(&b.kind), b.title.to_lowercase()))
        });
        rows
    }

    pub fn group(&self, e: &Entity, hierarchy: &Hierarchy) -> GroupView {
        let (display_name, email, picture) = profile(e);
        let descendants = hierarchy.descendants(&e.entity_ref);
        let owned_by_descendants = self.sorted_rows(
            descendants.iter().filter_map(|d| self.get(d)).flat_map(|g| g.related(rel::OWNER_OF).collect::<Vec<_>>()),
        );
        let (owned_by_descendants, owned_by_descendants_total) = capped(owned_by_descendants);
        let (members, members_total) = capped(self.sorted_rows(e.related(rel::HAS_MEMBER)));
        let (owned, owned_total) = capped(self.sorted_rows(e.related(rel::OWNER_OF)));
        GroupView {
            display_name,
            email,
            picture,
            parent: e.related(rel::CHILD_OF).next().map(|p| self.link(p, Some("group"))),
            children: self.sorted_rows(e.related(rel::PARENT_OF)),
            members,
            members_total,
            owned,
            owned_total,
            owned_by_descendants,
            owned_by_descendants_total,
        }
    }

    pub fn user(&self, e: &Entity) -> UserView {
        let (display_name, email, picture) = profile(e);
        let groups: Vec<&str> = e.related(rel::MEMBER_OF).collect();
        let owned_by_groups = self.sorted_rows(
            groups.iter().filter_map(|g| self.get(g)).flat_map(|g| g.related(rel::OWNER_OF).collect::<Vec<_>>()),
        );
        let (owned_by_groups, owned_by_groups_total) = capped(owned_by_groups);
        let (owned, owned_total) = capped(self.sorted_rows(e.related(rel::OWNER_OF)));
        UserView {
            display_name,
            email,
            picture,
            groups: self.sorted_rows(groups.into_iter()),
            owned,
            owned_total,
            owned_by_groups,
            owned_by_groups_total,
        }
    }
}

/// The group tree, for ownership through child groups (cycle-safe).
pub struct Hierarchy {
    children: HashMap<String, Vec<String>>,
}

impl Hierarchy {
    pub fn new(catalog: &Catalog) -> Hierarchy {
        let mut children: HashMap<String, Vec<String>> = HashMap::new();
        for e in catalog.entities.iter().filter(|e| e.kind == "Group") {
            for child in e.related(rel::PARENT_OF) {
                children.entry(e.entity_ref.clone()).or_default().push(child.to_string());
            }
        }
        Hierarchy { children }
    }

    /// Every group below `group`, nearest first, each once.
    pub fn descendants(&self, group: &str) -> Vec<String> {
        let mut seen: BTreeSet<String> = BTreeSet::new();
        seen.insert(group.to_string());
        let mut out = Vec::new();
        let mut queue: std::collections::VecDeque<String> = std::collections::VecDeque::new();
        queue.push_back(group.to_string());
        while let Some(g) = queue.pop_front() {
            // The children come from that group's relations.
            super::incremental::touch(&g);
            for c in self.children.get(&g).into_iter().flatten() {
                if seen.insert(c.clone()) {
                    out.push(c.clone());
                    queue.push_back(c.clone());
                }
            }
        }
        out
    }
}

/// Counts of entities per kind, in display order.
#[derive(Debug, Clone, Serialize)]
pub struct KindCount {
    pub kind: String,
    pub label: String,
    pub count: usize,
    pub url: String,
}

pub fn kind_counts(catalog: &Catalog, style: UrlStyle) -> Vec<KindCount> {
    let mut counts: BTreeMap<(usize, String), usize> = BTreeMap::new();
    for e in &catalog.entities {
        *counts.entry((kind_rank(&e.kind), e.kind.clone())).or_default() += 1;
    }
    counts
        .into_iter()
        .map(|((_, kind), count)| KindCount {
            label: kind_plural(&kind),
            url: urls::link_of(&urls::kind_page_file(&kind, 1), style),
            kind,
            count,
        })
        .collect()
}
