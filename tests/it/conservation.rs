//! Case conservation: created = resolved + dropped + open at the end of every day, where open
//! is the number of live case entities counted in the world.

use towngov::scenario::Scenario;

use crate::support::{run_days, scenario_file};

fn assert_conserved(s: &Scenario, seed: u64, days: u32) {
    let (_, rows) = run_days(s, seed, days);
    let mut created = 0;
    for row in &rows {
        assert_eq!(
            row.created_total,
            row.resolved_total + row.dropped_total + row.open,
            "{} day {}",
            s.name,
            row.day
        );
        created += row.created;
        assert_eq!(
            created, row.created_total,
            "daily counts add up to the total"
        );
    }
}

#[test]
fn status_quo_conserves_cases_every_day() {
    for seed in 1..=3 {
        assert_conserved(&scenario_file("scenarios/status_quo.ron"), seed, 400);
    }
}

#[test]
fn management_reform_conserves_cases_every_day() {
    assert_conserved(&scenario_file("scenarios/management_reform.ron"), 1, 400);
}

/// A stressed town: few handlers, many bounces and drops, impatient residents, escalations
/// that never clear. Conservation must hold when every path of the case flow is busy.
#[test]
fn stressed_town_conserves_cases_every_day() {
    let text = r#"(
        town: (communities: 2, grids_per_community: 3, residents: (native: 600, migrant_worker: 600, employee: 600, talent: 200)),
        needs: (patience_days: 15, multi_task_share: 0.8, max_tasks: 5, dispute_escalation_days: 5,
                need_rate_per_year: (native: 3, migrant_worker: 3, employee: 3, talent: 3)),
        incidents: (per_resident_per_year: 0.6),
        policy: (
            committee: (n_departments: 30, total_staff: 30, bounce_prob: 0.5, drop_prob: 0.1, max_bounces: 1),
            platform: (integration: 0, misroute_prob: 0.5),
            grid: (workers_per_grid: 1, ledger_hours_per_department: 0.5),
        ),
    )"#;
    let s = towngov::scenario::parse(text, "stressed").unwrap();
    let (_, rows) = run_days(&s, 5, 200);
    let last = rows.last().unwrap();
    // Escalated cases wait on some day of the run (on the last day by chance or not).
    let escalated = rows.iter().any(|r| r.escalated_waiting > 0);
    assert!(
        last.dropped_total > 0 && last.petitions_total > 0 && escalated,
        "every path is exercised: {last:?}"
    );
    assert_conserved(&s, 5, 200);
}

/// The unified committee clears escalated cases at its meetings; the fragmented one does not.
#[test]
fn meetings_clear_escalated_cases() {
    let base = r#"(
        town: (communities: 1, grids_per_community: 2, residents: (native: 3000, migrant_worker: 0, employee: 0, talent: 0)),
        needs: (patience_days: 0, multi_task_share: 1.0, max_tasks: 4),
        incidents: (per_resident_per_year: 0),
        policy: (committee: (mode: MODE, n_departments: 30, bounce_prob: 0.6, max_bounces: 0, meeting_interval_days: 7, meeting_cut: 0),
                 platform: (integration: 0)),
    )"#;
    let frag = towngov::scenario::parse(&base.replace("MODE", "Fragmented"), "f").unwrap();
    let unif = towngov::scenario::parse(&base.replace("MODE", "Unified"), "u").unwrap();
    let f = run_days(&frag, 3, 120).1.pop().unwrap();
    let u = run_days(&unif, 3, 120).1.pop().unwrap();
    assert!(
        f.escalated_waiting > 50,
        "fragmented: escalated cases pile up ({})",
        f.escalated_waiting
    );
    assert!(
        u.escalated_waiting < f.escalated_waiting / 5,
        "unified clears them ({} vs {})",
        u.escalated_waiting,
        f.escalated_waiting
    );
}
