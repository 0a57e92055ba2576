//! `towngov run --timings`: wall time per phase of the day, for building the town and for
//! writing outputs, and resident-days per second, so users see where time goes on their own
//! scenario. The model never reads a clock; this outer layer times the phases it hands over.

use std::time::{Duration, Instant};

use towngov::sim::Phase;

#[derive(Default)]
pub struct Timings {
    pub build: Duration,
    pub phases: [Duration; 8],
    pub outputs: Duration,
    /// Residents summed over the days simulated.
    pub resident_days: u64,
    pub days: u64,
}

impl Timings {
    /// Runs one phase and adds its wall time.
    pub fn time(&mut self, phase: Phase, run: &mut dyn FnMut()) {
        let started = Instant::now();
        run();
        let i = Phase::ALL.iter().position(|p| *p == phase).unwrap_or(0);
        self.phases[i] += started.elapsed();
    }

    pub fn print(&self) {
        let simulate: Duration = self.phases.iter().sum();
        let total = self.build + simulate + self.outputs;
        let days = self.days.max(1) as f64;
        println!("\nTimings (wall time on this machine, one thread):");
        println!(
            "  {:<22} {:>10} {:>7} {:>12}",
            "part", "seconds", "share", "µs per day"
        );
        let line = |name: &str, d: Duration, per_day: bool| {
            let share = d.as_secs_f64() / total.as_secs_f64().max(1e-12) * 100.0;
            let pd = if per_day {
                format!("{:.1}", d.as_secs_f64() * 1e6 / days)
            } else {
                String::new()
            };
            println!(
                "  {name:<22} {:>10.3} {:>6.1}% {:>12}",
                d.as_secs_f64(),
                share,
                pd
            );
        };
        line("build the town", self.build, false);
        for (phase, d) in Phase::ALL.iter().zip(self.phases) {
            line(&format!("day: {}", phase.name()), d, true);
        }
        line("write outputs", self.outputs, true);
        line("total", total, false);
        let rd = self.resident_days as f64;
        println!(
            "  {:.1} M resident-days per second simulating ({:.1} M including building and outputs); {:.0} ns per resident-day",
            rd / simulate.as_secs_f64().max(1e-12) / 1e6,
            rd / total.as_secs_f64().max(1e-12) / 1e6,
            simulate.as_secs_f64() * 1e9 / rd.max(1.0)
        );
    }
}
