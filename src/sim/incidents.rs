//! Incidents in the grids (三生: production, living, ecology). They arise from the people who
//! live there (`per_resident_per_year` in each resident's grid; firms add theirs in
//! `enterprises.rs`), so cutting the town into more grids changes who finds them, not how many
//! there are. They arise unseen; someone has to find them (see `grid.rs`).

use bevy_ecs::prelude::*;
use rand::RngExt;
use rand_distr::{Distribution, Poisson};

use super::cases::{Case, CaseBook, CaseKind};
use super::clock::{Clock, Params};
use super::deadlines::{DeadlineKind, Deadlines};
use super::matters;
use super::psych::{PsychServices, PsychStream};
use super::rng::{self, Rng};
use super::town::GridCell;
use super::{DayPlan, Phase};

crate::declare_stream!(IncidentsStream, "incidents");

fn arise(
    mut commands: Commands,
    clock: Res<Clock>,
    params: Res<Params>,
    mut book: ResMut<CaseBook>,
    mut deadlines: ResMut<Deadlines>,
    mut grids: Query<&mut GridCell>,
    psych: Res<PsychServices>,
    mut psych_rng: ResMut<Rng<PsychStream>>,
    mut rng: ResMut<Rng<IncidentsStream>>,
) {
    let inc = &params.0.incidents;
    let per_resident = inc.per_resident_per_year / 365.0;
    if per_resident <= 0.0 {
        return;
    }
    // The share of living (public-order) incidents the psychological services prevent (C1).
    let cut = psych.cut(&params);
    let r = &mut rng.stream;
    for mut grid in grids.iter_mut() {
        // Incidents come from people: the grid's residents, whatever the grid's size.
        let lambda = per_resident * grid.residents as f64;
        let Ok(poisson) = Poisson::new(lambda) else {
            continue;
        };
        let n = poisson.sample(r) as u64;
        for _ in 0..n {
            let u: f64 = r.random();
            let kind = if u < inc.production_share {
                CaseKind::Production
            } else if u < inc.production_share + inc.ecology_share {
                CaseKind::Ecology
            } else {
                CaseKind::Living
            };
            let at = clock.start() + r.random::<f64>();
            // Drawn from its own stream, so the lever does not shift the incidents' draws.
            if kind == CaseKind::Living && cut > 0.0 && psych_rng.stream.random_bool(cut) {
                continue;
            }
            let new = NewIncident {
                kind,
                at,
                community: grid.community,
                grid: grid.idx,
            };
            let e = spawn_hidden(&mut commands, &mut book, &mut deadlines, &params, new, r);
            grid.hidden.push(e);
        }
    }
}

/// Where and when an incident arises.
pub struct NewIncident {
    pub kind: CaseKind,
    pub at: f64,
    pub community: u32,
    pub grid: u32,
}

/// Creates an incident nobody has seen yet (severity, matters, and the serious-case deadline);
/// the caller files it in its grid's hidden list. Shared with the incidents firms cause.
pub fn spawn_hidden(
    commands: &mut Commands,
    book: &mut CaseBook,
    deadlines: &mut Deadlines,
    params: &Params,
    new: NewIncident,
    r: &mut rng::Stream,
) -> Entity {
    let inc = &params.0.incidents;
    let needs = &params.0.needs;
    let id = book.created(new.kind);
    let mut case = Case::new(id, new.kind, new.at, new.community, new.grid);
    case.serious = r.random_bool(inc.serious_share);
    case.minor = !case.serious && r.random_bool(inc.minor_share);
    (case.tasks, case.n_tasks) =
        matters::draw(new.kind, needs.multi_task_share, needs.max_tasks, r);
    let serious = case.serious;
    let e = commands.spawn(case).id();
    if serious {
        deadlines.add(new.at + inc.serious_response_days, e, DeadlineKind::Serious);
    }
    deadlines.add(new.at + needs.case_deadline_days, e, DeadlineKind::Expiry);
    e
}

pub fn install(world: &mut World, plan: &mut DayPlan) {
    rng::insert::<IncidentsStream>(world);
    plan.add(Phase::Arise, arise);
}
