//! Construct-by-construct tests: Markdown in, the HTML fragments and ids
//! MkDocs + techdocs-core produce out.

use super::*;

struct TestHost;

impl Host for TestHost {
    fn link(&self, target: &str, _is_image: bool, _line: usize) -> Option<String> {
        let (path, fragment) = target.split_once('#').map_or((target, None), |(p, f)| (p, Some(f)));
        let page = path.strip_suffix(".md")?;
        Some(match fragment {
            Some(f) => format!("../{page}/#{f}"),
            None => format!("../{page}/"),
        })
    }
    fn snippet(&self, path: &str) -> Result<String, String> {
        match path {
            "snip.md" => Ok("Snippet *text*.\n".into()),
            "docs/snippets/x.md" => Ok("From base.\n".into()),
            "sections.md" => Ok("a\n--8<-- [start:two]\ntwo\n--8<-- [end:two]\nb\n".into()),
            "self.md" => Ok("--8<-- \"self.md\"\n".into()),
            _ => Err("not found".into()),
        }
    }
}

fn render_page(markdown: &str) -> Rendered {
    render(markdown, &Extensions::techdocs_core(), &TestHost)
}

fn html(markdown: &str) -> String {
    render_page(markdown).html
}

#[test]
fn slugs_match_python_markdown() {
    assert_eq!(slugify("Ünïcödé & Symbols: Test!"), "unicode-symbols-test");
    assert_eq!(slugify("Plugins & Extensions"), "plugins-extensions");
    assert_eq!(slugify("  Hello   World  "), "hello-world");
    assert_eq!(slugify("a - b"), "a-b");
    assert_eq!(slugify("snake_case and `code`"), "snake_case-and-code");
    assert_eq!(slugify("日本語"), "");
    assert_eq!(slugify_with("日本語 Title", true), "日本語-title");
    let mut used = HashSet::new();
    assert_eq!(unique_id("a".into(), &mut used), "a");
    assert_eq!(unique_id("a".into(), &mut used), "a_1");
    assert_eq!(unique_id("a".into(), &mut used), "a_2");
    assert_eq!(unique_id(String::new(), &mut used), "_1");
}

#[test]
fn headings_get_ids_permalinks_and_title() {
    let page = render_page("# Plugins & Extensions\n\n## Setup\n\n## Setup\n\n#No space\n\n## Custom {: #my-id .x }\n");
    assert!(page.html.contains("<h1 id=\"plugins-extensions\">Plugins &amp; Extensions<a class=\"headerlink\" href=\"#plugins-extensions\" title=\"Permanent link\">¶</a></h1>"), "{}", page.html);
    let ids: Vec<&str> = page.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["plugins-extensions", "setup", "setup_1", "no-space", "my-id"]);
    assert_eq!(page.title.as_deref(), Some("Plugins & Extensions"));
    assert!(page.html.contains("<h2 id=\"my-id\" class=\"x\">Custom<a"), "{}", page.html);
    assert_eq!(page.headings[1].line, 3);
    assert_eq!(render_page("Intro\n\n# Later\n").title, None, "only an h1 that is the first block");
    assert_eq!(render_page("Title\n=====\n").title.as_deref(), Some("Title"));
}

#[test]
fn front_matter_is_metadata() {
    let page = render_page("---\ntitle: From meta\ntags: [a]\n---\n# Heading\n\ntext\n");
    assert_eq!(page.meta.get("title").and_then(|v| v.as_str()), Some("From meta"));
    assert_eq!(page.title.as_deref(), Some("Heading"));
    assert_eq!(page.headings[0].line, 5);
    let bad = render_page("---\ntitle: [unclosed\n---\ntext\n");
    assert_eq!(bad.problems.len(), 1);
    assert!(bad.html.contains("text"));
}

#[test]
fn links_go_through_the_host() {
    let out = html("[a](other.md#part) [b](https://e.com) ![i](img/x.png) [c](javascript:alert(1))");
    assert!(out.contains("<a href=\"../other/#part\">a</a>"), "{out}");
    assert!(out.contains("<a href=\"https://e.com\">b</a>"), "{out}");
    assert!(out.contains("<img src=\"img/x.png\" alt=\"i\" />"), "{out}");
    assert!(out.contains("<a>c</a>"), "{out}");
}

#[test]
fn tables_footnotes_strike_tasks() {
    let out = html("| a | b |\n|:--|--:|\n| `x` | y |\n");
    assert!(out.contains("<th align=\"left\">a</th>"), "{out}");
    assert!(out.contains("<td align=\"right\">y</td>"), "{out}");
    let out = html("Text[^n] again[^n].\n\n[^n]: The note.\n");
    assert!(out.contains("<sup id=\"fnref:n\"><a class=\"footnote-ref\" href=\"#fn:n\">1</a></sup>"), "{out}");
    assert!(out.contains("<sup id=\"fnref2:n\">"), "{out}");
    assert!(
        out.contains(
            "<div class=\"footnote\">\n<hr />\n<ol>\n<li id=\"fn:n\">\n<p>The note.&#160;<a class=\"footnote-backref\""
        ),
        "{out}"
    );
    assert_eq!(html("~~gone~~ H~2~O"), "<p><del>gone</del> H<sub>2</sub>O</p>\n");
    let out = html("- [x] done\n- [ ] todo\n");
    assert!(out.starts_with("<ul class=\"task-list\">\n<li class=\"task-list-item\"><label class=\"task-list-control\"><input type=\"checkbox\" disabled checked /><span class=\"task-list-indicator\"></span></label> done</li>"), "{out}");
}

#[test]
fn code_blocks_are_highlighted() {
    let out = html("```python title=\"x.py\"\ndef f():\n    return 1\n```\n");
    assert!(out.starts_with("<div class=\"language-python highlight hl-code\"><span class=\"filename\">x.py</span><pre class=\"linenums\"><code>"), "{out}");
    assert!(out.contains("data-ln=\"2\""), "{out}");
    assert!(out.contains("hl-"), "{out}");
    let out = html("    indented\n");
    assert!(out.contains("<pre><code>indented\n</code></pre>"), "{out}");
    let page = render_page("```mermaid\ngraph TD; A-->B\n```\n");
    assert!(page.uses_mermaid);
    assert_eq!(page.html, "<pre class=\"mermaid\">graph TD; A--&gt;B\n</pre>\n");
    assert!(!render_page("text").uses_mermaid);
    assert!(html("`#!python x = 1`").contains("<code class=\"highlight language-python\">"));
}

#[test]
fn raw_html_is_kept_safe() {
    let out = html("<div align=\"center\" onclick=\"x()\">\n<img src=\"img/a.png\">\n\n*not markdown*\n</div>\n\ntext <b>bold</b><script>alert(1)</script>\n");
    assert!(out.contains("<div align=\"center\">"), "{out}");
    assert!(!out.contains("onclick") && !out.contains("<script"), "{out}");
    assert!(out.contains("*not markdown*"), "raw HTML blocks are not Markdown: {out}");
    assert!(out.contains("<b>bold</b>"), "{out}");
    let out = html("<p align=\"center\"><a href=\"page.md\">x</a></p>\n");
    assert!(out.contains("href=\"../page/\""), "links in raw HTML are rewritten: {out}");
}

#[test]
fn admonitions_and_details() {
    let out = html("!!! note\n    Body *text*.\n\nAfter.\n");
    assert_eq!(
        out,
        "<div class=\"admonition note\">\n<p class=\"admonition-title\">Note</p>\n<p>Body <em>text</em>.</p>\n</div>\n<p>After.</p>\n"
    );
    let out = html("!!! warning inline end \"Mind `this`\"\n    x\n");
    assert!(
        out.starts_with(
            "<div class=\"admonition warning inline end\">\n<p class=\"admonition-title\">Mind <code>this</code></p>"
        ),
        "{out}"
    );
    assert!(!html("!!! tip \"\"\n    x\n").contains("admonition-title"));
    let out = html("??? question \"Why?\"\n    Because.\n\n???+ danger\n    Open.\n");
    assert!(
        out.contains("<details class=\"question\">\n<summary>Why?</summary>\n<p>Because.</p>\n</details>"),
        "{out}"
    );
    assert!(out.contains("<details class=\"danger\" open=\"open\">\n<summary>Danger</summary>"), "{out}");
    let out = html("!!! note\n    outer\n\n    !!! tip\n        inner\n\n    outer again\n");
    assert!(out.contains("<p>inner</p>\n</div>\n<p>outer again</p>\n</div>"), "nested: {out}");
    let out = html("!!! note\n    ```yaml\n    a: 1\n\n    b: 2\n    ```\n");
    assert!(out.contains("language-yaml") && out.trim_end().ends_with("</div>"), "fence in admonition: {out}");
    // In a list item, the admonition stays in the item.
    let out = html("1. Step\n\n    !!! note\n        Inside.\n\n2. Next\n");
    assert!(out.contains("<li><p>Step</p>\n<div class=\"admonition note\">"), "{out}");
    assert!(out.contains("<ol>") && out.matches("<li>").count() == 2, "{out}");
    // Indented without a list: code, as in Python-Markdown.
    let out = html("Text\n\n    !!! note\n        x\n");
    assert!(out.contains("<pre") && out.contains("!!! note") && !out.contains("admonition"), "{out}");
}

#[test]
fn github_alerts_become_admonitions() {
    let out = html("> [!WARNING]\n> Be careful\n> here.\n\nAfter\n");
    assert!(out.starts_with("<div class=\"admonition warning\">\n<p class=\"admonition-title\">Warning</p>\n<p>Be careful\nhere.</p>\n</div>"), "{out}");
    assert!(html("> [!CAUTION]\n> x\n").contains("admonition danger"));
    assert!(html("> plain quote\n").contains("<blockquote>"));
}

#[test]
fn content_tabs() {
    let out = html("=== \"One\"\n    First.\n\n=== \"Two `b`\"\n    Second.\n\nAfter.\n");
    assert!(out.starts_with("<div class=\"tabbed-set tabbed-alternate\" data-tabs=\"1:2\"><input checked=\"checked\" id=\"__tabbed_1_1\" name=\"__tabbed_1\" type=\"radio\" /><input id=\"__tabbed_1_2\" name=\"__tabbed_1\" type=\"radio\" /><div class=\"tabbed-labels\"><label for=\"__tabbed_1_1\">One</label><label for=\"__tabbed_1_2\">Two <code>b</code></label></div>\n<div class=\"tabbed-content\">\n<div class=\"tabbed-block\">\n<p>First.</p>\n</div>\n<div class=\"tabbed-block\">\n<p>Second.</p>\n</div>\n</div></div>\n<p>After.</p>"), "{out}");
    let out = html("=== \"A\"\n    a\n===! \"B\"\n    b\n");
    assert_eq!(out.matches("tabbed-set").count(), 2, "`===!` starts a new set: {out}");
    let out = html("=== \"A\"\n    a\n\n===+ \"B\"\n    b\n");
    assert!(
        out.contains("<input id=\"__tabbed_1_1\"") && out.contains("<input checked=\"checked\" id=\"__tabbed_1_2\""),
        "{out}"
    );
    let out = html("- item\n\n    === \"A\"\n        a\n\n    === \"B\"\n        b\n");
    assert!(out.contains("<li><p>item</p>\n<div class=\"tabbed-set"), "tabs in a list item: {out}");
}

#[test]
fn markdown_in_html() {
    let out = html("<div class=\"grid cards\" markdown>\n- **one**\n- two\n</div>\n\nafter\n");
    assert!(out.starts_with("<div class=\"grid cards\">\n<ul>\n<li><strong>one</strong></li>"), "{out}");
    assert!(out.contains("</ul>\n</div>\n<p>after</p>"), "{out}");
    let out = html("<figure markdown=\"span\">\n  ![img](a.png)\n  <figcaption>Cap</figcaption>\n</figure>\n");
    assert!(out.contains("<figure>") && out.contains("<img src=\"a.png\" alt=\"img\""), "{out}");
}

#[test]
fn snippets_are_included() {
    let out = html("Before\n\n--8<-- \"snip.md\"\n\nAfter\n");
    assert_eq!(out, "<p>Before</p>\n<p>Snippet <em>text</em>.</p>\n<p>After</p>\n");
    let page = render_page("x\n\n--8<-- \"missing.md\"\n");
    assert_eq!(page.problems.len(), 1);
    assert_eq!(page.problems[0].0, 3);
    assert!(page.problems[0].1.contains("missing.md"));
    assert_eq!(html("--8<-- \"sections.md:two\"\n"), "<p>two</p>\n");
    assert_eq!(html("--8<-- \"sections.md:1:1\"\n"), "<p>a</p>\n");
    assert_eq!(html("--8<--\nsnip.md\n--8<--\n"), "<p>Snippet <em>text</em>.</p>\n");
    let out = html(";--8<-- \"snip.md\"\n");
    assert!(out.contains("8&lt;-- &quot;snip.md&quot;"), "escaped marker stays text: {out}");
    assert_eq!(render_page("--8<-- \"self.md\"\n").problems.len(), 1, "recursion stops");
    let mut ext = Extensions::techdocs_core();
    ext.snippet_base_paths = vec!["docs/snippets".into()];
    assert_eq!(render("--8<-- \"x.md\"\n", &ext, &TestHost).html, "<p>From base.</p>\n");
    // Indented snippets keep the marker's indentation (here inside an admonition).
    assert!(html("!!! note\n    --8<-- \"snip.md\"\n").contains("<p>Snippet <em>text</em>.</p>\n</div>"));
}

#[test]
fn definition_lists_abbreviations_and_inline_extensions() {
    let out = html("Term\n: Definition\n");
    assert!(out.contains("<dl>\n<dt>Term</dt>\n<dd>Definition</dd>\n</dl>"), "{out}");
    let out = html("The HTML spec.\n\n*[HTML]: Hyper Text Markup Language\n");
    assert_eq!(out, "<p>The <abbr title=\"Hyper Text Markup Language\">HTML</abbr> spec.</p>\n");
    let out = html("Press ++ctrl+c++, ==mark== and :smile: and {{ jinja }}.");
    assert!(out.contains("<kbd class=\"key-control\">Ctrl</kbd>") && out.contains("<mark>mark</mark>"), "{out}");
    assert!(out.contains("😄") && out.contains("{{ jinja }}"), "{out}");
    let out = html("[Button](page.md){ .md-button target=_blank }\n\n![img](a.png){ width=\"300\" onerror=\"x\" }\n\nText\n{: .lead #intro }\n");
    assert!(
        out.contains(
            "<a href=\"../page/\" class=\"md-button\" target=\"_blank\" rel=\"noopener noreferrer\">Button</a>"
        ),
        "{out}"
    );
    assert!(out.contains("<img src=\"a.png\" alt=\"img\" width=\"300\" />"), "{out}");
    assert!(out.contains("<p id=\"intro\" class=\"lead\">Text</p>"), "{out}");
}

#[test]
fn sections_for_search() {
    let page = render_page("Intro text.\n\n# Title\n\nBody one.\n\n## Part\n\n```\ncode here\n```\n");
    assert_eq!(page.sections.len(), 3, "{:?}", page.sections);
    assert_eq!(page.sections[0], Section { id: None, heading: String::new(), text: "Intro text.".into() });
    assert_eq!(page.sections[1].id.as_deref(), Some("title"));
    assert_eq!(page.sections[1].text, "Body one.");
    assert_eq!(page.sections[2].heading, "Part");
    assert_eq!(page.sections[2].text, "code here");
}

#[test]
fn mkdocs_extension_config() {
    let yaml: serde_yaml::Value = serde_yaml::from_str(
        "- toc:\n    permalink: \"#\"\n    toc_depth: 3\n- pymdownx.highlight:\n    linenums: false\n- pymdownx.snippets:\n    base_path: docs/snippets\n- pymdownx.emoji:\n    emoji_index: material.extensions.emoji.twemoji\n- pymdownx.arithmatex\n- admonition\n",
    )
    .unwrap();
    let (ext, notes) = Extensions::from_mkdocs(Some(&yaml));
    assert_eq!(ext.permalink.as_deref(), Some("#"));
    assert_eq!(ext.toc_depth, 3);
    assert!(!ext.linenums);
    assert!(ext.material_icons);
    assert_eq!(ext.snippet_base_paths, vec!["docs/snippets".to_string()]);
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains("pymdownx.arithmatex"));
    let (ext, notes) = Extensions::from_mkdocs(None);
    assert!(ext.admonition && ext.permalink.is_some() && notes.is_empty());
    let yaml: serde_yaml::Value = serde_yaml::from_str("toc:\n  permalink: false\n").unwrap();
    assert!(Extensions::from_mkdocs(Some(&yaml)).0.permalink.is_none());
}
