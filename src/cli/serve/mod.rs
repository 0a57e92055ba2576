//! `towngov serve [SCENARIO] [--port P] [--seed N]`: the classroom dashboard. A page served on
//! 127.0.0.1 from the binary itself (every asset compiled in, nothing fetched from elsewhere)
//! that plays the town day by day, moves its levers, plots the key indicators, draws the map
//! and runs two towns side by side. An outer layer like the rest of the CLI: the model only
//! sees `Simulation::schedule_policy`, the timeline entry a moved lever is.

mod api;
mod assets;
mod levers;
mod listener;
mod ron_text;
mod series;
mod session;
mod snapshot;
mod town;

use std::io::Write;
use std::net::Ipv4Addr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::anyhow;
use clap::Args;
use towngov::input::InputKind;
use towngov::scenario::{self, ScenarioError};

use super::Failure;
use session::{Session, Shared};

/// Memory a day's row of indicators takes in a town's history, rounded up (about 170 numbers,
/// plus the plotted series).
const DAILY_ROW_BYTES: u64 = 2_048;

/// The classroom town compiled into the binary: what `towngov serve` shows with no file.
pub const CLASSROOM_RON: &str = include_str!("../../../scenarios/classroom.ron");
const CLASSROOM_ORIGIN: &str = "<embedded scenarios/classroom.ron>";
/// The port tried first when none is given.
pub const DEFAULT_PORT: u16 = 7878;

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Scenario file (RON). Without it, the embedded classroom town (300 residents).
    pub scenario: Option<PathBuf>,
    /// Port on 127.0.0.1. If it is busy, a free one is chosen; 0 picks a free one at once.
    #[arg(long, default_value_t = DEFAULT_PORT)]
    pub port: u16,
    /// Master seed (default: the scenario's `seed`); `s` and digits (runs.csv's seed_text) too.
    #[arg(long, value_parser = crate::cli::parse_seed)]
    pub seed: Option<u64>,
    /// Seconds a connection may wait without a byte either way before it is closed
    /// (an open page's event stream sends a keep-alive well within it).
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub idle_timeout: u64,
}

pub fn run(args: ServeArgs) -> Result<(), Failure> {
    let (text, origin) = match &args.scenario {
        Some(path) => {
            let origin = path.display().to_string();
            let text = towngov::input::read_to_string(path, InputKind::Text).map_err(|source| {
                Failure::bad_input(ScenarioError::Read {
                    origin: origin.clone(),
                    source,
                })
            })?;
            (text, origin)
        }
        None => (CLASSROOM_RON.to_string(), CLASSROOM_ORIGIN.to_string()),
    };
    let scenario = scenario::parse(&text, &origin).map_err(Failure::bad_input)?;
    // Two towns side by side, each up to the dashboard's last day, with a row kept per day.
    let one = towngov::experiment::budget::single(&scenario, town::MAX_DAY);
    let rows = u64::from(town::MAX_DAY) * DAILY_ROW_BYTES;
    let estimate = towngov::experiment::budget::Estimate {
        bytes: one.bytes.saturating_add(rows).saturating_mul(2),
        runs: 2,
        resident_days: one.resident_days.saturating_mul(2),
    };
    super::budget::check(
        &estimate,
        &format!(
            "{origin}: the dashboard (two towns of up to {} days)",
            town::MAX_DAY
        ),
    )?;
    let raw = scenario::parse_raw(&text, &origin).map_err(Failure::bad_input)?;
    let seed = args.seed.unwrap_or(scenario.seed);
    let session = Session::new(raw, origin, scenario.name.clone(), seed)
        .map_err(|e| Failure::bad_input(anyhow!(e)))?;
    let shared = Shared::new(session);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(Failure::other)?;
    runtime.block_on(async move {
        let listener = bind(args.port).await?;
        let addr = listener.local_addr().map_err(Failure::other)?;
        let clock = shared.clone();
        std::thread::Builder::new()
            .name("towngov-clock".into())
            .spawn(move || session::run_clock(clock))
            .map_err(Failure::other)?;
        println!(
            "towngov {}: the classroom dashboard for \"{}\" (seed {seed})",
            env!("CARGO_PKG_VERSION"),
            scenario.name
        );
        println!(
            "Open http://{addr}/ in a browser (nothing is fetched from the internet). Ctrl+C stops."
        );
        let _ = std::io::stdout().flush();
        let idle = Duration::from_secs(args.idle_timeout);
        let served = api::Served {
            port: addr.port(),
            keep_alive: (idle / 3).min(Duration::from_secs(15)),
        };
        let listener = listener::Guarded::new(listener, idle);
        axum::serve(listener, api::router(shared, served))
            .await
            .map_err(|e| Failure::other(anyhow!("the server stopped: {e}")))
    })
}

/// Listens on 127.0.0.1:`port`, or on a free port if that one is busy.
async fn bind(port: u16) -> Result<tokio::net::TcpListener, Failure> {
    use tokio::net::TcpListener;
    match TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await {
        Ok(listener) => Ok(listener),
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse && port != 0 => {
            eprintln!("port {port} is busy; using a free one");
            TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
                .await
                .map_err(|e| Failure::other(anyhow!("cannot listen on 127.0.0.1: {e}")))
        }
        Err(e) => Err(Failure::bad_input(anyhow!(
            "--port {port}: cannot listen on 127.0.0.1:{port}: {e}"
        ))),
    }
}
