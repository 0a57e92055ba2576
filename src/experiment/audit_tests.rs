//! Unit tests of the lever audit: classification, intervals and raw p, Holm's adjustment over a
//! parameter's family (a hand-computed case and a simulated null), and the range ends.

use super::*;

#[test]
fn classification_follows_the_roles_and_the_own_table() {
    assert_eq!(
        classify("policy.grid.discovery_rate_per_day", &[]),
        Class::None
    );
    // An outcome that is not the parameter's own: behavioural.
    assert_eq!(
        classify(
            "policy.one_trip.share",
            &["final.satisfaction_mean", "total.trips_per_matter"]
        ),
        Class::Behavioural
    );
    // Its own outcome only: own-counter-only.
    assert_eq!(
        classify("policy.one_trip.share", &["total.trips_per_matter"]),
        Class::OwnCounterOnly
    );
    // A cost beside its own counter: cost-only.
    assert_eq!(
        classify(
            "policy.social_orgs.cultivation_yuan_per_year",
            &["final.social_org_capacity", "final.cost_total_yuan"]
        ),
        Class::CostOnly
    );
    // Its own cost item alone: own-counter-only.
    assert_eq!(
        classify(
            "policy.social_orgs.yuan_per_capacity_year",
            &["total.cost_items_yuan.social_orgs"]
        ),
        Class::OwnCounterOnly
    );
    // Intermediate counters of other mechanisms are no outcome.
    assert_eq!(
        classify("policy.evaluation.hard_weight", &["final.mediators"]),
        Class::OwnCounterOnly
    );
    assert_eq!(
        classify("policy.evaluation.hard_weight", &["final.trust_mean"]),
        Class::Behavioural
    );
}

#[test]
fn a_diff_s_raw_p_agrees_with_its_interval() {
    let level = 0.99;
    let raw_moved = |d: &IndicatorDiff| d.p.is_some_and(|p| p < 1.0 - level);
    // Same values: diff 0, interval [0, 0], p 1.
    let d = diff(
        "final.trust_mean",
        &[0.5, 0.6, 0.7],
        &[0.5, 0.6, 0.7],
        level,
    );
    assert_eq!(
        (d.diff_mean, d.low, d.high, d.p),
        (0.0, 0.0, 0.0, Some(1.0))
    );
    // A constant shift: interval [0.1, 0.1] excludes 0, p 0.
    let d = diff(
        "final.trust_mean",
        &[0.5, 0.6, 0.7],
        &[0.6, 0.7, 0.8],
        level,
    );
    assert!(raw_moved(&d) && (d.diff_mean - 0.1).abs() < 1e-12, "{d:?}");
    assert!(d.low > 0.0, "{d:?}");
    // Noisy differences around 0: the interval holds 0, p above 0.01.
    let d = diff(
        "final.trust_mean",
        &[0.5, 0.6, 0.7, 0.4],
        &[0.6, 0.5, 0.72, 0.38],
        level,
    );
    assert!(!raw_moved(&d) && d.low < 0.0 && d.high > 0.0, "{d:?}");
    // A clear negative shift with noise: interval below 0, p below 0.01.
    let d = diff(
        "final.trust_mean",
        &[0.5, 0.6, 0.7, 0.4, 0.55, 0.65, 0.45, 0.5],
        &[0.3, 0.41, 0.49, 0.2, 0.36, 0.44, 0.25, 0.31],
        level,
    );
    assert!(raw_moved(&d) && d.high < 0.0, "{d:?}");
    // Not adjusted yet: never moved before `adjust_family`.
    assert!(!d.moved && d.p_adjusted.is_none());
    // One replicate: no interval, no p.
    let d = diff("final.trust_mean", &[0.5], &[0.9], level);
    assert!(d.p.is_none() && !d.moved);
}

/// Runs with every indicator 0 in the base and `shift(indicator, replicate)` in a variant.
fn runs(reps: usize, shift: impl Fn(&str, usize) -> f64) -> (Vec<RunResult>, Vec<RunResult>) {
    let base = (0..reps)
        .map(|_| RunResult {
            values: vec![0.0; audit_roles::INDICATORS.len()],
            fingerprint: 1,
        })
        .collect();
    let variant = (0..reps)
        .map(|r| RunResult {
            values: audit_roles::INDICATORS
                .iter()
                .map(|(n, _)| shift(n, r))
                .collect(),
            fingerprint: 2,
        })
        .collect();
    (base, variant)
}

/// The class of a parameter without own figures, from its variants, and the variants.
fn class_of(mut variants: Vec<VariantResult>, level: f64) -> (Class, Vec<VariantResult>) {
    adjust_family(&mut variants, 1.0 - level);
    let moved: BTreeSet<&str> = variants
        .iter()
        .flat_map(|v| v.diffs.iter().filter(|d| d.moved).map(|d| d.indicator))
        .collect();
    let moved: Vec<&str> = moved.into_iter().collect();
    (classify("policy.evaluation.hard_weight", &moved), variants)
}

#[test]
fn holm_adjusts_over_every_indicator_at_every_value_hand_computed() {
    let level = 0.99;
    // Two values, 3 pairs each. At both, the total cost shifts by exactly +5 (p 0); at the
    // first, on-time moves by 1.0, 1.1, 0.9 (mean 1, sd 0.1, t = 1·√3/0.1 = 17.3205 on 2
    // degrees of freedom, p = 1 - t/√(t² + 2) = 0.0033168, closed form for 2 df); every
    // other indicator is unchanged (p 1). Family: 77 indicators × 2 values = 154 tests.
    // Holm: the two zeros stay 0; on-time is third smallest, adjusted (154 - 2) × 0.0033168
    // = 0.50415; the rest 1. So on-time is not moved (unadjusted, it would be: 0.0033 <
    // 0.01) and the parameter is cost-only, not behavioural.
    let on_time = [1.0, 1.1, 0.9];
    let (b, v1) = runs(3, |n, r| match n {
        "final.cost_total_yuan" => 5.0,
        "total.on_time_share" => on_time[r],
        _ => 0.0,
    });
    let (_, v2) = runs(3, |n, _| {
        if n == "final.cost_total_yuan" {
            5.0
        } else {
            0.0
        }
    });
    let variants = vec![
        compare(&b, &v1, "a".into(), level),
        compare(&b, &v2, "b".into(), level),
    ];
    let raw = variants[0]
        .diffs
        .iter()
        .find(|d| d.indicator == "total.on_time_share")
        .and_then(|d| d.p)
        .expect("p");
    assert!((raw - 0.003_316_758_722_357).abs() < 1e-12, "{raw}");
    let mut counted = variants.clone();
    assert_eq!(adjust_family(&mut counted, 1.0 - level), 154);
    let (class, variants) = class_of(variants, level);
    let find = |v: usize, n: &str| {
        variants[v]
            .diffs
            .iter()
            .find(|d| d.indicator == n)
            .cloned()
            .expect("indicator")
    };
    let on = find(0, "total.on_time_share");
    assert!(
        (on.p_adjusted.unwrap() - 152.0 * raw).abs() < 1e-12,
        "{on:?}"
    );
    assert!(
        !on.moved && on.low > 0.0,
        "raw interval excludes 0, adjusted not: {on:?}"
    );
    for v in 0..2 {
        let c = find(v, "final.cost_total_yuan");
        assert!(c.moved && c.p_adjusted == Some(0.0), "{c:?}");
        assert_eq!(find(v, "final.trust_mean").p_adjusted, Some(1.0));
    }
    assert_eq!(class, Class::CostOnly);
    // At a family-wise level of 0.4 (adjusted p 0.504 below 0.6) on-time moves and the
    // parameter is behavioural.
    let (class, _) = class_of(variants, 0.4);
    assert_eq!(class, Class::Behavioural);
}

#[test]
fn a_null_parameter_is_classed_at_most_at_the_family_wise_level() {
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use rand_distr::{Distribution, StandardNormal};
    // A simulated null: a parameter whose two values only perturb the random streams. Each
    // replicate's 77 indicators get noise with a common part (correlated indicators, as a
    // run's figures are) and an own part; no indicator's mean moves. With Holm over the
    // parameter's 154 tests at level 0.99, it may be classed as anything but none in at
    // most 1% of trials; read unadjusted (each interval on its own), in most of them.
    let (level, reps, trials) = (0.99, 8, 2000);
    let mut rng = ChaCha8Rng::seed_from_u64(13);
    let mut z = || -> f64 { StandardNormal.sample(&mut rng) };
    let (mut adjusted_hits, mut raw_hits) = (0, 0);
    for _ in 0..trials {
        let base: Vec<RunResult> = (0..reps)
            .map(|_| RunResult {
                values: audit_roles::INDICATORS.iter().map(|_| 0.0).collect(),
                fingerprint: 1,
            })
            .collect();
        let mut variants = Vec::new();
        for value in ["low", "high"] {
            let variant: Vec<RunResult> = (0..reps)
                .map(|_| {
                    let common = z();
                    RunResult {
                        values: audit_roles::INDICATORS
                            .iter()
                            .map(|_| 0.6 * common + 0.8 * z())
                            .collect(),
                        fingerprint: 2,
                    }
                })
                .collect();
            variants.push(compare(&base, &variant, value.into(), level));
        }
        if variants
            .iter()
            .any(|v| v.diffs.iter().any(|d| d.p.is_some_and(|p| p < 1.0 - level)))
        {
            raw_hits += 1;
        }
        let (class, _) = class_of(variants, level);
        if class != Class::None {
            adjusted_hits += 1;
        }
    }
    eprintln!(
        "null parameter: classed in {adjusted_hits} of {trials} trials with Holm, {raw_hits} unadjusted"
    );
    // 1% of 2,000 is 20 (binomial sd 4.4); Holm is conservative under positive correlation.
    assert!(
        adjusted_hits <= 30,
        "a null parameter classed in {adjusted_hits} of {trials} trials"
    );
    assert!(
        raw_hits > trials / 2,
        "unadjusted, a null parameter should cross by chance often: {raw_hits} of {trials}"
    );
}

#[test]
fn ends_cap_the_upper_end_and_skip_the_base_value() {
    let real = Domain::Real {
        low: 0.0,
        high: 1e10,
    };
    assert_eq!(ends(&real, 2_000_000.0, 1.0), vec![0.0, 8_000_000.0]);
    // Base 0: 4 times the default; both 0: 4.
    assert_eq!(ends(&real, 0.0, 500.0), vec![2_000.0]);
    assert_eq!(ends(&real, 0.0, 0.0), vec![4.0]);
    let share = Domain::Real {
        low: 0.0,
        high: 1.0,
    };
    assert_eq!(ends(&share, 0.3, 0.3), vec![0.0, 1.0]);
    assert_eq!(ends(&share, 1.0, 0.3), vec![0.0]);
    let whole = Domain::Whole {
        low: 1.0,
        high: 30.0,
    };
    assert_eq!(ends(&whole, 12.0, 12.0), vec![1.0, 30.0]);
    assert_eq!(ends(&Domain::Flag, 1.0, 0.0), vec![0.0]);
    let choice = Domain::Choice {
        variants: vec!["A", "B", "C"],
    };
    assert_eq!(ends(&choice, 1.0, 0.0), vec![0.0, 2.0]);
    let signed = Domain::Real {
        low: -10.0,
        high: 10.0,
    };
    assert_eq!(ends(&signed, -2.0, -2.0), vec![-10.0, 8.0]);
}

#[test]
fn the_confirmation_stage_retests_what_the_screening_left_with_fresh_pairs() {
    // A small audit of the classroom town (a few parameters, 3 screening pairs of 30 days, 4
    // confirmation pairs). Whatever the screening finds, the confirmation stage re-tests
    // exactly the parameters it did not class behavioural and whose outputs were not identical,
    // on fresh seeds, and a class never falls.
    let text = include_str!("../../scenarios/classroom.ron");
    let raw = crate::scenario::parse_raw(text, "classroom.ron").expect("valid");
    let base = crate::scenario::parse(text, "classroom.ron").expect("valid");
    let mut plan = plan(&raw);
    let keep = [
        "policy.committee.mode",
        "policy.grid.discovery_rate_per_day",
        "policy.one_trip.share",
        "behaviour.volunteering.noise_sd",
        "policy.financing.small_firm_quota",
        "policy.mediation.pay_yuan_per_month",
        "behaviour.reporting.base",
    ];
    plan.variants.retain(|v| keep.contains(&v.path.as_str()));
    let valid = plan.variants.iter().filter(|v| v.scenario.is_ok()).count();
    let settings = AuditSettings {
        reps: 3,
        days: 30,
        level: 0.99,
        quick: false,
        confirm_reps: 4,
    };
    assert_eq!(settings.stage_alpha(), (1.0 - 0.99) / 2.0);
    let a = audit(
        "classroom.ron",
        &base,
        &plan,
        settings,
        &runner::Quiet,
        &|| false,
    );
    let mut retested_values = 0;
    for p in &a.params {
        let expected = p.screen_class != Class::Behavioural
            && !p.identical
            && p.variants
                .iter()
                .any(|v| v.invalid.is_none() && !v.identical);
        assert_eq!(p.confirmed(), expected, "{}: {p:?}", p.path);
        assert!(p.class <= p.screen_class, "{}: a class fell", p.path);
        if !p.confirmed() {
            assert_eq!(p.class, p.screen_class, "{}", p.path);
            continue;
        }
        retested_values += p.confirmation.len();
        for (c, s) in p
            .confirmation
            .iter()
            .zip(p.variants.iter().filter(|v| !v.identical))
        {
            assert_eq!(c.value, s.value, "{}", p.path);
            // Fresh pairs: the base's mean over the confirmation's replicates is another
            // sample than the screening's.
            let fresh = c
                .diffs
                .iter()
                .zip(&s.diffs)
                .any(|(x, y)| x.base_mean != y.base_mean);
            assert!(
                fresh,
                "{}: the confirmation reused the screening's seeds",
                p.path
            );
        }
        let mut moved = moved_in(&p.variants);
        moved.extend(moved_in(&p.confirmation));
        moved.sort_unstable();
        moved.dedup();
        assert_eq!(p.class, classify(&p.path, &moved), "{}", p.path);
    }
    assert!(
        retested_values > 0,
        "nothing was re-tested: {:?}",
        a.counts()
    );
    assert!(
        a.params.iter().any(|p| !p.confirmed()),
        "everything was re-tested"
    );
    // Runs: the base and every valid value at 3 pairs, then the base and each re-tested value
    // at 4.
    assert_eq!(a.runs, (1 + valid) * 3 + (1 + retested_values) * 4);
}
