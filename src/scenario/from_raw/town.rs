//! `town`, `needs` and `incidents`: the place, its people and what arises in it.

use crate::scenario::model::*;
use crate::scenario::raw::*;
use crate::scenario::validate::Validator;

use super::{ASSUMED, MAX_GRIDS, MAX_RESIDENTS, d};

pub(super) fn town(raw: &RawTown, v: &mut Validator) -> Town {
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
    let enterprises = v.int_sizes(
        "town.enterprises",
        &raw.enterprises,
        [2, 40, 40],
        0..=1_000_000,
        d(
            "firms",
            "enterprises of each size at the start (leading firm 龙头企业, SME, start-up)",
            "assumption; issue: a real town has a few hundred",
        ),
    );
    let vulnerable_native_share = v.real(
        "town.vulnerable_native_share",
        raw.vulnerable_native_share,
        0.15,
        0.0..=1.0,
        d(
            "share",
            "share of natives who are low-skilled and vulnerable",
            "assumption; seed 000 (vulnerable natives)",
        ),
    );
    let need_mix_spread = v.real("town.need_mix_spread", raw.need_mix_spread, 0.5, 0.0..=1.0, d("0-1", "how far each community's mix of need categories departs from the town's (0: all alike)", "assumption; seed 003 (分类治理: estates differ)"));
    let town = Town {
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
        housing_headroom: v.real("town.housing_headroom", raw.housing_headroom, 0.3, 0.0..=10.0, d("share", "dwellings beyond the starting residents, as a share of them: newcomers hired from outside arrive only while there is a free dwelling (the town's land for housing bounds its population)", "assumption; MODEL.md 9.3 (growth saturates through housing); seed 000 (小镇 are small: 3 km², 特色小镇 planning limits)")),
        plot_headroom: v.real("town.plot_headroom", raw.plot_headroom, 0.5, 0.0..=10.0, d("share", "plots in the parks beyond the starting firms, as a share of them: new firms enter only while a plot is free", "assumption; MODEL.md 9.3 (growth saturates through land); seed 000 (parks attached to communities)")),
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

pub(super) fn needs(raw: &RawNeeds, v: &mut Validator) -> Needs {
    Needs {
        need_rate_per_year: v.real_kinds("needs.need_rate_per_year", &raw.need_rate_per_year, [0.75, 0.5625, 0.5, 0.625], 0.0..=2_000.0, d("1/year", "service needs that arise for a resident per year (Poisson), brought to the government or not (see behaviour.demand)", "CALIBRATION: 0.4-0.5 hotline requests per resident-year (Jiangsu 2024, Xuzhou 2025) are the needs brought: 0.6/0.45/0.4/0.5 divided by behaviour.demand.bring_share 0.8")),
        dispute_rate_per_year: v.real_kinds("needs.dispute_rate_per_year", &raw.dispute_rate_per_year, [0.06, 0.08, 0.04, 0.02], 0.0..=100.0, d("1/year", "disputes (矛盾纠纷) a resident raises per year", "assumption; CALIBRATION: complaints are ~20% of hotline requests")),
        multi_task_share: v.real("needs.multi_task_share", raw.multi_task_share, 0.27, 0.0..=1.0, d("share", "share of cases that need more than one matter (and so maybe more than one department)", "CALIBRATION: 27% multi-department work orders (Xuzhou 2025)")),
        max_tasks: v.int("needs.max_tasks", raw.max_tasks, 3, 1..=8, d("matters", "most matters one case can need", ASSUMED)),
        online_eligible_share: v.real("needs.online_eligible_share", raw.online_eligible_share, 0.7, 0.0..=1.0, d("share", "share of service needs that could be done online if the portal covers them", "CALIBRATION: 68-73% answered at first contact (Jiangsu 2024, Xuzhou 2025)")),
        patience_days: v.real("needs.patience_days", raw.patience_days, 60.0, 0.0..=3_650.0, d("days", "a case still open this long is given up and dropped (0: never)", ASSUMED)),
        on_time_days: v.real("needs.on_time_days", raw.on_time_days, 10.0, 0.5..=365.0, d("days", "deadline for an on-time resolution", "CALIBRATION: mean handling 1.4-4.6 working days (Jiangsu 2024)")),
        dispute_escalation_days: v.real("needs.dispute_escalation_days", raw.dispute_escalation_days, 20.0, 0.0..=3_650.0, d("days", "an unresolved dispute escalates to a petition (上访) after this long (0: never)", "assumption; seed 001§1 (mediation keeps disputes from escalating)")),
        case_deadline_days: v.real("needs.case_deadline_days", raw.case_deadline_days, 90.0, 1.0..=3_650.0, d("days", "any case still open this long ends as expired, with its consequence (a need unmet, a dispute a petition, an incident's damage): no case waits forever", "assumption; CALIBRATION (hotline work orders carry deadlines; 97.3% of multi-department orders closed on time, Xuzhou 2025)")),
        resubmit_prob: v.real("needs.resubmit_prob", raw.resubmit_prob, 1.0, 0.0..=1.0, d("probability", "chance a resident or firm whose case was lost in a hand-off notices and brings it again, from its first matter since the record was lost with it (one more trip if it went to a window); otherwise they give up at once. The default leaves giving up to `patience_days`", "assumption; seed 004 (跑几次: repeated trips for one matter); seed 000 (数据隔离)")),
        notice_days: v.real("needs.notice_days", raw.notice_days, 7.0, 0.0..=365.0, d("days", "mean delay before a lost case is noticed and brought again, or a lost incident is back among the unseen (exponential)", ASSUMED)),
    }
}

pub(super) fn incidents(raw: &RawIncidents, v: &mut Validator) -> Incidents {
    let out = Incidents {
        per_resident_per_year: v.real(
            "incidents.per_resident_per_year",
            raw.per_resident_per_year,
            0.0768,
            0.0..=1_000.0,
            d(
                "1/year",
                "incidents (production, living, ecology: 三生) arising in the town per resident per year, in the resident's grid: how many grids the town is cut into does not change how much happens (firms add their own, see `enterprises.incidents_per_year`)",
                "assumption; converted from the former 24 per grid per year in the default town (16 grids, 5,000 residents: 24 x 16 / 5,000 = 0.0768), so its incident count stays the same; MODEL.md 9.5",
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
        serious_response_days: v.real("incidents.serious_response_days", raw.serious_response_days, 3.0, 0.01..=365.0, d("days", "a serious incident still open this long after it arose becomes a serious case (the third of the 三零)", "assumption; seed 001§1 (三零: zero serious cases)")),
        ecology_loss_yuan_per_day: v.real("incidents.ecology_loss_yuan_per_day", raw.ecology_loss_yuan_per_day, 1_000.0, 0.0..=1e9, d("yuan/day", "damage an open ecology incident does per day (10 times for a serious one)", "assumption; MODEL.md (severe incidents left open become losses)")),
        unattended_loss_days: v.real("incidents.unattended_loss_days", raw.unattended_loss_days, 90.0, 0.0..=3_650.0, d("days", "an ecology incident that expires unhandled does this many days of damage at once (the pollution is never cleaned up)", "assumption; MODEL.md (severe incidents left open become losses)")),
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
