//! The `portalgen` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use portalgen::check::{self, Format};
use portalgen::config::Config;
use portalgen::pipeline;
use portalgen::problems::Severity;

// The catalog stages allocate millions of small strings and maps from two
// threads; mimalloc makes the whole build markedly faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Build a developer portal — Backstage-compatible catalog, docs and search —
/// as a static site.
#[derive(Parser)]
#[command(name = "portalgen", version, about, long_about = None)]
struct Cli {
    /// The site configuration; relative paths in it resolve against its folder.
    #[arg(long, global = true, value_name = "FILE", default_value = "site.toml")]
    config: PathBuf,

    /// Build git sources from the cache alone, without contacting any remote.
    #[arg(long, global = true)]
    offline: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read every source and write the portal as a static site.
    ///
    /// Problems in catalog files are reported (file:line) and the rest of the
    /// portal still builds. The site is written to a staging folder and moved
    /// into place only when complete.
    Build {
        /// Output folder (default: `output` from site.toml, normally ./public).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Exit with status 1 when any error or warning was reported.
        #[arg(long)]
        strict: bool,
    },
    /// Validate catalog files exactly as Backstage would, without writing a site.
    ///
    /// With PATHs, checks those files (whatever their name) and the
    /// catalog-info.yaml files under those folders, following Location
    /// entities; no site.toml is needed. Without PATHs, checks the sources of
    /// site.toml. Exit status: 0 no errors, 1 errors, 2 usage or configuration error.
    Check {
        /// Files or folders to check.
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Treat warnings (such as references to missing entities) as errors.
        #[arg(long)]
        strict: bool,
    },
    /// Build the portal, serve it over HTTP and rebuild it on every change.
    ///
    /// Watches site.toml, the theme, templates, static files, content/ and
    /// every local source; browsers showing a page that changed reload by
    /// themselves, and errors in changed files show in the browser until
    /// fixed. Only what a change affects is rebuilt; the output folder always
    /// holds a complete build, as `portalgen build` writes it. Git sources are
    /// read from the cache unless --fetch is given.
    Serve {
        /// Port to listen on; 0 picks a free one (the URL is printed).
        #[arg(long, default_value_t = 8000)]
        port: u16,
        /// Address to listen on. Anything but a loopback address makes the
        /// portal readable by other machines.
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the portal in the default browser once built.
        #[arg(long)]
        open: bool,
        /// Fetch git sources before the first build (and when site.toml changes).
        #[arg(long)]
        fetch: bool,
        /// Output folder (default: `output` from site.toml, normally ./public).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Create a small working site in DIR (default: the current folder).
    Init {
        /// Folder to create the site in.
        dir: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let options = pipeline::LoadOptions { offline: cli.offline };
    match cli.command {
        Command::Build { out, strict } => build(&cli.config, out, strict, options),
        Command::Check { paths, format, strict } => check_command(&cli.config, &paths, format, strict, options),
        Command::Serve { port, bind, open, fetch, out } => {
            let options = portalgen::serve::Options { port, bind, open, fetch, offline: cli.offline, out };
            match portalgen::serve::run(&cli.config, options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Init { dir } => {
            let dir = dir.unwrap_or_else(|| PathBuf::from("."));
            match portalgen::commands::init::run(&dir) {
                Ok(()) => {
                    println!(
                        "Created a portalgen site in {}. Build it with: portalgen --config {} build",
                        dir.display(),
                        dir.join("site.toml").display()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }
    }
}

fn load_config(path: &std::path::Path) -> Result<Config, ExitCode> {
    Config::load(path).map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::from(2)
    })
}

fn build(
    config_path: &std::path::Path,
    out: Option<PathBuf>,
    strict: bool,
    options: pipeline::LoadOptions,
) -> ExitCode {
    let config = match load_config(config_path) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let started = std::time::Instant::now();
    let loaded = pipeline::load_catalog(&config, options);
    let problems = &loaded.catalog.problems;
    let colour = std::io::IsTerminal::is_terminal(&std::io::stderr());
    for p in problems {
        eprintln!("{}", check::text_line(p, colour));
    }
    let out = out.unwrap_or_else(|| config.output_dir());
    match pipeline::write_site(&config, &loaded, &out) {
        Ok(report) => {
            for p in &report.problems {
                eprintln!("{}", check::text_line(p, colour));
            }
            let all: Vec<_> = problems.iter().chain(&report.problems).collect();
            let errors = all.iter().filter(|p| p.severity == Severity::Error).count();
            eprintln!(
                "built {} entities into {} in {:.2?}; {errors} errors, {} warnings",
                loaded.catalog.entities.len(),
                portalgen::site::describe_output(&out, &report),
                started.elapsed(),
                all.len() - errors
            );
            let failed = strict && !all.is_empty();
            // Freeing a large catalog entity by entity takes longer than the
            // process exit does; let the operating system reclaim it.
            std::mem::forget(loaded);
            if failed {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => {
            eprintln!("error: could not write the site to {}: {e}", out.display());
            ExitCode::from(1)
        }
    }
}

fn check_command(
    config_path: &std::path::Path,
    paths: &[PathBuf],
    format: Format,
    strict: bool,
    options: pipeline::LoadOptions,
) -> ExitCode {
    let (sources, catalog, mut problems) = if paths.is_empty() {
        let config = match load_config(config_path) {
            Ok(c) => c,
            Err(code) => return code,
        };
        let loaded = pipeline::load_catalog(&config, options);
        (loaded.sources, loaded.catalog, Vec::new())
    } else {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let (sources, registrations, problems) = check::sources_for_paths(paths, &cwd);
        let catalog =
            portalgen::catalog::build(portalgen::catalog::Input { sources: &sources, registrations, allow: None });
        (sources, catalog, problems)
    };
    problems.extend(catalog.problems.iter().cloned());
    problems.extend(pipeline::timed("docs check", || portalgen::docs::check(&catalog, &sources)));
    if strict {
        for p in &mut problems {
            p.severity = Severity::Error;
        }
    }
    print!("{}", check::render(format, &catalog, &sources, &problems));
    let failed = problems.iter().any(|p| p.severity == Severity::Error);
    // As in build: the process exit frees a large catalog faster than drop.
    std::mem::forget(catalog);
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
