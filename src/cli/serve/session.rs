//! The dashboard's session: town A (and town B in side-by-side mode), stepped in lockstep on a
//! thread of their own at the chosen speed, and the controls that act on them. The server
//! only locks the session for a moment to read a snapshot or make a change.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::Value;
use tokio::sync::watch;
use towngov::scenario::raw::RawScenario;

use super::town::{Refusal, Town};

/// The speeds the page offers, in days per second.
pub const SPEEDS: [f64; 7] = [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0];
/// The speed a session starts at: a year in about half a minute.
pub const START_SPEED: f64 = 10.0;
/// Speeds the API accepts.
pub const SPEED_RANGE: std::ops::RangeInclusive<f64> = 0.1..=1000.0;

/// What the page shows about the run, apart from the rows.
#[derive(Clone, Debug, Serialize)]
pub struct Status {
    pub generation: u64,
    pub day: u32,
    /// Written as a string, as in every output: 64-bit seeds lose digits in JavaScript.
    #[serde(serialize_with = "seed_as_text")]
    pub seed: u64,
    pub playing: bool,
    pub days_per_second: f64,
    pub side_by_side: bool,
}

fn seed_as_text<S: serde::Serializer>(n: &u64, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(n)
}

pub struct Session {
    pub name: String,
    pub description: String,
    /// Where the scenario came from (a file, or the embedded classroom town).
    pub origin: String,
    pub towns: Vec<Town>,
    pub playing: bool,
    pub days_per_second: f64,
    /// Changes on every reset and on entering or leaving side-by-side mode, so a page knows
    /// to take the whole history again.
    pub generation: u64,
}

impl Session {
    pub fn new(
        loaded: RawScenario,
        origin: String,
        name: String,
        seed: u64,
    ) -> Result<Self, String> {
        let description = loaded.description.clone().unwrap_or_default();
        let loaded = Arc::new(loaded);
        let town = Town::start(loaded.clone(), seed, Vec::new())?;
        Ok(Session {
            name,
            description,
            origin,
            towns: vec![town],
            playing: false,
            days_per_second: START_SPEED,
            generation: 1,
        })
    }

    pub fn status(&self) -> Status {
        Status {
            generation: self.generation,
            day: self.day(),
            seed: self.towns[0].seed(),
            playing: self.playing,
            days_per_second: self.days_per_second,
            side_by_side: self.towns.len() > 1,
        }
    }

    pub fn day(&self) -> u32 {
        self.towns[0].day()
    }

    /// One day in every town; false when the last day allowed is reached (and play stops).
    pub fn step(&mut self) -> bool {
        let mut stepped = true;
        for town in &mut self.towns {
            stepped &= town.step();
        }
        if !stepped {
            self.playing = false;
        }
        stepped
    }

    /// Town `id` ("a", or "b" in side-by-side mode).
    pub fn town_index(&self, id: &str) -> Result<usize, String> {
        match (id, self.towns.len()) {
            ("a", _) => Ok(0),
            ("b", 2) => Ok(1),
            ("b", _) => Err(
                "town `b` exists only in side-by-side mode (POST /api/side-by-side {\"on\": true})"
                    .into(),
            ),
            _ => Err(format!(
                "unknown town `{id}`: the towns are `a` and, side by side, `b`"
            )),
        }
    }

    pub fn set_lever(&mut self, town: usize, path: &str, value: &Value) -> Result<(), Refusal> {
        self.towns[town].set(path, value)
    }

    /// Starts again at day 0 with `seed`; each town keeps its levers where they are.
    pub fn reset(&mut self, seed: u64) -> Result<(), String> {
        let towns = self
            .towns
            .iter()
            .map(|t| t.restart(seed))
            .collect::<Result<Vec<_>, _>>()?;
        self.towns = towns;
        self.playing = false;
        self.generation += 1;
        Ok(())
    }

    /// Side-by-side mode: town B starts as an exact copy of town A, then takes its own levers.
    pub fn side_by_side(&mut self, on: bool) -> Result<(), String> {
        match (on, self.towns.len()) {
            (true, 1) => {
                let b = self.towns[0].branch()?;
                self.towns.push(b);
            }
            (false, 2) => {
                self.towns.pop();
            }
            _ => return Ok(()),
        }
        self.generation += 1;
        Ok(())
    }
}

/// The session and the signal that tells open pages something changed.
pub struct Shared {
    session: Mutex<Session>,
    changed: watch::Sender<u64>,
}

impl Shared {
    pub fn new(session: Session) -> Arc<Shared> {
        Arc::new(Shared {
            session: Mutex::new(session),
            changed: watch::Sender::new(0),
        })
    }

    /// The session, locked (a panic elsewhere does not lock the page out).
    pub fn lock(&self) -> MutexGuard<'_, Session> {
        self.session.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Wakes every open page.
    pub fn notify(&self) {
        self.changed.send_modify(|n| *n = n.wrapping_add(1));
    }

    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.changed.subscribe()
    }
}

/// Steps the session while it plays, `days_per_second` days a second, for ever.
pub fn run_clock(shared: Arc<Shared>) {
    // (when the pace was last set, at what speed and generation, days stepped since)
    let mut pace: Option<(Instant, f64, u64, u64)> = None;
    loop {
        let wait = {
            let mut s = shared.lock();
            if !s.playing {
                pace = None;
                Duration::from_millis(20)
            } else {
                let (speed, generation) = (s.days_per_second, s.generation);
                let (since, _, _, done) = match pace {
                    Some(p) if p.1 == speed && p.2 == generation => p,
                    _ => (Instant::now(), speed, generation, 0),
                };
                let due = (since.elapsed().as_secs_f64() * speed) as u64;
                let batch = Instant::now();
                let mut done_now = done;
                while done_now < due && batch.elapsed() < Duration::from_millis(40) {
                    if !s.step() {
                        break;
                    }
                    done_now += 1;
                }
                if done_now > done {
                    shared.notify();
                }
                // A town too big for the speed runs as fast as it can, without a backlog.
                pace = if done_now < due {
                    Some((Instant::now(), speed, generation, 0))
                } else {
                    Some((since, speed, generation, done_now))
                };
                // At least a millisecond off the lock, so requests get their turn.
                let next = (done_now + 1) as f64 / speed - since.elapsed().as_secs_f64();
                Duration::from_secs_f64(next.clamp(0.001, 0.05))
            }
        };
        std::thread::sleep(wait);
    }
}
