//! Budget and cost: everything the committee pays for, by the day. Department handlers, grid
//! workers and their per-grid subsidy (seed 001§1), the data platform and the portal (scaled by
//! integration and coverage), stewards, the financing platform's guidance money, the operator's
//! contract and centres, mediators in post, self-governance stipends and the cultivation of
//! social organisations. Total cost and cost per resolved case are outcomes; the balance against
//! the budget (plus `tax_share` of the town's tax) is reported, and with `policy.budget.hard` it
//! binds: while it is below zero, purchased services (the operator's contract, the cultivation of
//! social organisations) are cut by `austerity_cut` and departments hire no one ([`Austerity`]).

use bevy_ecs::prelude::*;

use super::cases::CaseBook;
use super::clock::Params;
use super::clusters::ClusterMap;
use super::departments::Committee;
use super::enterprises::Economy;
use super::mediation::MediationNet;
use super::{DayPlan, Phase};

/// Cost items, in yuan.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CostItems {
    pub departments: f64,
    pub grid: f64,
    pub platform: f64,
    pub portal: f64,
    pub stewards: f64,
    pub financing: f64,
    pub operator: f64,
    pub mediation: f64,
    pub self_governance: f64,
    pub social_orgs: f64,
    pub psych_services: f64,
}

impl CostItems {
    pub fn sum(&self) -> f64 {
        self.departments
            + self.grid
            + self.platform
            + self.portal
            + self.stewards
            + self.financing
            + self.operator
            + self.mediation
            + self.self_governance
            + self.social_orgs
            + self.psych_services
    }

    fn add(&mut self, o: &CostItems) {
        self.departments += o.departments;
        self.grid += o.grid;
        self.platform += o.platform;
        self.portal += o.portal;
        self.stewards += o.stewards;
        self.financing += o.financing;
        self.operator += o.operator;
        self.mediation += o.mediation;
        self.self_governance += o.self_governance;
        self.social_orgs += o.social_orgs;
        self.psych_services += o.psych_services;
    }
}

/// Today's cost and the run's.
#[derive(Resource, Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Ledger {
    pub today: CostItems,
    pub total: CostItems,
    /// Budget made available so far (pro rata) minus cost so far.
    pub balance_yuan: f64,
}

/// What a hard budget in deficit does: the share of purchased services kept, and whether
/// departments may hire. Read by the operator, the social organisations and the departments.
#[derive(Resource, Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Austerity {
    pub purchased: f64,
    pub freeze: bool,
    /// Days spent in austerity over the run.
    pub days: u64,
}

impl Default for Austerity {
    fn default() -> Self {
        Austerity {
            purchased: 1.0,
            freeze: false,
            days: 0,
        }
    }
}

impl Ledger {
    /// Total cost per resolved case so far.
    pub fn per_resolved(&self, book: &CaseBook) -> Option<f64> {
        (book.resolved_total > 0).then(|| self.total.sum() / book.resolved_total as f64)
    }
}

fn pay(
    params: Res<Params>,
    committee: Res<Committee>,
    clusters: Res<ClusterMap>,
    mediation: Res<MediationNet>,
    economy: Res<Economy>,
    sums: Res<super::residents::ResidentSums>,
    mut ledger: ResMut<Ledger>,
    mut austerity: ResMut<Austerity>,
) {
    let s = &params.0;
    let p = &s.policy;
    let b = &p.budget;
    let day = |yearly: f64| yearly / 365.0;
    let handlers: usize = committee.departments.iter().map(|d| d.handlers.len()).sum();
    let grids = s.town.n_grids() as f64;
    let platform_on = p.stewards.size() > 0 && p.financing.fund_yuan > 0.0;
    let today = CostItems {
        departments: day(handlers as f64 * b.staff_salary_yuan_per_year),
        grid: day(grids
            * (p.grid.workers_per_grid as f64 * b.grid_worker_salary_yuan_per_year
                + b.grid_subsidy_yuan_per_grid_year)),
        platform: day(b.platform_yuan_per_year * p.platform.integration),
        portal: day(b.portal_yuan_per_year * p.portal.coverage),
        stewards: day(p.stewards.size() as f64 * p.stewards.salary_yuan_per_year),
        financing: if platform_on {
            day(p.financing.fund_yuan
                * p.financing.guidance_share
                * p.financing.guidance_cost_per_year)
        } else {
            0.0
        },
        operator: if p.operator.enabled {
            day(p.operator.contract_yuan_per_year * austerity.purchased
                + clusters.n_clusters as f64 * p.operator.centre_fixed_yuan_per_year)
        } else {
            0.0
        },
        mediation: day(mediation.mediators() as f64 * p.mediation.pay_yuan_per_month * 12.0),
        self_governance: if p.self_governance.enabled {
            day(s.town.communities as f64
                * p.self_governance.seats as f64
                * p.self_governance.stipend_yuan_per_seat_year)
        } else {
            0.0
        },
        social_orgs: day(p.social_orgs.cultivation_yuan_per_year * austerity.purchased),
        psych_services: if p.psych_services.enabled {
            day(sums.n.iter().sum::<u64>() as f64 * p.psych_services.cost_yuan_per_resident_year)
        } else {
            0.0
        },
    };
    ledger.total.add(&today);
    ledger.balance_yuan +=
        day(b.budget_yuan_per_year) + b.tax_share * economy.tax_today_yuan - today.sum();
    ledger.today = today;
    let deficit = b.hard && ledger.balance_yuan < 0.0;
    *austerity = Austerity {
        purchased: if deficit { 1.0 - b.austerity_cut } else { 1.0 },
        freeze: deficit,
        days: austerity.days + deficit as u64,
    };
}

pub fn install(world: &mut World, plan: &mut DayPlan) {
    world.insert_resource(Ledger::default());
    world.insert_resource(Austerity::default());
    plan.add(Phase::Respond, pay);
}
