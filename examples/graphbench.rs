//! What relation graphs and blast radius cost on a big catalog: loads the
//! catalog of a `site.toml`, then times (wall and process CPU) each piece of
//! graph work the site stage does, and reports the largest graph.
//!   cargo run --release --example graphbench -- /tmp/org20k/site.toml

use std::path::PathBuf;
use std::time::Instant;

use portalgen::config::Config;
use portalgen::graph::model::GraphIndex;
use portalgen::graph::Graphs;
use portalgen::pipeline::{self, LoadOptions};
use rayon::prelude::*;

// The allocator of the portalgen binary, so the figures match a build's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// User plus system CPU time of this process, in seconds (Linux).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the stat line (11 and 12 after the name).
    (ticks(11) + ticks(12)) / 100.0
}

fn measure<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let (wall, cpu) = (Instant::now(), cpu_seconds());
    let out = f();
    println!("{what:<44} wall {:>7.3} s   cpu {:>7.2} s", wall.elapsed().as_secs_f64(), cpu_seconds() - cpu);
    out
}

fn main() {
    let Some(file) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: graphbench SITE_TOML");
        std::process::exit(2);
    };
    let config = match Config::load(&file) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{}", e.0);
            std::process::exit(2);
        }
    };
    let loaded = pipeline::load_catalog(&config, LoadOptions::default());
    let catalog = &loaded.catalog;
    println!("{} entities on {} threads", catalog.entities.len(), rayon::current_num_threads());
    let (wall, cpu) = (Instant::now(), cpu_seconds());
    let index = measure("index the catalog's relations", || GraphIndex::new(catalog, config.site.url_style));
    let graphs = measure("cycles, deprecated-but-depended-on", || Graphs::new(&index, catalog));
    let root = "../../../../";
    let n = catalog.entities.len();
    // `GRAPHBENCH_ONLY=graph|impact` measures one part (for profiling).
    let only = std::env::var("GRAPHBENCH_ONLY").unwrap_or_default();
    let graph_sizes: Vec<usize> = measure("relation graph of every entity page", || {
        (0..n)
            .into_par_iter()
            .map(|i| {
                if only == "impact" {
                    return 0;
                }
                graphs.entity_graph(i, root).get("html").and_then(|h| h.as_str()).map_or(0, str::len)
            })
            .collect()
    });
    let impact_sizes: Vec<usize> = measure("blast radius of every component, API, resource", || {
        (0..n)
            .into_par_iter()
            .map(|i| if only == "graph" { 0 } else { graphs.entity_impact(i).map_or(0, |v| v.to_string().len()) })
            .collect()
    });
    let sizes: Vec<(usize, usize, usize)> = (0..n).map(|i| (graph_sizes[i], impact_sizes[i], i)).collect();
    let data = measure("explorer data file", || graphs.explorer_data());
    let explorer = measure("explorer overview", || graphs.explorer_context("../"));
    println!("{:<44} wall {:>7.3} s   cpu {:>7.2} s", "total", wall.elapsed().as_secs_f64(), cpu_seconds() - cpu);
    let total_svg: usize = sizes.iter().map(|s| s.0).sum();
    let biggest = sizes.iter().max_by_key(|s| s.0).copied().unwrap_or_default();
    let biggest_impact = sizes.iter().max_by_key(|s| s.1).copied().unwrap_or_default();
    println!(
        "graph HTML: {:.1} MB in all, {:.1} KB on average, largest {:.1} KB ({})",
        total_svg as f64 / 1e6,
        total_svg as f64 / sizes.len().max(1) as f64 / 1e3,
        biggest.0 as f64 / 1e3,
        catalog.entities.get(biggest.2).map_or("", |e| e.entity_ref.as_str())
    );
    println!(
        "largest blast radius data: {:.1} KB ({})",
        biggest_impact.1 as f64 / 1e3,
        catalog.entities.get(biggest_impact.2).map_or("", |e| e.entity_ref.as_str())
    );
    println!(
        "explorer: data {:.1} MB, overview {:.1} KB; {} cycles, {} deprecated entities still depended on",
        data.len() as f64 / 1e6,
        explorer.get("html").and_then(|h| h.as_str()).map_or(0, str::len) as f64 / 1e3,
        graphs.impact.findings.cycles_total,
        graphs.impact.findings.deprecated_total
    );
}
