//! A small synthetic comparison for the report tests: three options (one name with markup, one
//! with an ampersand), indicators whose intervals exclude 0, include 0 and are missing, one
//! indicator that is neither better nor worse, and daily series with gaps.

use crate::experiment::results::{
    Band, Better, Comparison, IndicatorMeta, IndicatorRow, Interval, OptionStat, PairedDiff,
    SeriesBands,
};

fn meta(name: &str, label: &str, unit: &str, better: Better) -> IndicatorMeta {
    IndicatorMeta {
        name: name.to_string(),
        label: label.to_string(),
        unit: unit.to_string(),
        better,
    }
}

/// One option's figures; `diff` is (mean, low, high, d_z), `None` for the reference.
fn stat(mean: f64, sd: f64, diff: Option<(f64, f64, f64, f64)>) -> OptionStat {
    OptionStat {
        n: 20,
        mean,
        sd,
        ci: Some(Interval {
            low: mean - 0.47 * sd,
            high: mean + 0.47 * sd,
        }),
        diff: diff.map(|(m, low, high, d)| PairedDiff {
            n: 20,
            mean: m,
            ci: Some(Interval { low, high }),
            effect_size: Some(d),
            p_value: None,
            p_adjusted: None,
            detected: None,
        }),
    }
}

fn row(meta: IndicatorMeta, by_option: Vec<OptionStat>) -> IndicatorRow {
    IndicatorRow { meta, by_option }
}

fn band(base: f64, slope: f64, days: usize, gaps: &[(usize, usize)]) -> Band {
    let mut b = Band {
        mean: Vec::new(),
        low: Vec::new(),
        high: Vec::new(),
    };
    for i in 0..days {
        let m = base + slope * i as f64 + 0.1 * base * ((i as f64) / 5.0).sin();
        let gap = gaps.iter().any(|&(a, b)| a <= i && i < b);
        let w = 0.05 * base.abs() + 0.01;
        b.mean.push(if gap { f64::NAN } else { m });
        b.low.push(if gap { f64::NAN } else { m - w });
        b.high.push(if gap { f64::NAN } else { m + w });
    }
    b
}

/// The comparison the tests use.
pub(crate) fn comparison() -> Comparison {
    let on_time = row(
        meta("on_time_rate", "resolved on time", "share", Better::Higher),
        vec![
            stat(0.812, 0.02, None),
            stat(0.902, 0.02, Some((0.090, 0.089, 0.091, 12.0))),
            stat(0.815, 0.02, Some((0.003, -0.001, 0.007, 0.35))),
        ],
    );
    let cost = row(
        meta("cost_per_case", "cost per case", "yuan", Better::Lower),
        vec![
            stat(12345.4, 300.0, None),
            stat(13020.0, 310.0, Some((674.6, 600.0, 749.2, 2.1))),
            stat(11800.0, 290.0, Some((-545.4, -600.0, -490.8, -2.5))),
        ],
    );
    let petitions = row(
        meta("petitions_total", "petitions", "count", Better::Lower),
        vec![
            stat(14.2, 3.0, None),
            stat(13.9, 3.0, Some((-0.3, -1.2, 0.6, -0.1))),
            stat(12.1, 3.0, Some((-2.1, -3.0, -1.2, -0.8))),
        ],
    );
    let mut trust = row(
        meta(
            "trust_mean",
            "trust in the committee",
            "share",
            Better::Higher,
        ),
        vec![
            stat(0.61, 0.0, None),
            stat(0.63, 0.0, Some((0.02, 0.0, 0.0, 0.0))),
            stat(0.60, 0.0, Some((-0.01, 0.0, 0.0, 0.0))),
        ],
    );
    for s in &mut trust.by_option {
        s.n = 1;
        s.ci = None;
        if let Some(d) = &mut s.diff {
            d.n = 1;
            d.ci = None;
            d.effect_size = None;
        }
    }
    let residents = row(
        meta("residents", "residents", "count", Better::Neither),
        vec![
            stat(10000.0, 80.0, None),
            stat(10250.0, 80.0, Some((250.0, 200.0, 300.0, 1.5))),
            stat(9990.0, 80.0, Some((-10.0, -30.0, 10.0, -0.2))),
        ],
    );
    let days = row(
        meta(
            "resolve_days_mean",
            "days to resolve",
            "days",
            Better::Lower,
        ),
        vec![
            stat(6.4, 0.5, None),
            stat(4.1, 0.5, Some((-2.3, -2.5, -2.1, -4.0))),
            stat(6.2, 0.5, Some((-0.2, -0.5, 0.1, -0.3))),
        ],
    );
    let n_days = 60;
    let series = vec![
        SeriesBands {
            meta: meta("open", "open cases", "count", Better::Lower),
            days: (1..=n_days as u32).collect(),
            by_option: vec![
                band(120.0, 0.5, n_days, &[(9, 12)]),
                band(110.0, -0.3, n_days, &[(9, 12)]),
                band(118.0, 0.2, n_days, &[(9, 12), (30, 31)]),
            ],
        },
        SeriesBands {
            meta: meta("satisfaction_mean", "satisfaction", "share", Better::Higher),
            days: (1..=n_days as u32).collect(),
            by_option: vec![
                band(0.6, 0.001, n_days, &[(0, 3)]),
                band(0.62, 0.002, n_days, &[(0, 3)]),
                band(0.6, 0.0, n_days, &[(0, 3), (40, 60)]),
            ],
        },
    ];
    Comparison {
        options: vec![
            "status quo".to_string(),
            "<b>reform</b>".to_string(),
            "phased & slow".to_string(),
        ],
        origins: vec![
            "scenarios/status_quo.ron".to_string(),
            "<embedded reform>".to_string(),
            "scenarios/phased.ron".to_string(),
        ],
        reps: 20,
        seeds: (1..=20).collect(),
        days: 365,
        warm_up_days: 30,
        level: 0.95,
        adjust: Default::default(),
        warm_up_diagnostic: None,
        warm_up_pilot: None,
        precision: None,
        levers: Vec::new(),
        per_replicate: Vec::new(),
        provenance: Default::default(),
        towngov_version: "0.1.0".to_string(),
        indicators: vec![on_time, cost, petitions, trust, residents, days],
        series,
    }
}

/// A comparison with nothing in it.
pub(crate) fn empty() -> Comparison {
    Comparison {
        options: Vec::new(),
        origins: Vec::new(),
        reps: 0,
        seeds: Vec::new(),
        days: 0,
        warm_up_days: 0,
        level: f64::NAN,
        adjust: Default::default(),
        warm_up_diagnostic: None,
        warm_up_pilot: None,
        precision: None,
        levers: Vec::new(),
        per_replicate: Vec::new(),
        provenance: Default::default(),
        towngov_version: String::new(),
        indicators: Vec::new(),
        series: Vec::new(),
    }
}

/// Hostile comparisons: every special float, intervals upside down, more options than colours,
/// columns shorter or longer than the option list, empty and odd names.
#[cfg(test)]
mod hostile {
    use super::*;
    use crate::report::{html, plain_words, text_table};

    const SPECIAL: [f64; 16] = [
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        0.0,
        -0.0,
        1e300,
        -1e300,
        1e-300,
        5e-324,
        1e12,
        0.5,
        -3.0,
        f64::MAX,
        f64::MIN_POSITIVE,
        12345.678,
        1.0 + 1e-12,
    ];
    const NAMES: [&str; 7] = [
        "",
        "<b>x</b>",
        "a\u{0}b",
        "特色小镇 全面改革 phased",
        "see https://example.org/x",
        "&amp; \"q\" 'a'",
        "a very long option name that goes on and on and on and on and on and on and on",
    ];

    /// A small deterministic generator (xorshift), so the test needs no crate.
    struct Gen(u64);
    impl Gen {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
        fn f(&mut self) -> f64 {
            if self.below(3) == 0 {
                SPECIAL[self.below(SPECIAL.len())]
            } else {
                (self.next() % 2001) as f64 / 100.0 - 10.0
            }
        }
        fn interval(&mut self) -> Option<Interval> {
            (self.below(4) > 0).then(|| Interval {
                low: self.f(),
                high: self.f(),
            })
        }
        fn better(&mut self) -> Better {
            [Better::Higher, Better::Lower, Better::Neither][self.below(3)]
        }
        fn name(&mut self) -> String {
            NAMES[self.below(NAMES.len())].to_string()
        }
    }

    fn hostile(g: &mut Gen) -> Comparison {
        let n = g.below(11);
        let options: Vec<String> = (0..n).map(|_| g.name()).collect();
        let origins = (0..g.below(n + 2)).map(|_| g.name()).collect();
        let indicators = (0..g.below(6))
            .map(|_| IndicatorRow {
                meta: IndicatorMeta {
                    name: g.name(),
                    label: g.name(),
                    unit: ["share", "count", "", "yuan", "<u>", "a\u{7}"][g.below(6)].to_string(),
                    better: g.better(),
                },
                by_option: (0..g.below(n + 3))
                    .map(|_| OptionStat {
                        n: g.below(30),
                        mean: g.f(),
                        sd: g.f(),
                        ci: g.interval(),
                        diff: (g.below(4) > 0).then(|| PairedDiff {
                            n: g.below(30),
                            mean: g.f(),
                            ci: g.interval(),
                            effect_size: (g.below(3) > 0).then(|| g.f()),
                            p_value: (g.below(3) > 0).then(|| g.f()),
                            p_adjusted: (g.below(3) > 0).then(|| g.f()),
                            detected: [None, Some(true), Some(false)][g.below(3)],
                        }),
                    })
                    .collect(),
            })
            .collect();
        let series = (0..g.below(4))
            .map(|_| {
                let len = g.below(40);
                SeriesBands {
                    meta: IndicatorMeta {
                        name: g.name(),
                        label: g.name(),
                        unit: g.name(),
                        better: g.better(),
                    },
                    days: (0..len).map(|_| g.next() as u32).collect(),
                    by_option: (0..g.below(n + 3))
                        .map(|_| Band {
                            mean: (0..g.below(45)).map(|_| g.f()).collect(),
                            low: (0..g.below(45)).map(|_| g.f()).collect(),
                            high: (0..g.below(45)).map(|_| g.f()).collect(),
                        })
                        .collect(),
                }
            })
            .collect();
        Comparison {
            options,
            origins,
            reps: g.below(4),
            seeds: (0..g.below(50)).map(|_| g.next() % 8).collect(),
            days: g.next() as u32,
            warm_up_days: g.next() as u32,
            level: [0.95, f64::NAN, 1.5, -1.0, 0.999][g.below(5)],
            adjust: Default::default(),
            warm_up_diagnostic: None,
            warm_up_pilot: None,
            precision: None,
            levers: Vec::new(),
            per_replicate: Vec::new(),
            provenance: Default::default(),
            towngov_version: g.name(),
            indicators,
            series,
        }
    }

    #[test]
    fn all_three_reports_survive_hostile_inputs() {
        let mut g = Gen(0x9E37_79B9_7F4A_7C15);
        for _ in 0..300 {
            let c = hostile(&mut g);
            let table = text_table(&c, 100);
            assert!(!table.chars().any(|ch| ch.is_control() && ch != '\n'));
            for s in plain_words(&c) {
                assert!(!s.chars().any(char::is_control), "{s:?}");
            }
            for lang in crate::report::i18n::Lang::ALL {
                let page = html(&c, lang);
                assert_eq!(page.matches("<svg").count(), c.series.len() + 1);
                assert!(!page.contains("http://") && !page.contains("https://"));
                assert!(!page.contains("<b>x</b>") && !page.contains("<u>"));
            }
        }
    }
}

/// The status quo and three reform options as a comparison of 8 paired replications: the real
/// key indicators (values made up, deterministic), the decision figures and each option's
/// levers diffed from the shipped scenario files. The reference holds no elections (its
/// turnout has no value); the full reform overruns its budget in every run; the
/// self-governance reform's extra cases on time may be zero.
pub(crate) fn four_options() -> Comparison {
    use crate::experiment::compare::indicator_rows;
    use crate::experiment::indicators::{self, DECISION};
    use crate::experiment::multiplicity::Adjust;
    use crate::experiment::results::FigureValues;
    use crate::experiment::scenario_diff::option_levers;
    use crate::scenario::parse;

    let files = [
        include_str!("../../scenarios/status_quo.ron"),
        include_str!("../../scenarios/full_reform.ron"),
        include_str!("../../scenarios/management_reform.ron"),
        include_str!("../../scenarios/self_governance_reform.ron"),
    ];
    let scenarios: Vec<_> = files
        .iter()
        .map(|t| parse(t, "fixture").expect("a shipped scenario"))
        .collect();
    let names = [
        "status quo",
        "full reform",
        "management reform",
        "self-governance reform",
    ];
    let reps = 8;
    // A small deterministic wobble per replicate, shared by every option (common random numbers).
    let wobble = |r: usize, k: usize| ((r * 7 + k * 3) as f64 * 0.9).sin();
    let key = indicators::key();
    // Each option's shift of each key indicator, in units of the wobble.
    let values: Vec<Vec<Vec<f64>>> = key
        .iter()
        .enumerate()
        .map(|(k, m)| {
            (0..4)
                .map(|o| {
                    (0..reps)
                        .map(|r| {
                            let base = 0.5 + 0.01 * wobble(r, k);
                            match (m.name.as_str(), o) {
                                ("mean.election_turnout", 0 | 2) => f64::NAN,
                                ("total.on_time_share", _) => base + [0.0, 0.25, 0.2, 0.005][o],
                                ("final.satisfaction_mean", _) => {
                                    base + [0.0, 0.02, 0.01, 0.015][o] + 0.001 * wobble(r, o)
                                }
                                ("final.trust_mean", _) => {
                                    base + [0.0, 0.012, 0.004, 0.02][o] + 0.001 * wobble(r, o)
                                }
                                ("final.cost_total_yuan", _) => {
                                    4.5e6 + [0.0, 7.4e6, 1.5e6, 0.8e6][o] + 1e4 * wobble(r, k)
                                }
                                _ => base + 0.002 * o as f64 * wobble(r + o, k),
                            }
                        })
                        .collect()
                })
                .collect()
        })
        .collect();
    let indicators = indicator_rows(key, values, 0.95, Adjust::Holm);
    let per_replicate = DECISION
        .iter()
        .map(|&name| FigureValues {
            name: name.to_string(),
            values: (0..4)
                .map(|o| {
                    (0..reps)
                        .map(|r| {
                            let w = wobble(r, 1);
                            let cost = 4.5e6 + [0.0, 7.4e6, 1.5e6, 0.8e6][o] + 3e4 * w;
                            let budget = 8e6;
                            match name {
                                indicators::COST => cost,
                                indicators::BALANCE => budget - cost,
                                indicators::BUDGET => budget,
                                // Extra cases on time: 1,200, 1,000 and "maybe none".
                                indicators::ON_TIME_COUNT => {
                                    let own = match o {
                                        0 => 0.0,
                                        // Up and down by 200: a mean change of 0.
                                        3 => {
                                            if r % 2 == 0 {
                                                200.0
                                            } else {
                                                -200.0
                                            }
                                        }
                                        _ => 30.0 * wobble(r, o + 20),
                                    };
                                    5000.0
                                        + [0.0, 1200.0, 1000.0, 0.0][o]
                                        + 40.0 * wobble(r, 2)
                                        + own
                                }
                                indicators::PARTICIPANTS => {
                                    700.0 + [0.0, 150.0, 20.0, 300.0][o] + 10.0 * wobble(r, o + 5)
                                }
                                _ => 80.0 + [0.0, 1.0, 0.0, 0.5][o] + wobble(r, o + 9),
                            }
                        })
                        .collect()
                })
                .collect(),
        })
        .collect();
    Comparison {
        options: names.iter().map(|s| s.to_string()).collect(),
        origins: names.iter().map(|s| format!("scenarios/{s}.ron")).collect(),
        reps,
        seeds: (1..=reps as u64).collect(),
        days: 365,
        warm_up_days: 0,
        level: 0.95,
        adjust: Adjust::Holm,
        towngov_version: "test".to_string(),
        indicators,
        series: Vec::new(),
        warm_up_diagnostic: None,
        warm_up_pilot: None,
        precision: None,
        levers: scenarios
            .iter()
            .map(|s| option_levers(&scenarios[0], s))
            .collect(),
        per_replicate,
        provenance: Default::default(),
    }
}
