//! `towngov serve` started for a test, and a small HTTP/1.1 client for its API (one request
//! per connection, `Connection: close`).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

/// A running `towngov serve`, stopped when dropped.
pub struct Server {
    child: Child,
    /// `127.0.0.1:PORT`
    pub addr: String,
    /// The first lines it printed.
    pub printed: String,
}

impl Server {
    /// `towngov serve --port 0 ARGS...` in `dir`; waits for the address it prints.
    pub fn start(dir: &Path, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_towngov"))
            .current_dir(dir)
            .args(["serve", "--port", "0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("towngov serve starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut printed = String::new();
        let mut lines = BufReader::new(stdout).lines();
        let addr = loop {
            let Some(Ok(line)) = lines.next() else {
                let _ = child.kill();
                panic!("towngov serve stopped before printing its address; it printed:\n{printed}");
            };
            printed += &line;
            printed.push('\n');
            if let Some(at) = line.find("http://") {
                let rest = &line[at + "http://".len()..];
                break rest.split('/').next().unwrap_or_default().to_string();
            }
        };
        // Keep reading, so that a later line never meets a closed pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Server {
            child,
            addr,
            printed,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Status and body of a request.
    pub fn request(&self, method: &str, path: &str, body: Option<&str>) -> (u16, String) {
        let (status, bytes) = request(&self.addr, method, path, body);
        (status, String::from_utf8_lossy(&bytes).into_owned())
    }

    /// A request that must succeed, its body as JSON.
    pub fn ok(&self, method: &str, path: &str, body: Option<&str>) -> Value {
        let (status, text) = self.request(method, path, body);
        assert_eq!(status, 200, "{method} {path} {body:?}: {text}");
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: not JSON ({e}): {text}"))
    }

    /// A request that must succeed, its body as bytes.
    pub fn bytes(&self, path: &str) -> Vec<u8> {
        let (status, bytes) = request(&self.addr, "GET", path, None);
        assert_eq!(
            status,
            200,
            "GET {path}: {}",
            String::from_utf8_lossy(&bytes)
        );
        bytes
    }

    pub fn day(&self) -> u64 {
        self.ok("GET", "/api/state", None)["status"]["day"]
            .as_u64()
            .expect("a day")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.1 request to `addr`, as a script sends it (`Host` the address, a JSON body);
/// the status and the body (chunked bodies are joined).
pub fn request(addr: &str, method: &str, path: &str, body: Option<&str>) -> (u16, Vec<u8>) {
    let headers = [("Host", addr), ("Content-Type", "application/json")];
    request_with(addr, method, path, &headers, body)
}

/// One HTTP/1.1 request to `addr` with exactly `headers` (and `Content-Length`).
pub fn request_with(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> (u16, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).unwrap_or_else(|e| panic!("connect {addr}: {e}"));
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    let body = body.unwrap_or("");
    let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    for (name, value) in headers {
        head += &format!("{name}: {value}\r\n");
    }
    head += &format!("Content-Length: {}\r\n\r\n", body.len());
    stream.write_all(head.as_bytes()).expect("request sent");
    stream.write_all(body.as_bytes()).expect("body sent");
    // Read the head, then as much body as it announces (DevTools keeps connections open).
    let mut raw = Vec::new();
    let mut chunk = [0u8; 64 * 1024];
    let split = loop {
        if let Some(at) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        let n = stream.read(&mut chunk).expect("response read");
        assert!(
            n > 0,
            "no header end in {:?}",
            String::from_utf8_lossy(&raw)
        );
        raw.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {head}"));
    let length: Option<usize> = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok());
    let mut body = raw[split + 4..].to_vec();
    match length {
        Some(length) => {
            while body.len() < length {
                let n = stream.read(&mut chunk).expect("body read");
                assert!(n > 0, "the body ended early");
                body.extend_from_slice(&chunk[..n]);
            }
            body.truncate(length);
        }
        None => {
            stream.read_to_end(&mut body).expect("body read");
        }
    }
    if head.contains("transfer-encoding: chunked") {
        body = unchunk(&body);
    }
    (status, body)
}

fn unchunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = data.windows(2).position(|w| w == b"\r\n") {
        let size_text = String::from_utf8_lossy(&data[..eol]);
        let size = usize::from_str_radix(size_text.trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = eol + 2;
        out.extend_from_slice(&data[start..(start + size).min(data.len())]);
        data = &data[(start + size + 2).min(data.len())..];
    }
    out
}
