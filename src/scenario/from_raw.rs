//! Stage two: raw scenario -> validated [`Scenario`]. Each parameter is one call that names its
//! path, default, range, unit, meaning and source.

use super::model::*;
use super::raw::*;
use super::validate::{Doc, FieldError, ParamSpec, Validator};

const ASSUMED: &str = "assumption";
/// Residents beyond this would not fit the memory of the machines towngov targets.
pub const MAX_RESIDENTS: u64 = 20_000_000;
pub const MAX_GRIDS: u32 = 1_000_000;

fn d(unit: &'static str, doc: &'static str, source: &'static str) -> Doc {
    Doc { unit, doc, source }
}

impl Scenario {
    /// Validates every field, fills defaults and returns the scenario, or every error found.
    pub fn from_raw(raw: &RawScenario) -> Result<Scenario, Vec<FieldError>> {
        let mut v = Validator::default();
        let scenario = build(raw, &mut v);
        if v.errors.is_empty() {
            Ok(scenario)
        } else {
            Err(v.errors)
        }
    }

    /// The scenario with every default: the development-zone status quo.
    pub fn default_town() -> Scenario {
        Scenario::from_raw(&RawScenario::default()).expect("defaults are valid")
    }
}

/// Every parameter with its unit, range, default and source, in file order.
pub fn param_specs() -> Vec<ParamSpec> {
    let mut v = Validator::default();
    build(&RawScenario::default(), &mut v);
    v.specs
}

fn build(raw: &RawScenario, v: &mut Validator) -> Scenario {
    let town = town(&raw.town, v);
    let needs = needs(&raw.needs, v);
    let incidents = incidents(&raw.incidents, v);
    let behaviour = behaviour(&raw.behaviour, v, town.n_residents());
    let policy = Policy {
        committee: committee(&raw.policy.committee, v),
        platform: platform(&raw.policy.platform, v),
        portal: portal(&raw.policy.portal, v),
        grid: grid(&raw.policy.grid, v),
    };
    let days = v.int(
        "days",
        raw.days,
        1095,
        1..=36_500,
        d("days", "length of a run (default 3 years)", ASSUMED),
    );
    let seed = v.int(
        "seed",
        raw.seed,
        1,
        0..=u64::MAX,
        d(
            "-",
            "master seed used when the command line gives none",
            ASSUMED,
        ),
    );
    v.spec_text(
        "name",
        "unnamed",
        d("-", "scenario name, copied into every output", "-"),
    );
    v.spec_text("description", "", d("-", "what the scenario shows", "-"));
    Scenario {
        name: raw.name.clone().unwrap_or_else(|| "unnamed".into()),
        description: raw.description.clone().unwrap_or_default(),
        days,
        seed,
        town,
        needs,
        incidents,
        behaviour,
        policy,
    }
}

fn town(raw: &RawTown, v: &mut Validator) -> Town {
    let communities = v.int(
        "town.communities",
        raw.communities,
        4,
        1..=10_000,
        d(
            "communities",
            "communities (社区), each with a neighbourhood centre",
            ASSUMED,
        ),
    );
    let grids_per_community = v.int(
        "town.grids_per_community",
        raw.grids_per_community,
        4,
        1..=1_000,
        d(
            "grids",
            "grids (网格) per community",
            "seed 000 (three-level grid), 001§8 (1 grid leader + ≥1 worker per grid)",
        ),
    );
    let parks = v.int(
        "town.parks",
        raw.parks,
        2,
        0..=10_000,
        d(
            "parks",
            "industrial parks (园区), placed on the map",
            ASSUMED,
        ),
    );
    let side_km = v.real(
        "town.side_km",
        raw.side_km,
        3.0,
        0.1..=1_000.0,
        d(
            "km",
            "side of the square map the town is laid out on",
            ASSUMED,
        ),
    );
    let residents = v.int_kinds(
        "town.residents",
        &raw.residents,
        [1500, 1200, 1900, 400],
        0..=10_000_000,
        d(
            "residents",
            "residents of each kind at the start",
            "assumption; seed 002 gives ~35% of residents without local hukou (Jinshan 2018), a lower bound for non-natives in a town built on in-comers",
        ),
    );
    let ties_per_resident = v.int(
        "town.ties_per_resident",
        raw.ties_per_resident,
        6,
        0..=50,
        d(
            "ties",
            "social ties per resident (small-world network within the community)",
            ASSUMED,
        ),
    );
    let tie_rewire_share = v.real(
        "town.tie_rewire_share",
        raw.tie_rewire_share,
        0.1,
        0.0..=1.0,
        d(
            "share",
            "share of ties rewired to a random resident of the same community",
            "assumption (Watts-Strogatz)",
        ),
    );
    let town = Town {
        communities,
        grids_per_community,
        parks,
        side_km,
        residents,
        ties_per_resident,
        tie_rewire_share,
    };
    if town.n_residents() > MAX_RESIDENTS {
        v.error(
            "town.residents",
            format!(
                "must total at most {MAX_RESIDENTS}, got {}",
                town.n_residents()
            ),
        );
    }
    if (communities as u64) * (grids_per_community as u64) > MAX_GRIDS as u64 {
        v.error(
            "town.grids_per_community",
            format!(
                "communities x grids_per_community must be at most {MAX_GRIDS}, got {}",
                communities as u64 * grids_per_community as u64
            ),
        );
    }
    town
}

fn needs(raw: &RawNeeds, v: &mut Validator) -> Needs {
    Needs {
        need_rate_per_year: v.real_kinds("needs.need_rate_per_year", &raw.need_rate_per_year, [0.6, 0.45, 0.4, 0.5], 0.0..=2_000.0, d("1/year", "service needs a resident raises per year (Poisson)", "CALIBRATION: 0.4-0.5 hotline requests per resident-year (Jiangsu 2024, Xuzhou 2025)")),
        dispute_rate_per_year: v.real_kinds("needs.dispute_rate_per_year", &raw.dispute_rate_per_year, [0.06, 0.08, 0.04, 0.02], 0.0..=100.0, d("1/year", "disputes (矛盾纠纷) a resident raises per year", "assumption; CALIBRATION: complaints are ~20% of hotline requests")),
        multi_task_share: v.real("needs.multi_task_share", raw.multi_task_share, 0.27, 0.0..=1.0, d("share", "share of cases that need more than one matter (and so maybe more than one department)", "CALIBRATION: 27% multi-department work orders (Xuzhou 2025)")),
        max_tasks: v.int("needs.max_tasks", raw.max_tasks, 3, 1..=8, d("matters", "most matters one case can need", ASSUMED)),
        online_eligible_share: v.real("needs.online_eligible_share", raw.online_eligible_share, 0.7, 0.0..=1.0, d("share", "share of service needs that could be done online if the portal covers them", "CALIBRATION: 68-73% answered at first contact (Jiangsu 2024, Xuzhou 2025)")),
        patience_days: v.real("needs.patience_days", raw.patience_days, 60.0, 0.0..=3_650.0, d("days", "a case still open this long is given up and dropped (0: never)", ASSUMED)),
        on_time_days: v.real("needs.on_time_days", raw.on_time_days, 10.0, 0.5..=365.0, d("days", "deadline for an on-time resolution", "CALIBRATION: mean handling 1.4-4.6 working days (Jiangsu 2024)")),
        dispute_escalation_days: v.real("needs.dispute_escalation_days", raw.dispute_escalation_days, 20.0, 0.0..=3_650.0, d("days", "an unresolved dispute escalates to a petition (上访) after this long (0: never)", "assumption; seed 001§1 (mediation keeps disputes from escalating)")),
    }
}

fn incidents(raw: &RawIncidents, v: &mut Validator) -> Incidents {
    let out = Incidents {
        per_grid_per_year: v.real(
            "incidents.per_grid_per_year",
            raw.per_grid_per_year,
            24.0,
            0.0..=100_000.0,
            d(
                "1/year",
                "incidents (production, living, ecology: 三生) arising in each grid per year",
                ASSUMED,
            ),
        ),
        production_share: v.real(
            "incidents.production_share",
            raw.production_share,
            0.3,
            0.0..=1.0,
            d(
                "share",
                "share of incidents that are production (safety) incidents",
                ASSUMED,
            ),
        ),
        ecology_share: v.real(
            "incidents.ecology_share",
            raw.ecology_share,
            0.2,
            0.0..=1.0,
            d(
                "share",
                "share of incidents that are ecology incidents; the rest are living incidents",
                ASSUMED,
            ),
        ),
        serious_share: v.real(
            "incidents.serious_share",
            raw.serious_share,
            0.05,
            0.0..=1.0,
            d("share", "share of incidents that are serious", ASSUMED),
        ),
        minor_share: v.real(
            "incidents.minor_share",
            raw.minor_share,
            0.5,
            0.0..=1.0,
            d(
                "share",
                "share of incidents small enough for a grid worker to settle on the spot",
                "assumption; 小事不出网格 (seed 001§1)",
            ),
        ),
        witness_prob_per_day: v.real(
            "incidents.witness_prob_per_day",
            raw.witness_prob_per_day,
            0.1,
            0.0..=1.0,
            d(
                "1/day",
                "chance per day that some resident of the grid notices an undiscovered incident",
                ASSUMED,
            ),
        ),
    };
    if out.production_share + out.ecology_share > 1.0 + 1e-12 {
        v.error(
            "incidents.ecology_share",
            format!(
                "production_share + ecology_share must be at most 1, got {}",
                out.production_share + out.ecology_share
            ),
        );
    }
    out
}

fn effects(
    path: &str,
    raw: &RawOutcomeEffects,
    v: &mut Validator,
    default: [f64; 4],
    what: &'static [&'static str; 4],
) -> OutcomeEffects {
    OutcomeEffects {
        on_time_gain: v.real(
            &format!("{path}.on_time_gain"),
            raw.on_time_gain,
            default[0],
            0.0..=1.0,
            d("share of gap", what[0], ASSUMED),
        ),
        late_gain: v.real(
            &format!("{path}.late_gain"),
            raw.late_gain,
            default[1],
            0.0..=1.0,
            d("share of gap", what[1], ASSUMED),
        ),
        bounce_loss: v.real(
            &format!("{path}.bounce_loss"),
            raw.bounce_loss,
            default[2],
            0.0..=1.0,
            d(
                "share of level",
                what[2],
                "assumption; seed 000 (推诿 between departments)",
            ),
        ),
        drop_loss: v.real(
            &format!("{path}.drop_loss"),
            raw.drop_loss,
            default[3],
            0.0..=1.0,
            d("share of level", what[3], ASSUMED),
        ),
    }
}

fn behaviour(raw: &RawBehaviour, v: &mut Validator, n_residents: u64) -> Behaviour {
    let init = &raw.initial;
    let initial = InitialAttitudes {
        satisfaction: v.real_kinds(
            "behaviour.initial.satisfaction",
            &init.satisfaction,
            [0.55, 0.5, 0.6, 0.6],
            0.0..=1.0,
            d(
                "0-1",
                "mean satisfaction with services at the start",
                "assumption; CALIBRATION: 73-96% satisfied with handled requests",
            ),
        ),
        trust: v.real_kinds(
            "behaviour.initial.trust",
            &init.trust,
            [0.55, 0.45, 0.5, 0.5],
            0.0..=1.0,
            d(
                "0-1",
                "mean trust in the town government at the start",
                ASSUMED,
            ),
        ),
        efficacy: v.real_kinds(
            "behaviour.initial.efficacy",
            &init.efficacy,
            [0.4, 0.25, 0.3, 0.45],
            0.0..=1.0,
            d(
                "0-1",
                "mean political efficacy (belief that taking part changes things) at the start",
                ASSUMED,
            ),
        ),
        spread: v.real(
            "behaviour.initial.spread",
            init.spread,
            0.1,
            0.0..=0.5,
            d(
                "0-1",
                "half-width of the uniform spread of initial attitudes around their mean",
                ASSUMED,
            ),
        ),
    };
    let satisfaction = effects(
        "behaviour.satisfaction",
        &raw.satisfaction,
        v,
        [0.10, 0.02, 0.06, 0.20],
        &[
            "satisfaction gain when a matter is resolved on time",
            "satisfaction gain when a matter is resolved late",
            "satisfaction loss each time a matter is bounced between departments",
            "satisfaction loss when a matter is dropped",
        ],
    );
    let trust = effects(
        "behaviour.trust",
        &raw.trust,
        v,
        [0.05, 0.0, 0.05, 0.15],
        &[
            "trust gain when a matter is resolved on time",
            "trust gain when a matter is resolved late",
            "trust loss each time a matter is bounced between departments",
            "trust loss when a matter is dropped",
        ],
    );
    let p = &raw.participation;
    let thresholds = match &p.thresholds {
        None | Some(RawThresholds::Normal { .. }) => {
            let (mean, sd) = match &p.thresholds {
                Some(RawThresholds::Normal { mean, sd }) => (Some(*mean), Some(*sd)),
                _ => (None, None),
            };
            let mean = v.real("behaviour.participation.thresholds.mean", mean, 0.55, 0.0..=1.0, d("share", "mean participation threshold: share of the reference group that must take part first (Normal)", "assumption (Granovetter 1978)"));
            let sd = v.real(
                "behaviour.participation.thresholds.sd",
                sd,
                0.35,
                0.0..=1.0,
                d(
                    "share",
                    "spread of participation thresholds (Normal, clipped to 0-1)",
                    ASSUMED,
                ),
            );
            Thresholds::Normal { mean, sd }
        }
        Some(RawThresholds::Uniform { low, high }) => {
            let low = v.real(
                "behaviour.participation.thresholds.low",
                Some(*low),
                0.0,
                0.0..=1.0,
                d("share", "lowest threshold (Uniform)", ASSUMED),
            );
            let high = v.real(
                "behaviour.participation.thresholds.high",
                Some(*high),
                1.0,
                0.0..=1.0,
                d("share", "highest threshold (Uniform)", ASSUMED),
            );
            if low > high {
                v.error(
                    "behaviour.participation.thresholds.high",
                    format!("must be at least low ({low}), got {high}"),
                );
            }
            Thresholds::Uniform { low, high }
        }
        Some(RawThresholds::Explicit(list)) => {
            for (i, &t) in list.iter().enumerate() {
                if !(0.0..=1.0).contains(&t) || !t.is_finite() {
                    v.error(
                        format!("behaviour.participation.thresholds[{i}]"),
                        format!("must be between 0 and 1, got {t}"),
                    );
                }
            }
            if list.len() as u64 != n_residents {
                v.error(
                    "behaviour.participation.thresholds",
                    format!(
                        "must list one threshold per resident ({n_residents}), got {}",
                        list.len()
                    ),
                );
            }
            Thresholds::Explicit(list.clone())
        }
    };
    let participation = Participation {
        interval_days: v.int("behaviour.participation.interval_days", p.interval_days, 30, 1..=3_650, d("days", "days between participation rounds (consultations, joint meetings)", ASSUMED)),
        thresholds,
        reference: v.choice("behaviour.participation.reference", p.reference.map(|r| match r { RawReference::Community => Reference::Community, RawReference::Ties => Reference::Ties }), Reference::Community, "Community", "Community, Ties", d("-", "whose participation a resident looks at: the whole community (Granovetter) or their ties", "Granovetter 1978")),
        social_weight: v.real("behaviour.participation.social_weight", p.social_weight, 1.0, 0.0..=10.0, d("-", "weight of the share of the reference group already taking part", "Granovetter 1978 (1 with the other terms off reduces to his model)")),
        match_weight: v.real("behaviour.participation.match_weight", p.match_weight, 0.2, 0.0..=10.0, d("-", "weight of how well services match needs (on-time share in the community)", "seed 003 (services not matched to needs: low participation)")),
        efficacy_weight: v.real("behaviour.participation.efficacy_weight", p.efficacy_weight, 0.2, 0.0..=10.0, d("-", "weight of the resident's political efficacy", ASSUMED)),
        cost: v.real("behaviour.participation.cost", p.cost, 0.2, 0.0..=10.0, d("-", "cost of taking part (time), on the threshold's scale", ASSUMED)),
    };
    let r = &raw.reporting;
    Behaviour {
        initial,
        satisfaction,
        trust,
        efficacy_gain_when_heard: v.real("behaviour.efficacy_gain_when_heard", raw.efficacy_gain_when_heard, 0.05, 0.0..=1.0, d("share of gap", "efficacy gain of a participant whose community's matters were mostly resolved on time", ASSUMED)),
        tie_influence: v.real("behaviour.tie_influence", raw.tie_influence, 0.1, 0.0..=1.0, d("share", "how far trust moves toward the ties' mean at each participation round", ASSUMED)),
        reporting: Reporting {
            base: v.real("behaviour.reporting.base", r.base, 0.05, 0.0..=1.0, d("probability", "chance a witness reports an incident with zero trust and efficacy", ASSUMED)),
            trust_weight: v.real("behaviour.reporting.trust_weight", r.trust_weight, 0.3, 0.0..=1.0, d("probability", "added chance of reporting per unit of trust", ASSUMED)),
            efficacy_weight: v.real("behaviour.reporting.efficacy_weight", r.efficacy_weight, 0.3, 0.0..=1.0, d("probability", "added chance of reporting per unit of efficacy", ASSUMED)),
        },
        participation,
    }
}

fn committee(raw: &RawCommittee, v: &mut Validator) -> Committee {
    Committee {
        mode: v.choice("policy.committee.mode", raw.mode.map(|m| match m { RawCommitteeMode::Fragmented => CommitteeMode::Fragmented, RawCommitteeMode::Unified => CommitteeMode::Unified }), CommitteeMode::Fragmented, "Fragmented", "Fragmented, Unified", d("-", "Fragmented: no regular coordination; Unified (大部制): regular meetings clear escalated cases and cut hand-off losses", "seed 000 (管委会 + 大部制)")),
        n_departments: v.int("policy.committee.n_departments", raw.n_departments, 12, 1..=30, d("departments", "departments; the matters a case needs are split among them, so more departments mean more hand-offs", "seed 003 (20-30 sections -> 6+2; 4+2+2)")),
        staff_per_department: v.int("policy.committee.staff_per_department", raw.staff_per_department, 2, 1..=10_000, d("staff", "case handlers per department (servers)", ASSUMED)),
        tasks_per_staff_day: v.real("policy.committee.tasks_per_staff_day", raw.tasks_per_staff_day, 1.0, 0.01..=1_000.0, d("1/day", "matters one handler finishes per day (exponential service)", "assumption; CALIBRATION: mean handling 1.4-4.6 working days")),
        handoff_delay_days: v.real("policy.committee.handoff_delay_days", raw.handoff_delay_days, 2.0, 0.0..=365.0, d("days", "mean delay a hand-off between departments adds (exponential)", ASSUMED)),
        bounce_prob: v.real("policy.committee.bounce_prob", raw.bounce_prob, 0.15, 0.0..=1.0, d("probability", "chance a hand-off is bounced back (推诿) with no platform and no meetings", "assumption; seed 000 (推诿, 多头管理)")),
        drop_prob: v.real("policy.committee.drop_prob", raw.drop_prob, 0.03, 0.0..=1.0, d("probability", "chance a hand-off loses the case with no platform and no meetings", "assumption; seed 000 (数据隔离)")),
        max_bounces: v.int("policy.committee.max_bounces", raw.max_bounces, 1, 0..=100, d("bounces", "a case bounced more often than this (since it was last cleared) is escalated to the committee", ASSUMED)),
        meeting_interval_days: v.int("policy.committee.meeting_interval_days", raw.meeting_interval_days, 14, 1..=365, d("days", "days between coordination meetings (Unified mode only)", ASSUMED)),
        meeting_cut: v.real("policy.committee.meeting_cut", raw.meeting_cut, 0.5, 0.0..=1.0, d("share", "share of hand-off delay, bounce and drop chance that regular meetings remove (Unified mode)", "assumption; seed 000 (例会: regular committee meetings)")),
    }
}

fn platform(raw: &RawPlatform, v: &mut Validator) -> Platform {
    Platform {
        integration: v.real("policy.platform.integration", raw.integration, 0.1, 0.0..=1.0, d("0-1", "integration of the shared data platform (数据共享平台)", "seed 000 (data isolation); level assumed")),
        dispatch_delay_days: v.real("policy.platform.dispatch_delay_days", raw.dispatch_delay_days, 1.5, 0.0..=365.0, d("days", "mean delay from discovery to the first department with no platform (exponential)", ASSUMED)),
        misroute_prob: v.real("policy.platform.misroute_prob", raw.misroute_prob, 0.2, 0.0..=1.0, d("probability", "chance a case is first sent to the wrong department with no platform", ASSUMED)),
        handoff_cut: v.real("policy.platform.handoff_cut", raw.handoff_cut, 0.7, 0.0..=1.0, d("share", "share of dispatch delay, misrouting and hand-off losses a fully integrated platform removes", ASSUMED)),
        ledger_cut: v.real("policy.platform.ledger_cut", raw.ledger_cut, 0.8, 0.0..=1.0, d("share", "share of duplicated ledgers (台账) a fully integrated platform removes", "assumption; seed 003 (40+ departments each demanding a ledger)")),
    }
}

fn portal(raw: &RawPortal, v: &mut Validator) -> Portal {
    Portal {
        coverage: v.real(
            "policy.portal.coverage",
            raw.coverage,
            0.2,
            0.0..=1.0,
            d(
                "share",
                "share of online-eligible matters the one-stop portal (一站式网上政务平台) covers",
                "seed 000 (target 100% online filing and approval); status-quo level assumed",
            ),
        ),
        online_time_factor: v.real(
            "policy.portal.online_time_factor",
            raw.online_time_factor,
            0.6,
            0.05..=1.0,
            d(
                "factor",
                "handling time of an online matter relative to a window matter",
                ASSUMED,
            ),
        ),
    }
}

fn grid(raw: &RawGrid, v: &mut Validator) -> Grid {
    Grid {
        workers_per_grid: v.int("policy.grid.workers_per_grid", raw.workers_per_grid, 1, 0..=100, d("workers", "grid workers (网格员) per grid", "seed 001§8 (1 grid leader + ≥1 worker per grid)")),
        work_hours_per_day: v.real("policy.grid.work_hours_per_day", raw.work_hours_per_day, 8.0, 1.0..=24.0, d("hours", "working hours of a grid worker per day", ASSUMED)),
        ledger_hours_per_department: v.real("policy.grid.ledger_hours_per_department", raw.ledger_hours_per_department, 0.4, 0.0..=24.0, d("hours/day", "hours of ledger work (台账) each department demands of a grid worker per day, before the platform's cut", "assumption; seed 003 (ledgers overload the grassroots)")),
        discovery_rate_per_day: v.real("policy.grid.discovery_rate_per_day", raw.discovery_rate_per_day, 0.6, 0.0..=100.0, d("1/day", "discovery hazard of an undiscovered incident at reference load with full patrol time", "assumption; seed 002 (grids find problems early)")),
        reference_residents_per_worker: v.real("policy.grid.reference_residents_per_worker", raw.reference_residents_per_worker, 300.0, 1.0..=100_000.0, d("residents", "load at which the discovery hazard equals discovery_rate_per_day; it falls in proportion above it", ASSUMED)),
        on_the_spot_share: v.real("policy.grid.on_the_spot_share", raw.on_the_spot_share, 0.5, 0.0..=1.0, d("share", "share of minor incidents a grid worker settles on the spot", "assumption; 小事不出网格 (seed 001§1)")),
        dispute_settle_share: v.real("policy.grid.dispute_settle_share", raw.dispute_settle_share, 0.4, 0.0..=1.0, d("share", "share of disputes a grid worker settles on the spot", ASSUMED)),
    }
}
