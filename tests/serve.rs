//! `portalgen serve` as a user runs it: a real process on an ephemeral port,
//! pages requested over HTTP, files changed on disk, and the live-reload
//! events that follow.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use common::*;

const TEAM: &str =
    "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\nspec:\n  type: team\n  children: []\n";

fn component(description: &str) -> String {
    format!(
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: web\n  description: {description}\nspec:\n  type: website\n  lifecycle: production\n  owner: team-a\n"
    )
}

fn site(dir: &Path) {
    write_files(
        dir,
        &[
            (
                "site.toml",
                "[site]\ntitle = \"Serve test\"\nbase_url = \"/portal/\"\n\n[[sources]]\nname = \"repo\"\npath = \"repo\"\ncatalog = [\"**/catalog-info.yaml\"]\n",
            ),
            ("repo/web/catalog-info.yaml", &component("First words")),
            ("repo/team/catalog-info.yaml", TEAM),
            ("content/index.md", "# Welcome\n\nHello.\n"),
        ],
    );
}

struct Server {
    child: Child,
    port: u16,
    log: Receiver<String>,
}

impl Server {
    fn start(dir: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_portalgen"))
            .current_dir(dir)
            .args(["serve", "--port", "0"])
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run portalgen: {e}"));
        let (tx, log) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        let tx2 = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx2.send(line);
            }
        });
        // In the struct at once: dropping it ends the process whatever happens.
        let mut server = Server { child, port: 0, log };
        let started = Instant::now();
        loop {
            let line = server.log.recv_timeout(Duration::from_secs(60)).expect("no output from portalgen serve");
            if let Some(at) = line.find("http://127.0.0.1:") {
                let rest = &line[at + "http://127.0.0.1:".len()..];
                server.port = rest.split('/').next().unwrap().parse().unwrap();
                return server;
            }
            assert!(started.elapsed() < Duration::from_secs(60), "server did not start");
        }
    }

    fn get(&self, path: &str) -> (u16, String, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(stream, "GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head.split_whitespace().nth(1).unwrap_or("0").parse().unwrap_or(0);
        (status, head.to_string(), body.to_string())
    }

    /// Opens the event stream; events arrive as (name, data).
    fn events(&self) -> Receiver<(String, String)> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(stream, "GET /__portalgen/events HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut name = String::new();
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if let Some(n) = line.strip_prefix("event: ") {
                    name = n.to_string();
                } else if let Some(d) = line.strip_prefix("data: ") {
                    if tx.send((name.clone(), d.to_string())).is_err() {
                        return;
                    }
                }
            }
        });
        rx
    }

    fn stop(mut self) -> (std::process::ExitStatus, Vec<String>) {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-INT", &pid]).status().unwrap();
        assert!(sent.success());
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                let log: Vec<String> = self.log.try_iter().collect();
                return (status, log);
            }
            assert!(started.elapsed() < Duration::from_secs(20), "serve did not stop on Ctrl-C");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits for an event of `name` whose data satisfies `ok`.
fn wait_for(
    events: &Receiver<(String, String)>,
    name: &str,
    ok: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(60);
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match events.recv_timeout(left) {
            Ok((n, data)) if n == name => {
                let value = json(&data);
                if ok(&value) {
                    return value;
                }
            }
            Ok(_) => {}
            Err(_) => break,
        }
    }
    panic!("no {name} event arrived");
}

const PAGE: &str = "/portal/catalog/default/component/web/";

#[test]
fn serves_the_site_and_reloads_after_a_change() {
    let dir = tempdir();
    site(dir.path());
    let server = Server::start(dir.path());

    let (status, head, body) = server.get(PAGE);
    assert_eq!(status, 200, "{head}");
    assert!(head.contains("Content-Type: text/html; charset=utf-8"), "{head}");
    assert!(body.contains("First words"));
    assert!(body.contains("/__portalgen/events"), "the reload script is served");
    let on_disk = read(&dir.path().join("public/catalog/default/component/web/index.html"));
    assert!(!on_disk.contains("__portalgen"), "the reload script is never written into the site");

    let (status, head, _) = server.get("/portal/static/css/portalgen.css");
    assert_eq!(status, 200);
    assert!(head.contains("text/css"), "{head}");
    let (status, _, body) = server.get("/portal/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("Page not found") || body.contains("not found"), "the site's 404.html: {body}");
    let (status, _, _) = server.get("/portal/catalog/_data/");
    assert_eq!(status, 404, "no directory listings");
    let (status, head, _) = server.get("/portal/catalog/default/component/web");
    assert_eq!(status, 301, "{head}");
    let (status, _, _) = server.get("/portal/../site.toml");
    assert_eq!(status, 404);
    let (status, head, _) = server.get("/");
    assert!(status == 301 && head.contains("Location: /portal/"), "{head}");

    let events = server.events();
    std::thread::sleep(Duration::from_millis(300));
    write_files(dir.path(), &[("repo/web/catalog-info.yaml", &component("Second words"))]);
    wait_for(&events, "reload", |d| {
        d["all"] == true || d["paths"].as_array().is_some_and(|p| p.iter().any(|p| p == PAGE))
    });
    let (_, _, body) = server.get(PAGE);
    assert!(body.contains("Second words"), "served content changed");
    assert!(read(&dir.path().join("public/catalog/default/component/web/index.html")).contains("Second words"));

    let (status, log) = server.stop();
    assert!(status.success(), "Ctrl-C exits cleanly: {status:?}\n{}", log.join("\n"));
    assert!(log.iter().any(|l| l.contains("stopped")), "{}", log.join("\n"));
}

#[test]
fn a_broken_file_shows_the_overlay_until_fixed() {
    let dir = tempdir();
    site(dir.path());
    let server = Server::start(dir.path());
    let events = server.events();
    std::thread::sleep(Duration::from_millis(300));

    let broken =
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: web\n  description: [oops\nspec: {}\n";
    write_files(dir.path(), &[("repo/web/catalog-info.yaml", broken)]);
    let problems = wait_for(&events, "problems", |d| d["errors"].as_array().is_some_and(|e| !e.is_empty()));
    let error = &problems["errors"][0];
    assert_eq!(error["file"], "repo/web/catalog-info.yaml", "{problems}");
    assert_eq!(error["line"], 6, "{problems}");
    assert!(error["message"].as_str().unwrap().contains("not valid YAML"), "{problems}");
    // A page opened now gets the overlay data at once.
    let late = server.events();
    wait_for(&late, "problems", |d| d["errors"].as_array().is_some_and(|e| !e.is_empty()));
    // The server keeps serving.
    assert_eq!(server.get("/portal/").0, 200);

    write_files(dir.path(), &[("repo/web/catalog-info.yaml", &component("Fixed words"))]);
    wait_for(&events, "problems", |d| d["errors"].as_array().is_some_and(|e| e.is_empty()));
    wait_for(&events, "reload", |_| true);
    assert!(server.get(PAGE).2.contains("Fixed words"));

    // A template error: the site is left as it was, and the overlay names the template.
    write_files(
        dir.path(),
        &[(
            "templates/entity.html",
            "{% extends \"base.html\" %}{% block content %}{{ e.name | nosuchfilter }}{% endblock %}",
        )],
    );
    let problems = wait_for(&events, "problems", |d| d["errors"].as_array().is_some_and(|e| !e.is_empty()));
    assert!(problems["errors"][0]["file"].as_str().unwrap().contains("entity.html"), "{problems}");
    assert!(server.get(PAGE).2.contains("Fixed words"), "the last good site is still served");
    std::fs::remove_file(dir.path().join("templates/entity.html")).unwrap();
    wait_for(&events, "problems", |d| d["errors"].as_array().is_some_and(|e| e.is_empty()));
    server.stop();
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let dir = tempdir();
    site(dir.path());
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = portalgen(dir.path(), &["serve", "--port", &port]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("already in use") && err.contains("--port"), "{err}");
}
