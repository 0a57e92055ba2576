//! The short, readable summary a run prints.

use std::path::Path;
use std::time::Duration;

use towngov::scenario::Scenario;
use towngov::sim::{DailyIndicators, RunTotals};

fn pct(x: Option<f64>) -> String {
    x.map(|v| format!("{:.1}%", v * 100.0))
        .unwrap_or_else(|| "n/a".into())
}

fn num(x: Option<f64>, digits: usize) -> String {
    x.map(|v| format!("{v:.digits$}"))
        .unwrap_or_else(|| "n/a".into())
}

/// 12345 -> "12,345".
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "1 petition", "2,262 petitions": a count with its noun (or noun and verb) in the right
/// number.
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

pub fn summary(
    s: &Scenario,
    seed: u64,
    days: u32,
    t: &RunTotals,
    last: &DailyIndicators,
    elapsed: Duration,
) {
    let residents = last.residents;
    let secs = elapsed.as_secs_f64().max(1e-9);
    let rd = residents as f64 * days as f64 / secs;
    println!(
        "towngov {} | {} | seed {seed} | {days} days | {} residents",
        towngov::VERSION,
        s.name,
        thousands(residents)
    );
    println!(
        "simulated in {:.2} s ({:.1} M resident-days per second)\n",
        secs,
        rd / 1e6
    );
    let share = |n: u64| {
        if t.created > 0 {
            n as f64 / t.created as f64
        } else {
            0.0
        }
    };
    println!(
        "Cases      {} created: {} resolved ({:.1}%), {} dropped ({:.1}%), {} still open",
        thousands(t.created),
        thousands(t.resolved),
        share(t.resolved) * 100.0,
        thousands(t.dropped),
        share(t.dropped) * 100.0,
        thousands(t.open)
    );
    println!(
        "Service    {} resolved on time; {} days to resolve on average (95% within {});",
        pct(t.on_time_rate),
        num(t.resolve_days_mean, 1),
        num(t.resolve_days_p95, 1)
    );
    println!(
        "           {} trips per matter, {} of matters done in at most one trip;",
        num(t.trips_per_matter, 2),
        pct(t.one_trip_share)
    );
    println!(
        "           {} bounces between departments (推诿), {} disputes became petitions (上访)",
        thousands(t.bounced),
        thousands(t.petitions)
    );
    println!(
        "Grid       {:.0} residents per grid worker; ledgers take {:.0}% of a worker's day; a hidden incident is found with {:.0}% chance a day",
        last.grid_residents_per_worker,
        last.grid_ledger_hours_share * 100.0,
        last.grid_discovery_prob * 100.0
    );
    println!(
        "People     {:.1}% took part in the last participation round (mean {:.1}%); residents report what they see with {:.0}% chance",
        last.participation_rate * 100.0,
        t.participation_rate_mean * 100.0,
        last.report_propensity_mean * 100.0
    );
    let has = [
        s.town.residents[0] > 0,
        s.town.residents[1] > 0,
        s.town.residents[2] > 0,
        s.town.residents[3] > 0,
    ];
    let by_kind = |v: [f64; 4]| {
        let names = ["native", "migrant worker", "employee", "talent"];
        (0..4)
            .filter(|&k| has[k])
            .map(|k| format!("{} {:.2}", names[k], v[k]))
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!(
        "           satisfaction {:.2} ({})",
        last.satisfaction_mean,
        by_kind([
            last.satisfaction_native,
            last.satisfaction_migrant_worker,
            last.satisfaction_employee,
            last.satisfaction_talent
        ])
    );
    println!(
        "           trust        {:.2} ({})",
        last.trust_mean,
        by_kind([
            last.trust_native,
            last.trust_migrant_worker,
            last.trust_employee,
            last.trust_talent
        ])
    );
    println!("           (attitudes run from 0 to 1, at the end of day {days})");
    println!(
        "Voice      election turnout {}; volunteering {:.0}% of spare time; services match needs at {:.2}; {} of vulnerable natives visited in 90 days",
        pct(last.election_turnout),
        last.volunteering_rate * 100.0,
        last.need_supply_match,
        pct(last.vulnerable_coverage)
    );
    println!(
        "Economy    {} firms ({} deep participants), {} relocated; {} jobs; tax {:.1} M yuan over the run; {} talent left",
        thousands(last.enterprises),
        pct(last.deep_enterprise_share),
        thousands(last.relocations_total),
        thousands(last.jobs),
        last.tax_total_yuan / 1e6,
        thousands(last.talent_left_total)
    );
    println!(
        "Safety     {} petitions, {} disputes to court or mass incidents, {} serious cases; ecology damage {:.1} M yuan",
        thousands(last.petitions_total),
        thousands(last.escalated_total),
        thousands(last.serious_cases_total),
        last.ecology_loss_total_yuan / 1e6
    );
    println!(
        "Cost       {:.1} M yuan in all, {} yuan per resolved case; budget balance {:.1} M yuan",
        last.cost_total_yuan / 1e6,
        num(last.cost_per_resolved_yuan, 0),
        last.budget_balance_yuan / 1e6
    );
}

pub fn wrote(dir: &Path, case_log: bool) {
    println!(
        "\nWrote {}/daily.csv (one row per day), {}/summary.json{}",
        dir.display(),
        dir.display(),
        if case_log {
            format!(
                " and {}/cases.csv (one row per finished case)",
                dir.display()
            )
        } else {
            String::new()
        }
    );
}
