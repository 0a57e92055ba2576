//! The HTTP interface (axum): the page and its assets, a JSON API for the controls, an event
//! stream of updates, and the exports. A bad request gets a 4xx answer with a JSON body
//! `{"error": "..."}` that says what to fix, and the run goes on: 400 for a malformed body,
//! an unknown lever or town; 422 for a value the scenario file would not accept (the same
//! message as for a scenario file); 404 for an unknown address; 405 for a wrong method.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use futures_util::stream::{self, Stream};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::assets::{self, Asset};
use super::session::{SPEED_RANGE, Session, Shared};
use super::snapshot::{self, Sent, TOWN_IDS};
use super::town::Refusal;

type AppState = Arc<Shared>;

/// Days one step request may simulate at most.
const MAX_STEP_DAYS: u32 = 3650;
/// Updates to a page are at least this far apart (days stepped in between are sent together).
const UPDATE_GAP: Duration = Duration::from_millis(100);

pub fn router(shared: AppState) -> Router {
    Router::new()
        .route("/", get(index))
        .route("/{file}", get(page_asset))
        .route("/vendor/{file}", get(vendor_asset))
        .route("/api/state", get(state))
        .route("/api/events", get(events))
        .route("/api/play", post(play))
        .route("/api/pause", post(pause))
        .route("/api/step", post(step))
        .route("/api/speed", post(speed))
        .route("/api/reset", post(reset))
        .route("/api/new-seed", post(new_seed))
        .route("/api/side-by-side", post(side_by_side))
        .route("/api/lever", post(lever))
        .route("/api/export/daily.csv", get(export_csv))
        .route("/api/export/scenario.ron", get(export_ron))
        .fallback(not_found)
        .method_not_allowed_fallback(wrong_method)
        .with_state(shared)
}

/// A refused request: its status and what to fix.
#[derive(Debug)]
struct ApiError(StatusCode, String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({ "error": self.1 });
        (self.0, json_headers(), body.to_string()).into_response()
    }
}

fn bad(message: impl Into<String>) -> ApiError {
    ApiError(StatusCode::BAD_REQUEST, message.into())
}

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError(StatusCode::UNPROCESSABLE_ENTITY, message.into())
}

fn json_headers() -> [(header::HeaderName, &'static str); 2] {
    [
        (header::CONTENT_TYPE, "application/json"),
        (header::CACHE_CONTROL, "no-store"),
    ]
}

fn json_response(v: Value) -> Response {
    (json_headers(), v.to_string()).into_response()
}

/// The request body as `T`; an empty body is `{}`.
fn parse<T: DeserializeOwned>(bytes: &Bytes, expected: &str) -> Result<T, ApiError> {
    let text: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        bytes
    };
    serde_json::from_slice(text).map_err(|e| {
        bad(format!(
            "malformed body: {e}; expected JSON like {expected}"
        ))
    })
}

/// Applies `change` to the session, wakes the pages and answers with the new state.
fn act(
    shared: &Shared,
    change: impl FnOnce(&mut Session) -> Result<(), ApiError>,
) -> Result<Response, ApiError> {
    let state = {
        let mut s = shared.lock();
        change(&mut s)?;
        snapshot::state(&s)
    };
    shared.notify();
    Ok(json_response(state))
}

async fn index() -> Response {
    asset_response(&assets::INDEX)
}

async fn page_asset(Path(file): Path<String>) -> Response {
    match assets::PAGE.iter().find(|a| a.name == file) {
        Some(a) => asset_response(a),
        None => not_found().await.into_response(),
    }
}

async fn vendor_asset(Path(file): Path<String>) -> Response {
    match assets::VENDOR.iter().find(|a| a.name == file) {
        Some(a) => asset_response(a),
        None => not_found().await.into_response(),
    }
}

fn asset_response(a: &Asset) -> Response {
    (
        [
            (header::CONTENT_TYPE, a.content_type),
            (header::CACHE_CONTROL, "no-cache"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            // The browser itself refuses anything from elsewhere.
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; base-uri 'none'; form-action 'none'",
            ),
        ],
        a.body,
    )
        .into_response()
}

async fn not_found() -> ApiError {
    ApiError(
        StatusCode::NOT_FOUND,
        "no such address: the page is at /, the API under /api/ (see README.md, Classroom dashboard)".into(),
    )
}

async fn wrong_method() -> ApiError {
    ApiError(
        StatusCode::METHOD_NOT_ALLOWED,
        "wrong method: controls are POST, the state, events and exports GET".into(),
    )
}

async fn state(State(shared): State<AppState>) -> Response {
    let state = snapshot::state(&shared.lock());
    json_response(state)
}

async fn events(
    State(shared): State<AppState>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let changed = shared.subscribe();
    let start = (shared, changed, Sent::default(), true);
    let updates = stream::unfold(start, |(shared, mut changed, mut sent, first)| async move {
        if !first {
            changed.changed().await.ok()?;
            tokio::time::sleep(UPDATE_GAP).await;
        }
        changed.borrow_and_update();
        let update = snapshot::update(&shared.lock(), &mut sent);
        let event = Event::default().event("update").data(update.to_string());
        Some((Ok(event), (shared, changed, sent, false)))
    });
    Sse::new(updates).keep_alive(KeepAlive::default())
}

async fn play(State(shared): State<AppState>) -> Result<Response, ApiError> {
    act(&shared, |s| {
        s.playing = true;
        Ok(())
    })
}

async fn pause(State(shared): State<AppState>) -> Result<Response, ApiError> {
    act(&shared, |s| {
        s.playing = false;
        Ok(())
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StepRequest {
    days: Option<u32>,
}

/// Pauses and simulates one day (or `days` days) in every town.
async fn step(State(shared): State<AppState>, body: Bytes) -> Result<Response, ApiError> {
    let request: StepRequest = parse(&body, r#"{"days": 1}"#)?;
    let days = request.days.unwrap_or(1);
    if !(1..=MAX_STEP_DAYS).contains(&days) {
        return Err(invalid(format!(
            "`days` must be between 1 and {MAX_STEP_DAYS}, got {days}"
        )));
    }
    act(&shared, |s| {
        s.playing = false;
        for _ in 0..days {
            if !s.step() {
                break;
            }
        }
        Ok(())
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SpeedRequest {
    days_per_second: f64,
}

async fn speed(State(shared): State<AppState>, body: Bytes) -> Result<Response, ApiError> {
    let request: SpeedRequest = parse(&body, r#"{"days_per_second": 10}"#)?;
    let x = request.days_per_second;
    if !SPEED_RANGE.contains(&x) {
        return Err(invalid(format!(
            "`days_per_second` must be between {} and {}, got {x}",
            SPEED_RANGE.start(),
            SPEED_RANGE.end()
        )));
    }
    act(&shared, |s| {
        s.days_per_second = x;
        Ok(())
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ResetRequest {
    seed: Option<u64>,
}

/// Back to day 0, with the same seed or the one given; the levers stay where they are.
async fn reset(State(shared): State<AppState>, body: Bytes) -> Result<Response, ApiError> {
    let request: ResetRequest = parse(&body, r#"{"seed": 7} or {}"#)?;
    act(&shared, |s| {
        let seed = request.seed.unwrap_or(s.status().seed);
        s.reset(seed).map_err(invalid)
    })
}

/// Back to day 0 with another seed: another possible history of the same town.
async fn new_seed(State(shared): State<AppState>) -> Result<Response, ApiError> {
    act(&shared, |s| {
        let old = s.status().seed;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos() as u64);
        let mut seed = 1 + nanos % 99_999;
        if seed == old {
            seed = 1 + seed % 99_999;
        }
        s.reset(seed).map_err(invalid)
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SideRequest {
    on: bool,
}

async fn side_by_side(State(shared): State<AppState>, body: Bytes) -> Result<Response, ApiError> {
    let request: SideRequest = parse(&body, r#"{"on": true}"#)?;
    act(&shared, |s| s.side_by_side(request.on).map_err(invalid))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LeverRequest {
    #[serde(default)]
    town: Option<String>,
    path: String,
    value: Value,
}

/// Moves a lever of one town from the next day on.
async fn lever(State(shared): State<AppState>, body: Bytes) -> Result<Response, ApiError> {
    let request: LeverRequest = parse(
        &body,
        r#"{"town": "a", "path": "policy.portal.coverage", "value": 0.8}"#,
    )?;
    act(&shared, |s| {
        let town = s
            .town_index(request.town.as_deref().unwrap_or("a"))
            .map_err(bad)?;
        s.set_lever(town, &request.path, &request.value)
            .map_err(|r| match r {
                Refusal::Malformed(m) => bad(m),
                Refusal::Invalid(m) => invalid(m),
            })
    })
}

#[derive(Deserialize)]
struct TownQuery {
    town: Option<String>,
}

async fn export_csv(
    State(shared): State<AppState>,
    Query(q): Query<TownQuery>,
) -> Result<Response, ApiError> {
    let (id, csv) = {
        let s = shared.lock();
        let i = s
            .town_index(q.town.as_deref().unwrap_or("a"))
            .map_err(bad)?;
        (TOWN_IDS[i], s.towns[i].daily_csv())
    };
    let csv = csv.map_err(|e| ApiError(StatusCode::INTERNAL_SERVER_ERROR, e))?;
    Ok(download(
        "text/csv; charset=utf-8",
        &format!("daily-{id}.csv"),
        csv,
    ))
}

async fn export_ron(
    State(shared): State<AppState>,
    Query(q): Query<TownQuery>,
) -> Result<Response, ApiError> {
    let (id, ron) = {
        let s = shared.lock();
        let i = s
            .town_index(q.town.as_deref().unwrap_or("a"))
            .map_err(bad)?;
        (TOWN_IDS[i], s.towns[i].export_ron(&s.origin))
    };
    let ron = ron.map_err(|e| ApiError(StatusCode::INTERNAL_SERVER_ERROR, e))?;
    let name = format!("scenario-{id}.ron");
    Ok(download(
        "text/plain; charset=utf-8",
        &name,
        ron.into_bytes(),
    ))
}

fn download(content_type: &'static str, name: &str, body: Vec<u8>) -> Response {
    let disposition = format!("attachment; filename=\"towngov-{name}\"");
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}
