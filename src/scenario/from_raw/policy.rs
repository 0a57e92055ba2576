//! `policy`: the levers of the committee, the data platform, the portal and the grid.

use crate::scenario::model::*;
use crate::scenario::raw::*;
use crate::scenario::validate::Validator;

use super::{ASSUMED, d};

pub(super) fn committee(raw: &RawCommittee, v: &mut Validator) -> Committee {
    Committee {
        mode: v.choice("policy.committee.mode", raw.mode.map(|m| match m { RawCommitteeMode::Fragmented => CommitteeMode::Fragmented, RawCommitteeMode::Unified => CommitteeMode::Unified }), CommitteeMode::Fragmented, "Fragmented", &["Fragmented", "Unified"], d("-", "Fragmented: no regular coordination; Unified (大部制): regular meetings clear escalated cases and cut hand-off losses", "seed 000 (管委会 + 大部制)")),
        n_departments: v.int("policy.committee.n_departments", raw.n_departments, 12, 1..=30, d("departments", "departments; the matters a case needs are split among them, so more departments mean more hand-offs", "seed 003 (20-30 sections -> 6+2; 4+2+2)")),
        total_staff: v.int("policy.committee.total_staff", raw.total_staff, 24, 1..=1_000_000, d("staff", "case handlers (servers) of the whole committee, split as evenly as the departments allow (the first departments get one more when it does not divide): comparing modes or numbers of departments holds the staff equal unless the scenario changes it; below `n_departments` it is raised to one handler per department", "assumption: the former default of 12 departments x 2 handlers, so the status quo keeps its capacity; MODEL.md 9.5 (comparing committee modes holds total staff equal)")),
        street_layer: v.flag("policy.committee.street_layer", raw.street_layer, true, d("-", "an intermediate street layer (街道办) between the grids and the departments sorts, routes and coordinates cases; off: cases go straight from the grids to the departments, and misrouting, bounces and losses in hand-offs are `no_street_factor` times as likely", "seed 003 (street offices abolished, then restored everywhere but Tongling: 其他所有的地方街道办重新恢复了, C11)")),
        no_street_factor: v.real("policy.committee.no_street_factor", raw.no_street_factor, 2.0, 1.0..=10.0, d("factor", "how many times as likely misrouting, bounces and losses in hand-offs are without the street layer (capped at certainty)", "assumption; seed 003 (removing the intermediate layer led to coordination failure, C11)")),
        staff_follow_residents: v.flag("policy.committee.staff_follow_residents", raw.staff_follow_residents, false, d("flag", "the committee's staff grows and shrinks in proportion to the residents (against the starting town), paid from the budget; off: the staff stays as set and the queue shows the strain of growth", "assumption; MODEL.md 9.3 (the public side follows the town where the scenario says so)")),
        tasks_per_staff_day: v.real("policy.committee.tasks_per_staff_day", raw.tasks_per_staff_day, 1.0, 0.01..=1_000.0, d("1/day", "matters one handler finishes per day (exponential service)", "assumption; CALIBRATION: mean handling 1.4-4.6 working days")),
        handoff_delay_days: v.real("policy.committee.handoff_delay_days", raw.handoff_delay_days, 2.0, 0.0..=365.0, d("days", "mean delay a hand-off between departments adds (exponential)", ASSUMED)),
        bounce_prob: v.real("policy.committee.bounce_prob", raw.bounce_prob, 0.15, 0.0..=1.0, d("probability", "chance a hand-off is bounced back (推诿) with no platform and no meetings", "assumption; seed 000 (推诿, 多头管理)")),
        drop_prob: v.real("policy.committee.drop_prob", raw.drop_prob, 0.03, 0.0..=1.0, d("probability", "chance a hand-off loses the case with no platform and no meetings", "assumption; seed 000 (数据隔离)")),
        max_bounces: v.int("policy.committee.max_bounces", raw.max_bounces, 1, 0..=100, d("bounces", "a case bounced more often than this (since it was last cleared) is escalated to the committee", ASSUMED)),
        meeting_interval_days: v.int("policy.committee.meeting_interval_days", raw.meeting_interval_days, 14, 1..=365, d("days", "days between coordination meetings (Unified mode only)", ASSUMED)),
        meeting_cut: v.real("policy.committee.meeting_cut", raw.meeting_cut, 0.5, 0.0..=1.0, d("share", "share of hand-off delay, bounce and drop chance that regular meetings remove (Unified mode)", "assumption; seed 000 (例会: regular committee meetings)")),
    }
}

pub(super) fn platform(raw: &RawPlatform, v: &mut Validator) -> Platform {
    Platform {
        integration: v.real("policy.platform.integration", raw.integration, 0.1, 0.0..=1.0, d("0-1", "integration of the shared data platform (数据共享平台)", "seed 000 (data isolation); level assumed")),
        dispatch_delay_days: v.real("policy.platform.dispatch_delay_days", raw.dispatch_delay_days, 1.5, 0.0..=365.0, d("days", "mean delay from discovery to the first department with no platform (exponential)", ASSUMED)),
        misroute_prob: v.real("policy.platform.misroute_prob", raw.misroute_prob, 0.2, 0.0..=1.0, d("probability", "chance a case is first sent to the wrong department with no platform", ASSUMED)),
        handoff_cut: v.real("policy.platform.handoff_cut", raw.handoff_cut, 0.7, 0.0..=1.0, d("share", "share of dispatch delay, misrouting and hand-off losses a fully integrated platform removes", ASSUMED)),
        ledger_cut: v.real("policy.platform.ledger_cut", raw.ledger_cut, 0.8, 0.0..=1.0, d("share", "share of duplicated ledgers (台账) a fully integrated platform removes", "assumption; seed 003 (40+ departments each demanding a ledger)")),
    }
}

pub(super) fn portal(raw: &RawPortal, v: &mut Validator) -> Portal {
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

pub(super) fn grid(raw: &RawGrid, v: &mut Validator) -> Grid {
    Grid {
        workers_per_grid: v.int("policy.grid.workers_per_grid", raw.workers_per_grid, 1, 0..=100, d("workers", "grid workers (网格员) per grid", "seed 001§8 (1 grid leader + ≥1 worker per grid)")),
        work_hours_per_day: v.real("policy.grid.work_hours_per_day", raw.work_hours_per_day, 8.0, 1.0..=24.0, d("hours", "working hours of a grid worker per day", ASSUMED)),
        ledger_hours_per_department: v.real("policy.grid.ledger_hours_per_department", raw.ledger_hours_per_department, 0.4, 0.0..=24.0, d("hours/day", "hours of ledger work (台账) each department demands of a grid worker per day, before the platform's cut", "assumption; seed 003 (ledgers overload the grassroots)")),
        discovery_rate_per_day: v.real("policy.grid.discovery_rate_per_day", raw.discovery_rate_per_day, 0.6, 0.0..=100.0, d("1/day", "discovery hazard of an undiscovered incident at reference load with full patrol time", "assumption; seed 002 (grids find problems early)")),
        reference_residents_per_worker: v.real("policy.grid.reference_residents_per_worker", raw.reference_residents_per_worker, 300.0, 1.0..=100_000.0, d("residents", "load at which the discovery hazard equals discovery_rate_per_day; it falls in proportion above it", ASSUMED)),
        on_the_spot_share: v.real("policy.grid.on_the_spot_share", raw.on_the_spot_share, 0.5, 0.0..=1.0, d("share", "share of minor incidents a grid worker settles on the spot", "assumption; 小事不出网格 (seed 001§1)")),
        dispute_settle_share: v.real("policy.grid.dispute_settle_share", raw.dispute_settle_share, 0.4, 0.0..=1.0, d("share", "share of disputes a grid worker settles on the spot", ASSUMED)),
        subsidy_effort_gain: v.real("policy.grid.subsidy_effort_gain", raw.subsidy_effort_gain, 0.15, 0.0..=10.0, d("share", "extra effort (patrol discovery and settling on the spot) of grid workers whose grid gets the reference subsidy, against none: effort is (1 + gain x min(1, subsidy / reference)) / (1 + gain), so 1 at the reference subsidy and 1 / (1 + gain) without one", "assumption; seed 001§1 (per-grid performance subsidy 提高了网格员的职业认同感和幸福感, C2)")),
        reference_subsidy_yuan_per_grid_year: v.real("policy.grid.reference_subsidy_yuan_per_grid_year", raw.reference_subsidy_yuan_per_grid_year, 6_000.0, 1.0..=10_000_000.0, d("yuan/year", "per-grid subsidy at which grid workers' effort is full (more adds nothing)", "seed 001§1 (每年6000元的绩效补贴 per grid, Jincheng 2020)")),
    }
}
