//! Whole-run figures ([`RunTotals`]): what `summary.json` and the experiments read of a run as a
//! whole, computed from the world as it is now.

use bevy_ecs::prelude::*;
use serde::Serialize;

use super::budget::Ledger;
use super::cases::{CaseBook, Reason, days_figures};
use super::clock::Params;
use super::indicators::{History, mean, p95, ratio};

/// Whole-run figures, for `summary.json` and the docking tests.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct RunTotals {
    pub days: u64,
    pub created: u64,
    pub resolved: u64,
    pub dropped: u64,
    pub open: u64,
    pub bounced: u64,
    pub petitions: u64,
    /// Cases created per day.
    pub arrivals_per_day: f64,
    /// Closed cases (resolved or dropped), and the share of them resolved.
    pub closed: u64,
    pub resolved_share: Option<f64>,
    /// Days to resolve over every closed case and every need left unmet without being brought,
    /// an unresolved one counted at the case deadline.
    pub resolve_days_mean: Option<f64>,
    pub resolve_days_p95: Option<f64>,
    /// Days from creation to closing over every closed case (W in Little's law).
    pub close_days_mean: Option<f64>,
    pub close_days_p95: Option<f64>,
    /// Resolved cases only (survivors; not a headline figure).
    pub resolved_only_days_mean: Option<f64>,
    pub resolved_only_days_p95: Option<f64>,
    pub resolved_only_on_time_rate: Option<f64>,
    /// Losses in hand-offs, lost cases brought again, cases ended at the case deadline,
    /// residents' needs that ended unmet.
    pub lost: u64,
    pub resubmitted: u64,
    pub expired: u64,
    pub unmet_needs: u64,
    /// Residents' needs never brought to the government (solved privately or left unmet).
    pub needs_not_brought: u64,
    /// Residents' needs brought to the government (service requests).
    pub needs_brought: u64,
    /// Mean days a resolved case spent waiting in department queues.
    pub queue_wait_days_mean: Option<f64>,
    /// Mean number of open cases at the end of a day (L in Little's law).
    pub open_mean: f64,
    /// Share of closed cases and needs not brought to the government that the government
    /// resolved within `needs.on_time_days`.
    pub on_time_share: Option<f64>,
    pub trips_per_matter: Option<f64>,
    pub one_trip_share: Option<f64>,
    pub participation_rate_mean: f64,
    /// Cases ended by each reason.
    pub resolved_by_department: u64,
    pub resolved_on_the_spot: u64,
    pub resolved_by_operator: u64,
    pub resolved_by_mediation: u64,
    pub resolved_by_court: u64,
    pub resolved_by_stewards: u64,
    pub resolved_by_meeting: u64,
    pub financing_decided: u64,
    pub dropped_in_handoff: u64,
    pub dropped_gave_up: u64,
    pub dropped_expired: u64,
    pub cost_total_yuan: f64,
    pub cost_per_resolved_yuan: Option<f64>,
    pub cost_items_yuan: super::budget::CostItems,
    /// Budget so far (with its tax share) minus cost so far, and the days a hard budget was in
    /// deficit (purchased services cut, hiring frozen).
    pub balance_yuan: f64,
    pub austerity_days: u64,
}

/// Whole-run figures from the world as it is now.
pub fn totals(world: &World) -> RunTotals {
    let book = world.resource::<CaseBook>();
    let history = world.resource::<History>();
    let ledger = world.resource::<Ledger>();
    let deadline = world.resource::<Params>().0.needs.case_deadline_days;
    let (close_days, resolve_days, resolved_days) = days_figures(
        &book.closed_all,
        book.needs_not_brought_unmet_total,
        deadline,
    );
    let days = history.days;
    RunTotals {
        days,
        created: book.created_total,
        resolved: book.resolved_total,
        dropped: book.dropped_total,
        open: book.open(),
        bounced: book.bounced_total,
        petitions: book.petitions_total,
        arrivals_per_day: if days > 0 {
            book.created_total as f64 / days as f64
        } else {
            0.0
        },
        closed: book.resolved_total + book.dropped_total,
        resolved_share: ratio(
            book.resolved_total,
            book.resolved_total + book.dropped_total,
        ),
        resolve_days_mean: mean(&resolve_days),
        resolve_days_p95: p95(&resolve_days),
        close_days_mean: mean(&close_days),
        close_days_p95: p95(&close_days),
        resolved_only_days_mean: mean(&resolved_days),
        resolved_only_days_p95: p95(&resolved_days),
        resolved_only_on_time_rate: ratio(book.on_time_total, book.resolved_total),
        lost: book.lost_total,
        resubmitted: book.resubmitted_total,
        expired: book.by_reason[Reason::Expired as usize],
        unmet_needs: book.unmet_needs_total,
        needs_not_brought: book.needs_not_brought_total,
        needs_brought: book.needs_brought_total,
        queue_wait_days_mean: (book.resolved_total > 0)
            .then(|| book.wait_days_sum / book.resolved_total as f64),
        open_mean: if days > 0 {
            history.open_sum / days as f64
        } else {
            0.0
        },
        on_time_share: ratio(
            book.on_time_total,
            book.resolved_total + book.dropped_total + book.needs_not_brought_total,
        ),
        trips_per_matter: ratio(book.trips_total, book.matters_total),
        one_trip_share: ratio(book.one_trip_total, book.matters_total),
        participation_rate_mean: if days > 0 {
            history.participation_sum / days as f64
        } else {
            0.0
        },
        resolved_by_department: book.by_reason[Reason::Department as usize],
        resolved_on_the_spot: book.by_reason[Reason::OnTheSpot as usize],
        resolved_by_operator: book.by_reason[Reason::Operator as usize],
        resolved_by_mediation: book.by_reason[Reason::Mediated as usize],
        resolved_by_court: book.by_reason[Reason::Court as usize],
        resolved_by_stewards: book.by_reason[Reason::Steward as usize],
        resolved_by_meeting: book.by_reason[Reason::Meeting as usize],
        financing_decided: book.by_reason[Reason::Financed as usize]
            + book.by_reason[Reason::Refused as usize],
        dropped_in_handoff: book.by_reason[Reason::LostInHandoff as usize],
        dropped_gave_up: book.by_reason[Reason::GaveUp as usize],
        dropped_expired: book.by_reason[Reason::Expired as usize],
        cost_total_yuan: ledger.total.sum(),
        cost_per_resolved_yuan: ledger.per_resolved(book),
        balance_yuan: ledger.balance_yuan,
        austerity_days: world.resource::<super::budget::Austerity>().days,
        cost_items_yuan: ledger.total,
    }
}
