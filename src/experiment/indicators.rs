//! The key indicators a comparison reports, with their labels, units and which way is better,
//! and the daily indicators it plots over time. Every other figure is still in the tidy CSV.

use super::results::{Better, IndicatorMeta};

/// (figure name, label, unit, better)
const KEY: &[(&str, &str, &str, Better)] = &[
    (
        "total.on_time_share",
        "needs and cases resolved on time",
        "share",
        Better::Higher,
    ),
    (
        "total.resolve_days_mean",
        "days to resolve, mean",
        "days",
        Better::Lower,
    ),
    (
        "total.resolve_days_p95",
        "days to resolve, 95th percentile",
        "days",
        Better::Lower,
    ),
    (
        "total.dropped_share",
        "cases dropped",
        "share",
        Better::Lower,
    ),
    (
        "final.open_past_deadline",
        "open past the on-time deadline (end)",
        "cases",
        Better::Lower,
    ),
    (
        "total.unmet_needs",
        "residents' needs left unmet",
        "needs",
        Better::Lower,
    ),
    (
        "total.bounces_per_1000_cases",
        "bounces between departments",
        "per 1,000 cases",
        Better::Lower,
    ),
    (
        "total.trips_per_matter",
        "trips per matter",
        "trips",
        Better::Lower,
    ),
    (
        "total.participation_rate_mean",
        "participation, mean",
        "share",
        Better::Higher,
    ),
    (
        "mean.election_turnout",
        "election turnout, mean",
        "share",
        Better::Higher,
    ),
    (
        "mean.volunteering_rate",
        "volunteering, mean",
        "share of spare time",
        Better::Higher,
    ),
    (
        "final.need_supply_match",
        "services match needs (end)",
        "index 0-1",
        Better::Higher,
    ),
    (
        "mean.vulnerable_coverage",
        "vulnerable natives visited, mean",
        "share",
        Better::Higher,
    ),
    (
        "final.satisfaction_mean",
        "satisfaction (end)",
        "0-1",
        Better::Higher,
    ),
    ("final.trust_mean", "trust (end)", "0-1", Better::Higher),
    (
        "final.enterprises",
        "enterprises (end)",
        "firms",
        Better::Higher,
    ),
    (
        "final.relocations_total",
        "enterprises relocated",
        "firms",
        Better::Lower,
    ),
    (
        "final.tax_total_yuan",
        "tax over the run",
        "yuan",
        Better::Higher,
    ),
    ("final.jobs", "jobs (end)", "jobs", Better::Higher),
    (
        "final.residents",
        "residents (end)",
        "residents",
        Better::Neither,
    ),
    (
        "final.talent_left_total",
        "talent who left",
        "residents",
        Better::Lower,
    ),
    (
        "final.escalated_total",
        "disputes to court and mass incidents",
        "count",
        Better::Lower,
    ),
    (
        "final.serious_cases_total",
        "serious cases",
        "count",
        Better::Lower,
    ),
    (
        "final.ecology_loss_total_yuan",
        "ecology damage",
        "yuan",
        Better::Lower,
    ),
    ("final.cost_total_yuan", "total cost", "yuan", Better::Lower),
    (
        "final.cost_per_resolved_yuan",
        "cost per resolved case",
        "yuan",
        Better::Lower,
    ),
];

/// (daily column, label, unit, better)
const SERIES: &[(&str, &str, &str, Better)] = &[
    (
        "on_time_share",
        "needs and cases resolved on time (daily)",
        "share",
        Better::Higher,
    ),
    (
        "participation_rate",
        "participation",
        "share",
        Better::Higher,
    ),
    ("satisfaction_mean", "satisfaction", "0-1", Better::Higher),
    ("trust_mean", "trust", "0-1", Better::Higher),
    ("open", "cases open", "cases", Better::Lower),
    ("enterprises", "enterprises", "firms", Better::Higher),
    (
        "relocations_total",
        "enterprises relocated (cumulative)",
        "firms",
        Better::Lower,
    ),
    (
        "cost_total_yuan",
        "cost (cumulative)",
        "yuan",
        Better::Lower,
    ),
];

fn meta(name: &str, label: &str, unit: &str, better: Better) -> IndicatorMeta {
    IndicatorMeta {
        name: name.to_string(),
        label: label.to_string(),
        unit: unit.to_string(),
        better,
    }
}

/// The key indicators, in display order.
pub fn key() -> Vec<IndicatorMeta> {
    KEY.iter().map(|&(n, l, u, b)| meta(n, l, u, b)).collect()
}

/// The daily indicators plotted over time.
pub fn series() -> Vec<IndicatorMeta> {
    SERIES
        .iter()
        .map(|&(n, l, u, b)| meta(n, l, u, b))
        .collect()
}

/// The figures the decision report pairs run by run: total cost, the budget balance at the end,
/// the budget made available (cost plus balance: the yearly budget pro rata, plus its tax
/// share), needs and cases resolved on time (a count), residents taking part at the end, and
/// firms at the end.
pub const DECISION: &[&str] = &[COST, BALANCE, BUDGET, ON_TIME_COUNT, PARTICIPANTS, FIRMS];

pub const COST: &str = "final.cost_total_yuan";
pub const BALANCE: &str = "final.budget_balance_yuan";
pub const BUDGET: &str = "decision.budget_yuan";
pub const ON_TIME_COUNT: &str = "decision.on_time_count";
pub const PARTICIPANTS: &str = "decision.participants";
pub const FIRMS: &str = "final.enterprises";

/// A decision figure from one run's figures (NaN where an input is missing). The on-time count
/// is the on-time share times its denominator (cases resolved or dropped plus needs not
/// brought, docs/ODD.md 9.5); participants are the participation rate times the residents.
pub fn decision_value(name: &str, figures: &std::collections::BTreeMap<String, f64>) -> f64 {
    let get = |k: &str| figures.get(k).copied().unwrap_or(f64::NAN);
    match name {
        BUDGET => get(COST) + get(BALANCE),
        ON_TIME_COUNT => {
            get("total.on_time_share")
                * (get("total.resolved") + get("total.dropped") + get("total.needs_not_brought"))
        }
        PARTICIPANTS => get("final.participation_rate") * get("final.residents"),
        other => get(other),
    }
}
