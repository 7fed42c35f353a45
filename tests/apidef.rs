//! API definitions on API pages: references for OpenAPI and AsyncAPI,
//! outlines for GraphQL and gRPC, raw text for the rest; problems for
//! definitions that do not parse; bounded pages for huge definitions.

mod common;

use std::path::Path;

use common::*;

const SHOP: &str = r##"openapi: 3.0.3
info:
  title: Shop API
  version: 2.1.0
  description: Sells **things**.
servers:
  - url: https://shop.example.com/v2
    description: Production
tags:
  - name: orders
    description: Orders placed by customers
paths:
  /orders/{id}:
    parameters:
      - name: id
        in: path
        required: true
        schema: {type: string, format: uuid}
    get:
      tags: [orders]
      operationId: getOrder
      summary: Fetch one order
      responses:
        "200":
          description: The order
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Order"
              example: {id: "o-1", total: 12.5}
        "404":
          description: No such order
    delete:
      tags: [orders]
      summary: Cancel an order
      deprecated: true
      security:
        - oauth: [orders:write]
      responses:
        "204":
          description: Cancelled
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: https://auth.example.com/token
          scopes:
            orders:write: Change orders
  schemas:
    Order:
      type: object
      required: [id]
      properties:
        id: {type: string}
        total: {type: number}
        lines:
          type: array
          items: {$ref: "#/components/schemas/Line"}
    Line:
      type: object
      properties:
        sku: {type: string, description: "Stock keeping unit <b>code</b><script>alert(1)</script>"}
        order: {$ref: "#/components/schemas/Order"}
"##;

const SWAGGER: &str = r#"{
  "swagger": "2.0",
  "info": {"title": "Legacy", "version": "1"},
  "host": "legacy.example.com",
  "basePath": "/api",
  "paths": {"/ping": {"get": {"operationId": "ping", "produces": ["text/plain"], "responses": {"200": {"description": "pong", "schema": {"type": "string"}}}}}}
}"#;

fn api(name: &str, ty: &str, definition: &str) -> String {
    format!(
        "---\napiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: {name}\nspec:\n  type: {ty}\n  lifecycle: production\n  owner: team\n  definition: {definition}\n"
    )
}

fn indent(text: &str) -> String {
    text.lines().map(|l| if l.is_empty() { "\n".to_string() } else { format!("    {l}\n") }).collect()
}

/// Builds a site from `catalog/apis.yaml` plus extra files; returns the output folder and the build log.
fn build(dir: &Path, apis: &str, files: &[(&str, &str)]) -> (std::path::PathBuf, String) {
    let group =
        "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team\nspec: {type: team, children: []}\n";
    let catalog = format!("{group}{apis}");
    let mut all = vec![
        ("site.toml", "[[sources]]\nname = \"c\"\npath = \"catalog\"\ncatalog = [\"apis.yaml\"]\n"),
        ("catalog/apis.yaml", catalog.as_str()),
    ];
    all.extend_from_slice(files);
    write_files(dir, &all);
    let o = portalgen(dir, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    (dir.join("public"), stderr(&o))
}

fn page(out: &Path, name: &str) -> String {
    read(&out.join(format!("catalog/default/api/{name}/index.html")))
}

#[test]
fn openapi_renders_as_a_reference() {
    let dir = tempdir();
    let apis = format!(
        "{}{}",
        api("shop", "openapi", "\n    $text: ./specs/shop.yaml"),
        api("legacy", "openapi", &format!("|\n{}", indent(SWAGGER)))
    );
    let (out, log) = build(dir.path(), &apis, &[("catalog/specs/shop.yaml", SHOP)]);
    assert!(!log.contains("broken internal link"), "{log}");

    let shop = page(&out, "shop");
    assert!(shop.contains("OpenAPI 3.0.3"), "format and version");
    assert!(shop.contains("<h3 class=\"api-title\">Shop API</h3>"));
    assert!(shop.contains("Sells <strong>things</strong>."), "Markdown description");
    assert!(shop.contains("https://shop.example.com/v2"), "servers");
    // Operations grouped by tag, each with a deep link.
    assert!(shop.contains("id=\"api-tag-orders\""));
    assert!(shop.contains("id=\"api-op-getOrder\""));
    assert!(shop.contains("href=\"#api-op-getOrder\""), "outline links to the operation");
    assert!(shop.contains("<span class=\"api-method api-method-delete\">DELETE</span>"));
    assert!(shop.contains("api-op-deprecated"), "deprecated operation marked");
    // Path parameters, schemas through $ref (with the cycle Order → Line → Order), examples.
    assert!(shop.contains("<code>id</code>") && shop.contains("string (uuid)"));
    assert!(shop.contains("<a class=\"api-ref\" href=\"#api-schema-Order\">Order</a>"));
    assert!(shop.contains(">sku</code>"), "nested schema expanded");
    assert!(shop.contains("circular"), "cycle shown, not followed");
    assert!(shop.contains("Stock keeping unit <b>code</b>"), "descriptions are Markdown, sanitised");
    assert!(!shop.contains("<script>alert"), "no script from the definition");
    assert!(shop.contains("&quot;o-1&quot;"), "example");
    assert!(shop.contains("https://auth.example.com/token") && shop.contains("Change orders"), "security scheme");
    // Raw definition: highlighted, downloadable next to the page.
    assert!(shop.contains("<details class=\"api-raw\" id=\"api-raw\">"));
    assert!(shop.contains("<span class=\"hl-k\">openapi</span>"));
    assert!(shop.contains("href=\"../../../../catalog/default/api/shop/definition.yaml\""));
    assert_eq!(read(&out.join("catalog/default/api/shop/definition.yaml")), SHOP);
    assert!(shop.contains("static/css/api.css"));
    assert!(out.join("static/css/api.css").is_file());

    let legacy = page(&out, "legacy");
    assert!(legacy.contains("Swagger 2.0"));
    assert!(legacy.contains("http://legacy.example.com/api") || legacy.contains("https://legacy.example.com/api"));
    assert!(legacy.contains("id=\"api-op-ping\""));
    assert!(legacy.contains("text/plain"));
    assert!(out.join("catalog/default/api/legacy/definition.json").is_file());
}

#[test]
fn broken_definitions_are_shown_raw_with_a_located_problem() {
    let dir = tempdir();
    let apis = format!(
        "{}{}{}",
        api("inline-broken", "openapi", "|\n    openapi: 3.0.0\n    info:\n      title: [oops\n    paths: {}\n"),
        api("file-broken", "asyncapi", "\n    $text: ./specs/broken.yaml"),
        api("not-openapi", "openapi", "|\n    hello: world\n"),
    ) + &api("bad-sdl", "graphql", "|\n    type A {\n      a: String\n")
        + &api("bad-proto", "grpc", "|\n    service A {\n      rpc B (C) returns (D);\n    }}\n");
    let (out, log) = build(
        dir.path(),
        &apis,
        &[("catalog/specs/broken.yaml", "asyncapi: 2.0.0\ninfo:\n  title: x\n  bad: [\nchannels: {}\n")],
    );
    // The problems name the file, the line, the entity and what to do.
    assert!(log.contains("api:default/inline-broken"), "{log}");
    assert!(log.contains("fix the definition"), "{log}");
    let problems = read(&out.join("problems/index.html"));
    assert!(problems.contains("catalog/specs/broken.yaml"), "the $text target is the file of the problem");
    assert!(problems.contains("not valid YAML"));
    assert!(problems.contains("does not look like an OpenAPI document"));

    assert!(log.contains("api:default/bad-sdl") && log.contains("never closed"), "{log}");
    assert!(log.contains("api:default/bad-proto") && log.contains("closes nothing"), "{log}");
    assert!(page(&out, "bad-sdl").contains("Shown as raw text"));
    let inline = page(&out, "inline-broken");
    assert!(inline.contains("Catalog problems"), "the problem is on the entity page");
    assert!(inline.contains("Shown as raw text"));
    assert!(inline.contains("[oops"), "the definition is still shown");
    assert!(!inline.contains("api-reference"));
    // `definition: |` is line 15 of apis.yaml (after the group); the parser stops at line 4 of the block.
    let line = log.lines().find(|l| l.contains("inline-broken")).unwrap_or_default();
    assert!(line.starts_with("catalog/apis.yaml:19:"), "{line}");
}

#[test]
fn huge_definitions_stay_bounded() {
    let dir = tempdir();
    let mut spec = String::from("openapi: 3.0.0\ninfo:\n  title: Huge\n  version: \"1\"\npaths:\n");
    let mut i = 0;
    while spec.len() < 10 * 1024 * 1024 {
        spec.push_str(&format!(
            "  /things/{i}:\n    get:\n      summary: Thing number {i}, with words to make it longer\n      operationId: thing{i}\n      responses:\n        \"200\":\n          description: The thing {i}, described\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  name: {{type: string}}\n"
        ));
        i += 1;
    }
    let apis = api("huge", "openapi", "\n    $text: ./huge.yaml");
    let started = std::time::Instant::now();
    let (out, _) = build(dir.path(), &apis, &[("catalog/huge.yaml", &spec)]);
    let elapsed = started.elapsed();
    let html = page(&out, "huge");
    assert!(html.len() < 1024 * 1024, "page is {} bytes", html.len());
    assert!(html.contains("to keep this page small"), "the cut is said");
    assert!(html.contains("Showing the first"), "the raw view says it is cut");
    assert_eq!(
        std::fs::metadata(out.join("catalog/default/api/huge/definition.yaml")).map(|m| m.len()).ok(),
        Some(spec.len() as u64)
    );
    // Not a timing assertion: a stall (minutes) would show here as a hang, and the figure is in the README.
    eprintln!("10 MB definition built in {elapsed:.2?}");
}

#[test]
fn other_types_are_highlighted_raw_text() {
    let dir = tempdir();
    let (out, _) = build(dir.path(), &api("trpc", "trpc", "|\n    export const r = router({ a: 1 < 2 });\n"), &[]);
    let html = page(&out, "trpc");
    assert!(html.contains("1 &lt; 2"));
    assert!(html.contains("Download definition.txt"));
    assert!(!html.contains("api-reference"));
}

#[test]
fn every_example_api_of_backstage_renders() {
    let dir = tempdir();
    let out = dir.path().join("site");
    let project = Path::new(env!("CARGO_MANIFEST_DIR"));
    let o = portalgen(project, &["build", "--out", &out.to_string_lossy()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let petstore = page(&out, "petstore");
    assert!(petstore.contains("id=\"api-op-listPets\"") && petstore.contains("id=\"api-op-showPetById\""));
    assert!(petstore.contains("id=\"api-schema-Pet\""));
    let webhook = page(&out, "petstore-webhook");
    assert!(webhook.contains("webhook") && webhook.contains(">name</code>"), "3.1 webhooks with $ref schemas");
    let streetlights = page(&out, "streetlights");
    assert!(streetlights.contains("AsyncAPI 2.0.0"));
    assert!(streetlights.contains("id=\"api-op-receiveLightMeasurement\"") && streetlights.contains(">lumens</code>"));
    let starwars = page(&out, "starwars-graphql");
    assert!(starwars.contains("id=\"api-query-allFilms\"") && starwars.contains("href=\"#api-query-allFilms\""));
    assert!(starwars.contains("href=\"#api-type-Film\""), "type uses link to the definition");
    let hello = page(&out, "hello-world");
    assert!(hello.contains("id=\"api-rpc-Greeter.SayHello\"") && hello.contains("title=\"HelloRequest → HelloReply\""));
    assert!(hello.contains("Download definition.proto"));
    for name in ["petstore", "petstore-webhook", "streetlights", "starwars-graphql", "hello-world", "hello-world-trpc"]
    {
        let html = page(&out, name);
        assert!(!html.contains("Shown as raw text"), "{name} has a problem");
        assert!(html.len() < 1024 * 1024, "{name}");
    }
}
