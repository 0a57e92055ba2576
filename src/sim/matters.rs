//! Matters: the fine-grained pieces of work a case needs. The committee's work is split into
//! [`N_MATTERS`] matters grouped in six domains; `n_departments` departments divide them in
//! contiguous blocks, so a narrow (fragmented) committee hands a many-matter case across more
//! departments than a wide (大部制) one.

use rand::RngExt;

use super::cases::{CaseKind, MAX_TASKS};
use super::rng::Stream;

/// Matters in all: 6 domains of 5 (also the most departments a committee can have).
pub const N_MATTERS: u32 = 30;
const PER_DOMAIN: u32 = 5;

/// The six domains, in matter order.
pub const DOMAINS: [&str; 6] = [
    "industry_commerce",
    "tax_finance",
    "environment_health",
    "planning_land",
    "social_affairs",
    "enforcement",
];

/// The department that owns `matter` when there are `n_departments`.
pub fn department_of(matter: u8, n_departments: u32) -> u16 {
    (matter as u32 * n_departments / N_MATTERS) as u16
}

/// The domains a case of this kind starts in (indexes into [`DOMAINS`]).
fn first_domains(kind: CaseKind) -> &'static [u32] {
    match kind {
        CaseKind::Need => &[0, 1, 2, 3, 4],
        CaseKind::Dispute => &[4, 5],
        CaseKind::Production => &[0, 5],
        CaseKind::Living => &[3, 4, 5],
        CaseKind::Ecology => &[2, 5],
        CaseKind::Enterprise => &[0, 1, 3],
    }
}

/// Draws the matters of a new case: one in a domain that fits its kind, then, for a
/// multi-matter case, distinct others anywhere.
pub fn draw(
    kind: CaseKind,
    multi_share: f64,
    max_tasks: u32,
    r: &mut Stream,
) -> ([u8; MAX_TASKS], u8) {
    let mut tasks = [0u8; MAX_TASKS];
    let domains = first_domains(kind);
    let d = domains[r.random_range(0..domains.len())];
    tasks[0] = (d * PER_DOMAIN + r.random_range(0..PER_DOMAIN)) as u8;
    let mut n = 1usize;
    if max_tasks > 1 && multi_share > 0.0 && r.random_bool(multi_share) {
        let want = r.random_range(2..=max_tasks.min(MAX_TASKS as u32)) as usize;
        while n < want {
            let m = r.random_range(0..N_MATTERS) as u8;
            if !tasks[..n].contains(&m) {
                tasks[n] = m;
                n += 1;
            }
        }
    }
    (tasks, n as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn departments_split_matters_in_blocks() {
        assert_eq!(department_of(0, 1), 0);
        assert_eq!(department_of(29, 1), 0);
        assert_eq!(department_of(29, 30), 29);
        assert_eq!(department_of(14, 2), 0);
        assert_eq!(department_of(15, 2), 1);
        for n in 1..=30 {
            assert!((0..30u8).all(|m| (department_of(m, n) as u32) < n));
        }
    }
}
