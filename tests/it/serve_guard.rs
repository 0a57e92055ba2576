//! The dashboard server's guards (issue 16 item 6): requests from another site or host are
//! refused, controls take JSON only, every error is JSON, a late page gets a bounded snapshot,
//! lever changes cost the same at any point, idle connections close.

use crate::http::{Server, request_with};
use crate::serve::step;
use crate::support::repo;
use serde_json::json;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

pub(crate) struct KillOnDrop(pub(crate) std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Status and JSON error of a request with exactly `headers`.
fn refused(
    server: &Server,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> (u16, String) {
    let (status, bytes) = request_with(&server.addr, method, path, headers, body);
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let error: serde_json::Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{method} {path} {headers:?}: not JSON ({e}): {text}"));
    let message = error["error"]
        .as_str()
        .unwrap_or_else(|| panic!("no `error` in {text}"));
    (status, message.to_string())
}

#[test]
fn requests_from_another_site_or_host_are_refused_and_controls_take_json_only() {
    let server = Server::start(&repo(), &[]);
    let addr = server.addr.clone();
    let port = addr.rsplit(':').next().expect("a port").to_string();
    let own_origin = format!("http://{addr}");
    let foreign_host = format!("towngov.attacker.example:{port}");
    let json_type = ("Content-Type", "application/json");
    let step = Some(r#"{"days": 5}"#);
    // (method, path, headers, body, status, what the error says)
    type Case<'a> = (
        &'a str,
        &'a str,
        Vec<(&'a str, &'a str)>,
        Option<&'a str>,
        u16,
        &'a str,
    );
    let cases: &[Case] = &[
        // DNS rebinding: a page of another site whose name now points at 127.0.0.1.
        (
            "GET",
            "/api/state",
            vec![("Host", &foreign_host)],
            None,
            403,
            "is not this server",
        ),
        (
            "GET",
            "/api/export/daily.csv",
            vec![("Host", &foreign_host)],
            None,
            403,
            "is not this server",
        ),
        (
            "GET",
            "/",
            vec![("Host", &foreign_host)],
            None,
            403,
            "is not this server",
        ),
        (
            "POST",
            "/api/step",
            vec![("Host", &foreign_host), json_type],
            step,
            403,
            "is not this server",
        ),
        // Another page in the browser posting to the real address.
        (
            "POST",
            "/api/step",
            vec![
                ("Host", &addr),
                ("Origin", "http://attacker.example"),
                json_type,
            ],
            step,
            403,
            "another site",
        ),
        (
            "POST",
            "/api/step",
            vec![("Host", &addr), ("Origin", "null"), json_type],
            step,
            403,
            "another site",
        ),
        (
            "POST",
            "/api/step",
            vec![("Host", &addr), ("Origin", "http://127.0.0.1:1"), json_type],
            step,
            403,
            "another site",
        ),
        (
            "GET",
            "/api/events",
            vec![("Host", &addr), ("Origin", "http://attacker.example")],
            None,
            403,
            "another site",
        ),
        (
            "POST",
            "/api/step",
            vec![("Host", &addr), ("Sec-Fetch-Site", "cross-site"), json_type],
            step,
            403,
            "another site",
        ),
        // A form or a text/plain post needs no CORS preflight: refused; so is one with no type.
        (
            "POST",
            "/api/step",
            vec![("Host", &addr), ("Content-Type", "text/plain")],
            step,
            415,
            "Content-Type: application/json",
        ),
        (
            "POST",
            "/api/step",
            vec![
                ("Host", &addr),
                ("Content-Type", "application/x-www-form-urlencoded"),
            ],
            Some("days=5"),
            415,
            "controls take JSON",
        ),
        (
            "POST",
            "/api/play",
            vec![("Host", &addr)],
            None,
            415,
            "controls take JSON",
        ),
    ];
    for (method, path, headers, body, status, says) in cases {
        let (got, message) = refused(&server, method, path, headers, *body);
        assert_eq!(got, *status, "{method} {path} {headers:?}: {message}");
        assert!(
            message.contains(says),
            "{method} {path} {headers:?}: {message}"
        );
    }
    let state = server.ok("GET", "/api/state", None);
    assert_eq!(
        state["status"]["day"],
        json!(0),
        "no refused request stepped the town"
    );
    assert_eq!(state["status"]["playing"], json!(false), "nor played it");
    // The page itself (its Origin, JSON with a charset) and `localhost` are served.
    let own = [
        ("Host", addr.as_str()),
        ("Origin", own_origin.as_str()),
        ("Sec-Fetch-Site", "same-origin"),
        ("Content-Type", "application/json; charset=utf-8"),
    ];
    let (got, _) = request_with(&addr, "POST", "/api/step", &own, step);
    assert_eq!(got, 200);
    let localhost = format!("localhost:{port}");
    let (got, _) = request_with(&addr, "GET", "/api/state", &[("Host", &localhost)], None);
    assert_eq!(got, 200);
    assert_eq!(server.day(), 5);
}

#[test]
fn every_error_is_json_including_a_body_too_large() {
    let server = Server::start(&repo(), &[]);
    let big = format!("{{\"days\": 1, \"pad\": \"{}\"}}", "x".repeat(100_000));
    let (status, message) = refused(
        &server,
        "POST",
        "/api/step",
        &[("Host", &server.addr), ("Content-Type", "application/json")],
        Some(&big),
    );
    assert_eq!(status, 413, "{message}");
    assert!(
        message.contains("too large: at most 65536 bytes"),
        "{message}"
    );
    // A query axum itself cannot read.
    let (status, message) = refused(
        &server,
        "GET",
        "/api/export/daily.csv?town=a&town=b",
        &[("Host", &server.addr)],
        None,
    );
    assert_eq!(status, 400, "{message}");
    assert!(message.contains("town"), "{message}");
    assert_eq!(server.day(), 0);
}

/// Opens the event stream and reads its first update (what a new page gets): the update and
/// the size of its data in bytes.
fn first_event(addr: &str) -> (serde_json::Value, usize) {
    let mut stream = TcpStream::connect(addr).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    let head = format!("GET /api/events HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    stream.write_all(head.as_bytes()).expect("sent");
    let mut raw = Vec::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = read_through_signals(&mut stream, &mut buf).expect("reads");
        assert!(n > 0, "the stream ended");
        raw.extend_from_slice(&buf[..n]);
        let Some(at) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let body = unchunk(&raw[at + 4..]);
        let text = String::from_utf8_lossy(&body);
        if let Some(end) = text.find("\n\n") {
            let event = &text[..end];
            let data = event
                .lines()
                .find_map(|l| l.strip_prefix("data: "))
                .unwrap_or_else(|| panic!("no data in {event:.200}"));
            let update = serde_json::from_str(data).expect("an update is JSON");
            return (update, data.len());
        }
    }
}

/// The complete chunks of a chunked body.
fn unchunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = data.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&data[..eol])
            .ok()
            .and_then(|s| usize::from_str_radix(s.trim(), 16).ok())
            .unwrap_or(0);
        let start = eol + 2;
        if size == 0 || data.len() < start + size {
            break;
        }
        out.extend_from_slice(&data[start..start + size]);
        data = &data[(start + size + 2).min(data.len())..];
    }
    out
}

#[test]
fn a_page_that_arrives_late_gets_a_bounded_snapshot_without_stalling_the_server() {
    let server = Server::start(&repo(), &[]);
    for _ in 0..6 {
        step(&server, 3650);
    }
    step(&server, 100);
    assert_eq!(server.day(), 22_000);
    let (update, bytes) = first_event(&server.addr);
    assert_eq!(update["full"], json!(true));
    let town = &update["towns"][0];
    let days = town["series"]["day"].as_array().expect("days");
    assert!(days.len() <= 2000, "{} points for 22,000 days", days.len());
    assert!(
        bytes < 1_000_000,
        "a new page got {bytes} bytes at day 22,000"
    );
    assert_eq!(days.last(), Some(&json!(22_000)));
    assert!(town["days_per_point"].as_u64().expect("a number") > 1);
    // The thinned history keeps the counts: cases created add up to daily.csv's.
    let csv = String::from_utf8(server.bytes("/api/export/daily.csv?town=a")).expect("utf-8");
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().expect("a header").split(',').collect();
    let column = header
        .iter()
        .position(|h| *h == "created")
        .expect("created");
    let created: u64 = lines
        .map(|l| {
            l.split(',')
                .nth(column)
                .expect("a cell")
                .parse::<u64>()
                .expect("a count")
        })
        .sum();
    let sent: u64 = town["series"]["created"]
        .as_array()
        .expect("created")
        .iter()
        .map(|x| x.as_u64().expect("a count"))
        .sum();
    assert_eq!(sent, created);
    // Pages that never read their stream do not stall the others: each update is small and
    // taken from the session without holding it while it is written.
    let mut silent = Vec::new();
    for _ in 0..30 {
        let mut s = TcpStream::connect(&server.addr).expect("connects");
        let head = format!("GET /api/events HTTP/1.1\r\nHost: {}\r\n\r\n", server.addr);
        s.write_all(head.as_bytes()).expect("sent");
        silent.push(s);
    }
    let start = Instant::now();
    server.ok("POST", "/api/pause", None);
    step(&server, 10);
    let waited = start.elapsed();
    assert!(
        waited < Duration::from_secs(3),
        "30 silent pages stalled a control for {waited:?}"
    );
    drop(silent);
}

#[test]
fn a_lever_change_costs_the_same_after_a_thousand_changes() {
    let server = Server::start(&repo(), &[]);
    let mut took = Vec::new();
    for i in 0..1100 {
        let value = if i % 2 == 0 { 0.2 } else { 0.7 };
        let body = json!({"path": "policy.portal.coverage", "value": value}).to_string();
        let start = Instant::now();
        server.ok("POST", "/api/lever", Some(&body));
        took.push(start.elapsed());
        if i % 10 == 9 {
            step(&server, 1);
        }
    }
    let median = |xs: &[Duration]| {
        let mut xs = xs.to_vec();
        xs.sort();
        xs[xs.len() / 2]
    };
    let (first, last) = (median(&took[..100]), median(&took[1000..]));
    assert!(
        last < first * 3 + Duration::from_millis(3),
        "a lever change took {first:?} at first and {last:?} after 1,000 changes"
    );
    let state = server.ok("GET", "/api/state", None);
    assert_eq!(
        state["towns"][0]["changes"].as_array().map(Vec::len),
        Some(1100)
    );
    assert_eq!(
        state["towns"][0]["settings"]["policy.portal.coverage"],
        json!(0.7)
    );
}

#[test]
fn idle_connections_are_closed_and_an_open_page_is_not() {
    let server = Server::start(&repo(), &["--idle-timeout", "1"]);
    // A page that reads its stream: keep-alives come well within the timeout.
    let mut page = TcpStream::connect(&server.addr).expect("connects");
    page.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let head = format!("GET /api/events HTTP/1.1\r\nHost: {}\r\n\r\n", server.addr);
    page.write_all(head.as_bytes()).expect("sent");
    // A connection that never sends its request.
    let mut silent = TcpStream::connect(&server.addr).expect("connects");
    silent
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let start = Instant::now();
    let got = read_through_signals(&mut silent, &mut [0u8; 64]);
    let waited = start.elapsed();
    assert!(
        matches!(got, Ok(0))
            || got
                .as_ref()
                .is_err_and(|e| e.kind() == std::io::ErrorKind::ConnectionReset),
        "an idle connection was not closed: {got:?} after {waited:?}"
    );
    assert!(
        waited >= Duration::from_millis(900) && waited < Duration::from_secs(5),
        "closed after {waited:?} with a 1 s timeout"
    );
    let mut buf = vec![0u8; 1 << 16];
    while start.elapsed() < Duration::from_millis(3000) {
        let n = read_through_signals(&mut page, &mut buf).expect("the open page's stream goes on");
        assert!(
            n > 0,
            "the open page's stream was closed after {:?}",
            start.elapsed()
        );
    }
    // The server still answers.
    assert_eq!(server.day(), 0);
}

/// `read`, tried again when a signal interrupts it (a test binary's other threads spawn and
/// reap processes).
fn read_through_signals(stream: &mut TcpStream, buf: &mut [u8]) -> std::io::Result<usize> {
    loop {
        match stream.read(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

/// `serve` checks its memory budget before it builds anything: two towns of up to 36,500 days
/// each, refused with exit 2 and the estimate when over `--max-memory`.
#[test]
fn serve_refuses_a_town_over_its_memory_budget() {
    let o = crate::support::towngov(
        &repo(),
        &["--max-memory", "20M", "serve", "scenarios/real_town.ron"],
    );
    assert_eq!(o.status.code(), Some(2), "{}", crate::support::stderr(&o));
    let err = crate::support::stderr(&o);
    assert!(
        err.contains("the dashboard") && err.contains("needs about"),
        "{err}"
    );
}
