//! `portalgen serve`: builds the site, serves it over HTTP, watches every
//! input and rebuilds on change, and reloads the browsers that show a page
//! that changed. The site on disk is always a complete build (exactly what
//! `portalgen build` writes); the reload script is added to HTML responses
//! only, never to the files.

pub mod http;
pub mod live;
pub mod session;
pub mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use crate::pipeline::LoadOptions;
use live::Hub;
use session::Session;

pub struct Options {
    pub port: u16,
    pub bind: IpAddr,
    /// Open the site in the default browser once built.
    pub open: bool,
    /// Fetch git sources (otherwise they are read from the cache).
    pub fetch: bool,
    pub offline: bool,
    pub out: Option<PathBuf>,
}

/// Runs until Ctrl-C (or `stop` is set and a `Stop` message is sent).
/// Errors are for things that prevent serving at all: an unreadable
/// `site.toml` at start, a port in use.
pub fn run(config_path: &Path, options: Options) -> Result<(), String> {
    let (tx, rx) = watch::channel();
    let stop = Arc::new(AtomicBool::new(false));
    {
        let (tx, stop) = (tx.clone(), stop.clone());
        ctrlc::set_handler(move || {
            // The first Ctrl-C stops after the build in progress; a second
            // one does not wait for it.
            if stop.swap(true, Ordering::SeqCst) {
                eprintln!("stopped without waiting for the build in progress");
                std::process::exit(130);
            }
            eprintln!("stopping (Ctrl-C again to stop at once)");
            let _ = tx.send(watch::Message::Stop);
        })
        .map_err(|e| format!("cannot handle Ctrl-C: {e}"))?;
    }
    serve(config_path, options, tx, rx, stop)
}

/// [`run`] without installing a Ctrl-C handler.
pub fn serve(
    config_path: &Path,
    options: Options,
    tx: std::sync::mpsc::Sender<watch::Message>,
    rx: std::sync::mpsc::Receiver<watch::Message>,
    stop: Arc<AtomicBool>,
) -> Result<(), String> {
    let load = LoadOptions { offline: options.offline || !options.fetch };
    let mut session = Session::new(config_path, options.out.clone(), load)?;
    let hub = Arc::new(Hub::default());
    let base_path = session.config.base_path();
    let site =
        http::Site { dir: session.out_dir(), base_path: base_path.clone(), hub: hub.clone(), stop: stop.clone() };
    // Bind before the first build: a port in use is reported at once.
    let server = http::bind(SocketAddr::new(options.bind, options.port), site)?;
    let addr = server.addr;
    let url = format!("http://{}{base_path}", display_host(addr));
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: serving on {}: anyone who can reach this machine on port {} can read the portal; use --bind 127.0.0.1 to serve this machine only",
            options.bind,
            addr.port()
        );
    }
    let server_thread = std::thread::Builder::new()
        .name("portalgen-http".into())
        .spawn(move || server.run())
        .map_err(|e| format!("cannot start the server: {e}"))?;

    eprintln!("building {} ...", session.config.file.display());
    let first = session.full_build();
    hub.problems(&first.overlay);
    // The URL goes to standard output (scripts read it there; with --port 0 it is the only way to know the port).
    println!("Serving {} at {url} (Ctrl-C to stop)", session.out_dir().display());
    if options.open {
        open_browser(&url);
    }

    let mut watching = start_watch(&session, &tx);
    while let Some(changes) = watch::next_burst(&rx) {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let started = Instant::now();
        let config_changed = changes.rescan || changes.paths.iter().any(|p| same_file(p, &session.config.file));
        let outcome = if config_changed { session.full_build() } else { session.rebuild(&changes) };
        let appeared: Vec<PathBuf> =
            watching.as_ref().map(|w| w.missing.iter().filter(|d| d.exists()).cloned().collect()).unwrap_or_default();
        if config_changed || !appeared.is_empty() {
            // Sources may have moved, or a folder to watch was created:
            // watch again, then look at the new folders once more, since
            // what changed in them before the watch began was not seen.
            drop(watching);
            watching = start_watch(&session, &tx);
            for dir in appeared {
                let _ = tx.send(watch::Message::Changed(dir));
            }
        }
        hub.problems(&outcome.overlay);
        // While the change has errors, open pages keep what they show (the
        // overlay says why) instead of reloading into a page that is gone.
        if outcome.changed && outcome.overlay.is_empty() {
            hub.reload(outcome.written.as_deref(), &base_path);
        }
        eprintln!(
            "rebuilt in {:.0?}: {}",
            started.elapsed(),
            match &outcome.written {
                Some(files) => format!("{} files changed", files.len()),
                None => "everything".to_string(),
            }
        );
    }
    drop(watching);
    stop.store(true, Ordering::SeqCst);
    http::wake(addr);
    let _ = server_thread.join();
    eprintln!("stopped");
    Ok(())
}

fn start_watch(session: &Session, tx: &std::sync::mpsc::Sender<watch::Message>) -> Option<watch::Watch> {
    match watch::start(session.watch_targets(), tx.clone()) {
        Ok((w, warnings)) => {
            for w in warnings {
                eprintln!("warning: {w}");
            }
            Some(w)
        }
        Err(e) => {
            eprintln!("warning: {e}; the site is served but not rebuilt on changes");
            None
        }
    }
}

fn same_file(changed: &Path, config: &Path) -> bool {
    changed == crate::sources::absolute(config)
}

fn display_host(addr: SocketAddr) -> String {
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => format!("127.0.0.1:{}", addr.port()),
        IpAddr::V4(ip) => format!("{ip}:{}", addr.port()),
        IpAddr::V6(ip) if ip.is_unspecified() => format!("[::1]:{}", addr.port()),
        IpAddr::V6(ip) => format!("[{ip}]:{}", addr.port()),
    }
}

fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    let spawned = std::process::Command::new(command.0)
        .args(&command.1)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if spawned.is_err() {
        eprintln!("could not open a browser ({} not found); open {url} yourself", command.0);
    }
}
