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

/// A sum of money read at a glance: "1,275 yuan", "13.5 M yuan", "28.1 bn yuan" (joined by
/// no-break spaces, which [`line`] keeps together and prints as spaces).
pub fn money(yuan: f64) -> String {
    money_words(yuan).replace(' ', "\u{a0}")
}

fn money_words(yuan: f64) -> String {
    let a = yuan.abs();
    if !yuan.is_finite() {
        "n/a".to_string()
    } else if a >= 1e9 {
        format!("{:.1} bn yuan", yuan / 1e9)
    } else if a >= 1e6 {
        format!("{:.1} M yuan", yuan / 1e6)
    } else {
        let s = thousands(a.round() as u64);
        if yuan < 0.0 && s != "0" {
            format!("-{s} yuan")
        } else {
            format!("{s} yuan")
        }
    }
}

/// Where the figures of a summary line start (after "Service    ").
const HEAD: usize = 11;

/// Prints a summary line: its head word in bold on a terminal, its text wrapped to the
/// terminal's width under itself.
fn line(text: &str) {
    let width = super::terminal::width();
    let split = text.char_indices().nth(HEAD).map_or(text.len(), |(i, _)| i);
    let (head, rest) = text.split_at(split);
    let indent = " ".repeat(HEAD);
    // A stand-in for the head keeps the first line as short as the others.
    let stand_in = "x".repeat(HEAD - 1);
    let wrapped =
        towngov::report::wrap(&format!("{stand_in} {}", rest.trim_start()), width, &indent);
    let body = wrapped
        .strip_prefix(&stand_in)
        .unwrap_or(&wrapped)
        .trim_start_matches(' ');
    let painted = if head.trim().is_empty() {
        head.to_string()
    } else {
        super::terminal::paint(head, super::terminal::HEAD)
    };
    anstream::print!("{painted}{}", body.replace('\u{a0}', " "));
}

/// "1 petition", "2,262 petitions": a count with its noun (or noun and verb) in the right
/// number.
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// A run's summary; `start_day` is the day a continued run started after (0 from the start).
pub fn summary(
    s: &Scenario,
    seed: u64,
    start_day: u32,
    days: u32,
    t: &RunTotals,
    last: &DailyIndicators,
    elapsed: Duration,
) {
    let residents = last.residents;
    let secs = elapsed.as_secs_f64().max(1e-9);
    let rd = residents as f64 * days as f64 / secs;
    let end_day = start_day + days;
    let span = if start_day > 0 {
        format!(
            "days {}-{} ({} simulated now)",
            thousands(start_day as u64 + 1),
            thousands(end_day as u64),
            thousands(days as u64)
        )
    } else {
        count(days.into(), "day", "days")
    };
    println!(
        "towngov {} | {} | seed {seed} | {span} | {}",
        towngov::VERSION,
        s.name,
        count(residents, "resident", "residents")
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
    line(&format!(
        "Cases      {} created: {} resolved ({:.1}%), {} dropped ({:.1}%), {} still open",
        thousands(t.created),
        thousands(t.resolved),
        share(t.resolved) * 100.0,
        thousands(t.dropped),
        share(t.dropped) * 100.0,
        thousands(t.open)
    ));
    line(&format!(
        "           dropped: {} gave up waiting, {} lost in a hand-off and not brought again, {} expired at the {:.0}-day case deadline",
        thousands(t.dropped_gave_up),
        thousands(t.dropped_in_handoff),
        thousands(t.dropped_expired),
        s.needs.case_deadline_days
    ));
    line(&format!(
        "           open at the end: {} past the {:.0}-day on-time deadline; mean age {} days (95% younger than {})",
        thousands(last.open_past_deadline),
        s.needs.on_time_days,
        num(last.open_age_mean, 1),
        num(last.open_age_p95, 1)
    ));
    line(&format!(
        "Service    {} of closed cases and needs not brought resolved on time; {} days to resolve on average (95% within {}), counting a case that ended unresolved or a need left unmet as the whole {:.0}-day case deadline ({} days to close a case any way);",
        pct(t.on_time_share),
        num(t.resolve_days_mean, 1),
        num(t.resolve_days_p95, 1),
        s.needs.case_deadline_days,
        num(t.close_days_mean, 1)
    ));
    line(&format!(
        "           {} ({} brought again); {} ({} of them never brought to the government, where {} needs were not brought in all and the rest solved privately);",
        count(t.lost, "loss in hand-offs", "losses in hand-offs"),
        thousands(t.resubmitted),
        count(
            t.unmet_needs,
            "resident's need ended unmet",
            "residents' needs ended unmet"
        ),
        thousands(t.needs_not_brought_unmet),
        thousands(t.needs_not_brought)
    ));
    line(&format!(
        "           {} trips per matter, {} of matters done in at most one trip;",
        num(t.trips_per_matter, 2),
        pct(t.one_trip_share)
    ));
    line(&format!(
        "           {} between departments (推诿), {} (上访)",
        count(t.bounced, "bounce", "bounces"),
        count(
            t.petitions,
            "dispute became a petition",
            "disputes became petitions"
        )
    ));
    line(&format!(
        "Grid       {:.0} residents per grid worker; ledgers take {:.0}% of a worker's day; a hidden incident is found with {:.0}% chance a day",
        last.grid_residents_per_worker,
        last.grid_ledger_hours_share * 100.0,
        last.grid_discovery_prob * 100.0
    ));
    line(&format!(
        "People     {:.1}% took part in the last participation round (mean {:.1}%); residents report what they see with {:.0}% chance",
        last.participation_rate * 100.0,
        t.participation_rate_mean * 100.0,
        last.report_propensity_mean * 100.0
    ));
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
    line(&format!(
        "           satisfaction {:.2} ({})",
        last.satisfaction_mean,
        by_kind([
            last.satisfaction_native,
            last.satisfaction_migrant_worker,
            last.satisfaction_employee,
            last.satisfaction_talent
        ])
    ));
    line(&format!(
        "           trust        {:.2} ({})",
        last.trust_mean,
        by_kind([
            last.trust_native,
            last.trust_migrant_worker,
            last.trust_employee,
            last.trust_talent
        ])
    ));
    line(&format!(
        "           (attitudes run from 0 to 1, at the end of day {end_day})"
    ));
    line(&format!(
        "Voice      election turnout {}; volunteering {:.0}% of spare time; services match needs at {:.2}; {} of vulnerable natives visited in 90 days",
        pct(last.election_turnout),
        last.volunteering_rate * 100.0,
        last.need_supply_match,
        pct(last.vulnerable_coverage)
    ));
    line(&format!(
        "Economy    {} ({} deep participants), {} relocated; {}; tax {} over the run; {} left",
        count(last.enterprises, "firm", "firms"),
        pct(last.deep_enterprise_share),
        thousands(last.relocations_total),
        count(last.jobs, "job", "jobs"),
        money(last.tax_total_yuan),
        count(last.talent_left_total, "talent", "talent")
    ));
    line(&format!(
        "Safety     {}, {}, {}; ecology damage {}",
        count(last.petitions_total, "petition", "petitions"),
        count(
            last.escalated_total,
            "dispute to court or mass incident",
            "disputes to court or mass incidents"
        ),
        count(last.serious_cases_total, "serious case", "serious cases"),
        money(last.ecology_loss_total_yuan)
    ));
    line(&format!(
        "Cost       {} in all, {} per resolved case; budget balance {}",
        money(last.cost_total_yuan),
        last.cost_per_resolved_yuan
            .map_or("n/a yuan".to_string(), money),
        money(last.budget_balance_yuan)
    ));
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
