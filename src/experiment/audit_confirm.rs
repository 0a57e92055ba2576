//! The lever audit's confirmation stage: the parameters the screening did not class
//! behavioural, re-tested with fresh pairs (ODD 9.6, "Two stages"). The screening's 8 pairs
//! detect, after Holm's adjustment over a parameter's 154 tests, only differences of about 3
//! standard deviations of the paired differences; the confirmation's 32 fresh pairs detect
//! about 0.9, at the price of running again only what the screening left undecided. Each
//! stage is adjusted at half the family-wise error (Bonferroni), so the class over both errs
//! with probability at most 1 - level.

use super::audit::{
    AuditSettings, Class, ParamResult, adjust_family, classify, compare, moved_in, paired_runs_from,
};
use super::audit_roles;
use super::runner::Progress;
use crate::scenario::Scenario;

/// The confirmation stage: every parameter the screening did not class behavioural and whose
/// outputs were not identical to the base's is run again at its values whose screening runs
/// were not identical, with `confirm_reps` fresh pairs (the base's replicates after the
/// screening's), adjusted as its own family at the stage's error; the indicators either stage
/// moved give the class. Returns the runs made.
pub(super) fn confirm(
    base: &Scenario,
    scenarios: &[&Scenario],
    params: &mut [ParamResult],
    valid: &[Vec<usize>],
    settings: AuditSettings,
    progress: &dyn Progress,
    stop: &(dyn Fn() -> bool + Sync),
) -> usize {
    // (parameter, its screening variant index, index in `again`) for each value re-tested.
    let mut again: Vec<&Scenario> = vec![base];
    let mut retest: Vec<(usize, usize, usize)> = Vec::new();
    for (i, p) in params.iter().enumerate() {
        if p.screen_class == Class::Behavioural || p.identical {
            continue;
        }
        let ran = p
            .variants
            .iter()
            .enumerate()
            .filter(|(_, v)| v.invalid.is_none());
        for ((j, v), &s) in ran.zip(&valid[i]) {
            if !v.identical {
                retest.push((i, j, again.len()));
                again.push(scenarios[s]);
            }
        }
    }
    if retest.is_empty() {
        return 0;
    }
    let reps = settings.confirm_reps;
    let screened = (scenarios.len() * settings.reps) as u64;
    progress.resize(screened + (again.len() * reps) as u64);
    let names: Vec<&str> = audit_roles::INDICATORS.iter().map(|(n, _)| *n).collect();
    let first = settings.reps;
    let results = paired_runs_from(
        &again,
        base.seed,
        first..first + reps,
        settings.days,
        &names,
        progress,
        stop,
    );
    let runs_of = |s: usize| &results[s * reps..(s + 1) * reps];
    for &(i, j, s) in &retest {
        let value = params[i].variants[j].value.clone();
        let result = compare(runs_of(0), runs_of(s), value, settings.level);
        params[i].confirmation.push(result);
    }
    let alpha = settings.stage_alpha();
    for p in params.iter_mut().filter(|p| p.confirmed()) {
        adjust_family(&mut p.confirmation, alpha);
        let mut moved = moved_in(&p.variants);
        moved.extend(moved_in(&p.confirmation));
        moved.sort_unstable();
        moved.dedup();
        p.class = classify(&p.path, &moved);
    }
    results.len()
}
