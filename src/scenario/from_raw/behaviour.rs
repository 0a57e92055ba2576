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
        reference: v.choice("behaviour.participation.reference", p.reference.map(|r| match r { RawReference::Community => Reference::Community, RawReference::Ties => Reference::Ties }), Reference::Community, "Community", &["Community", "Ties"], d("-", "whose participation a resident looks at: the whole community (Granovetter) or their ties", "Granovetter 1978")),
        social_weight: v.real("behaviour.participation.social_weight", p.social_weight, 1.0, 0.0..=10.0, d("-", "weight of the share of the reference group already taking part", "Granovetter 1978 (1 with the other terms off reduces to his model)")),
        match_weight: v.real("behaviour.participation.match_weight", p.match_weight, 0.2, 0.0..=10.0, d("-", "weight of the community's need-supply match (see service_match)", "seed 003 (services not matched to needs: low participation)")),
        efficacy_weight: v.real("behaviour.participation.efficacy_weight", p.efficacy_weight, 0.2, 0.0..=10.0, d("-", "weight of the resident's political efficacy", ASSUMED)),
        cost: v.real("behaviour.participation.cost", p.cost, 0.2, 0.0..=10.0, d("-", "cost of taking part (time), on the threshold's scale", ASSUMED)),
        vote_cost: v.real("behaviour.participation.vote_cost", p.vote_cost, 0.2, 0.0..=10.0, d("-", "cost of voting in a self-governance election, on the threshold's scale", ASSUMED)),
        supervision_weight: v.real("behaviour.participation.supervision_weight", p.supervision_weight, 0.5, 0.0..=1.0, d("share", "share of the departments' effort diverted to investment promotion that residents' supervision pulls back at full participation (in proportion to the participation rate)", "assumption; seed 000 (residents supervise the committee); MODEL.md 9.2")),
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
        channels: channels(&raw.channels, v),
        migration: migration(&raw.migration, v),
        volunteering: volunteering(&raw.volunteering, v),
        demand: super::demand::demand(&raw.demand, v),
        consequences: super::demand::consequences(&raw.consequences, v),
    }
}

fn channels(raw: &RawChannels, v: &mut Validator) -> Channels {
    let p = "behaviour.channels";
    let pref = |v: &mut Validator, f: &str, x: Option<f64>, dflt: f64, doc: &'static str| {
        v.real(
            &format!("{p}.{f}"),
            x,
            dflt,
            -10.0..=10.0,
            d(
                "utility",
                doc,
                "assumption; seed 002 (online channels), 004 (one-stop windows)",
            ),
        )
    };
    Channels {
        portal_pref: pref(v, "portal_pref", raw.portal_pref, 0.5, "appeal of the online portal for a matter it covers"),
        window_pref: pref(v, "window_pref", raw.window_pref, 0.0, "appeal of a department window (the reference channel)"),
        centre_pref: pref(v, "centre_pref", raw.centre_pref, 0.5, "appeal of the neighbourhood centre, before distance"),
        grid_pref: pref(v, "grid_pref", raw.grid_pref, -2.0, "appeal of asking the grid worker"),
        self_governance_pref: pref(v, "self_governance_pref", raw.self_governance_pref, -0.5, "appeal of going through the self-governance committee, at full strength"),
        distance_per_km: v.real(&format!("{p}.distance_per_km"), raw.distance_per_km, 0.3, 0.0..=10.0, d("utility/km", "appeal lost per km to a window or a centre", ASSUMED)),
        experience_weight: v.real(&format!("{p}.experience_weight"), raw.experience_weight, 1.0, 0.0..=10.0, d("utility", "appeal added to the channel of a resident's last matter if it went well, taken away if it did not", ASSUMED)),
        trip_satisfaction_loss: v.real(&format!("{p}.trip_satisfaction_loss"), raw.trip_satisfaction_loss, 0.03, 0.0..=1.0, d("share of level", "satisfaction a resident loses for each trip a matter takes beyond the first (跑几次: time off work, fares, queues)", "assumption, about half the on-time gain per extra trip; seed 004 (最多跑一次 raises service quality, claim C19)")),
    }
}

fn migration(raw: &RawMigration, v: &mut Validator) -> Migration {
    let p = "behaviour.migration";
    Migration {
        leave_threshold: v.real_kinds(&format!("{p}.leave_threshold"), &raw.leave_threshold, [0.25, 0.4, 0.4, 0.55], 0.0..=1.0, d("0-1", "satisfaction below which a resident of this kind considers leaving (talent has the best outside options)", "assumption; seed 000 (人才流失: talent leaves first)")),
        leave_prob_per_month: v.real(&format!("{p}.leave_prob_per_month"), raw.leave_prob_per_month, 0.03, 0.0..=1.0, d("probability", "monthly chance a dissatisfied resident (factor 1) leaves", ASSUMED)),
        leave_factor: v.real_kinds(&format!("{p}.leave_factor"), &raw.leave_factor, [0.2, 1.0, 0.8, 1.5], 0.0..=10.0, d("factor", "how readily a dissatisfied resident of this kind leaves", "assumption; seed 000 (人才流失: talent leaves first)")),
        unemployed_factor: v.real(&format!("{p}.unemployed_factor"), raw.unemployed_factor, 2.0, 0.0..=100.0, d("factor", "how much more readily an unemployed resident leaves", ASSUMED)),
        unemployed_satisfaction_loss_per_month: v.real(&format!("{p}.unemployed_satisfaction_loss_per_month"), raw.unemployed_satisfaction_loss_per_month, 0.03, 0.0..=1.0, d("share of level", "satisfaction an unemployed job-seeker loses per month", ASSUMED)),
        uncovered_vulnerable_loss_per_month: v.real(&format!("{p}.uncovered_vulnerable_loss_per_month"), raw.uncovered_vulnerable_loss_per_month, 0.02, 0.0..=1.0, d("share of level", "satisfaction a vulnerable native nobody has visited in 90 days loses per month", "assumption; seed 000 (protect vulnerable natives)")),
    }
}

fn volunteering(raw: &RawVolunteering, v: &mut Validator) -> Volunteering {
    let p = "behaviour.volunteering";
    let vol = Volunteering {
        initial_low: v.real(&format!("{p}.initial_low"), raw.initial_low, 0.2, 0.0..=1.0, d("share", "lowest first-round contribution (uniform)", "Fehr and Gächter 2000 (first-round contributions 40-60% on average)")),
        initial_high: v.real(&format!("{p}.initial_high"), raw.initial_high, 0.8, 0.0..=1.0, d("share", "highest first-round contribution (uniform)", "Fehr and Gächter 2000")),
        intrinsic_mean: v.real(&format!("{p}.intrinsic_mean"), raw.intrinsic_mean, 0.03, 0.0..=1.0, d("share", "mean unconditional part of a contribution (exponential across residents)", "assumption; Fischbacher and Gächter 2010 (contributions decay but not to zero)")),
        conditional_slope: v.real(&format!("{p}.conditional_slope"), raw.conditional_slope, 0.75, 0.0..=2.0, d("-", "how much of the others' mean contribution a conditional cooperator matches (below 1: the self-serving bias that makes contributions decay)", "Fischbacher and Gächter 2010")),
        sanction_strength: v.real(&format!("{p}.sanction_strength"), raw.sanction_strength, 0.35, 0.0..=2.0, d("-", "slope added when a self-governance committee of full strength organises sanctions", "Fehr and Gächter 2000 (with punishment contributions hold or rise)")),
        noise_sd: v.real(&format!("{p}.noise_sd"), raw.noise_sd, 0.05, 0.0..=1.0, d("share", "sd of the noise on each contribution", ASSUMED)),
        participant_gain: v.real(&format!("{p}.participant_gain"), raw.participant_gain, 0.1, 0.0..=1.0, d("share", "contribution a resident who takes part in the last participation round adds to their unconditional part (participants co-produce: they take on tasks at the round)", "assumption; seed 001§8/9 (四社联动: residents' participation feeds volunteer service)")),
    };
    if vol.initial_low > vol.initial_high {
        v.error(
            format!("{p}.initial_high"),
            format!(
                "must be at least initial_low ({}), got {}",
                vol.initial_low, vol.initial_high
            ),
        );
    }
    vol
}
