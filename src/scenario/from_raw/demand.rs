//! `behaviour.demand` and `behaviour.consequences`: whether residents bring their needs to the
//! government, and what the failures everyone sees (petitions, serious cases, pollution) do to
//! trust and to firms' attachment to the town.

use crate::scenario::model::*;
use crate::scenario::raw::*;
use crate::scenario::validate::Validator;

use super::d;

const VOICE: &str =
    "assumption; Hirschman 1970 (voice is used where it is expected to work); MODEL.md 9.6";

pub(super) fn demand(raw: &RawDemand, v: &mut Validator) -> Demand {
    let p = "behaviour.demand";
    Demand {
        bring_share: v.real(&format!("{p}.bring_share"), raw.bring_share, 0.8, 0.0..=1.0, d("share", "share of needs a resident brings to the government at the reference trust with no experience yet; the others are solved privately or left unmet (1: every need is brought, as before this lever existed)", VOICE)),
        reference_trust: v.real(&format!("{p}.reference_trust"), raw.reference_trust, 0.5, 0.0..=1.0, d("0-1", "trust at which `bring_share` holds (the mean trust at the start of the default town)", "assumption; behaviour.initial.trust defaults 0.45-0.55")),
        trust_weight: v.real(&format!("{p}.trust_weight"), raw.trust_weight, 4.0, 0.0..=50.0, d("logit per unit of trust", "how much more readily a trusting resident brings a need: 0.25 more trust multiplies the odds by e (0.8 -> 0.92)", VOICE)),
        experience_weight: v.real(&format!("{p}.experience_weight"), raw.experience_weight, 0.5, 0.0..=10.0, d("logit", "change in the log-odds of bringing a need after a good last experience (resolved on time without a bounce: +) or a bad one (-)", VOICE)),
        private_share: v.real(&format!("{p}.private_share"), raw.private_share, 0.5, 0.0..=1.0, d("share", "share of needs not brought to the government that the resident solves privately (market, family, acquaintances); the rest stay unmet and are counted in unmet_needs", "assumption")),
        unmet_loss: v.real(&format!("{p}.unmet_loss"), raw.unmet_loss, 0.1, 0.0..=1.0, d("share of level", "satisfaction lost when a need is left unmet without being brought to the government (half the loss of a need the government dropped)", "assumption; behaviour.satisfaction.drop_loss 0.2")),
    }
}

pub(super) fn consequences(raw: &RawConsequences, v: &mut Validator) -> Consequences {
    let p = "behaviour.consequences";
    // Sizes: at the default status quo's rates (about 8 petitions, 20 serious cases and 1,650
    // ecology damage-days a year over 4 communities and 2 parks) each kind of failure costs
    // residents about 0.5% of their trust a year and firms about 5% of their stickiness: a
    // stated assumption, smaller than what service itself does to trust.
    const PUBLIC: &str = "assumption (each kind of failure costs about 0.5% of trust a year at the status quo's rates); seed 001 (三零: zero petitions, zero escalation, zero serious cases as the measure of governance)";
    Consequences {
        petition_trust_loss: v.real(&format!("{p}.petition_trust_loss"), raw.petition_trust_loss, 0.002, 0.0..=1.0, d("share of level per event", "trust the residents of a community lose when one of its disputes becomes a petition (上访); applied monthly to every resident, divided by the number of communities", PUBLIC)),
        serious_trust_loss: v.real(&format!("{p}.serious_trust_loss"), raw.serious_trust_loss, 0.001, 0.0..=1.0, d("share of level per event", "trust the residents of a community lose for each serious case (safety incident not handled in time); applied as petitions are", PUBLIC)),
        ecology_trust_loss: v.real(&format!("{p}.ecology_trust_loss"), raw.ecology_trust_loss, 0.00001, 0.0..=1.0, d("share of level per damage-day", "trust the residents of a community lose per day of ecology damage (an open ecology incident's daily damage; a serious one counts 10)", "assumption (about 0.5% of trust a year at the status quo's rates); seed 002 (生态: ecology among the 三生 the grid watches)")),
        serious_stickiness_loss: v.real(&format!("{p}.serious_stickiness_loss"), raw.serious_stickiness_loss, 0.005, 0.0..=1.0, d("share of level per event", "stickiness every firm of a park loses for each serious case in the town, divided by the number of parks (a worse business environment raises relocation risk)", "assumption (about 5% of stickiness a year at the status quo's rates); seed 000 (税源转移: firms leave where the environment is worse)")),
        ecology_stickiness_loss: v.real(&format!("{p}.ecology_stickiness_loss"), raw.ecology_stickiness_loss, 0.00005, 0.0..=1.0, d("share of level per damage-day", "stickiness every firm of a park loses per day of ecology damage in the town, divided by the number of parks", "assumption (about 4% of stickiness a year at the status quo's rates); seed 000 (税源转移)")),
    }
}
