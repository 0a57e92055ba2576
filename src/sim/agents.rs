//! Per-agent rows, read from the world without changing it: one row per resident and one per
//! firm as they are at the end of a day (`towngov run --agents-at`, like Mesa's agent
//! DataFrame or NetLogo's export-world). Plain data; no system, no resource, nothing saved; the
//! writers are in `output/agents.rs`.
//!
//! Rows are sorted by id. A resident's id is its entity in this run: the entity's index, plus
//! its generation times 2^32 for a newcomer that took a departed resident's slot. Unique within
//! the run and the same on every day the resident lives, so a resident can be followed from
//! one day to another. A run continued from a saved state numbers its residents anew. A firm's id
//! is the model's own, counted from 0 in order of founding.

use bevy_ecs::prelude::*;
use serde::Serialize;

use super::cases::Channel;
use super::enterprises::Firm;
use super::residents::{
    Attitudes, Contribution, Experience, Participation, Resident, Ties, Vulnerable,
};

/// A resident at the end of `day`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResidentRow {
    pub day: u32,
    pub id: u64,
    /// `native`, `migrant_worker`, `employee` or `talent`.
    pub kind: &'static str,
    pub community: u32,
    pub grid: u32,
    /// The employing firm's id; none for no employer.
    pub employer: Option<u64>,
    /// Laid off by a town firm and not hired again yet.
    pub unemployed: bool,
    pub satisfaction: f32,
    pub trust: f32,
    pub efficacy: f32,
    /// Takes part (the threshold rule), and the share of the reference group it needs.
    pub participating: bool,
    pub participation_threshold: f64,
    /// Volunteering: the contribution level in [0, 1] and its intrinsic part.
    pub volunteering: f32,
    pub volunteering_intrinsic: f32,
    /// A low-skilled vulnerable native, and the day someone last visited (none: never).
    pub vulnerable: bool,
    pub last_visit_day: Option<i64>,
    /// The channel of the last matter (none yet) and whether it went well.
    pub last_channel: Option<&'static str>,
    pub last_good: Option<bool>,
    /// Residents this one listens to.
    pub ties: u32,
}

/// A firm at the end of `day` (firms that closed or relocated are gone from the town).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FirmRow {
    pub day: u32,
    pub id: u64,
    /// `leading`, `sme` or `startup`.
    pub size: &'static str,
    /// In the town's characteristic industry.
    pub characteristic: bool,
    /// High pollution risk (its incidents are ecological).
    pub high_risk: bool,
    pub community: u32,
    pub grid: u32,
    pub employees: u32,
    pub revenue_yuan: f64,
    pub awareness: f32,
    pub stickiness: f32,
    /// Moving share of its demands met on time.
    pub service_score: f32,
    /// Participates deeply in the town's affairs.
    pub deep: bool,
    /// Financing lifts its growth until this day (0: never financed).
    pub financed_until: u32,
    /// Weighing an outside offer: the day it decides (none: no offer), and whether the
    /// stewards found out.
    pub offer_decides_on: Option<u32>,
    pub offer_detected: bool,
}

/// Every resident now, sorted by id, each row marked `day`.
pub fn residents(world: &World, day: u32) -> Vec<ResidentRow> {
    let Some(mut q) = world.try_query::<(
        Entity,
        &Resident,
        &Attitudes,
        &Participation,
        Option<&Contribution>,
        Option<&Experience>,
        Option<&Vulnerable>,
        Option<&Ties>,
    )>() else {
        return Vec::new();
    };
    let mut rows: Vec<ResidentRow> = q
        .iter(world)
        .map(|(e, r, a, p, c, x, v, t)| {
            let last = x.and_then(|x| channel_name(x.last));
            ResidentRow {
                day,
                id: (u64::from(e.generation().to_bits()) << 32) | u64::from(e.index_u32()),
                kind: kind_name(r.kind),
                community: r.community,
                grid: r.grid,
                employer: r.employer.and_then(|f| world.get::<Firm>(f)).map(|f| f.id),
                unemployed: r.unemployed,
                satisfaction: a.satisfaction,
                trust: a.trust,
                efficacy: a.efficacy,
                participating: p.participating,
                participation_threshold: p.threshold,
                volunteering: c.map(|c| c.level).unwrap_or(0.0),
                volunteering_intrinsic: c.map(|c| c.intrinsic).unwrap_or(0.0),
                vulnerable: v.is_some(),
                last_visit_day: v.map(|v| v.last_visit_day).filter(|&d| d >= 0),
                last_channel: last,
                last_good: last.and(x.map(|x| x.good)),
                ties: t.map(|t| t.0.len() as u32).unwrap_or(0),
            }
        })
        .collect();
    rows.sort_by_key(|r| r.id);
    rows
}

/// Every firm now, sorted by id, each row marked `day`.
pub fn firms(world: &World, day: u32) -> Vec<FirmRow> {
    let Some(mut q) = world.try_query::<&Firm>() else {
        return Vec::new();
    };
    let mut rows: Vec<FirmRow> = q
        .iter(world)
        .map(|f| FirmRow {
            day,
            id: f.id,
            size: f.size.name(),
            characteristic: f.characteristic,
            high_risk: f.high_risk,
            community: f.community,
            grid: f.grid,
            employees: f.staff.len() as u32,
            revenue_yuan: f.revenue_yuan,
            awareness: f.awareness,
            stickiness: f.stickiness,
            service_score: f.service_score,
            deep: f.deep,
            financed_until: f.financed_until,
            offer_decides_on: f.offer_decides_on,
            offer_detected: f.offer_detected,
        })
        .collect();
    rows.sort_by_key(|r| r.id);
    rows
}

fn kind_name(k: crate::scenario::ResidentKind) -> &'static str {
    use crate::scenario::ResidentKind::*;
    match k {
        Native => "native",
        MigrantWorker => "migrant_worker",
        Employee => "employee",
        Talent => "talent",
    }
}

/// Every channel, in the order of [`Channel::index`].
const CHANNELS: [(Channel, &str); 10] = [
    (Channel::Portal, "portal"),
    (Channel::Window, "window"),
    (Channel::Grid, "grid"),
    (Channel::Centre, "centre"),
    (Channel::SelfGovernance, "self_governance"),
    (Channel::Steward, "steward"),
    (Channel::Financing, "financing"),
    (Channel::Meeting, "meeting"),
    (Channel::Mediation, "mediation"),
    (Channel::Court, "court"),
];

/// The channel `Experience::last` names (`index + 1`; 0 is none yet).
fn channel_name(last: u8) -> Option<&'static str> {
    let i = (last as usize).checked_sub(1)?;
    CHANNELS.get(i).map(|(_, name)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_names_follow_the_index_and_the_serde_names() {
        for (i, (c, name)) in CHANNELS.iter().enumerate() {
            assert_eq!(c.index(), i);
            assert_eq!(serde_json::to_value(c).unwrap(), *name);
        }
        assert_eq!(channel_name(0), None);
        assert_eq!(channel_name(11), None);
    }
}
