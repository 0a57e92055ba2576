//! `behaviour`: residents' attitudes, how outcomes move them, reporting and participation.

use crate::scenario::model::*;
use crate::scenario::raw::*;
use crate::scenario::validate::Validator;

use super::{ASSUMED, d};

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

pub(super) fn behaviour(raw: &RawBehaviour, v: &mut Validator, n_residents: u64) -> Behaviour {
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
