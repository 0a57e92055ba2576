//! The classroom dashboard's server without a browser: bad requests get a clear 4xx answer and
//! the run goes on; the numbers of a run driven through the API, levers moved on the way, are
//! those `towngov run` gives for the exported scenario (the model's determinism, issue 7);
//! requests from other sites and hosts are refused, every error is JSON, a late page gets a
//! bounded snapshot, a lever change costs the same after a thousand, idle connections close
//! (issue 16).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::http::{Server, request_with};
use crate::support::{repo, stderr, towngov};

fn lever(server: &Server, town: &str, path: &str, value: serde_json::Value) {
    let body = json!({"town": town, "path": path, "value": value}).to_string();
    server.ok("POST", "/api/lever", Some(&body));
}

fn step(server: &Server, days: u32) {
    server.ok("POST", "/api/step", Some(&format!("{{\"days\": {days}}}")));
}

/// `towngov run` of the town's exported scenario gives the town's daily.csv byte for byte.
fn check_export_reproduces(server: &Server, town: &str, days: u64, dir: &Path) {
    let csv = server.bytes(&format!("/api/export/daily.csv?town={town}"));
    let ron = server.bytes(&format!("/api/export/scenario.ron?town={town}"));
    let file = dir.join(format!("exported-{town}-{days}.ron"));
    std::fs::write(&file, &ron).expect("written");
    let out = dir.join(format!("run-{town}-{days}"));
    let days = days.to_string();
    let args = [
        "run",
        file.to_str().expect("utf-8"),
        "--days",
        &days,
        "--out",
    ];
    let o = towngov(
        dir,
        &[&args[..], &[out.to_str().expect("utf-8"), "-q"]].concat(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let expected = std::fs::read(out.join("daily.csv")).expect("daily.csv");
    assert_eq!(
        csv.len(),
        expected.len(),
        "town {town}: daily.csv lengths differ"
    );
    assert!(
        csv == expected,
        "town {town}: the dashboard's daily.csv differs from `towngov run` of its export:\n{}",
        String::from_utf8_lossy(&ron)
    );
}

#[test]
fn bad_requests_get_a_clear_4xx_and_the_run_goes_on() {
    let server = Server::start(&repo(), &[]);
    assert!(
        server.printed.contains("\"classroom town\" (seed 1)"),
        "{}",
        server.printed
    );
    step(&server, 3);
    let cases: &[(&str, &str, &str, u16, &str)] = &[
        (
            "POST",
            "/api/lever",
            r#"{"path": "policy.nope", "value": 1}"#,
            400,
            "no such lever",
        ),
        (
            "POST",
            "/api/lever",
            r#"{"path": "policy.portal.coverag", "value": 1}"#,
            400,
            "did you mean `policy.portal.coverage`",
        ),
        (
            "POST",
            "/api/lever",
            r#"{"path": "policy.portal.coverage", "value": 1.5}"#,
            422,
            "`policy.portal.coverage` = 1.5: must be between 0 and 1, got 1.5",
        ),
        (
            "POST",
            "/api/lever",
            r#"{"path": "policy.stewards.team.intermediary", "value": 11}"#,
            422,
            "must be between 0 and 10, got 11",
        ),
        (
            "POST",
            "/api/lever",
            r#"{"path": "policy.grid.workers_per_grid", "value": 1.5}"#,
            422,
            "must be a whole number",
        ),
        (
            "POST",
            "/api/lever",
            r#"{"path": "policy.grid.workers_per_grid", "value": -1}"#,
            422,
            "must be between 0 and 100, got -1",
        ),
        (
            "POST",
            "/api/lever",
            r#"{"path": "policy.committee.mode", "value": "Merged"}"#,
            422,
            "must be one of Fragmented, Unified",
        ),
        (
            "POST",
            "/api/lever",
            r#"{"path": "policy.committee.mode", "value": 1}"#,
            400,
            "takes one of Fragmented, Unified",
        ),
        (
            "POST",
            "/api/lever",
            r#"{"path": "policy.self_governance.enabled", "value": "yes"}"#,
            400,
            "takes true or false",
        ),
        (
            "POST",
            "/api/lever",
            r#"{"town": "b", "path": "policy.portal.coverage", "value": 0.5}"#,
            400,
            "only in side-by-side mode",
        ),
        (
            "POST",
            "/api/lever",
            r#"{"town": "c", "path": "policy.portal.coverage", "value": 0.5}"#,
            400,
            "unknown town `c`",
        ),
        ("POST", "/api/lever", r#"{"path": "#, 400, "malformed body"),
        (
            "POST",
            "/api/lever",
            r#"{"path": "policy.portal.coverage"}"#,
            400,
            "missing field `value`",
        ),
        (
            "POST",
            "/api/lever",
            r#"{"path": "policy.portal.coverage", "value": 0.5, "when": 3}"#,
            400,
            "unknown field `when`",
        ),
        ("POST", "/api/lever", "[1, 2]", 400, "malformed body"),
        (
            "POST",
            "/api/speed",
            r#"{"days_per_second": 0}"#,
            422,
            "between 0.1 and 1000",
        ),
        (
            "POST",
            "/api/step",
            r#"{"days": 0}"#,
            422,
            "between 1 and 3650",
        ),
        (
            "POST",
            "/api/step",
            r#"{"days": -1}"#,
            400,
            "malformed body",
        ),
        (
            "POST",
            "/api/reset",
            r#"{"seed": "x"}"#,
            400,
            "malformed body",
        ),
        ("POST", "/api/side-by-side", "{}", 400, "missing field `on`"),
        ("GET", "/api/play", "", 405, "wrong method"),
        ("GET", "/nothing-here", "", 404, "no such address"),
        (
            "GET",
            "/api/export/daily.csv?town=z",
            "",
            400,
            "unknown town `z`",
        ),
    ];
    for (method, path, body, status, says) in cases {
        let (got, text) = server.request(method, path, Some(body));
        assert_eq!(got, *status, "{method} {path} {body}: {text}");
        let error: serde_json::Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} {body}: {e}: {text}"));
        let message = error["error"].as_str().unwrap_or_default();
        assert!(message.contains(says), "{method} {path} {body}: {message}");
    }
    // A change that breaks a rule across fields gets the scenario file's message.
    lever(&server, "a", "policy.stewards.team.intermediary", json!(6));
    let body = r#"{"path": "policy.stewards.team.leading_firm", "value": 5}"#;
    let (got, text) = server.request("POST", "/api/lever", Some(body));
    assert_eq!(got, 422, "{text}");
    assert!(text.contains("at most 10 members"), "{text}");
    // Nothing refused was recorded, and the run goes on.
    let state = server.ok("GET", "/api/state", None);
    let changes = state["towns"][0]["changes"]
        .as_array()
        .expect("changes")
        .clone();
    assert_eq!(changes.len(), 1, "{changes:?}");
    step(&server, 2);
    assert_eq!(server.day(), 5);
}

#[test]
fn the_dashboard_gives_the_numbers_of_towngov_run_with_the_equivalent_timeline() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = Server::start(&repo(), &[]);
    step(&server, 30);
    lever(&server, "a", "policy.committee.mode", json!("Unified"));
    lever(&server, "a", "policy.platform.integration", json!(0.9));
    step(&server, 25);
    // Town B starts as town A at day 55 and takes other levers.
    server.ok("POST", "/api/side-by-side", Some(r#"{"on": true}"#));
    lever(&server, "b", "policy.portal.coverage", json!(0.9));
    lever(&server, "b", "policy.social_orgs.funding", json!("Project"));
    lever(&server, "a", "policy.stewards.team.intermediary", json!(3));
    lever(&server, "a", "policy.self_governance.enabled", json!(true));
    step(&server, 45);
    assert_eq!(server.day(), 100);
    let state = server.ok("GET", "/api/state", None);
    let days: Vec<u64> = state["towns"][1]["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| c["day"].as_u64().expect("day"))
        .collect();
    assert_eq!(days, [31, 31, 56, 56], "B has A's changes, then its own");
    check_export_reproduces(&server, "a", 100, dir.path());
    check_export_reproduces(&server, "b", 100, dir.path());
    let a = server.bytes("/api/export/daily.csv?town=a");
    let b = server.bytes("/api/export/daily.csv?town=b");
    assert_ne!(a, b, "different levers, different numbers");
    let ron = String::from_utf8(server.bytes("/api/export/scenario.ron?town=a")).expect("utf-8");
    let entries = ron
        .lines()
        .filter(|l| l.trim_start().starts_with("day: "))
        .count();
    assert_eq!(entries, 4, "one timeline entry per change:\n{ron}");
    assert!(
        ron.contains("seed: 1,") && ron.contains("days: 100,"),
        "{ron}"
    );
}

#[test]
fn a_lever_moved_before_a_reform_of_the_scenarios_own_timeline_is_exact_too() {
    // phased_rollout.ron reforms on days 180, 365...: a lever moved on day 100 must reach the
    // policies of those later entries, as it does in the exported file.
    let dir = tempfile::tempdir().expect("tempdir");
    let server = Server::start(&repo(), &["scenarios/phased_rollout.ron", "--seed", "3"]);
    step(&server, 100);
    lever(&server, "a", "policy.mediation.legal_backing", json!(true));
    lever(&server, "a", "policy.committee.n_departments", json!(6));
    step(&server, 100);
    let settings = &server.ok("GET", "/api/state", None)["towns"][0]["settings"];
    assert_eq!(
        settings["policy.committee.n_departments"],
        json!(4),
        "day 180 set 4"
    );
    assert_eq!(settings["policy.mediation.legal_backing"], json!(true));
    check_export_reproduces(&server, "a", 200, dir.path());
    // A reset keeps the levers the class moved, not what the scenario's timeline did.
    server.ok("POST", "/api/reset", None);
    let changes = &server.ok("GET", "/api/state", None)["towns"][0]["changes"];
    let expected = json!([
        {"day": 1, "path": "policy.mediation.legal_backing", "value": true},
        {"day": 1, "path": "policy.committee.n_departments", "value": 6},
    ]);
    assert_eq!(changes, &expected);
    step(&server, 190);
    check_export_reproduces(&server, "a", 190, dir.path());
}

#[test]
fn reset_keeps_the_levers_from_day_one_and_a_new_seed_changes_the_history() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = Server::start(&repo(), &[]);
    step(&server, 20);
    lever(&server, "a", "policy.portal.coverage", json!(0.8));
    lever(&server, "a", "policy.portal.coverage", json!(0.2));
    lever(&server, "a", "policy.grid.workers_per_grid", json!(3));
    server.ok("POST", "/api/reset", Some(r#"{"seed": 9}"#));
    let state = server.ok("GET", "/api/state", None);
    assert_eq!(state["status"]["day"], json!(0));
    assert_eq!(state["status"]["seed"], json!(9));
    let changes = &state["towns"][0]["changes"];
    assert_eq!(
        changes,
        &json!([{"day": 1, "path": "policy.grid.workers_per_grid", "value": 3}]),
        "only the lever that differs from the scenario stays, from day 1"
    );
    step(&server, 15);
    check_export_reproduces(&server, "a", 15, dir.path());
    let before = server.bytes("/api/export/daily.csv?town=a");
    let seed = server.ok("POST", "/api/new-seed", None)["status"]["seed"].clone();
    assert_ne!(seed, json!(9));
    step(&server, 15);
    assert_ne!(server.bytes("/api/export/daily.csv?town=a"), before);
}

#[test]
fn serve_prints_its_address_takes_a_free_port_when_busy_and_refuses_bad_input() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = taken.local_addr().expect("addr").port().to_string();
    // Server::start asks for port 0; this one asks for a busy port.
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_towngov"))
        .args(["serve", "--port", &port])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("starts");
    let mut guard = KillOnDrop(child);
    let mut line = String::new();
    let stdout = guard.0.stdout.take().expect("stdout");
    let mut reader = std::io::BufReader::new(stdout);
    use std::io::BufRead;
    while !line.contains("http://") {
        line.clear();
        assert!(
            reader.read_line(&mut line).expect("reads") > 0,
            "no address printed"
        );
    }
    assert!(line.contains("http://127.0.0.1:"), "{line}");
    assert!(
        !line.contains(&format!(":{port}/")),
        "the busy port was not used: {line}"
    );
    drop(guard);

    let o = towngov(&repo(), &["serve", "no-such-file.ron"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("no-such-file.ron"), "{}", stderr(&o));
    let o = towngov(&repo(), &["serve", "--port", "70000"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

struct KillOnDrop(std::process::Child);

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
