//! Benchmark of `portalgen serve`: from saving a catalog file to the reload
//! event, and memory over many edits.
//!
//! ```sh
//! cargo run --release --example genorg -- --components 20000 --out /tmp/org
//! cargo build --release
//! cargo run --release --example servebench -- /tmp/org 20 500
//! ```
//!
//! Starts `target/release/portalgen serve` on the organisation, listens to
//! its event stream, and edits the description of a different component
//! each time (waiting for the reload event before the next edit). Prints
//! the median and spread of the latency over the first N edits, then the
//! resident memory every 50 edits up to M, and the server's CPU time.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let org = PathBuf::from(args.get(1).map(String::as_str).unwrap_or("/tmp/org"));
    let timed: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(20);
    let total: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(timed);
    let binary = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/portalgen");
    let binary = std::env::var("PORTALGEN").map(PathBuf::from).unwrap_or(binary);
    let started = Instant::now();
    let mut server = Command::new(&binary)
        .args(["--config", &org.join("site.toml").to_string_lossy(), "serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("cannot start portalgen serve");
    let pid = server.id();
    let stdout = server.stdout.take().expect("stdout");
    let mut port = 0u16;
    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
        if let Some(at) = line.find("127.0.0.1:") {
            port = line[at + 10..].split('/').next().and_then(|p| p.parse().ok()).unwrap_or(0);
            break;
        }
    }
    assert!(port != 0, "serve printed no URL");
    println!("first build and start: {:.1?}", started.elapsed());
    let (tx, rx) = mpsc::channel();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    write!(stream, "GET /__portalgen/events HTTP/1.1\r\nHost: x\r\n\r\n").expect("request");
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if line == "event: reload" && tx.send(Instant::now()).is_err() {
                return;
            }
        }
    });
    std::thread::sleep(Duration::from_millis(500));
    let mut repos: Vec<PathBuf> = std::fs::read_dir(org.join("repos"))
        .expect("repos")
        .flatten()
        .map(|e| e.path().join("catalog-info.yaml"))
        .filter(|p| p.is_file())
        .collect();
    repos.sort();
    let cpu_before = cpu_seconds(pid);
    let mut latencies = Vec::new();
    let mut cpu_timed = 0.0;
    for edit in 0..total {
        let file = &repos[(edit * 7919) % repos.len()];
        let text = std::fs::read_to_string(file).expect("read");
        let changed = match text.find("  description: ") {
            Some(at) => format!("{}  description: Edited {edit}. {}", &text[..at], &text[at + 15..]),
            None => text.clone(),
        };
        while rx.try_recv().is_ok() {}
        let saved = Instant::now();
        std::fs::write(file, changed).expect("write");
        let Ok(reloaded) = rx.recv_timeout(Duration::from_secs(120)) else {
            eprintln!("no reload event within 120 s");
            let _ = server.kill();
            let _ = server.wait();
            std::process::exit(1);
        };
        std::fs::write(file, &text).expect("restore");
        // The restore is an edit too; wait for it before the next.
        let _ = rx.recv_timeout(Duration::from_secs(120));
        if edit < timed {
            latencies.push(reloaded.duration_since(saved));
            if edit + 1 == timed {
                cpu_timed = cpu_seconds(pid) - cpu_before;
            }
        }
        if (edit + 1) % 50 == 0 || edit + 1 == total {
            println!("after {} edits: resident memory {} MB", (edit + 1) * 2, rss_mb(pid));
        }
    }
    latencies.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "save to reload event over {} edits: median {:.0} ms, min {:.0} ms, max {:.0} ms",
        latencies.len(),
        ms(latencies[latencies.len() / 2]),
        ms(latencies[0]),
        ms(latencies[latencies.len() - 1])
    );
    println!(
        "server CPU time (user+sys) for those {} edits and their restores: {:.2} s ({:.0} ms per rebuild)",
        latencies.len(),
        cpu_timed,
        cpu_timed * 1000.0 / (2 * latencies.len()) as f64
    );
    let _ = Command::new("kill").args(["-INT", &pid.to_string()]).status();
    let _ = server.wait();
}

/// user+sys CPU seconds of a process (Linux).
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks: f64 = fields.get(11).and_then(|f| f.parse().ok()).unwrap_or(0.0)
        + fields.get(12).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    ticks / 100.0
}

fn rss_mb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024)
}
