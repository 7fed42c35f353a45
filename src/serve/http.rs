//! A small HTTP/1.1 server for the built site: GET and HEAD of files under
//! the base path, the site's `404.html`, no directory listings, and one
//! server-sent-events stream for live reload. One thread per connection and
//! `Connection: close`: a preview server has a handful of clients, and this
//! keeps shutdown simple (every thread ends when its request is answered or
//! when the event hub closes).

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use super::live::{Hub, RELOAD_SCRIPT};

/// Where live-reload events are served (outside any base path a site uses).
pub const EVENTS_PATH: &str = "/__portalgen/events";

pub struct Server {
    listener: TcpListener,
    pub addr: SocketAddr,
    site: Arc<Site>,
}

/// What the server serves.
pub struct Site {
    pub dir: PathBuf,
    /// Always starts and ends with `/`.
    pub base_path: String,
    pub hub: Arc<Hub>,
    pub stop: Arc<AtomicBool>,
}

/// Why the server could not start, said so that the fix is obvious.
pub fn bind(addr: SocketAddr, site: Site) -> Result<Server, String> {
    let listener = TcpListener::bind(addr).map_err(|e| match e.kind() {
        io::ErrorKind::AddrInUse => {
            let next = addr.port().checked_add(1).unwrap_or(8001);
            format!(
                "port {} on {} is already in use (is another server running?); choose another with --port {next}, or --port 0 for any free port",
                addr.port(),
                addr.ip()
            )
        }
        io::ErrorKind::PermissionDenied => format!(
            "not allowed to listen on port {} of {}; ports below 1024 need privileges, choose another with --port",
            addr.port(),
            addr.ip()
        ),
        io::ErrorKind::AddrNotAvailable => {
            format!("{} is not an address of this machine; use --bind 127.0.0.1 or one of its own addresses", addr.ip())
        }
        _ => format!("cannot listen on {addr}: {e}"),
    })?;
    let addr = listener.local_addr().map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    Ok(Server { listener, addr, site: Arc::new(site) })
}

impl Server {
    /// Accepts connections until `site.stop` is set and [`wake`] is called;
    /// returns once every connection thread has finished.
    pub fn run(self) {
        let site = &self.site;
        std::thread::scope(|scope| {
            for stream in self.listener.incoming() {
                if site.stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let site = Arc::clone(site);
                scope.spawn(move || {
                    let _ = handle(stream, &site);
                });
            }
            // Event streams end when the hub closes.
            site.hub.close();
        });
    }
}

/// Unblocks a server's accept loop after its stop flag was set.
pub fn wake(addr: SocketAddr) {
    let target = if addr.ip().is_unspecified() {
        SocketAddr::new(std::net::Ipv4Addr::LOCALHOST.into(), addr.port())
    } else {
        addr
    };
    let _ = TcpStream::connect_timeout(&target, Duration::from_secs(1));
}

struct Request {
    method: String,
    path: String,
}

fn read_request(stream: &TcpStream) -> io::Result<Option<Request>> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    // Headers are not needed; they are read (bounded) and ignored.
    let mut reader = BufReader::new(stream.take(64 * 1024));
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else {
        return Ok(None);
    };
    let request =
        Request { method: method.to_string(), path: target.split(['?', '#']).next().unwrap_or("/").to_string() };
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header == "\r\n" || header == "\n" {
            break;
        }
    }
    Ok(Some(request))
}

fn handle(mut stream: TcpStream, site: &Site) -> io::Result<()> {
    let Some(request) = read_request(&stream)? else {
        return Ok(());
    };
    if site.stop.load(Ordering::SeqCst) {
        return Ok(());
    }
    if request.method != "GET" && request.method != "HEAD" {
        return respond(
            &mut stream,
            "405 Method Not Allowed",
            "text/plain; charset=utf-8",
            b"GET and HEAD only\n",
            false,
        );
    }
    let head = request.method == "HEAD";
    if request.path == EVENTS_PATH {
        return site.hub.stream(stream);
    }
    match resolve(site, &request.path) {
        Resolved::File(path) => {
            let bytes = std::fs::read(&path)?;
            let content_type = content_type(&path);
            let body = if content_type.starts_with("text/html") { inject(&bytes) } else { bytes };
            respond(&mut stream, "200 OK", content_type, &body, head)
        }
        Resolved::Redirect(location) => {
            let header = format!(
                "HTTP/1.1 301 Moved Permanently\r\nLocation: {location}\r\nContent-Length: 0\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n"
            );
            stream.write_all(header.as_bytes())
        }
        Resolved::NotFound => {
            let page = site.dir.join("404.html");
            let body = match std::fs::read(&page) {
                Ok(bytes) => inject(&bytes),
                Err(_) => b"<!doctype html><title>Not found</title><p>Not found.</p>".to_vec(),
            };
            respond(&mut stream, "404 Not Found", "text/html; charset=utf-8", &body, head)
        }
    }
}

fn respond(stream: &mut TcpStream, status: &str, content_type: &str, body: &[u8], head: bool) -> io::Result<()> {
    let header = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(header.as_bytes())?;
    if !head {
        stream.write_all(body)?;
    }
    stream.flush()
}

#[derive(Debug, PartialEq)]
enum Resolved {
    File(PathBuf),
    Redirect(String),
    NotFound,
}

/// Maps a request path to a file of the site. Nothing outside the site's
/// folder can be reached, and folders are served only through their index.
fn resolve(site: &Site, path: &str) -> Resolved {
    let base = site.base_path.as_str();
    let Some(rest) = path.strip_prefix(base) else {
        // `/portal` → `/portal/`; `/` → the base path.
        if path == base.trim_end_matches('/') || path == "/" {
            return Resolved::Redirect(base.to_string());
        }
        return Resolved::NotFound;
    };
    let decoded = crate::sources::percent_decode(rest);
    let mut file = site.dir.clone();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => return Resolved::NotFound,
            p if p.contains('\\') || p.contains('\0') => return Resolved::NotFound,
            p => file.push(p),
        }
    }
    match std::fs::metadata(&file) {
        Ok(m) if m.is_file() => Resolved::File(file),
        Ok(m) if m.is_dir() => {
            if !path.ends_with('/') {
                return Resolved::Redirect(format!("{path}/"));
            }
            let index = file.join("index.html");
            if index.is_file() {
                Resolved::File(index)
            } else {
                Resolved::NotFound
            }
        }
        _ => Resolved::NotFound,
    }
}

/// The live-reload script goes into served HTML only, never into the files.
fn inject(html: &[u8]) -> Vec<u8> {
    let script = RELOAD_SCRIPT.as_bytes();
    let at = find_last(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + script.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(script);
    out.extend_from_slice(&html[at..]);
    out
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w.eq_ignore_ascii_case(needle))
}

pub fn content_type(path: &Path) -> &'static str {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "yaml" | "yml" => "application/yaml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        "map" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Reads one whole response (for tests): status line, headers, body.
pub fn split_response(raw: &[u8]) -> Option<(String, &[u8])> {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    Some((String::from_utf8_lossy(&raw[..end]).into_owned(), &raw[end + 4..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(dir: &Path, base: &str) -> Site {
        Site {
            dir: dir.to_path_buf(),
            base_path: base.to_string(),
            hub: Arc::new(Hub::default()),
            stop: Arc::new(AtomicBool::new(false)),
        }
    }

    #[test]
    fn paths_stay_inside_the_site_and_folders_need_an_index() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("a/b")).unwrap();
        std::fs::write(tmp.path().join("a/index.html"), "x").unwrap();
        std::fs::write(tmp.path().join("a/b/data.json"), "{}").unwrap();
        let s = site(tmp.path(), "/portal/");
        assert_eq!(resolve(&s, "/portal/a/"), Resolved::File(tmp.path().join("a/index.html")));
        assert_eq!(resolve(&s, "/portal/a"), Resolved::Redirect("/portal/a/".into()));
        assert_eq!(resolve(&s, "/portal/a/b/"), Resolved::NotFound, "no listing of a folder without index");
        assert_eq!(resolve(&s, "/portal/a/b/data%2Ejson"), Resolved::File(tmp.path().join("a/b/data.json")));
        assert_eq!(resolve(&s, "/portal/../etc/passwd"), Resolved::NotFound);
        assert_eq!(resolve(&s, "/portal/a/%2e%2e/%2e%2e/x"), Resolved::NotFound);
        assert_eq!(resolve(&s, "/"), Resolved::Redirect("/portal/".into()));
        assert_eq!(resolve(&s, "/portal"), Resolved::Redirect("/portal/".into()));
        assert_eq!(resolve(&s, "/other/"), Resolved::NotFound);
    }

    #[test]
    fn script_goes_before_the_last_body_end() {
        let out = String::from_utf8(inject(b"<html><body><p>x</p></body></html>")).unwrap();
        assert!(out.ends_with("</script>\n</body></html>"), "{out}");
        let bare = String::from_utf8(inject(b"<p>x</p>")).unwrap();
        assert!(bare.starts_with("<p>x</p><script"));
    }
}
