//! The classroom dashboard in a real browser: `towngov serve` and headless Chromium. The test
//! presses play, moves levers, runs two towns side by side, switches the language, and checks
//! that the plots, the map and the numbers change, that a refused change is shown, that no
//! script failed, and that the page asked nothing of any server but towngov's. It saves
//! screenshots to `target/browser/` for a person to look at.
//!
//! It needs Chromium, which `cargo test` cannot provide, so it is left out of the README's test
//! command (`#[ignore]`) and run as its own step: `scripts/browser-test.sh` installs Debian's
//! chromium if missing and runs it (`.ci/run` calls that script after the test command).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::cdp::{self, Chromium, Page};
use crate::http::Server;
use crate::support::repo;

const WAIT: Duration = Duration::from_secs(60);
const WIDTH: u32 = 1600;

/// Where the screenshots go: `target/browser/`.
fn screenshots() -> PathBuf {
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent()
        .map_or(tmp.clone(), |t| t.to_path_buf())
        .join("browser")
}

/// The text of every headline number of `town`, without the town's letter.
fn tiles(page: &mut Page, town: &str) -> Vec<String> {
    let js = format!(
        "JSON.stringify([...document.querySelectorAll('.tile-value.town-{town}')].map(e => e.textContent.replace(/^[AB] /, '')))"
    );
    serde_json::from_str(page.eval(&js).as_str().unwrap_or("[]")).unwrap_or_default()
}

fn days_plotted(page: &mut Page) -> u64 {
    page.eval("window.towngov.plots ? window.towngov.plots[0].data[0].length : 0")
        .as_u64()
        .unwrap_or(0)
}

/// Sets a lever's control as a user would and lets the page send it.
fn move_lever(page: &mut Page, path: &str, value: &str) {
    let id = format!("lever-{}", path.replace('.', "-"));
    let js = format!(
        "(() => {{ const e = document.getElementById('{id}'); if (e.type === 'checkbox') {{ e.click(); return true; }} e.value = '{value}'; e.dispatchEvent(new Event('input')); e.dispatchEvent(new Event('change')); return e.value === '{value}'; }})()"
    );
    assert_eq!(page.eval(&js), json!(true), "{path} takes {value}");
    answered(page);
}

/// Waits until the server has answered every control the page sent.
fn answered(page: &mut Page) {
    page.wait_for("the server's answer", "window.towngov.pending === 0", WAIT);
}

fn click(page: &mut Page, selector: &str) {
    let js = format!("document.querySelector('{selector}').click(); true");
    assert_eq!(page.eval(&js), json!(true), "{selector}");
    answered(page);
}

#[test]
#[ignore = "needs Chromium: run scripts/browser-test.sh"]
fn the_dashboard_plays_moves_levers_and_compares_in_a_real_browser() {
    let Some(exe) = cdp::find() else {
        panic!(
            "Chromium is not installed: run scripts/browser-test.sh (it installs Debian's \
             chromium), or set TOWNGOV_CHROMIUM to a Chromium or Chrome binary"
        );
    };
    let started = Instant::now();
    let out = screenshots();
    std::fs::create_dir_all(&out).expect("target/browser");
    let server = Server::start(&repo(), &[]);
    let chromium = Chromium::launch(&exe, &out.join("chromium.log"));
    let mut page = chromium.page();
    for domain in ["Network.enable", "Runtime.enable", "Page.enable"] {
        page.call(domain, json!({}));
    }
    let size = json!({"width": WIDTH, "height": 1000, "deviceScaleFactor": 1, "mobile": false});
    page.call("Emulation.setDeviceMetricsOverride", size);
    page.call("Page.navigate", json!({"url": server.url()}));
    page.wait_for(
        "the first update",
        "!!(window.towngov && window.towngov.ready)",
        WAIT,
    );
    page.eval("localStorage.setItem('towngov.lang', 'en'); true");
    assert_eq!(
        page.eval("window.towngov.plots.length"),
        json!(8),
        "eight plots"
    );
    let levers = page.eval("document.querySelectorAll('.lever').length");
    assert_eq!(levers, json!(25), "a control per lever");

    // Play, faster: days pass, the plots fill and the numbers move.
    let speed = "const s = document.getElementById('speed'); s.value = '50'; s.dispatchEvent(new Event('change')); true";
    page.eval(speed);
    click(&mut page, "#play");
    page.wait_for(
        "30 days",
        "window.towngov.plots[0].data[0].length >= 30",
        WAIT,
    );
    let early = tiles(&mut page, "a");
    let plotted = days_plotted(&mut page);

    // Move levers of the management line: they apply from the next day.
    move_lever(&mut page, "policy.platform.integration", "1");
    move_lever(&mut page, "policy.committee.mode", "Unified");
    move_lever(&mut page, "policy.authority.enabled", "");
    page.wait_for(
        "the lever marked as changed",
        "document.querySelector('.lever[data-path=\"policy.committee.mode\"]').classList.contains('changed')",
        WAIT,
    );
    let state = server.ok("GET", "/api/state", None);
    let changes = state["towns"][0]["changes"]
        .as_array()
        .expect("changes")
        .clone();
    let paths: Vec<&str> = changes.iter().filter_map(|c| c["path"].as_str()).collect();
    assert_eq!(
        paths,
        [
            "policy.platform.integration",
            "policy.committee.mode",
            "policy.authority.enabled"
        ]
    );
    assert_eq!(changes[0]["value"], json!(1.0));
    assert_eq!(changes[1]["value"], json!("Unified"));
    assert_eq!(changes[2]["value"], json!(true));
    let reforms = page.eval("document.querySelectorAll('#changes li').length");
    assert_eq!(reforms, json!(3), "the reforms are listed");

    let wait_more = format!("window.towngov.plots[0].data[0].length >= {}", plotted + 40);
    page.wait_for("40 more days", &wait_more, WAIT);
    let later = tiles(&mut page, "a");
    assert_ne!(early[0], later[0], "the day moves: {early:?} -> {later:?}");
    let moved = early
        .iter()
        .zip(&later)
        .skip(1)
        .filter(|(a, b)| a != b)
        .count();
    assert!(moved >= 3, "the numbers move: {early:?} -> {later:?}");
    let filled = "window.towngov.plots.every(u => u.data.slice(1).some(s => s.some(v => v !== null && v !== undefined)))";
    assert_eq!(page.eval(filled), json!(true), "every plot has data");
    let cells = page.eval("document.querySelectorAll('#map-a rect').length");
    assert!(
        cells.as_u64().unwrap_or(0) >= 6,
        "the map draws grids and communities: {cells}"
    );

    // A refused change is shown to the user, and the run goes on.
    page.eval("App.post('/api/lever', {path: 'policy.portal.coverage', value: 2})");
    let refused = page.eval("document.getElementById('message').textContent");
    assert!(
        refused
            .as_str()
            .unwrap_or_default()
            .contains("must be between 0 and 1"),
        "{refused}"
    );

    // Side by side: town B starts as A, then takes the service line of reform.
    click(&mut page, "#side-by-side");
    page.wait_for(
        "town B",
        "document.querySelectorAll('.tile-value.town-b').length === 8 && window.towngov.plots[0].series.length === 9",
        WAIT,
    );
    click(&mut page, "#lever-tabs .tab[data-town=b]");
    move_lever(&mut page, "policy.portal.coverage", "1");
    move_lever(&mut page, "policy.stewards.team.intermediary", "4");
    move_lever(&mut page, "policy.operator.enabled", "");
    let state = server.ok("GET", "/api/state", None);
    assert_eq!(
        state["towns"][1]["changes"].as_array().map(Vec::len),
        Some(6)
    );
    assert_eq!(
        state["towns"][0]["changes"].as_array().map(Vec::len),
        Some(3)
    );
    let wait_more = format!(
        "window.towngov.plots[0].data[0].length >= {}",
        days_plotted(&mut page) + 60
    );
    page.wait_for("60 more days side by side", &wait_more, WAIT);
    click(&mut page, "#pause");
    let (a, b) = (tiles(&mut page, "a"), tiles(&mut page, "b"));
    assert_eq!(a[0], b[0], "lockstep: the same day");
    assert!(
        a.iter().zip(&b).skip(1).any(|(x, y)| x != y),
        "B differs from A: {a:?} {b:?}"
    );
    page.eval("const m = document.getElementById('map-indicator'); m.value = 'satisfaction_mean'; m.dispatchEvent(new Event('change')); true");
    let legend = page.eval("document.getElementById('map-legend').textContent");
    assert!(
        legend.as_str().unwrap_or_default().contains("Satisfaction"),
        "{legend}"
    );
    let dots = page.eval("document.querySelectorAll('#maps circle.case').length");
    assert!(dots.as_u64().unwrap_or(0) > 0, "open cases on the map");

    // Both languages, every label present.
    click(&mut page, "#lang");
    page.wait_for(
        "Chinese",
        "document.querySelector('h1').textContent.includes('课堂')",
        WAIT,
    );
    let chinese = page.eval("document.querySelector('#plot-satisfaction .caption').textContent");
    assert!(
        chinese.as_str().unwrap_or_default().contains("满意度"),
        "{chinese}"
    );
    page.screenshot(WIDTH, &out.join("dashboard-zh.png"));
    click(&mut page, "#lang");
    page.wait_for(
        "English",
        "document.querySelector('h1').textContent.includes('classroom')",
        WAIT,
    );
    assert_eq!(
        page.eval("window.towngov.missing"),
        json!([]),
        "labels missing"
    );
    let export = page.eval("fetch('/api/export/daily.csv?town=b').then(r => r.text()).then(t => t.split('\\n').length)");
    assert!(
        export.as_u64().unwrap_or(0) > 100,
        "the CSV export: {export}"
    );
    let shot = out.join("dashboard.png");
    page.screenshot(WIDTH, &shot);

    // Nothing but towngov's server was asked for anything, and no script failed.
    let base = server.url();
    let requests = page.requests();
    assert!(requests.len() >= 10, "requests were recorded: {requests:?}");
    let outside: Vec<&String> = requests
        .iter()
        .filter(|u| !u.starts_with(&base) && !u.starts_with("data:"))
        .collect();
    assert!(outside.is_empty(), "requests outside {base}: {outside:?}");
    assert_eq!(
        page.exceptions(),
        Vec::<String>::new(),
        "uncaught exceptions"
    );
    assert_eq!(
        page.eval("window.towngov.errors"),
        json!([]),
        "script errors"
    );
    drop(chromium);
    println!(
        "browser test: {} requests, all to {base}; screenshots {} and {}; {:.1} s",
        requests.len(),
        shot.display(),
        out.join("dashboard-zh.png").display(),
        started.elapsed().as_secs_f64()
    );
}
