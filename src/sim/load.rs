//! Offered load against capacity, per department: the work that reached each department
//! (matters arriving, refusals included) per day so far, against what its handlers can do per
//! day. A department whose offered load exceeds its capacity has a queue that can only grow
//! until cases are given up or expire; `towngov check` and `run` warn about it. Read-only: no
//! system, nothing saved.

use bevy_ecs::prelude::*;

use super::clock::{Clock, Params};
use super::departments::Committee;
use super::evaluation::Orientation;
use super::matters::{DOMAINS, N_MATTERS};

/// One department's load.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct DepartmentLoad {
    /// 1-based number of the department.
    pub department: usize,
    pub n_departments: usize,
    /// The domain of the first matter it owns (e.g. `social_affairs`).
    pub domain: &'static str,
    /// Matters that reached it per day so far.
    pub offered_per_day: f64,
    /// Matters its handlers finish per day at today's effort.
    pub capacity_per_day: f64,
}

impl DepartmentLoad {
    /// Offered load over capacity (infinite with no capacity and some work).
    pub fn utilisation(&self) -> f64 {
        if self.capacity_per_day > 0.0 {
            self.offered_per_day / self.capacity_per_day
        } else if self.offered_per_day > 0.0 {
            f64::INFINITY
        } else {
            0.0
        }
    }
}

/// Every department's load over the days simulated so far (empty before the first day).
pub fn department_loads(world: &World) -> Vec<DepartmentLoad> {
    let days = world.resource::<Clock>().day;
    if days == 0 {
        return Vec::new();
    }
    let s = &world.resource::<Params>().0;
    let committee = world.resource::<Committee>();
    let diversion = world.resource::<Orientation>().diversion;
    let mu = s.policy.committee.tasks_per_staff_day * (1.0 - diversion);
    let n = committee.departments.len();
    committee
        .departments
        .iter()
        .enumerate()
        .map(|(d, dept)| {
            // The first matter department d owns (matters are split in contiguous blocks).
            let first = (d as u32 * N_MATTERS).div_ceil(n.max(1) as u32);
            DepartmentLoad {
                department: d + 1,
                n_departments: n,
                domain: DOMAINS[((first / 5) as usize).min(DOMAINS.len() - 1)],
                offered_per_day: dept.offered as f64 / days as f64,
                capacity_per_day: dept.handlers.len() as f64 * mu,
            }
        })
        .collect()
}
