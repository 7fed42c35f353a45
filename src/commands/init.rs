//! `portalgen init [DIR]`: a small site that builds without edits.

use std::path::Path;

const SITE_TOML: &str = r#"# portalgen site configuration — every key is documented in the README.
[site]
title = "My developer portal"
base_url = "/"
output = "public"

[[sources]]
name = "catalog"
path = "catalog"
catalog = ["**/catalog-info.yaml"]
"#;

const CATALOG: &str = r#"apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: platform-team
  title: Platform team
spec:
  type: team
  children: []
  members: [ada]
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: ada
spec:
  profile:
    displayName: Ada Lovelace
    email: ada@example.com
  memberOf: [platform-team]
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata:
  name: portal
  description: The developer portal itself.
spec:
  owner: platform-team
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: hello-service
  description: Says hello. Replace this with your own services.
  tags: [example]
spec:
  type: service
  lifecycle: experimental
  owner: platform-team
  system: portal
  providesApis: [hello-api]
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: hello-api
  description: The hello API.
spec:
  type: openapi
  lifecycle: experimental
  owner: platform-team
  system: portal
  definition: |
    openapi: 3.0.0
    info:
      title: Hello API
      version: 1.0.0
    paths:
      /hello:
        get:
          summary: Say hello
          responses:
            "200":
              description: A greeting
"#;

const INDEX_MD: &str = r#"---
title: Welcome
---

# Welcome to the developer portal

Find every service, who owns it, what it depends on and where its docs are.
Add your teams' `catalog-info.yaml` files as sources in `site.toml`.
"#;

pub fn run(dir: &Path) -> Result<(), String> {
    let files = [("site.toml", SITE_TOML), ("catalog/catalog-info.yaml", CATALOG), ("content/index.md", INDEX_MD)];
    for (rel, _) in &files {
        let path = dir.join(rel);
        if path.exists() {
            return Err(format!(
                "{} already exists; portalgen init does not overwrite files — choose an empty folder",
                path.display()
            ));
        }
    }
    for (rel, text) in &files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}
