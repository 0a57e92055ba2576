//! Sensitivity analysis against functions whose indices are known analytically, the designs'
//! defining properties, and the SALib text layouts.

use std::f64::consts::PI;

use towngov::experiment::design::{
    latin_hypercube, morris_delta, morris_trajectories, saltelli, scale,
};
use towngov::experiment::salib::{
    read_matrix, read_outputs, read_problem, write_matrix, write_outputs, write_problem,
};
use towngov::experiment::sensitivity::{
    SensitivityError, g_function, g_function_indices, ishigami, ishigami_indices, morris, sobol,
};

const G_A: [f64; 6] = [0.0, 1.0, 4.5, 9.0, 99.0, 99.0];

/// Indices of `v` from largest to smallest.
fn ranking(v: &[f64]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..v.len()).collect();
    idx.sort_by(|&a, &b| v[b].total_cmp(&v[a]));
    idx
}

/// Factors 0 > 1 > 2 > 3, then the two a = 99 factors (in either order) last.
fn assert_g_ranking(what: &str, v: &[f64]) {
    let r = ranking(v);
    assert_eq!(&r[..4], &[0, 1, 2, 3], "{what} ranking {r:?} from {v:?}");
}

#[test]
fn sobol_recovers_ishigami_indices() {
    let (a, b) = (7.0, 0.1);
    let bounds = [(-PI, PI); 3];
    let design = saltelli(3, 4096, 2024);
    let y: Vec<f64> = design
        .iter()
        .map(|x| ishigami(&scale(x, &bounds), a, b))
        .collect();
    let idx = sobol(&y, 3, 300, 0.95, 7).expect("valid outputs");
    let (s1, st) = ishigami_indices(a, b);
    for (i, ix) in idx.iter().enumerate() {
        eprintln!(
            "x{}: S1 {:.4} [{:.4}, {:.4}] (true {:.4}); ST {:.4} [{:.4}, {:.4}] (true {:.4})",
            i + 1,
            ix.s1,
            ix.s1_ci.low,
            ix.s1_ci.high,
            s1[i],
            ix.st,
            ix.st_ci.low,
            ix.st_ci.high,
            st[i]
        );
        assert!(
            (ix.s1 - s1[i]).abs() < 0.05,
            "S1_{i} {} vs {}",
            ix.s1,
            s1[i]
        );
        assert!(
            (ix.st - st[i]).abs() < 0.05,
            "ST_{i} {} vs {}",
            ix.st,
            st[i]
        );
        assert!(
            ix.s1_ci.contains(s1[i]),
            "S1_{i} {:?} misses {}",
            ix.s1_ci,
            s1[i]
        );
        assert!(
            ix.st_ci.contains(st[i]),
            "ST_{i} {:?} misses {}",
            ix.st_ci,
            st[i]
        );
        assert!(ix.s1_ci.contains(ix.s1) && ix.st_ci.contains(ix.st));
    }
    // Reproducible bit for bit; another bootstrap seed moves only the intervals.
    assert_eq!(idx, sobol(&y, 3, 300, 0.95, 7).unwrap());
    let other = sobol(&y, 3, 300, 0.95, 8).unwrap();
    assert_eq!(other[0].s1, idx[0].s1);
    assert_ne!(other[0].s1_ci, idx[0].s1_ci);
}

#[test]
fn morris_and_sobol_rank_g_function_factors() {
    let k = G_A.len();
    let design = morris_trajectories(k, 50, 4, 31);
    let y: Vec<f64> = design.iter().map(|x| g_function(x, &G_A)).collect();
    let m = morris(&design, &y, k, None, 200, 0.95, 3).expect("valid trajectories");
    let mu_star: Vec<f64> = m.iter().map(|m| m.mu_star).collect();
    assert_g_ranking("Morris mu*", &mu_star);
    for ix in &m {
        assert!(ix.mu_star_ci.contains(ix.mu_star), "{ix:?}");
        assert!(ix.mu.abs() <= ix.mu_star + 1e-12);
    }

    let design = saltelli(k, 2048, 32);
    let y: Vec<f64> = design.iter().map(|x| g_function(x, &G_A)).collect();
    let s = sobol(&y, k, 100, 0.95, 4).expect("valid outputs");
    let st: Vec<f64> = s.iter().map(|s| s.st).collect();
    assert_g_ranking("Sobol ST", &st);
    let (s1_true, st_true) = g_function_indices(&G_A);
    for i in 0..k {
        assert!(
            (s[i].st - st_true[i]).abs() < 0.05,
            "ST_{i} {} vs {}",
            s[i].st,
            st_true[i]
        );
        assert!(
            (s[i].s1 - s1_true[i]).abs() < 0.05,
            "S1_{i} {} vs {}",
            s[i].s1,
            s1_true[i]
        );
    }
}

/// On a linear model every elementary effect is the slope: per parameter unit with bounds, per
/// unit-cube step without; no spread.
#[test]
fn morris_effects_are_slopes_on_a_linear_model() {
    let bounds = [(0.0, 10.0), (-1.0, 1.0), (100.0, 104.0)];
    let slopes = [2.0, -3.0, 0.5];
    let design = morris_trajectories(3, 8, 6, 9);
    let y: Vec<f64> = design
        .iter()
        .map(|x| {
            scale(x, &bounds)
                .iter()
                .zip(&slopes)
                .map(|(p, c)| p * c)
                .sum()
        })
        .collect();
    let scaled = morris(&design, &y, 3, Some(&bounds), 50, 0.9, 1).unwrap();
    let unit = morris(&design, &y, 3, None, 50, 0.9, 1).unwrap();
    for i in 0..3 {
        let width = bounds[i].1 - bounds[i].0;
        assert!((scaled[i].mu - slopes[i]).abs() < 1e-9, "{:?}", scaled[i]);
        assert!((scaled[i].mu_star - slopes[i].abs()).abs() < 1e-9);
        assert!(scaled[i].sigma.abs() < 1e-9);
        assert!(
            (unit[i].mu - slopes[i] * width).abs() < 1e-9,
            "{:?}",
            unit[i]
        );
    }
}

#[test]
fn morris_rejects_designs_that_are_not_trajectories() {
    let mut design = morris_trajectories(3, 4, 4, 1);
    let y = vec![1.0; design.len()];
    assert!(morris(&design, &y, 3, None, 10, 0.95, 1).is_ok());
    // Row 6 is the second point of trajectory 1: make it move two factors.
    let moved = (0..3).find(|&i| design[6][i] != design[5][i]).unwrap();
    let other = (moved + 1) % 3;
    design[6][other] = 1.0 - design[6][other] + 0.125;
    match morris(&design, &y, 3, None, 10, 0.95, 1) {
        Err(SensitivityError::BadDesign { row: 6, .. }) => {}
        other => panic!("expected a bad design at row 6, got {other:?}"),
    }
    let design = morris_trajectories(3, 4, 4, 1);
    assert!(matches!(
        morris(&design, &y[1..], 3, None, 10, 0.95, 1),
        Err(SensitivityError::Length { .. })
    ));
    let mut bad_y = y.clone();
    bad_y[9] = f64::NAN;
    let e = morris(&design, &bad_y, 3, None, 10, 0.95, 1).unwrap_err();
    assert!(
        matches!(e, SensitivityError::NonFiniteOutput { row: 9, value } if value.is_nan()),
        "{e:?}"
    );
    assert!(e.to_string().contains("output 9"), "{e}");
}

#[test]
fn latin_hypercube_has_one_point_per_stratum() {
    let (n, k) = (37, 5);
    let d = latin_hypercube(n, k, 99);
    assert_eq!(d.len(), n);
    for dim in 0..k {
        let mut strata: Vec<usize> = d
            .iter()
            .map(|row| {
                assert_eq!(row.len(), k);
                assert!((0.0..1.0).contains(&row[dim]));
                (row[dim] * n as f64).floor() as usize
            })
            .collect();
        strata.sort_unstable();
        assert_eq!(strata, (0..n).collect::<Vec<_>>(), "dimension {dim}");
    }
    assert_eq!(d, latin_hypercube(n, k, 99));
    assert_ne!(d, latin_hypercube(n, k, 100));
}

#[test]
fn morris_trajectories_move_one_factor_by_delta() {
    for levels in [4, 6] {
        let (k, r) = (5, 20);
        let d = morris_trajectories(k, r, levels, 17);
        let delta = morris_delta(levels);
        let grid = (levels - 1) as f64;
        assert_eq!(d.len(), r * (k + 1));
        for row in &d {
            for &v in row {
                assert!((0.0..=1.0).contains(&v), "{v}");
                assert!(
                    (v * grid - (v * grid).round()).abs() < 1e-9,
                    "{v} is off the grid"
                );
            }
        }
        for t in d.chunks(k + 1) {
            let mut moved = vec![0; k];
            for pair in t.windows(2) {
                let changed: Vec<usize> = (0..k).filter(|&i| pair[0][i] != pair[1][i]).collect();
                assert_eq!(changed.len(), 1, "{pair:?}");
                let i = changed[0];
                assert!(((pair[1][i] - pair[0][i]).abs() - delta).abs() < 1e-12);
                moved[i] += 1;
            }
            assert_eq!(moved, vec![1; k], "each factor moves once");
        }
        assert_eq!(d, morris_trajectories(k, r, levels, 17));
        assert_ne!(d, morris_trajectories(k, r, levels, 18));
    }
}

#[test]
fn saltelli_rows_follow_salib_layout() {
    let (k, n) = (4, 64);
    let d = saltelli(k, n, 5);
    assert_eq!(d.len(), n * (k + 2));
    for block in d.chunks(k + 2) {
        let (a, b) = (&block[0], &block[k + 1]);
        assert!(a.iter().chain(b).all(|v| (0.0..1.0).contains(v)));
        assert!((0..k).all(|i| a[i] != b[i]), "A and B are distinct points");
        for i in 0..k {
            let ab = &block[1 + i];
            for c in 0..k {
                assert_eq!(ab[c], if c == i { b[c] } else { a[c] }, "AB_{i} column {c}");
            }
        }
    }
    // The base points spread over the cube: every column's mean is near 1/2.
    for c in 0..k {
        let m: f64 = d.iter().step_by(k + 2).map(|row| row[c]).sum::<f64>() / n as f64;
        assert!((m - 0.5).abs() < 0.05, "column {c} mean {m}");
    }
    assert_eq!(d, saltelli(k, n, 5));
    assert_ne!(d, saltelli(k, n, 6));
}

#[test]
fn salib_files_round_trip_exactly() {
    let names: Vec<String> = ["grid_size", "budget_share", "响应_days"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let bounds = vec![(1.0, 12.0), (0.1 + 0.2, 0.9), (-1e-300, 5e300)];
    let mut rows = saltelli(3, 8, 1);
    rows[0] = vec![5e-324, -0.0, 1.0 / 3.0];
    rows[1][2] = f64::MAX;
    let outputs: Vec<f64> = rows.iter().map(|x| ishigami(x, 7.0, 0.1) * PI).collect();

    let mut p = Vec::new();
    write_problem(&mut p, &names, &bounds).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&p).lines().next(),
        Some("grid_size 1 12")
    );
    let problem = read_problem(p.as_slice()).unwrap();
    assert_eq!(problem.names, names);
    assert_eq!(
        bits(problem.bounds.iter().flat_map(|&(l, h)| [l, h])),
        bits(bounds.iter().flat_map(|&(l, h)| [l, h]))
    );

    let mut m = Vec::new();
    write_matrix(&mut m, &rows).unwrap();
    let back = read_matrix(m.as_slice()).unwrap();
    assert_eq!(back.len(), rows.len());
    assert_eq!(
        bits(back.iter().flatten().copied()),
        bits(rows.iter().flatten().copied())
    );

    let mut o = Vec::new();
    write_outputs(&mut o, &outputs).unwrap();
    assert_eq!(String::from_utf8_lossy(&o).lines().count(), outputs.len());
    assert_eq!(bits(read_outputs(o.as_slice()).unwrap()), bits(outputs));
}

fn bits(v: impl IntoIterator<Item = f64>) -> Vec<u64> {
    v.into_iter().map(f64::to_bits).collect()
}

/// Second-order Sobol indices equal SALib 1.6's `sobol.analyze(..., calc_second_order=True)`
/// to 1e-12 on the outputs it evaluated (tests/data/salib/second_order.py made the files).
#[test]
fn second_order_sobol_equals_salib() {
    use towngov::experiment::sensitivity::{Layout, sobol_indices};
    for (case, k) in [("ishigami", 3), ("g5", 5)] {
        let dir = crate::support::repo().join("tests/data/salib");
        let y =
            read_outputs(std::fs::File::open(dir.join(format!("{case}.Y.txt"))).unwrap()).unwrap();
        let layout = Layout {
            k,
            second_order: true,
        };
        let ix = sobol_indices(&y, layout, 20, 0.95, 3).unwrap();
        let want = std::fs::read_to_string(dir.join(format!("{case}.indices.txt"))).unwrap();
        let mut checked = 0;
        for line in want.lines().filter(|l| !l.starts_with('#')) {
            let f: Vec<&str> = line.split_whitespace().collect();
            let i: usize = f[1].parse().unwrap();
            let (got, value) = match f[0] {
                "S1" => (ix.first_total[i].s1, f[2]),
                "ST" => (ix.first_total[i].st, f[2]),
                _ => {
                    let j: usize = f[2].parse().unwrap();
                    let s = ix.second.iter().find(|s| s.i == i && s.j == j).unwrap();
                    assert!(s.s2_ci.contains(s.s2) || !s.s2_ci.low.is_finite());
                    (s.s2, f[3])
                }
            };
            let value: f64 = value.parse().unwrap();
            eprintln!(
                "{case} {line}: |towngov - SALib| = {:e}",
                (got - value).abs()
            );
            assert!(
                (got - value).abs() < 1e-12,
                "{case} {line}: towngov {got}, SALib {value}"
            );
            checked += 1;
        }
        assert_eq!(checked, 2 * k + k * (k - 1) / 2, "{case}");
        // The same outputs read as a first-order design (k + 2 rows per base sample) do not fit.
        let first_only = Layout {
            k,
            second_order: false,
        };
        assert!(matches!(
            sobol_indices(&y, first_only, 0, 0.95, 3),
            Err(SensitivityError::Length { .. })
        ));
    }
}

#[test]
fn second_order_saltelli_rows_follow_salib_layout() {
    use towngov::experiment::design::saltelli_second_order;
    let (k, n) = (3, 16);
    let d = saltelli_second_order(k, n, 5);
    let first = saltelli(k, n, 5);
    assert_eq!(d.len(), n * (2 * k + 2));
    for (block, block1) in d.chunks(2 * k + 2).zip(first.chunks(k + 2)) {
        let (a, b) = (&block[0], &block[2 * k + 1]);
        assert_eq!(
            &block[..=k],
            &block1[..=k],
            "A and AB as in the first-order design"
        );
        assert_eq!(b, &block1[k + 1]);
        for i in 0..k {
            let ba = &block[1 + k + i];
            for c in 0..k {
                assert_eq!(ba[c], if c == i { a[c] } else { b[c] }, "BA_{i} column {c}");
            }
        }
    }
}
