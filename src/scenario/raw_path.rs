//! Typed access to the raw scenario by a parameter's dotted path (`policy.stewards.size`), and
//! the typed deep merge of a timeline entry's policy onto the policy in force before it. Both
//! used to go through a JSON view of the whole scenario, which cost a tenth of a millisecond or
//! more per design point; here a value is set by walking the structs (a few string
//! comparisons) and converted with the same serde visitor the scenario file's value would meet.
//!
//! The field lists below mirror `raw.rs`. They cannot drift unseen: a test sets every
//! registered parameter both ways (typed and through JSON) and compares the scenarios, and
//! another merges a policy with every field set both ways (`experiment::params`).

use serde::Deserialize;
use serde::de::IntoDeserializer;
use serde::de::value::Error as ValueError;

use super::raw::*;

/// A design value as the scenario file would spell it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Leaf<'a> {
    Real(f64),
    Whole(i64),
    Flag(bool),
    /// A variant's name.
    Name(&'a str),
}

/// Why a value could not be set at a path.
#[derive(Clone, Debug, PartialEq)]
pub enum SetError {
    /// No field of that name (or a section named where a field was expected).
    NoField,
    /// The path goes through a tagged choice the scenario made otherwise
    /// (`thresholds.mean` when the thresholds are Uniform).
    NotApplicable,
    /// The value is not of the field's type (serde's message, as for a file).
    Type(String),
}

/// A raw struct or field whose parts can be set by dotted path.
pub trait SetPath {
    fn set_path(&mut self, path: &str, x: Leaf) -> Result<(), SetError>;
}

/// A raw struct whose set fields can be laid over another's (a deep merge: a field the change
/// leaves out keeps its value).
pub trait Merge {
    fn merge(&mut self, change: &Self);
}

/// A single value of a scenario file: a number, a switch or a unit variant's name.
pub trait Scalar: for<'de> Deserialize<'de> + Clone {
    /// False for a number that is NaN or infinite.
    fn is_finite(&self) -> bool {
        true
    }
}
impl Scalar for f64 {
    fn is_finite(&self) -> bool {
        f64::is_finite(*self)
    }
}
impl Scalar for u32 {}
impl Scalar for u64 {}
impl Scalar for bool {}
impl Scalar for RawReference {}
impl Scalar for RawCommitteeMode {}
impl Scalar for RawFunding {}

fn convert<T: Scalar>(x: Leaf) -> Result<T, SetError> {
    let r: Result<T, ValueError> = match x {
        Leaf::Real(v) => T::deserialize(v.into_deserializer()),
        Leaf::Whole(v) => T::deserialize(v.into_deserializer()),
        Leaf::Flag(v) => T::deserialize(v.into_deserializer()),
        Leaf::Name(v) => T::deserialize(v.into_deserializer()),
    };
    r.map_err(|e| SetError::Type(e.to_string()))
}

impl<T: Scalar> SetPath for Option<T> {
    fn set_path(&mut self, path: &str, x: Leaf) -> Result<(), SetError> {
        if !path.is_empty() {
            return Err(SetError::NoField);
        }
        *self = Some(convert(x)?);
        Ok(())
    }
}

/// As the merge through JSON did it (JSON has no NaN or infinity): a number that is not
/// finite counts as left out, in the policy in force and in the change. Stage two reports such
/// numbers where the file wrote them.
impl<T: Scalar> Merge for Option<T> {
    fn merge(&mut self, change: &Self) {
        if self.as_ref().is_some_and(|x| !x.is_finite()) {
            *self = None;
        }
        if let Some(c) = change.as_ref().filter(|c| c.is_finite()) {
            *self = Some(c.clone());
        }
    }
}

/// The thresholds' fields: `mean`, `sd` of Normal; `low`, `high` of Uniform. An empty section
/// is filled by the caller (with the registry's defaults) before a field is set.
impl SetPath for Option<RawThresholds> {
    fn set_path(&mut self, path: &str, x: Leaf) -> Result<(), SetError> {
        let field = match (self.as_mut(), path) {
            (None, _) => return Err(SetError::NoField),
            (Some(RawThresholds::Normal { mean, .. }), "mean") => mean,
            (Some(RawThresholds::Normal { sd, .. }), "sd") => sd,
            (Some(RawThresholds::Uniform { low, .. }), "low") => low,
            (Some(RawThresholds::Uniform { high, .. }), "high") => high,
            _ => return Err(SetError::NotApplicable),
        };
        *field = convert(x)?;
        Ok(())
    }
}

/// `SetPath` (and, with `merge`, `Merge`) for a raw struct from its field list.
macro_rules! fields {
    ($ty:ty { $($field:ident),* $(,)? }) => {
        impl SetPath for $ty {
            fn set_path(&mut self, path: &str, x: Leaf) -> Result<(), SetError> {
                let (head, rest) = path.split_once('.').unwrap_or((path, ""));
                $(
                    if head == stringify!($field) {
                        return self.$field.set_path(rest, x);
                    }
                )*
                Err(SetError::NoField)
            }
        }
    };
    (merge $ty:ty { $($field:ident),* $(,)? }) => {
        fields!($ty { $($field),* });
        impl Merge for $ty {
            fn merge(&mut self, change: &Self) {
                $( self.$field.merge(&change.$field); )*
            }
        }
    };
}

macro_rules! generic_fields {
    ($ty:ident { $($field:ident),* $(,)? }) => {
        impl<T: Scalar> SetPath for $ty<T> {
            fn set_path(&mut self, path: &str, x: Leaf) -> Result<(), SetError> {
                let (head, rest) = path.split_once('.').unwrap_or((path, ""));
                $(
                    if head == stringify!($field) {
                        return self.$field.set_path(rest, x);
                    }
                )*
                Err(SetError::NoField)
            }
        }
        impl<T: Scalar> Merge for $ty<T> {
            fn merge(&mut self, change: &Self) {
                $( self.$field.merge(&change.$field); )*
            }
        }
    };
}

generic_fields!(PerKind {
    native,
    migrant_worker,
    employee,
    talent
});
generic_fields!(PerSize {
    leading,
    sme,
    startup
});
generic_fields!(PerBackground {
    industry_association,
    intermediary,
    leading_firm,
    angel_investor,
    technical_expert
});

// `name`, `description` (text) and `timeline` (a list) are not set by path.
fields!(RawScenario {
    days,
    seed,
    town,
    needs,
    incidents,
    behaviour,
    enterprises,
    policy
});
fields!(RawTown {
    communities,
    grids_per_community,
    parks,
    side_km,
    residents,
    ties_per_resident,
    tie_rewire_share,
    enterprises,
    vulnerable_native_share,
    need_mix_spread,
    housing_headroom,
    plot_headroom,
});
fields!(RawNeeds {
    need_rate_per_year,
    dispute_rate_per_year,
    multi_task_share,
    max_tasks,
    online_eligible_share,
    patience_days,
    on_time_days,
    dispute_escalation_days,
    case_deadline_days,
    resubmit_prob,
    notice_days,
});
fields!(RawIncidents {
    per_resident_per_year,
    production_share,
    ecology_share,
    serious_share,
    minor_share,
    witness_prob_per_day,
    serious_response_days,
    ecology_loss_yuan_per_day,
    unattended_loss_days,
});
fields!(RawBehaviour {
    initial,
    satisfaction,
    trust,
    efficacy_gain_when_heard,
    tie_influence,
    reporting,
    participation,
    channels,
    migration,
    volunteering,
    demand,
    consequences,
});
fields!(RawDemand {
    bring_share,
    reference_trust,
    trust_weight,
    experience_weight,
    private_share,
    unmet_loss,
});
fields!(RawConsequences {
    petition_trust_loss,
    serious_trust_loss,
    ecology_trust_loss,
    serious_stickiness_loss,
    ecology_stickiness_loss,
});
fields!(RawChannels {
    portal_pref,
    window_pref,
    centre_pref,
    grid_pref,
    self_governance_pref,
    distance_per_km,
    experience_weight,
    trip_satisfaction_loss,
});
fields!(RawMigration {
    leave_threshold,
    leave_prob_per_month,
    leave_factor,
    unemployed_factor,
    unemployed_satisfaction_loss_per_month,
    uncovered_vulnerable_loss_per_month,
});
fields!(RawVolunteering {
    initial_low,
    initial_high,
    intrinsic_mean,
    conditional_slope,
    sanction_strength,
    noise_sd,
    participant_gain,
});
fields!(RawDemandMix {
    approval,
    policy,
    financing,
    talent,
    exception
});
fields!(RawFirms {
    characteristic_share,
    max_size_factor,
    high_risk_share,
    employees,
    revenue_per_employee_yuan,
    tax_share,
    demands_per_year,
    demand_mix,
    growth_per_year,
    characteristic_growth_bonus,
    service_growth_effect,
    finance_growth_boost,
    financed_stickiness_gain,
    incentive_growth_boost,
    exit_per_year,
    incidents_per_year,
    high_risk_factor,
    incident_ecology_share,
    offer_per_year,
    offer_decision_days,
    relocate_prob_max,
    initial_stickiness,
    initial_awareness,
    base_stickiness,
    stickiness_drift_per_year,
    stickiness_served_gain,
    stickiness_failed_loss,
    deep_threshold,
    cofund_yuan_per_year,
    entry_per_year,
    promotion_entry_per_year,
    entry_startup_share,
    financing_need_yuan,
    bank_grant_prob,
    hire_talent_share,
    hire_migrant_share,
});
fields!(RawInitialAttitudes {
    satisfaction,
    trust,
    efficacy,
    spread
});
fields!(RawOutcomeEffects {
    on_time_gain,
    late_gain,
    bounce_loss,
    drop_loss
});
fields!(RawReporting {
    base,
    trust_weight,
    efficacy_weight
});
fields!(RawParticipation {
    interval_days,
    thresholds,
    reference,
    social_weight,
    match_weight,
    efficacy_weight,
    cost,
    vote_cost,
    supervision_weight,
});

// The policy and its parts also merge (timeline entries).
fields!(merge RawPolicy {
    committee, platform, portal, grid, evaluation, authority, one_trip, stewards, financing,
    operator, self_governance, social_orgs, mediation, clusters, budget, psych_services,
});
fields!(merge RawPsychServices { enabled, max_cut, ramp_years, cost_yuan_per_resident_year });
fields!(merge RawCommittee {
    mode, n_departments, total_staff, street_layer, no_street_factor, staff_follow_residents,
    tasks_per_staff_day, handoff_delay_days, bounce_prob, drop_prob, max_bounces,
    meeting_interval_days, meeting_cut,
});
fields!(merge RawPlatform { integration, dispatch_delay_days, misroute_prob, handoff_cut, ledger_cut });
fields!(merge RawPortal { coverage, online_time_factor });
fields!(merge RawGrid {
    workers_per_grid, work_hours_per_day, ledger_hours_per_department, discovery_rate_per_day,
    reference_residents_per_worker, on_the_spot_share, dispute_settle_share,
    subsidy_effort_gain, reference_subsidy_yuan_per_grid_year,
});
fields!(merge RawEvaluation { hard_weight, max_effort_diversion });
fields!(merge RawAuthority { enabled, answer_days, naming_weight });
fields!(merge RawOneTrip { share });
fields!(merge RawStewards {
    team, visits_per_member_day, cases_per_member_day, awareness_gain, stickiness_gain,
    detect_prob, retain_cut, salary_yuan_per_year,
});
fields!(merge RawFinancing {
    fund_yuan, guidance_share, term_years, loss_share, small_firm_quota, guidance_cost_per_year,
});
fields!(merge RawOperator {
    enabled, contract_yuan_per_year, staff_per_community, staff_cost_yuan_per_year,
    cases_per_staff_day, living_share, performance_pay, base_effort, performance_effort_gain,
    supervision_effort_gain, rework_share, centre_fixed_yuan_per_year,
});
fields!(merge RawSeatQuota { enterprise, employee, native, migrant_worker });
fields!(merge RawSelfGovernance {
    enabled, seats, quota, election_interval_days, joint_meeting_interval_days,
    reference_turnout, relay_rate, mediation_per_member_day, vulnerable_visits_per_member_day,
    sanctions, stipend_yuan_per_seat_year, consultation, rejection_at_zero_trust,
    rejection_trust_loss,
});
fields!(merge RawSocialOrgs {
    cultivation_yuan_per_year, funding, yuan_per_capacity_year, initial_capacity,
    growth_per_month, block_efficiency, project_efficiency, project_match_rate, mediation_share,
    capacity_per_volunteer, volunteer_project_rate, organising_capacity_per_community,
});
fields!(merge RawMediation {
    mediators_per_community, pay_yuan_per_month, reference_pay_yuan_per_month,
    attrition_per_year, low_pay_attrition_factor, unpaid_recruit_share, funded_share,
    refill_per_year, cases_per_mediator_day, success_prob, legal_backing, legal_backing_gain,
    court_share, court_days, mass_incident_share,
});
fields!(merge RawClusters { communities_per_cluster });
fields!(merge RawBudget {
    budget_yuan_per_year, staff_salary_yuan_per_year, grid_worker_salary_yuan_per_year,
    grid_subsidy_yuan_per_grid_year, platform_yuan_per_year, portal_yuan_per_year, hard,
    austerity_cut, tax_share,
});

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Domain, param_specs};

    /// The merge as it was written before, through serde_json: the reference.
    fn merge_via_json(base: &RawPolicy, change: &RawPolicy) -> RawPolicy {
        fn merge(base: &mut serde_json::Value, change: serde_json::Value) {
            match (base, change) {
                (serde_json::Value::Object(b), serde_json::Value::Object(c)) => {
                    for (k, cv) in c {
                        match b.get_mut(&k) {
                            Some(bv) => merge(bv, cv),
                            None => {
                                b.insert(k, cv);
                            }
                        }
                    }
                }
                (_, serde_json::Value::Null) => {}
                (b, c) => *b = c,
            }
        }
        let mut merged = serde_json::to_value(base).expect("serializes");
        merge(
            &mut merged,
            serde_json::to_value(change).expect("serializes"),
        );
        serde_json::from_value(merged).expect("a raw policy")
    }

    /// A value inside the domain, `at` of the way from its lower end (a choice's variant and a
    /// flag from `at` too).
    fn inside(domain: &Domain, at: f64) -> Option<Leaf<'static>> {
        match domain {
            Domain::Real { low, high } => Some(Leaf::Real(low + (high - low) * at)),
            Domain::Whole { low, high } => {
                Some(Leaf::Whole((low + (high - low) * at).round() as i64))
            }
            Domain::Flag => Some(Leaf::Flag(at >= 0.5)),
            Domain::Choice { variants } => Some(Leaf::Name(
                variants[((at * variants.len() as f64) as usize).min(variants.len() - 1)],
            )),
            Domain::Text { .. } | Domain::List { .. } => None,
        }
    }

    /// A policy with each field of the registry set, or left out, by `pick`.
    fn policy(pick: impl Fn(usize) -> Option<f64>) -> RawPolicy {
        let mut p = RawPolicy::default();
        let mut n = 0;
        for (i, spec) in param_specs().iter().enumerate() {
            let Some(field) = spec.path.strip_prefix("policy.") else {
                continue;
            };
            if let Some(leaf) = pick(i).and_then(|at| inside(&spec.domain, at)) {
                p.set_path(field, leaf)
                    .unwrap_or_else(|e| panic!("{}: {e:?}", spec.path));
                n += 1;
            }
        }
        assert!(n > 0);
        p
    }

    #[test]
    fn the_typed_merge_agrees_with_the_merge_through_json() {
        let every = policy(|i| Some(((i * 7) % 10) as f64 / 10.0));
        let half = policy(|i| (i % 2 == 0).then_some(((i * 3) % 10) as f64 / 10.0));
        let third = policy(|i| (i % 3 == 1).then_some(0.95));
        let empty = RawPolicy::default();
        let mut with_nan = half.clone();
        with_nan.platform.integration = Some(f64::NAN);
        with_nan.committee.bounce_prob = Some(f64::INFINITY);
        let pairs = [
            (&empty, &every),
            (&every, &empty),
            (&every, &half),
            (&half, &third),
            (&third, &every),
            (&with_nan, &third),
            (&every, &with_nan),
        ];
        for (k, (base, change)) in pairs.into_iter().enumerate() {
            let mut typed = base.clone();
            typed.merge(change);
            assert_eq!(typed, merge_via_json(base, change), "pair {k}");
        }
        // The merge does something: every field of the change wins.
        let mut m = half.clone();
        m.merge(&every);
        assert_eq!(m, every);
    }

    #[test]
    fn a_path_that_names_a_section_or_nothing_is_refused() {
        let mut raw = RawScenario::default();
        assert_eq!(
            raw.set_path("policy.committee", Leaf::Real(1.0)),
            Err(SetError::NoField)
        );
        assert_eq!(
            raw.set_path("policy.committe.mode", Leaf::Real(1.0)),
            Err(SetError::NoField)
        );
        assert_eq!(
            raw.set_path("days.x", Leaf::Whole(1)),
            Err(SetError::NoField)
        );
        assert!(matches!(
            raw.set_path("policy.committee.n_departments", Leaf::Whole(-1)),
            Err(SetError::Type(_))
        ));
        assert!(matches!(
            raw.set_path("policy.committee.mode", Leaf::Name("Merged")),
            Err(SetError::Type(_))
        ));
        raw.set_path("policy.committee.mode", Leaf::Name("Unified"))
            .expect("a variant");
        assert_eq!(raw.policy.committee.mode, Some(RawCommitteeMode::Unified));
        raw.behaviour.participation.thresholds = Some(RawThresholds::Uniform {
            low: 0.1,
            high: 0.9,
        });
        assert_eq!(
            raw.set_path("behaviour.participation.thresholds.mean", Leaf::Real(0.5)),
            Err(SetError::NotApplicable)
        );
        raw.set_path("behaviour.participation.thresholds.high", Leaf::Real(0.8))
            .expect("a field");
        assert_eq!(
            raw.behaviour.participation.thresholds,
            Some(RawThresholds::Uniform {
                low: 0.1,
                high: 0.8
            })
        );
    }
}
