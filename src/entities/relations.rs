//! The relations an entity emits from its spec fields — exactly the fields
//! and default kinds of Backstage's `BuiltinKindsEntityProcessor` and the
//! scaffolder's Template processor. Each ref emits the forward relation and
//! the reverse one on the target.

use serde_json::{Map, Value};

use super::refs::EntityRef;
use super::validate::Violation;

pub const OWNED_BY: &str = "ownedBy";
pub const OWNER_OF: &str = "ownerOf";
pub const PART_OF: &str = "partOf";
pub const HAS_PART: &str = "hasPart";
pub const PROVIDES_API: &str = "providesApi";
pub const API_PROVIDED_BY: &str = "apiProvidedBy";
pub const CONSUMES_API: &str = "consumesApi";
pub const API_CONSUMED_BY: &str = "apiConsumedBy";
pub const DEPENDS_ON: &str = "dependsOn";
pub const DEPENDENCY_OF: &str = "dependencyOf";
pub const PARENT_OF: &str = "parentOf";
pub const CHILD_OF: &str = "childOf";
pub const MEMBER_OF: &str = "memberOf";
pub const HAS_MEMBER: &str = "hasMember";

/// One directed relation row, all refs canonical.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RelationRow {
    pub source: String,
    pub kind: &'static str,
    pub target: String,
}

/// A ref written in a spec field, kept to warn when it points at nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredRef {
    pub field: &'static str,
    /// Position in a list field.
    pub index: Option<usize>,
    pub target: String,
}

impl DeclaredRef {
    /// Path of the declaring value inside the entity, for locating its line.
    pub fn path(&self) -> Vec<String> {
        let mut p = vec!["spec".to_string(), self.field.to_string()];
        p.extend(self.index.map(|i| i.to_string()));
        p
    }
}

/// (field, default kind, forward relation, reverse relation) per kind.
fn fields_of(kind: &str) -> &'static [(&'static str, Option<&'static str>, &'static str, &'static str)] {
    match kind {
        "Component" => &[
            ("owner", Some("Group"), OWNED_BY, OWNER_OF),
            ("subcomponentOf", Some("Component"), PART_OF, HAS_PART),
            ("providesApis", Some("API"), PROVIDES_API, API_PROVIDED_BY),
            ("consumesApis", Some("API"), CONSUMES_API, API_CONSUMED_BY),
            ("dependsOn", None, DEPENDS_ON, DEPENDENCY_OF),
            ("dependencyOf", None, DEPENDENCY_OF, DEPENDS_ON),
            ("system", Some("System"), PART_OF, HAS_PART),
        ],
        "API" => &[("owner", Some("Group"), OWNED_BY, OWNER_OF), ("system", Some("System"), PART_OF, HAS_PART)],
        "Resource" => &[
            ("owner", Some("Group"), OWNED_BY, OWNER_OF),
            ("dependsOn", None, DEPENDS_ON, DEPENDENCY_OF),
            ("dependencyOf", None, DEPENDENCY_OF, DEPENDS_ON),
            ("system", Some("System"), PART_OF, HAS_PART),
        ],
        "User" => &[("memberOf", Some("Group"), MEMBER_OF, HAS_MEMBER)],
        "Group" => &[
            ("parent", Some("Group"), CHILD_OF, PARENT_OF),
            ("children", Some("Group"), PARENT_OF, CHILD_OF),
            ("members", Some("User"), HAS_MEMBER, MEMBER_OF),
        ],
        "System" => &[("owner", Some("Group"), OWNED_BY, OWNER_OF), ("domain", Some("Domain"), PART_OF, HAS_PART)],
        "Domain" => &[("owner", Some("Group"), OWNED_BY, OWNER_OF), ("subdomainOf", Some("Domain"), PART_OF, HAS_PART)],
        "Template" => &[("owner", Some("Group"), OWNED_BY, OWNER_OF)],
        _ => &[],
    }
}

/// Relations emitted by a validated entity, and the refs it declares.
pub fn emit(entity: &Map<String, Value>, me: &EntityRef) -> Result<(Vec<RelationRow>, Vec<DeclaredRef>), Violation> {
    let kind = entity.get("kind").and_then(Value::as_str).unwrap_or("");
    let mut rows = Vec::new();
    let mut declared = Vec::new();
    let Some(spec) = entity.get("spec").and_then(Value::as_object) else {
        return Ok((rows, declared));
    };
    let source = me.canonical();
    for &(field, default_kind, forward, reverse) in fields_of(kind) {
        let targets: Vec<(usize, &Value)> = match spec.get(field) {
            None | Some(Value::Null) => continue,
            Some(Value::Array(items)) => items.iter().enumerate().collect(),
            // Backstage skips falsy values (`if (!targets) return`).
            Some(Value::String(s)) if s.is_empty() => continue,
            Some(Value::Bool(false)) => continue,
            Some(v) => vec![(usize::MAX, v)],
        };
        for (i, target) in targets {
            let path = |i: usize| {
                let mut p = vec!["spec".to_string(), field.to_string()];
                if i != usize::MAX {
                    p.push(i.to_string());
                }
                p
            };
            let Value::String(text) = target else {
                return Err(Violation {
                    path: path(i),
                    message: format!(
                        "spec.{field} must hold entity references (strings), found {}",
                        super::validate::describe(target)
                    ),
                });
            };
            let target_ref = EntityRef::parse(text, default_kind, &me.namespace)
                .map_err(|e| Violation { path: path(i), message: format!("spec.{field}: {e}") })?;
            let target = target_ref.canonical();
            rows.push(RelationRow { source: source.clone(), kind: forward, target: target.clone() });
            rows.push(RelationRow { source: target.clone(), kind: reverse, target: source.clone() });
            declared.push(DeclaredRef { field, index: (i != usize::MAX).then_some(i), target });
        }
    }
    Ok((rows, declared))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn component_fields_and_defaults() {
        let e = json!({"kind": "Component", "spec": {
            "owner": "team-a", "system": "ops/sys", "providesApis": ["a"],
            "dependsOn": ["resource:db"], "dependencyOf": ["component:x"]
        }});
        let me = EntityRef::new("Component", "payments", "svc");
        let (rows, declared) = emit(e.as_object().unwrap_or(&Map::new()), &me).unwrap_or_default();
        let has = |s: &str, k: &str, t: &str| rows.iter().any(|r| r.source == s && r.kind == k && r.target == t);
        assert!(has("component:payments/svc", OWNED_BY, "group:payments/team-a"));
        assert!(has("group:payments/team-a", OWNER_OF, "component:payments/svc"));
        assert!(has("component:payments/svc", PART_OF, "system:ops/sys"));
        assert!(has("component:payments/svc", PROVIDES_API, "api:payments/a"));
        assert!(has("resource:payments/db", DEPENDENCY_OF, "component:payments/svc"));
        assert!(has("component:payments/svc", DEPENDENCY_OF, "component:payments/x"));
        assert!(has("component:payments/x", DEPENDS_ON, "component:payments/svc"));
        assert_eq!(declared.len(), 5);
    }

    #[test]
    fn depends_on_needs_a_kind() {
        let e = json!({"kind": "Component", "spec": {"dependsOn": ["orders-db"]}});
        let me = EntityRef::new("Component", "default", "svc");
        let err = emit(e.as_object().unwrap_or(&Map::new()), &me).err();
        assert_eq!(err.map(|v| v.path), Some(vec!["spec".into(), "dependsOn".into(), "0".into()]));
    }
}
