//! The classroom dashboard's server without a browser: bad requests get a clear 4xx answer and
//! the run goes on; the numbers of a run driven through the API, levers moved on the way, are
//! those `towngov run` gives for the exported scenario (the model's determinism, issue 7);
//! requests from other sites and hosts are refused, every error is JSON, a late page gets a
//! bounded snapshot, a lever change costs the same after a thousand, idle connections close
//! (issue 16).

use std::path::Path;

use serde_json::json;

use crate::http::Server;
use crate::serve_guard::KillOnDrop;
use crate::support::{repo, stderr, towngov};

fn lever(server: &Server, town: &str, path: &str, value: serde_json::Value) {
    let body = json!({"town": town, "path": path, "value": value}).to_string();
    server.ok("POST", "/api/lever", Some(&body));
}

pub(crate) fn step(server: &Server, days: u32) {
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
            "seed: expected a seed from 0 to",
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
    assert_eq!(
        state["status"]["seed"],
        json!("9"),
        "seeds are strings in JSON"
    );
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

/// A browser holds JSON numbers as doubles, exact only up to 2^53: the reset takes the seed as
/// a string of digits too (what the page sends), exactly, and refuses one that is not a seed.
#[test]
fn reset_takes_a_64_bit_seed_as_a_string() {
    let server = Server::start(&repo(), &[]);
    let big = "18041238358055680514";
    server.ok(
        "POST",
        "/api/reset",
        Some(&format!(r#"{{"seed": "{big}"}}"#)),
    );
    let state = server.ok("GET", "/api/state", None);
    assert_eq!(state["status"]["seed"], json!(big), "the seed exactly");
    server.ok("POST", "/api/reset", Some(r#"{"seed": 12}"#));
    assert_eq!(
        server.ok("GET", "/api/state", None)["status"]["seed"],
        json!("12")
    );
    for bad in [
        r#"{"seed": "12x"}"#,
        r#"{"seed": "-1"}"#,
        r#"{"seed": 1.5}"#,
    ] {
        let (code, body) = server.request("POST", "/api/reset", Some(bad));
        assert_eq!(code, 400, "{bad}: {body}");
        assert!(body.contains("seed"), "{bad}: {body}");
    }
    assert_eq!(
        server.ok("GET", "/api/state", None)["status"]["seed"],
        json!("12")
    );
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
