//! Live reload: browsers keep one server-sent-events stream open; after a
//! rebuild they hear which pages changed (and reload if theirs did, keeping
//! the scroll position), and while the last change left errors they show
//! an overlay with the message, file and line.

use std::io::{self, Write};
use std::net::TcpStream;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;
use serde_json::json;

/// More changed pages than this and every open page reloads.
const PAGE_LIST_LIMIT: usize = 500;

/// An error shown in the browser overlay.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overlay {
    pub message: String,
    pub file: String,
    pub line: Option<usize>,
}

#[derive(Default)]
pub struct Hub {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    clients: Vec<mpsc::Sender<Arc<str>>>,
    closed: bool,
    /// The `problems` event of the last build, sent to every new client.
    problems: Option<Arc<str>>,
}

fn event(name: &str, data: &serde_json::Value) -> Arc<str> {
    Arc::from(format!("event: {name}\ndata: {data}\n\n"))
}

impl Hub {
    /// Tells browsers which files changed; `None`: everything may have.
    /// `base_path` turns site files into the paths browsers show.
    pub fn reload(&self, changed: Option<&[String]>, base_path: &str) {
        let data = match changed {
            Some(files) if files.len() <= PAGE_LIST_LIMIT => {
                let mut paths = Vec::new();
                let mut assets = false;
                for f in files {
                    if let Some(dir) = f.strip_suffix("index.html") {
                        paths.push(format!("{base_path}{dir}"));
                    }
                    if f.ends_with(".html") {
                        paths.push(format!("{base_path}{f}"));
                    } else {
                        // Styles, scripts and data can change any page.
                        assets = true;
                    }
                }
                json!({"all": assets, "paths": paths})
            }
            _ => json!({"all": true, "paths": []}),
        };
        self.broadcast(event("reload", &data));
    }

    /// Shows (or, with none, clears) the overlay in every open page.
    pub fn problems(&self, problems: &[Overlay]) {
        let message = event("problems", &json!({ "errors": problems }));
        if let Ok(mut state) = self.state.lock() {
            state.problems = (!problems.is_empty()).then(|| message.clone());
        }
        self.broadcast(message);
    }

    fn broadcast(&self, message: Arc<str>) {
        if let Ok(mut state) = self.state.lock() {
            state.clients.retain(|c| c.send(message.clone()).is_ok());
        }
    }

    /// Number of open event streams.
    pub fn clients(&self) -> usize {
        self.state.lock().map(|s| s.clients.len()).unwrap_or(0)
    }

    /// Ends every event stream, now and for clients that connect later.
    pub fn close(&self) {
        if let Ok(mut state) = self.state.lock() {
            state.closed = true;
            state.clients.clear();
        }
    }

    /// Serves one event stream until the client leaves or the hub closes.
    pub fn stream(&self, mut stream: TcpStream) -> io::Result<()> {
        let (tx, rx) = mpsc::channel();
        let pending = {
            let Ok(mut state) = self.state.lock() else { return Ok(()) };
            if state.closed {
                return Ok(());
            }
            state.clients.push(tx);
            state.problems.clone()
        };
        // `retry`: reconnect quickly when the server restarts.
        stream.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 1000\n\n",
        )?;
        if let Some(problems) = pending {
            stream.write_all(problems.as_bytes())?;
        }
        stream.flush()?;
        loop {
            match rx.recv_timeout(Duration::from_secs(15)) {
                Ok(message) => stream.write_all(message.as_bytes())?,
                // A comment line: notices clients that went away.
                Err(RecvTimeoutError::Timeout) => stream.write_all(b": keep-alive\n\n")?,
                Err(RecvTimeoutError::Disconnected) => return Ok(()),
            }
            stream.flush()?;
        }
    }
}

/// Injected before `</body>` of HTML served by `portalgen serve` only.
pub const RELOAD_SCRIPT: &str = r##"<script data-portalgen-serve>
(function () {
  if (!window.EventSource || !window.JSON) return;
  var KEY = "portalgen-serve-scroll";
  try {
    var saved = JSON.parse(sessionStorage.getItem(KEY) || "null");
    if (saved && saved.path === location.pathname) {
      sessionStorage.removeItem(KEY);
      var restore = function () { window.scrollTo(saved.x, saved.y); };
      if (document.readyState === "complete") restore(); else window.addEventListener("load", restore);
    }
  } catch (e) {}
  var here = [location.pathname];
  try { here.push(decodeURIComponent(location.pathname)); } catch (e) {}
  var events = new EventSource("/__portalgen/events");
  events.addEventListener("reload", function (ev) {
    var data = JSON.parse(ev.data);
    var mine = data.all || data.paths.some(function (p) { return here.indexOf(p) >= 0; });
    if (!mine) return;
    try {
      sessionStorage.setItem(KEY, JSON.stringify({ path: location.pathname, x: window.scrollX, y: window.scrollY }));
    } catch (e) {}
    location.reload();
  });
  events.addEventListener("problems", function (ev) {
    var errors = JSON.parse(ev.data).errors;
    var old = document.getElementById("portalgen-serve-overlay");
    if (old) old.remove();
    if (!errors.length) return;
    var box = document.createElement("div");
    box.id = "portalgen-serve-overlay";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;z-index:2147483647;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;" +
      "margin:0;padding:1rem 1.25rem;background:#2b0d0d;color:#fde8e8;font:14px/1.5 ui-monospace,monospace;" +
      "border-top:4px solid #f05252;box-shadow:0 -4px 16px rgba(0,0,0,.4)";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Close";
    close.style.cssText = "float:right;font:inherit;color:inherit;background:transparent;border:1px solid currentColor;border-radius:4px;padding:0 .5rem;cursor:pointer";
    close.onclick = function () { box.remove(); };
    box.appendChild(close);
    var title = document.createElement("strong");
    title.textContent = "portalgen serve: the last change has " + errors.length + (errors.length === 1 ? " error" : " errors") +
      " (the page shows the last good build; fixing the file clears this)";
    box.appendChild(title);
    errors.forEach(function (e) {
      var item = document.createElement("div");
      item.className = "portalgen-serve-error";
      item.style.marginTop = ".75rem";
      var where = document.createElement("div");
      where.className = "portalgen-serve-file";
      where.style.color = "#fbd5d5";
      where.textContent = e.file + (e.line ? ":" + e.line : "");
      var message = document.createElement("div");
      message.className = "portalgen-serve-message";
      message.style.whiteSpace = "pre-wrap";
      message.textContent = e.message;
      item.appendChild(where);
      item.appendChild(message);
      box.appendChild(item);
    });
    document.body.appendChild(box);
  });
})();
</script>
"##;
