//! `$text`, `$json` and `$yaml` placeholders, substituted anywhere in an
//! entity before validation, as Backstage's `PlaceholderProcessor` does: an
//! object whose only key is `$<resolver>` is replaced by the resolved value.
//! Objects with a `$` key beside others, or an unknown `$key`, stay as written.

use serde_json::{Map, Value};

/// Reads the target of a placeholder. The catalog stage implements it so
/// that targets resolve within the entity's own source only.
pub trait PlaceholderReader {
    fn read_text(&self, target: &str) -> Result<String, String>;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceholderError {
    pub path: Vec<String>,
    pub message: String,
}

/// Replaces every placeholder in `entity`.
pub fn substitute(entity: &mut Map<String, Value>, reader: &dyn PlaceholderReader) -> Result<(), PlaceholderError> {
    if entity.keys().any(|k| k.starts_with('$')) {
        return Ok(());
    }
    let mut path = Vec::new();
    for (key, value) in entity.iter_mut() {
        path.push(key.clone());
        visit(value, reader, &mut path)?;
        path.pop();
    }
    Ok(())
}

fn visit(value: &mut Value, reader: &dyn PlaceholderReader, path: &mut Vec<String>) -> Result<(), PlaceholderError> {
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                path.push(i.to_string());
                visit(item, reader, path)?;
                path.pop();
            }
        }
        Value::Object(map) => {
            if map.keys().any(|k| k.starts_with('$')) {
                if map.len() != 1 {
                    return Ok(());
                }
                let Some((key, target)) = map.iter().next() else {
                    return Ok(());
                };
                let resolver = &key[1..];
                if !matches!(resolver, "text" | "json" | "yaml") {
                    return Ok(());
                }
                let resolved = resolve(resolver, target, reader)
                    .map_err(|message| PlaceholderError { path: path.clone(), message })?;
                *value = resolved;
                return Ok(());
            }
            for (key, item) in map.iter_mut() {
                path.push(key.clone());
                visit(item, reader, path)?;
                path.pop();
            }
        }
        _ => {}
    }
    Ok(())
}

fn resolve(resolver: &str, target: &Value, reader: &dyn PlaceholderReader) -> Result<Value, String> {
    let Value::String(target) = target else {
        return Err(format!(
            "${resolver} needs a string: a path relative to this file (e.g. `${resolver}: ./openapi.yaml`) or a URL"
        ));
    };
    let text = reader.read_text(target).map_err(|e| format!("${resolver} {target}: {e}"))?;
    match resolver {
        "text" => Ok(Value::String(text)),
        "json" => {
            serde_json::from_str(&text).map_err(|e| format!("${resolver} {target}: the file is not valid JSON ({e})"))
        }
        _ => crate::entities::yaml::parse_single(&text)
            .map_err(|e| format!("${resolver} {target}: the file is not a single valid YAML document ({e})")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    struct Files;
    impl PlaceholderReader for Files {
        fn read_text(&self, target: &str) -> Result<String, String> {
            match target {
                "./a.txt" => Ok("hello".into()),
                "./a.json" => Ok("{\"x\": [1]}".into()),
                "./a.yaml" => Ok("y: 2\n".into()),
                _ => Err("not found".into()),
            }
        }
    }

    #[test]
    fn substitutes_like_backstage() {
        let mut e = json!({
            "spec": {
                "definition": {"$text": "./a.txt"},
                "list": [{"$json": "./a.json"}],
                "nested": {"deep": {"$yaml": "./a.yaml"}},
                "openapi": {"$ref": "#/x"},
                "mixed": {"$text": "./missing", "other": 1}
            }
        });
        let map = e.as_object_mut().map(std::mem::take).unwrap_or_default();
        let mut map = map;
        assert_eq!(substitute(&mut map, &Files), Ok(()));
        e = Value::Object(map);
        assert_eq!(e["spec"]["definition"], "hello");
        assert_eq!(e["spec"]["list"][0]["x"][0], 1);
        assert_eq!(e["spec"]["nested"]["deep"]["y"], 2);
        assert_eq!(e["spec"]["openapi"]["$ref"], "#/x");
        assert_eq!(e["spec"]["mixed"]["other"], 1);
    }

    #[test]
    fn missing_target_names_the_field() {
        let mut map = json!({"spec": {"definition": {"$text": "./nope"}}}).as_object().cloned().unwrap_or_default();
        let err = substitute(&mut map, &Files).err();
        assert_eq!(err.map(|e| e.path), Some(vec!["spec".to_string(), "definition".to_string()]));
    }
}
