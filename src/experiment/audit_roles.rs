//! What the lever audit counts as an outcome, a cost or an intermediate counter, and which
//! figures are a parameter's own: two explicit tables, so a reader can check (and change) the
//! classification's premises in one place. Names are figures of a run (`towngov figures`).

/// The part an indicator plays in the audit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A planner-facing outcome, with its area.
    Outcome(Area),
    /// Money the government spends (or its balance).
    Cost,
    /// An intermediate figure (capacity, visits, who resolved a case, channel use): it shows a
    /// mechanism working, not what residents or firms get.
    Counter,
}

/// The areas of the planner-facing outcomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    Service,
    Participation,
    Satisfaction,
    Trust,
    Economy,
    Safety,
    Ecology,
}

use Area::*;
use Role::*;

/// Every indicator the audit measures, with its role.
pub const INDICATORS: &[(&str, Role)] = &[
    ("total.on_time_share", Outcome(Service)),
    ("total.resolve_days_mean", Outcome(Service)),
    ("total.resolved_share", Outcome(Service)),
    ("total.dropped_share", Outcome(Service)),
    ("total.unmet_needs", Outcome(Service)),
    ("total.needs_not_brought_unmet", Outcome(Service)),
    ("final.open_past_deadline", Outcome(Service)),
    ("total.bounces_per_1000_cases", Outcome(Service)),
    ("total.trips_per_matter", Outcome(Service)),
    ("final.need_supply_match", Outcome(Service)),
    ("mean.vulnerable_coverage", Outcome(Service)),
    ("total.participation_rate_mean", Outcome(Participation)),
    ("mean.election_turnout", Outcome(Participation)),
    ("mean.volunteering_rate", Outcome(Participation)),
    ("final.efficacy_mean", Outcome(Participation)),
    ("final.satisfaction_mean", Outcome(Satisfaction)),
    ("final.trust_mean", Outcome(Trust)),
    ("final.enterprises", Outcome(Economy)),
    ("final.relocations_total", Outcome(Economy)),
    ("final.tax_total_yuan", Outcome(Economy)),
    ("final.jobs", Outcome(Economy)),
    ("final.residents", Outcome(Economy)),
    ("final.talent_left_total", Outcome(Economy)),
    ("final.job_seekers", Outcome(Economy)),
    ("final.escalated_total", Outcome(Safety)),
    ("final.serious_cases_total", Outcome(Safety)),
    ("total.petitions", Outcome(Safety)),
    ("final.mass_incidents", Outcome(Safety)),
    ("final.ecology_loss_total_yuan", Outcome(Ecology)),
    ("final.cost_total_yuan", Cost),
    ("final.cost_per_resolved_yuan", Cost),
    ("final.budget_balance_yuan", Cost),
    ("total.balance_yuan", Cost),
    ("total.austerity_days", Cost),
    ("total.cost_items_yuan.departments", Cost),
    ("total.cost_items_yuan.financing", Cost),
    ("total.cost_items_yuan.grid", Cost),
    ("total.cost_items_yuan.mediation", Cost),
    ("total.cost_items_yuan.operator", Cost),
    ("total.cost_items_yuan.psych_services", Cost),
    ("total.cost_items_yuan.platform", Cost),
    ("total.cost_items_yuan.portal", Cost),
    ("total.cost_items_yuan.self_governance", Cost),
    ("total.cost_items_yuan.social_orgs", Cost),
    ("total.cost_items_yuan.stewards", Cost),
    ("total.created", Counter),
    ("total.needs_brought", Counter),
    ("total.needs_not_brought", Counter),
    ("final.report_propensity_mean", Counter),
    ("final.disputes_to_court", Counter),
    ("total.one_trip_share", Counter),
    ("final.social_org_capacity", Counter),
    ("final.mediators", Counter),
    ("mean.operator_effort", Counter),
    ("final.steward_visits", Counter),
    ("final.financing_total_yuan", Counter),
    ("total.financing_decided", Counter),
    ("final.resolved_by_operator_total", Counter),
    ("total.resolved_by_department", Counter),
    ("total.resolved_by_mediation", Counter),
    ("total.resolved_by_meeting", Counter),
    ("total.resolved_by_stewards", Counter),
    ("total.resolved_by_court", Counter),
    ("total.resolved_on_the_spot", Counter),
    ("final.joint_meetings_total", Counter),
    ("final.needs_via_portal", Counter),
    ("final.needs_via_window", Counter),
    ("final.needs_via_centre", Counter),
    ("final.needs_via_grid", Counter),
    ("final.needs_via_self_governance", Counter),
    ("mean.grid_discovery_prob", Counter),
    ("final.incidents_created", Counter),
    ("final.incidents_discovered", Counter),
    ("final.policy_awareness_mean", Counter),
    ("final.stickiness_mean", Counter),
    ("mean.council_strength_mean", Counter),
    ("final.summoned_total", Counter),
];

/// A parameter's own figures, by path prefix (the first matching entry applies): what moves
/// by construction when the parameter moves, so it is no evidence that the lever reaches an
/// outcome (`policy.one_trip.share` moving trips per matter, `policy.social_orgs.*` moving
/// their capacity).
pub const OWN: &[(&str, &[&str])] = &[
    (
        "policy.social_orgs.",
        &[
            "final.social_org_capacity",
            "total.cost_items_yuan.social_orgs",
        ],
    ),
    (
        "policy.one_trip.",
        &["total.trips_per_matter", "total.one_trip_share"],
    ),
    (
        "policy.operator.",
        &[
            "mean.operator_effort",
            "final.resolved_by_operator_total",
            "total.cost_items_yuan.operator",
        ],
    ),
    ("policy.authority.", &["final.summoned_total"]),
    (
        "policy.financing.",
        &[
            "final.financing_total_yuan",
            "total.financing_decided",
            "total.cost_items_yuan.financing",
        ],
    ),
    (
        "enterprises.cofund_yuan_per_year",
        &["final.financing_total_yuan", "total.financing_decided"],
    ),
    (
        "policy.mediation.",
        &[
            "final.mediators",
            "total.resolved_by_mediation",
            "total.cost_items_yuan.mediation",
        ],
    ),
    (
        "policy.stewards.",
        &[
            "final.steward_visits",
            "total.resolved_by_stewards",
            "final.policy_awareness_mean",
            "total.cost_items_yuan.stewards",
        ],
    ),
    (
        "policy.self_governance.",
        &[
            "final.joint_meetings_total",
            "total.resolved_by_meeting",
            "mean.council_strength_mean",
            "final.needs_via_self_governance",
            "mean.election_turnout",
            "total.cost_items_yuan.self_governance",
        ],
    ),
    (
        "policy.grid.",
        &[
            "mean.grid_discovery_prob",
            "final.needs_via_grid",
            "total.resolved_on_the_spot",
            "total.cost_items_yuan.grid",
        ],
    ),
    (
        "policy.portal.",
        &["final.needs_via_portal", "total.cost_items_yuan.portal"],
    ),
    ("policy.platform.", &["total.cost_items_yuan.platform"]),
    (
        "policy.committee.",
        &[
            "total.resolved_by_department",
            "total.cost_items_yuan.departments",
        ],
    ),
    (
        "policy.budget.",
        &[
            "final.budget_balance_yuan",
            "total.balance_yuan",
            "total.austerity_days",
        ],
    ),
    (
        "policy.psych_services.",
        &["total.cost_items_yuan.psych_services"],
    ),
    (
        "behaviour.participation.",
        &[
            "total.participation_rate_mean",
            "mean.election_turnout",
            "final.efficacy_mean",
        ],
    ),
    ("behaviour.volunteering.", &["mean.volunteering_rate"]),
];

/// Structural parameters the audit skips, by path prefix, with the reason printed.
pub const STRUCTURAL: &[(&str, &str)] = &[
    (
        "town.",
        "town size and layout: a different town, not a lever (and its range ends would change the run time by orders of magnitude)",
    ),
    ("days", "run length: the audit sets it with --days"),
    ("seed", "master seed: the audit pairs replications by seed"),
];

/// The role of `indicator` (none for a figure the audit does not measure).
pub fn role(indicator: &str) -> Option<Role> {
    INDICATORS
        .iter()
        .find(|(n, _)| *n == indicator)
        .map(|(_, r)| *r)
}

/// The figures that are `path`'s own.
pub fn own(path: &str) -> &'static [&'static str] {
    OWN.iter()
        .find(|(prefix, _)| path.starts_with(prefix))
        .map(|(_, figures)| *figures)
        .unwrap_or(&[])
}

/// Why `path` is skipped as structural, if it is.
pub fn structural(path: &str) -> Option<&'static str> {
    STRUCTURAL
        .iter()
        .find(|(p, _)| path == *p || (p.ends_with('.') && path.starts_with(p)))
        .map(|(_, why)| *why)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_indicator_and_own_figure_is_a_figure_of_a_run_listed_once() {
        let names = crate::experiment::runner::figure_names();
        for (n, _) in INDICATORS {
            assert!(names.iter().any(|x| x == n), "{n} is not a figure");
            assert_eq!(INDICATORS.iter().filter(|(m, _)| m == n).count(), 1, "{n}");
        }
        for (_, figures) in OWN {
            for f in *figures {
                assert!(role(f).is_some(), "{f} is own but not measured");
            }
        }
        assert_eq!(
            own("policy.one_trip.share"),
            ["total.trips_per_matter", "total.one_trip_share"]
        );
        assert!(own("policy.evaluation.hard_weight").is_empty());
        assert!(structural("town.residents.native").is_some());
        assert!(structural("days").is_some());
        assert!(structural("needs.patience_days").is_none());
    }
}
