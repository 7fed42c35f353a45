//! Renders the Markdown pages of MkDocs trees with portalgen's TechDocs
//! renderer alone, and reports pages per second (a micro benchmark of
//! `portalgen::docs::markdown`; the whole docs build has its own benchmark).
//!
//! ```text
//! cargo run --release --example docsmark -- [--repeat N] [--json OUT] TREE_DIR...
//! ```
//!
//! A tree is a folder holding `mkdocs.yml` (its `docs_dir` and
//! `markdown_extensions` are read). `--json OUT` writes one JSON line per
//! page (path, title, heading ids, problems) for comparing with MkDocs.
//! `--preview PAGE.md OUT.html` writes one page as a standalone HTML file
//! styled with the default theme, for looking at in a browser.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use portalgen::docs::markdown::{render, Extensions, Host};
use rayon::prelude::*;

struct TreeHost {
    root: PathBuf,
}

impl Host for TreeHost {
    fn link(&self, _target: &str, _is_image: bool, _line: usize) -> Option<String> {
        None
    }
    fn snippet(&self, path: &str) -> Result<String, String> {
        if path.split(['/', '\\']).any(|part| part == "..") || Path::new(path).is_absolute() {
            return Err("outside the repository".into());
        }
        std::fs::read_to_string(self.root.join(path)).map_err(|e| e.to_string())
    }
}

struct Tree {
    host: TreeHost,
    extensions: Extensions,
    pages: Vec<(String, String)>,
}

fn load(root: &Path) -> Result<Tree, String> {
    let config_path = ["mkdocs.yml", "mkdocs.yaml"].iter().map(|n| root.join(n)).find(|p| p.is_file());
    let config: serde_yaml::Value = match &config_path {
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
            // Python tags name the extension objects; keep their names as strings.
            let text = text.replace("!!python/name:", "");
            serde_yaml::from_str(&text).unwrap_or(serde_yaml::Value::Null)
        }
        None => serde_yaml::Value::Null,
    };
    let docs_dir = config.get("docs_dir").and_then(|v| v.as_str()).unwrap_or("docs");
    let (extensions, _notes) = Extensions::from_mkdocs(config.get("markdown_extensions"));
    let docs = root.join(docs_dir);
    let mut pages = Vec::new();
    for entry in walkdir::WalkDir::new(&docs).sort_by_file_name().into_iter().flatten() {
        let path = entry.path();
        if entry.file_type().is_file() && path.extension().is_some_and(|e| e == "md") {
            let rel = path.strip_prefix(&docs).unwrap_or(path).to_string_lossy().replace('\\', "/");
            if let Ok(text) = std::fs::read_to_string(path) {
                pages.push((rel, text));
            }
        }
    }
    Ok(Tree { host: TreeHost { root: root.to_path_buf() }, extensions, pages })
}

fn preview(page: &Path, out: &Path) {
    let text = std::fs::read_to_string(page).expect("read the page");
    let host = TreeHost { root: page.parent().unwrap_or(Path::new(".")).to_path_buf() };
    let rendered = render(&text, &Extensions::techdocs_core(), &host);
    let css = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/css");
    let html = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
         <link rel=\"stylesheet\" href=\"file://{0}/portalgen.css\"><link rel=\"stylesheet\" href=\"file://{0}/markdown.css\">\
         <style>{1}</style></head><body><main style=\"max-width:52rem;margin:1rem auto;padding:0 1rem\">\
         <article class=\"md-typeset\">{2}</article></main></body></html>",
        css.display(),
        portalgen::site::highlight::stylesheet(),
        rendered.html
    );
    std::fs::write(out, html).expect("write the preview");
    for (line, problem) in rendered.problems {
        eprintln!("{}:{line}: {problem}", page.display());
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut repeat = 1usize;
    let mut json: Option<PathBuf> = None;
    let mut roots = Vec::new();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--repeat" => repeat = args.next().and_then(|v| v.parse().ok()).unwrap_or(1),
            "--json" => json = args.next().map(PathBuf::from),
            "--preview" => {
                let (Some(page), Some(out)) = (args.next(), args.next()) else {
                    eprintln!("--preview needs PAGE.md OUT.html");
                    std::process::exit(2);
                };
                preview(Path::new(&page), Path::new(&out));
                return;
            }
            _ => roots.push(PathBuf::from(arg)),
        }
    }
    let trees: Vec<Tree> = roots.iter().filter_map(|r| load(r).map_err(|e| eprintln!("{e}")).ok()).collect();
    let total: usize = trees.iter().map(|t| t.pages.len()).sum();
    let bytes: usize = trees.iter().flat_map(|t| t.pages.iter()).map(|(_, text)| text.len()).sum();
    let jobs: Vec<(&Tree, &(String, String))> =
        trees.iter().flat_map(|t| t.pages.iter().map(move |p| (t, p))).collect();

    if let Some(path) = json {
        let mut out = std::fs::File::create(&path).expect("create the --json file");
        for (root, tree) in roots.iter().zip(&trees) {
            for (rel, text) in &tree.pages {
                let page = render(text, &tree.extensions, &tree.host);
                let ids: Vec<&str> = page.headings.iter().map(|h| h.id.as_str()).collect();
                let line = serde_json::json!({
                    "tree": root.display().to_string(),
                    "path": rel,
                    "title": page.title,
                    "meta_title": page.meta.get("title").and_then(|v| v.as_str()),
                    "ids": ids,
                    "problems": page.problems,
                });
                writeln!(out, "{line}").expect("write --json");
            }
        }
    }

    let started = Instant::now();
    for run in 0..repeat {
        let run_start = Instant::now();
        let html_bytes: usize =
            jobs.par_iter().map(|(tree, (_, text))| render(text, &tree.extensions, &tree.host).html.len()).sum();
        let seconds = run_start.elapsed().as_secs_f64();
        println!(
            "run {}: {total} pages ({:.1} MB Markdown → {:.1} MB HTML) in {:.3} s = {:.0} pages/s on {} threads",
            run + 1,
            bytes as f64 / 1e6,
            html_bytes as f64 / 1e6,
            seconds,
            total as f64 / seconds,
            rayon::current_num_threads()
        );
    }
    let seconds = started.elapsed().as_secs_f64();
    println!("total: {:.0} pages/s over {repeat} runs", (total * repeat) as f64 / seconds);
}
