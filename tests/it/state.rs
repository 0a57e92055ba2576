//! Saved states: continuing a run from a saved state gives the same rows, byte for byte, as
//! the unbroken run; a branch takes the other scenario's levers; a different town is refused.

use towngov::sim::state::StateError;
use towngov::sim::{DailyIndicators, SimOptions, Simulation};

use crate::support::{run_days, scenario_file};

fn csv_of(rows: &[DailyIndicators]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.serialize(r).expect("row");
    }
    w.into_inner().expect("flush")
}

/// Runs `warm` days, saves, restores and runs `more` days; compares with the unbroken run.
fn check_round_trip(file: &str, seed: u64, warm: u32, more: u32) {
    let s = scenario_file(file);
    let (_, unbroken) = run_days(&s, seed, warm + more);
    let (sim, _) = run_days(&s, seed, warm);
    let bytes = sim.save_state().expect("saves");
    drop(sim);
    let mut resumed =
        Simulation::from_state(&bytes, None, SimOptions::default()).expect("restores");
    assert_eq!(resumed.day(), warm);
    let rows: Vec<_> = (0..more).map(|_| resumed.step().clone()).collect();
    assert_eq!(
        csv_of(&rows),
        csv_of(&unbroken[warm as usize..]),
        "{file}: continuing from day {warm} differs from the unbroken run"
    );
    // Saving the restored world again gives a state that restores to the same run too.
    assert!(resumed.save_state().is_ok());
}

#[test]
fn continuing_from_a_saved_state_is_byte_identical_status_quo() {
    check_round_trip("scenarios/status_quo.ron", 3, 120, 120);
}

#[test]
fn continuing_from_a_saved_state_is_byte_identical_full_reform() {
    // Every actor on: stewards, operator, councils, mediation, financing, social organisations.
    check_round_trip("scenarios/full_reform.ron", 11, 200, 200);
}

#[test]
fn continuing_from_a_saved_state_keeps_the_timeline() {
    // Saved between reforms: the later ones still take effect on their days.
    check_round_trip("scenarios/phased_rollout.ron", 5, 300, 500);
}

#[test]
fn a_branch_takes_the_other_levers_from_the_next_day() {
    let sq = scenario_file("scenarios/status_quo.ron");
    let reform = scenario_file("scenarios/full_reform.ron");
    let (sim, _) = run_days(&sq, 7, 90);
    let bytes = sim.save_state().expect("saves");
    let mut branch =
        Simulation::from_state(&bytes, Some(&reform), SimOptions::default()).expect("branches");
    assert_eq!(branch.scenario().policy, reform.policy);
    let mut same = Simulation::from_state(&bytes, None, SimOptions::default()).expect("restores");
    let (a, b): (Vec<_>, Vec<_>) = (0..120)
        .map(|_| (branch.step().clone(), same.step().clone()))
        .unzip();
    // The first branched day already runs under the reform's committee and platform.
    let bounces = |rows: &[DailyIndicators]| rows.iter().map(|r| r.bounced).sum::<u64>();
    assert!(
        bounces(&a) < bounces(&b),
        "the reform should cut bounces: {} vs {}",
        bounces(&a),
        bounces(&b)
    );
    assert_eq!(a[0].day, 91);
}

#[test]
fn a_branch_with_another_town_is_refused_with_the_fields_named() {
    let sq = scenario_file("scenarios/status_quo.ron");
    let other = scenario_file("scenarios/classroom.ron");
    let (sim, _) = run_days(&sq, 7, 10);
    let bytes = sim.save_state().expect("saves");
    let err = Simulation::from_state(&bytes, Some(&other), SimOptions::default())
        .err()
        .expect("refused");
    assert!(matches!(err, StateError::TownDiffers(_)), "{err}");
    assert!(err.to_string().contains("town."), "{err}");
}

#[test]
fn damaged_or_foreign_bytes_are_refused() {
    let sq = scenario_file("scenarios/status_quo.ron");
    let (sim, _) = run_days(&sq, 7, 5);
    let bytes = sim.save_state().expect("saves");
    let err = |b: &[u8]| {
        Simulation::from_state(b, None, SimOptions::default())
            .err()
            .expect("refused")
    };
    assert!(matches!(err(b"not a state"), StateError::NotAState));
    assert!(matches!(
        err(&bytes[..bytes.len() / 2]),
        StateError::Corrupt(_)
    ));
}

#[test]
fn a_policy_scheduled_during_a_run_acts_as_a_timeline_entry() {
    // What the classroom dashboard does when a lever moves: the same rows as a scenario whose
    // timeline holds that policy from that day.
    let sq = scenario_file("scenarios/status_quo.ron");
    let reform = scenario_file("scenarios/full_reform.ron");
    let mut with_timeline = sq.clone();
    with_timeline.timeline = vec![towngov::scenario::Reform {
        day: 40,
        policy: reform.policy.clone(),
    }];
    let (_, expected) = run_days(&with_timeline, 4, 100);
    let mut sim = Simulation::new(&sq, 4, SimOptions::default());
    let mut rows: Vec<_> = (0..39).map(|_| sim.step().clone()).collect();
    sim.schedule_policy(40, reform.policy.clone());
    rows.extend((0..61).map(|_| sim.step().clone()));
    assert_eq!(csv_of(&rows), csv_of(&expected));
    assert_eq!(sim.scenario().policy, reform.policy);
}

/// Issue 16: one changed byte of a genuine state panicked or was accepted silently. Every
/// single-byte change, cut and insertion of a classroom state is now refused as damaged (the
/// checksum), and never panics.
#[test]
fn every_corrupted_state_is_refused_without_panicking() {
    let classroom = scenario_file("scenarios/classroom.ron");
    let (sim, _) = run_days(&classroom, 3, 30);
    let bytes = sim.save_state().expect("saves");
    let mut rng: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |n: usize| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng % n as u64) as usize
    };
    for i in 0..1500 {
        let mut b = bytes.clone();
        let at = next(b.len());
        match i % 3 {
            0 => b[at] ^= 1 + next(255) as u8,
            1 => b.truncate(at),
            _ => b.insert(at, next(256) as u8),
        }
        let result = std::panic::catch_unwind(|| {
            Simulation::from_state(&b, None, SimOptions::default()).map(|_| ())
        });
        match result {
            Ok(Err(
                StateError::Corrupt(_) | StateError::NotAState | StateError::Version { .. },
            )) => {}
            Ok(Err(e)) => panic!("mutation {i} at byte {at}: unexpected error {e}"),
            Ok(Ok(())) => panic!("mutation {i} at byte {at} was accepted"),
            Err(_) => panic!("mutation {i} at byte {at} panicked"),
        }
    }
}

/// A state saved before the keyed draws (format 3, which still held the `channels`, `grid`,
/// `operator`, `dispatch` and `departments` streams) is refused with a message naming both
/// formats and what to do, not read as if its streams were keyed draws.
#[test]
fn a_format_3_state_is_refused_naming_both_formats() {
    use towngov::sim::state::FORMAT;
    assert_eq!(
        FORMAT, 4,
        "the keyed draws changed the state layout (format 3 -> 4)"
    );
    let classroom = scenario_file("scenarios/classroom.ron");
    let (sim, _) = run_days(&classroom, 3, 5);
    let bytes = sim.save_state().expect("saves");
    // The format number follows the 16-byte magic as a postcard varint (4 is one byte).
    assert_eq!(bytes[16], 4);
    let mut old = bytes.clone();
    old[16] = 3;
    let err = match Simulation::from_state(&old, None, SimOptions::default()) {
        Err(e) => e,
        Ok(_) => panic!("a format 3 state was accepted"),
    };
    assert!(
        matches!(err, StateError::Version { format: 3, .. }),
        "{err}"
    );
    let msg = err.to_string();
    assert!(
        msg.contains("(format 3)") && msg.contains("(format 4)"),
        "{msg}"
    );
    assert!(msg.contains("run the warm-up again"), "{msg}");
}
