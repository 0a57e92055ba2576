//! Tests of `params.rs`: setting parameters by path, and the typed setter against the JSON
//! view it replaced.

use super::*;
use crate::scenario::model::{CommitteeMode, Thresholds};
use crate::scenario::raw::{RawParticipation, RawThresholds};

fn with_thresholds(t: Option<RawThresholds>) -> Base {
    let mut raw = RawScenario::default();
    raw.behaviour.participation = RawParticipation {
        thresholds: t,
        ..Default::default()
    };
    Base::new(&raw)
}

#[test]
fn every_number_flag_and_choice_of_the_registry_can_be_set_at_its_default() {
    let base = Base::new(&RawScenario::default());
    let mut n = 0;
    for spec in param_specs() {
        let Some(kind) = Kind::of(&spec.domain) else {
            assert!(base.probe(&spec.path).is_err(), "{}", spec.path);
            continue;
        };
        assert_eq!(base.probe(&spec.path), Ok(kind.clone()), "{}", spec.path);
        let x = match &kind {
            Kind::Flag => f64::from(u8::from(spec.default == "true")),
            Kind::Choice(_) => kind.variant(&spec.default).expect("default is a variant") as f64,
            _ => spec.default.parse().expect("a number"),
        };
        let s = base.scenario(&[(&spec.path, &kind, x)]);
        assert!(s.is_ok(), "{}: {s:?}", spec.path);
        n += 1;
    }
    assert!(n > 250, "only {n} settable parameters");
}

#[test]
fn threshold_mean_and_sd_are_set_whether_the_base_names_normal_or_not() {
    let real = Kind::Real;
    let path = "behaviour.participation.thresholds.mean";
    for base in [
        with_thresholds(None),
        with_thresholds(Some(RawThresholds::Normal { mean: 0.5, sd: 0.2 })),
    ] {
        assert_eq!(base.probe(path), Ok(Kind::Real));
        let s = base.scenario(&[(path, &real, 0.8)]).expect("valid");
        let Thresholds::Normal { mean, sd } = s.behaviour.participation.thresholds else {
            panic!("not normal");
        };
        assert_eq!(mean, 0.8);
        assert!(sd == 0.35 || sd == 0.2, "sd kept or defaulted: {sd}");
    }
    let named = with_thresholds(Some(RawThresholds::Normal { mean: 0.5, sd: 0.2 }));
    let s = named
        .scenario(&[("behaviour.participation.thresholds.sd", &real, 0.1)])
        .expect("valid");
    assert_eq!(
        s.behaviour.participation.thresholds,
        Thresholds::Normal { mean: 0.5, sd: 0.1 }
    );
    // Out of range: the registry's range, on the path the user named.
    let e = named.scenario(&[(path, &real, 1.5)]).unwrap_err();
    assert!(e.to_string().contains("must be between 0 and 1"), "{e}");
}

#[test]
fn threshold_mean_on_a_uniform_base_is_a_clear_error() {
    let base = with_thresholds(Some(RawThresholds::Uniform {
        low: 0.1,
        high: 0.9,
    }));
    let path = "behaviour.participation.thresholds.mean";
    let e = base.probe(path).unwrap_err().to_string();
    assert!(e.contains("is Uniform, which has no `mean`"), "{e}");
    let e = base.scenario(&[(path, &Kind::Real, 0.5)]).unwrap_err();
    assert!(e.to_string().contains("Uniform"), "{e}");
    // The Uniform base's own fields are parameters.
    let low = "behaviour.participation.thresholds.low";
    assert_eq!(base.probe(low), Ok(Kind::Real));
    let s = base.scenario(&[(low, &Kind::Real, 0.3)]).expect("valid");
    assert_eq!(
        s.behaviour.participation.thresholds,
        Thresholds::Uniform {
            low: 0.3,
            high: 0.9
        }
    );
}

#[test]
fn a_choice_is_set_by_variant_index_and_shown_by_name() {
    let base = Base::new(&RawScenario::default());
    let kind = base.probe("policy.committee.mode").expect("a choice");
    assert_eq!(kind, Kind::Choice(vec!["Fragmented", "Unified"]));
    let s = base
        .scenario(&[("policy.committee.mode", &kind, 1.0)])
        .expect("valid");
    assert_eq!(s.policy.committee.mode, CommitteeMode::Unified);
    assert_eq!(kind.show(1.0), "Unified");
    assert_eq!(kind.show(0.7), "Fragmented");
    // Unit values map to variants with equal weight; out-of-list values are clamped.
    assert_eq!(choice_index(0.49 * 2.0, 2), 0);
    assert_eq!(choice_index(0.5 * 2.0, 2), 1);
    assert_eq!(choice_index(2.0, 2), 1);
    assert_eq!(choice_index(-1.0, 2), 0);
    assert_eq!(choice_index(f64::NAN, 2), 0);
    assert_eq!(base.current("policy.committee.mode"), Some(0.0));
    assert_eq!(base.current("policy.committee.n_departments"), Some(12.0));
    assert_eq!(base.current("policy.authority.enabled"), Some(0.0));
    assert_eq!(
        base.current("behaviour.participation.thresholds.sd"),
        Some(0.35)
    );
    // Text is listed but not set by designs.
    assert!(base.probe("name").is_err());
}

/// Design values inside a parameter's domain: both ends and a point between for numbers,
/// both settings of a flag, every variant of a choice.
fn values_inside(spec: &ParamSpec) -> Vec<f64> {
    match &spec.domain {
        Domain::Real { low, high } | Domain::Whole { low, high } => {
            vec![
                *low,
                low + (high - low) * 0.37,
                low + (high - low) * 0.001,
                *high,
            ]
        }
        Domain::Flag => vec![0.0, 1.0],
        Domain::Choice { variants } => (0..variants.len()).map(|i| i as f64).collect(),
        Domain::Text { .. } | Domain::List { .. } => Vec::new(),
    }
}

#[test]
fn the_typed_setter_agrees_with_the_json_view_for_every_registered_parameter() {
    let parse = |text: &str| crate::scenario::parse_raw(text, "test").expect("valid");
    let uniform = {
        let mut raw = RawScenario::default();
        raw.behaviour.participation.thresholds = Some(RawThresholds::Uniform {
            low: 0.2,
            high: 0.7,
        });
        raw
    };
    let bases = [
        ("default", RawScenario::default()),
        // A timeline of dated reforms: a base policy value reaches the later policies.
        (
            "phased_rollout",
            parse(include_str!("../../scenarios/phased_rollout.ron")),
        ),
        (
            "classroom",
            parse(include_str!("../../scenarios/classroom.ron")),
        ),
        ("uniform thresholds", uniform),
    ];
    let (mut same_ok, mut same_err) = (0, 0);
    for (name, raw) in &bases {
        let base = Base::new(raw);
        let unchanged = Scenario::from_raw(raw).expect("valid base");
        let mut changed = 0;
        for spec in &base.specs {
            let Some(kind) = Kind::of(&spec.domain) else {
                continue;
            };
            for x in values_inside(spec) {
                let point = [(spec.path.as_str(), &kind, x)];
                let typed = base.scenario(&point);
                let json = base.scenario_via_json(&point);
                match (&typed, &json) {
                    (Ok(a), Ok(b)) => {
                        assert!(a == b, "{name}: {} = {x}: the scenarios differ", spec.path);
                        changed += usize::from(*a != unchanged);
                        same_ok += 1;
                    }
                    (Err(a), Err(b)) => {
                        // (Compared as text: an error on a field not varied has a NaN value.)
                        assert_eq!(a.to_string(), b.to_string(), "{name}: {} = {x}", spec.path);
                        same_err += 1;
                    }
                    _ => panic!(
                        "{name}: {} = {x}: typed {typed:?}, json {json:?}",
                        spec.path
                    ),
                }
            }
        }
        // The values set reach the scenario (a parameter whose every value is its base's
        // would change nothing; most take several other values).
        assert!(
            changed > 600,
            "{name}: only {changed} points changed the scenario"
        );
    }
    // Points of several values at once, some of them invalid together (the steward team).
    let base = Base::new(&bases[1].1);
    let specs: Vec<&ParamSpec> = base
        .specs
        .iter()
        .filter(|s| Kind::of(&s.domain).is_some())
        .collect();
    for k in 0..40 {
        let chosen: Vec<(&str, Kind, f64)> = specs
            .iter()
            .skip(k)
            .step_by(37)
            .map(|s| {
                let v = values_inside(s);
                (
                    s.path.as_str(),
                    Kind::of(&s.domain).expect("kind"),
                    v[k % v.len()],
                )
            })
            .collect();
        let point: Vec<(&str, &Kind, f64)> = chosen.iter().map(|(p, k, x)| (*p, k, *x)).collect();
        let text = |r: Result<Scenario, ParamError>| r.map_err(|e| e.to_string());
        assert_eq!(
            text(base.scenario(&point)),
            text(base.scenario_via_json(&point)),
            "point {k}"
        );
    }
    assert!(
        same_ok > 1500 && same_err > 10,
        "{same_ok} valid, {same_err} invalid"
    );
}

#[test]
fn a_negative_count_names_the_range_and_a_non_number_is_refused() {
    let base = Base::new(&RawScenario::default());
    let whole = Kind::Whole;
    let e = base
        .scenario(&[("policy.stewards.team.intermediary", &whole, -1.0)])
        .unwrap_err()
        .to_string();
    assert!(e.contains("must be between 0 and 10, got -1"), "{e}");
    let e = base
        .scenario(&[("policy.platform.integration", &Kind::Real, f64::NAN)])
        .unwrap_err()
        .to_string();
    assert!(e.contains("must be a finite number"), "{e}");
    let e = base
        .scenario(&[("policy.committee.n_departments", &whole, 1e17)])
        .unwrap_err()
        .to_string();
    assert!(e.contains("must be a finite number"), "{e}");
}
