//! The HTTP interface (axum): the page and its assets, a JSON API for the controls, an event
//! stream of updates, and the exports. A bad request gets a 4xx answer with a JSON body
//! `{"error": "..."}` that says what to fix, and the run goes on: 400 for a malformed body,
//! an unknown lever or town; 422 for a value the scenario file would not accept (the same
//! message as for a scenario file); 404 for an unknown address; 405 for a wrong method; 403
//! for a request from elsewhere (a Host that is not the address served, a foreign Origin);
//! 413 for a body over [`MAX_BODY_BYTES`]; 415 for a control whose body is not JSON. Every
//! error, including those axum answers itself, is JSON.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use futures_util::stream::{self, Stream};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::assets::{self, Asset};
use super::session::{SPEED_RANGE, Session, Shared};
use super::snapshot::{self, ChangeList, Sent, TOWN_IDS};
use super::town::{self, Refusal};

type AppState = Arc<Shared>;

/// Days one step request may simulate at most.
const MAX_STEP_DAYS: u32 = 3650;
/// Updates to a page are at least this far apart (days stepped in between are sent together).
const UPDATE_GAP: Duration = Duration::from_millis(100);

/// The largest request body accepted (a control's JSON is a few dozen bytes).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Where the server is: the only Host (and Origin) it answers.
#[derive(Clone, Debug)]
pub struct Served {
    pub port: u16,
    /// How often an event stream with nothing new sends a keep-alive comment (well within
    /// the idle timeout, so an open page is never taken for an idle connection).
    pub keep_alive: Duration,
}

impl Served {
    /// Whether `host` (a Host header or a URI's authority) names this server.
    fn is_host(&self, host: &str) -> bool {
        let host = host.to_ascii_lowercase();
        host == format!("127.0.0.1:{}", self.port) || host == format!("localhost:{}", self.port)
    }

    /// Whether `origin` (an Origin header) is this server's page.
    fn is_origin(&self, origin: &str) -> bool {
        origin
            .to_ascii_lowercase()
            .strip_prefix("http://")
            .is_some_and(|host| self.is_host(host))
    }
}

pub fn router(shared: AppState, served: Served) -> Router {
    let keep_alive = served.keep_alive;
    Router::new()
        .route("/", get(index))
        .route("/{file}", get(page_asset))
        .route("/vendor/{file}", get(vendor_asset))
        .route("/api/state", get(state))
        .route(
            "/api/events",
            get(move |state: State<AppState>| events(state, keep_alive)),
        )
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
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::from_fn_with_state(Arc::new(served), guard))
        .with_state(shared)
}

/// Refuses what does not come from this server's own page or a script on this computer
/// (a foreign Host: DNS rebinding; a foreign Origin or cross-site fetch: another page in the
/// browser), controls whose body is not declared JSON (a form or a `text/plain` post from
/// another page needs no CORS preflight; `application/json` does, and gets none), and turns
/// any error answer that is not JSON yet (axum's own, e.g. 413) into `{"error": ...}`.
async fn guard(State(served): State<Arc<Served>>, request: Request, next: Next) -> Response {
    if let Err(refusal) = admit(&served, request.headers(), request.method(), request.uri()) {
        return refusal.into_response();
    }
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
        format!("the request body is too large: at most {MAX_BODY_BYTES} bytes")
    } else {
        let body = axum::body::to_bytes(response.into_body(), MAX_BODY_BYTES)
            .await
            .unwrap_or_default();
        let text = String::from_utf8_lossy(&body).trim().to_string();
        if text.is_empty() {
            status
                .canonical_reason()
                .unwrap_or("refused")
                .to_lowercase()
        } else {
            text
        }
    };
    ApiError(status, message).into_response()
}

fn admit(
    served: &Served,
    headers: &HeaderMap,
    method: &Method,
    uri: &axum::http::Uri,
) -> Result<(), ApiError> {
    let text = |name: header::HeaderName| {
        headers
            .get(&name)
            .map(|v| v.to_str().unwrap_or("(not text)").to_string())
    };
    let host = text(header::HOST).or_else(|| uri.authority().map(|a| a.to_string()));
    match host {
        Some(h) if served.is_host(&h) => {}
        Some(h) => {
            return Err(forbidden(format!(
                "Host `{h}` is not this server: open http://127.0.0.1:{}/ (towngov answers only its own address)",
                served.port
            )));
        }
        None => return Err(forbidden("a request must name the Host it is for".into())),
    }
    if let Some(origin) = text(header::ORIGIN)
        && !served.is_origin(&origin)
    {
        return Err(forbidden(format!(
            "Origin `{origin}` is another site: only towngov's own page (http://127.0.0.1:{}) may use the API",
            served.port
        )));
    }
    let site = headers.get("sec-fetch-site").map(|v| v.as_bytes());
    if site.is_some_and(|s| s != b"same-origin" && s != b"none") {
        return Err(forbidden(
            "a request from another site (Sec-Fetch-Site): only towngov's own page may use the API"
                .into(),
        ));
    }
    if method == Method::POST {
        let json = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"));
        if !json {
            return Err(ApiError(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "controls take JSON: send the header `Content-Type: application/json` (an empty body is `{}`)".into(),
            ));
        }
    }
    Ok(())
}

fn forbidden(message: String) -> ApiError {
    ApiError(StatusCode::FORBIDDEN, message)
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

/// Applies `change` to the session, wakes the pages and answers with the new state (the lever
/// changes counted, not listed: `GET /api/state` lists them and the event stream sends them).
fn act(
    shared: &Shared,
    change: impl FnOnce(&mut Session) -> Result<(), ApiError>,
) -> Result<Response, ApiError> {
    let state = {
        let mut s = shared.lock();
        change(&mut s)?;
        snapshot::state(&s, ChangeList::Count)
    };
    shared.notify();
    Ok(json_response(state))
}

async fn index() -> Response {
    asset_response(&assets::INDEX)
}

async fn page_asset(Path(file): Path<String>) -> Response {
    if file == "strings.js" {
        return asset_response(&Asset {
            name: "strings.js",
            content_type: "text/javascript; charset=utf-8",
            body: assets::strings_js(),
        });
    }
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
    let state = snapshot::state(&shared.lock(), ChangeList::All);
    json_response(state)
}

/// The page's event stream. Each update is taken under the session lock (bounded: see
/// `snapshot::update`) and written as JSON after the lock is released; the next one is only
/// built when the page has read the last, so a page that stops reading costs nothing more.
async fn events(
    State(shared): State<AppState>,
    keep_alive: Duration,
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
        let data = serde_json::to_string(&update).unwrap_or_default();
        let event = Event::default().event("update").data(data);
        Some((Ok(event), (shared, changed, sent, false)))
    });
    Sse::new(updates).keep_alive(KeepAlive::new().interval(keep_alive))
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
    seed: Option<SeedValue>,
}

/// A seed as JSON gives it: a number (exact only up to 2^53 in a browser) or a string of its
/// decimal digits (exact for every 64-bit seed: what the page sends, and what the state says).
#[derive(Deserialize)]
#[serde(untagged)]
enum SeedValue {
    Number(u64),
    Text(String),
}

impl SeedValue {
    fn get(&self) -> Result<u64, ApiError> {
        match self {
            SeedValue::Number(n) => Ok(*n),
            SeedValue::Text(t) => crate::cli::parse_seed(t).map_err(|e| bad(format!("seed: {e}"))),
        }
    }
}

/// Back to day 0, with the same seed or the one given; the levers stay where they are.
async fn reset(State(shared): State<AppState>, body: Bytes) -> Result<Response, ApiError> {
    let request: ResetRequest = parse(&body, r#"{"seed": "7"}, {"seed": 7} or {}"#)?;
    let given = request.seed.as_ref().map(SeedValue::get).transpose()?;
    act(&shared, |s| {
        let seed = given.unwrap_or(s.status().seed);
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
    // The rows are copied under the lock and written after it is released.
    let (id, tag, rows) = {
        let s = shared.lock();
        let i = s
            .town_index(q.town.as_deref().unwrap_or("a"))
            .map_err(bad)?;
        (TOWN_IDS[i], s.towns[i].tag(), s.towns[i].rows().to_vec())
    };
    let csv =
        town::daily_csv(&tag, &rows).map_err(|e| ApiError(StatusCode::INTERNAL_SERVER_ERROR, e))?;
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
