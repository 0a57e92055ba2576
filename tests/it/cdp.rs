//! Headless Chromium driven over the DevTools protocol (a WebSocket, through tungstenite):
//! enough to load a page, run JavaScript in it, record every network request it makes and
//! take a screenshot. Chromium is Debian's (`scripts/browser-test.sh` installs it); nothing is downloaded.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::{Message, WebSocket};

/// Flags that keep Chromium off the network and out of the way (no sandbox: CI runs as root).
const FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--mute-audio",
    "--window-size=1600,1000",
    "--remote-debugging-port=0",
];

/// The Chromium to use: `$TOWNGOV_CHROMIUM`, else Debian's `chromium` (or another Chrome).
pub fn find() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("TOWNGOV_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
}

/// A headless Chromium with a fresh profile, stopped when dropped.
pub struct Chromium {
    child: Child,
    profile: tempfile::TempDir,
    port: u16,
}

impl Chromium {
    /// Starts `exe`; its messages go to `log`.
    pub fn launch(exe: &Path, log: &Path) -> Chromium {
        let profile = tempfile::tempdir().expect("a profile folder");
        let log_file = std::fs::File::create(log).expect("a log file");
        let child = Command::new(exe)
            .args(FLAGS)
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdout(Stdio::null())
            .stderr(log_file)
            .spawn()
            .unwrap_or_else(|e| panic!("{} does not start: {e}", exe.display()));
        let mut chromium = Chromium {
            child,
            profile,
            port: 0,
        };
        // Chromium writes the port it listens on into the profile folder.
        let active = chromium.profile.path().join("DevToolsActivePort");
        let started = Instant::now();
        chromium.port = loop {
            if let Some(port) = std::fs::read_to_string(&active)
                .ok()
                .and_then(|t| t.lines().next()?.trim().parse().ok())
            {
                break port;
            }
            if let Ok(Some(status)) = chromium.child.try_wait() {
                panic!("Chromium stopped ({status}); see {}", log.display());
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "Chromium did not open its DevTools port within 60 s; see {}",
                log.display()
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        chromium
    }

    /// The blank page Chromium opened, ready to be driven.
    pub fn page(&self) -> Page {
        let addr = format!("127.0.0.1:{}", self.port);
        let started = Instant::now();
        let ws = loop {
            let (_, body) = crate::http::request(&addr, "GET", "/json/list", None);
            let targets: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            let page = targets
                .as_array()
                .into_iter()
                .flatten()
                .find(|t| t["type"] == "page")
                .and_then(|t| t["webSocketDebuggerUrl"].as_str().map(str::to_string));
            if let Some(ws) = page {
                break ws;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "no page target: {targets}"
            );
            std::thread::sleep(Duration::from_millis(100));
        };
        let stream = TcpStream::connect(&addr).expect("DevTools connection");
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .expect("timeout");
        let (socket, _) = tungstenite::client(ws.as_str(), stream).expect("DevTools handshake");
        Page {
            socket,
            next_id: 1,
            events: Vec::new(),
        }
    }
}

impl Drop for Chromium {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A page target: commands, their answers, and the events received meanwhile.
pub struct Page {
    socket: WebSocket<TcpStream>,
    next_id: u64,
    /// Every event received so far (`method` and `params`).
    pub events: Vec<Value>,
}

impl Page {
    /// Sends a command and waits for its answer, keeping the events that arrive meanwhile.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let message = json!({"id": id, "method": method, "params": params}).to_string();
        self.socket
            .send(Message::Text(message.into()))
            .unwrap_or_else(|e| panic!("{method}: {e}"));
        loop {
            let message = self
                .socket
                .read()
                .unwrap_or_else(|e| panic!("{method}: {e}"));
            let Message::Text(text) = message else {
                continue;
            };
            let value: Value = serde_json::from_str(text.as_str()).expect("DevTools sends JSON");
            if value["id"] == json!(id) {
                if let Some(error) = value.get("error") {
                    panic!("{method}: {error}");
                }
                return value["result"].clone();
            }
            if value.get("method").is_some() {
                self.events.push(value);
            }
        }
    }

    /// The value of a JavaScript expression evaluated in the page (promises awaited).
    pub fn eval(&mut self, expression: &str) -> Value {
        let result = self.call(
            "Runtime.evaluate",
            json!({"expression": expression, "returnByValue": true, "awaitPromise": true}),
        );
        if let Some(details) = result.get("exceptionDetails") {
            panic!("{expression}: {details}");
        }
        result["result"]["value"].clone()
    }

    /// Waits until `expression` is true in the page, or fails naming `what`.
    pub fn wait_for(&mut self, what: &str, expression: &str, timeout: Duration) {
        let started = Instant::now();
        while self.eval(expression) != json!(true) {
            assert!(
                started.elapsed() < timeout,
                "timed out waiting for {what} ({expression})"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Every URL the page requested so far.
    pub fn requests(&mut self) -> Vec<String> {
        self.call("Runtime.evaluate", json!({"expression": "1"}));
        self.events
            .iter()
            .filter(|e| e["method"] == "Network.requestWillBeSent")
            .filter_map(|e| e["params"]["request"]["url"].as_str().map(str::to_string))
            .collect()
    }

    /// Uncaught exceptions the page threw so far.
    pub fn exceptions(&self) -> Vec<String> {
        self.events
            .iter()
            .filter(|e| e["method"] == "Runtime.exceptionThrown")
            .map(|e| e["params"]["exceptionDetails"].to_string())
            .collect()
    }

    /// A PNG of the whole page (not only what fits the window) at `width` CSS pixels.
    pub fn screenshot(&mut self, width: u32, path: &Path) {
        let metrics = self.call("Page.getLayoutMetrics", json!({}));
        let height = metrics["cssContentSize"]["height"]
            .as_f64()
            .unwrap_or(1000.0);
        let height = height.ceil().clamp(600.0, 6000.0) as u32;
        let size =
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": false});
        self.call("Emulation.setDeviceMetricsOverride", size);
        std::thread::sleep(Duration::from_millis(300));
        let shot = self.call("Page.captureScreenshot", json!({"format": "png"}));
        let data = shot["data"].as_str().expect("image data");
        let png = data_encoding::BASE64
            .decode(data.as_bytes())
            .expect("base64 image");
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("folder");
        std::fs::write(path, png).expect("screenshot written");
    }
}
