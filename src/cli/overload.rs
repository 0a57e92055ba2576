//! The warning for an impossible town: a department whose offered load at the start exceeds
//! what its handlers can do has a queue that grows until cases are given up or expire. Said
//! once, on stderr; the command goes on (exit 0).

use towngov::scenario::Scenario;
use towngov::sim::load::DepartmentLoad;
use towngov::sim::{SimOptions, Simulation};

/// Days the start is measured over (fewer if the run is shorter).
pub const PILOT_DAYS: u32 = 60;

/// Runs the first days of `scenario` with its own seed and returns the departments' loads.
pub fn pilot(scenario: &Scenario) -> Vec<DepartmentLoad> {
    let mut sim = Simulation::new(scenario, scenario.seed, SimOptions::default());
    for _ in 0..PILOT_DAYS.min(scenario.days.max(1)) {
        sim.step();
    }
    sim.department_loads()
}

/// The warning lines for the departments whose offered load exceeds their capacity.
pub fn warnings(loads: &[DepartmentLoad], days: u32) -> Vec<String> {
    loads
        .iter()
        .filter(|l| l.utilisation() > 1.0)
        .map(|l| {
            format!(
                "warning: department {} of {} ({}) is offered {:.2} matters a day over the first {days} days but can finish {:.2} ({:.0}% of its capacity): its queue grows until cases are given up or expire",
                l.department,
                l.n_departments,
                l.domain,
                l.offered_per_day,
                l.capacity_per_day,
                l.utilisation() * 100.0
            )
        })
        .collect()
}

/// Prints the warnings for `what` (a file or scenario name) on stderr.
pub fn warn(what: &str, loads: &[DepartmentLoad], days: u32) {
    for line in warnings(loads, days) {
        eprintln!("{what}: {line}");
    }
}
