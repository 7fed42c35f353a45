//! Entity references: `[<kind>:][<namespace>/]<name>`, parsed exactly as
//! Backstage's `parseEntityRef` does, compared case-insensitively.

use std::fmt;

/// A fully qualified entity reference. Parts keep the case they were written
/// in; [`EntityRef::canonical`] is the lower-cased identity Backstage uses for
/// conflicts, relation targets and URLs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EntityRef {
    pub kind: String,
    pub namespace: String,
    pub name: String,
}

pub const DEFAULT_NAMESPACE: &str = "default";

impl EntityRef {
    pub fn new(kind: &str, namespace: &str, name: &str) -> Self {
        EntityRef { kind: kind.to_string(), namespace: namespace.to_string(), name: name.to_string() }
    }

    /// `kind:namespace/name`, all lower-cased (Backstage's `stringifyEntityRef`).
    pub fn canonical(&self) -> String {
        format!("{}:{}/{}", self.kind.to_lowercase(), self.namespace.to_lowercase(), self.name.to_lowercase())
    }

    /// Parses a reference written in a spec field. `default_kind` is the
    /// field's default kind (none for `dependsOn`), `default_namespace` the
    /// referring entity's namespace.
    ///
    /// ```
    /// use portalgen::entities::EntityRef;
    /// let owner = EntityRef::parse("team-a", Some("Group"), "payments").map(|r| r.canonical());
    /// assert_eq!(owner, Ok("group:payments/team-a".to_string()));
    /// assert!(EntityRef::parse("orders-db", None, "default").is_err(), "dependsOn needs a kind");
    /// ```
    pub fn parse(text: &str, default_kind: Option<&str>, default_namespace: &str) -> Result<EntityRef, RefError> {
        if text.is_empty() {
            return Err(RefError::Empty);
        }
        let (kind, namespace, name) = split_ref(text)?;
        let kind = match kind.or(default_kind) {
            Some(k) if !k.is_empty() => k,
            _ => return Err(RefError::MissingKind(text.to_string())),
        };
        let namespace = namespace.unwrap_or(default_namespace);
        Ok(EntityRef::new(kind, namespace, name))
    }

    /// Parses a canonical or partial ref string where every part may be
    /// present; used for command-line and URL input.
    pub fn parse_loose(text: &str) -> Option<EntityRef> {
        EntityRef::parse(text, Some("component"), DEFAULT_NAMESPACE).ok()
    }
}

impl fmt::Display for EntityRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.canonical())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefError {
    Empty,
    Malformed(String),
    MissingKind(String),
}

impl fmt::Display for RefError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RefError::Empty => write!(f, "the entity reference is empty"),
            RefError::Malformed(r) => write!(
                f,
                "entity reference \"{r}\" is not of the form [<kind>:][<namespace>/]<name> (one of its parts is empty)"
            ),
            RefError::MissingKind(r) => {
                write!(f, "entity reference \"{r}\" needs a kind here, e.g. \"component:{r}\" or \"resource:{r}\"")
            }
        }
    }
}

/// Splits like Backstage's `parseRefString`: the kind ends at the first `:`
/// unless a `/` comes earlier; the name is everything after, and may itself
/// contain `:` or `/`.
fn split_ref(text: &str) -> Result<(Option<&str>, Option<&str>, &str), RefError> {
    let slash = text.find('/');
    let colon = match (text.find(':'), slash) {
        (Some(c), Some(s)) if s < c => None,
        (c, _) => c,
    };
    let kind = colon.map(|c| &text[..c]);
    let namespace = slash.map(|s| &text[colon.map_or(0, |c| c + 1)..s]);
    let name_start = match (colon, slash) {
        (c, Some(s)) => (s + 1).max(c.map_or(0, |c| c + 1)),
        (Some(c), None) => c + 1,
        (None, None) => 0,
    };
    let name = &text[name_start..];
    if kind == Some("") || namespace == Some("") || name.is_empty() {
        return Err(RefError::Malformed(text.to_string()));
    }
    Ok((kind, namespace, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(text: &str, kind: Option<&str>) -> String {
        EntityRef::parse(text, kind, "default").map(|r| r.canonical()).unwrap_or_else(|e| format!("ERR {e:?}"))
    }

    #[test]
    fn parses_like_backstage() {
        assert_eq!(canon("team-a", Some("Group")), "group:default/team-a");
        assert_eq!(canon("User:Ops/Jane", Some("Group")), "user:ops/jane");
        assert_eq!(canon("ops/x", Some("System")), "system:ops/x");
        assert_eq!(canon("component:default/foo/bar", None), "component:default/foo/bar");
        assert_eq!(canon("a:b:c", None), "a:default/b:c");
        assert_eq!(canon("a/b:c", Some("Group")), "group:a/b:c");
        assert_eq!(canon("john@example.com", Some("Group")), "group:default/john@example.com");
        assert!(canon("orders-db", None).starts_with("ERR MissingKind"));
        assert!(canon(":x", Some("Group")).starts_with("ERR Malformed"));
        assert!(canon("k:/x", None).starts_with("ERR Malformed"));
        assert!(canon("k:ns/", None).starts_with("ERR Malformed"));
    }

    #[test]
    fn namespace_defaults_to_referrer() {
        let r = EntityRef::parse("db", Some("Resource"), "payments").map(|r| r.canonical());
        assert_eq!(r, Ok("resource:payments/db".to_string()));
    }
}
