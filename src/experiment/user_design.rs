//! A design a user brings (e.g. sampled with SALib): checks that its rows have the structure
//! the analysis needs, Saltelli's blocks for Sobol or one-at-a-time trajectories for Morris.
//! Rows are parameter values in the problem's order; row numbers in errors are 0-based.

/// Why a design cannot be analysed by the chosen method.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct DesignError {
    /// The first row at fault (0-based), when one is.
    pub row: Option<usize>,
    pub message: String,
}

fn whole(message: String) -> DesignError {
    DesignError { row: None, message }
}

/// Checks a Sobol design of `k` factors: `N (k + 2)` rows (`N (2k + 2)` with `second_order`),
/// `N >= 2`, each block `A`, `AB_1..AB_k`, [`BA_1..BA_k`,] `B` in SALib's order with `AB_i`
/// equal to `A` except column `i` taken from `B` (and `BA_i` equal to `B` except column `i`
/// taken from `A`). Returns `N`.
pub fn check_saltelli(
    rows: &[Vec<f64>],
    k: usize,
    second_order: bool,
) -> Result<usize, DesignError> {
    let w = if second_order { 2 * k + 2 } else { k + 2 };
    let other = if second_order { k + 2 } else { 2 * k + 2 };
    if rows.len() < 2 * w || !rows.len().is_multiple_of(w) {
        let (shape, hint) = if second_order {
            (
                "N (2D + 2)",
                "`second_order: false` if it was sampled with calc_second_order=False",
            )
        } else {
            (
                "N (D + 2)",
                "`second_order: true` in the method if it was sampled with calc_second_order=True",
            )
        };
        let fits_other = rows.len() >= 2 * other && rows.len().is_multiple_of(other);
        return Err(whole(format!(
            "a Sobol design of D = {k} parameters needs {shape} = a multiple of {w} rows with N >= 2, got {} rows{}",
            rows.len(),
            if fits_other {
                format!("; the count fits the other layout: set {hint}")
            } else {
                String::new()
            }
        )));
    }
    for (j, block) in rows.chunks(w).enumerate() {
        let (a, b) = (&block[0], &block[w - 1]);
        let check = |offset: usize, from: &[f64], to: &[f64], name: &str| {
            for i in 0..k {
                let row = &block[offset + i];
                if let Some(c) = (0..k).find(|&c| row[c] != if c == i { to[c] } else { from[c] }) {
                    return Err(DesignError {
                        row: Some(j * w + offset + i),
                        message: format!(
                            "is not {name}_{} of base sample {j} (column {} should equal {}'s): the rows are not in Saltelli's order (A, AB_1..AB_D,{} B per base sample), as SALib.sample.sobol writes them",
                            i + 1,
                            c + 1,
                            if (c == i) == (name == "AB") { "B" } else { "A" },
                            if second_order { " BA_1..BA_D," } else { "" }
                        ),
                    });
                }
            }
            Ok(())
        };
        check(1, a, b, "AB")?;
        if second_order {
            check(1 + k, b, a, "BA")?;
        }
    }
    Ok(rows.len() / w)
}

/// Checks a Morris design of `k` factors (`r (k + 1)` rows, `r >= 2` trajectories, each step
/// moving exactly one factor and each factor once per trajectory) and returns the unit-cube
/// steps the analysis reads: every trajectory starts at 0.5 in each factor and each step
/// moves its factor by `+delta` or `-delta` (the step's sign in the file), `delta = levels /
/// (2 (levels - 1))`. Elementary effects are then `Δy / ±delta`, as SALib's
/// `morris.analyze` computes them.
pub fn morris_steps(
    rows: &[Vec<f64>],
    k: usize,
    levels: usize,
) -> Result<Vec<Vec<f64>>, DesignError> {
    let w = k + 1;
    if rows.len() < 2 * w || !rows.len().is_multiple_of(w) {
        return Err(whole(format!(
            "a Morris design of D = {k} parameters needs (D + 1) r = a multiple of {w} rows with r >= 2 trajectories, got {} rows",
            rows.len()
        )));
    }
    let delta = super::design::morris_delta(levels);
    let mut unit = Vec::with_capacity(rows.len());
    for (t, traj) in rows.chunks(w).enumerate() {
        let mut x = vec![0.5; k];
        let mut moved = vec![false; k];
        unit.push(x.clone());
        for s in 1..w {
            let row = t * w + s;
            let (x0, x1) = (&traj[s - 1], &traj[s]);
            let changed: Vec<usize> = (0..k).filter(|&i| x0[i] != x1[i]).collect();
            let i = match changed[..] {
                [i] => i,
                [] => {
                    return Err(DesignError {
                        row: Some(row),
                        message: "moves no parameter from the row before: a Morris trajectory moves one parameter per row".into(),
                    });
                }
                _ => {
                    return Err(DesignError {
                        row: Some(row),
                        message: format!(
                            "moves {} parameters from the row before: a Morris trajectory moves one parameter per row",
                            changed.len()
                        ),
                    });
                }
            };
            if std::mem::replace(&mut moved[i], true) {
                return Err(DesignError {
                    row: Some(row),
                    message: format!(
                        "moves parameter {} a second time in trajectory {t}: each moves once per trajectory",
                        i + 1
                    ),
                });
            }
            x[i] += if x1[i] > x0[i] { delta } else { -delta };
            unit.push(x.clone());
        }
    }
    Ok(unit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::design::{morris_trajectories, saltelli, saltelli_second_order};

    #[test]
    fn saltelli_designs_pass_and_shuffled_ones_do_not() {
        // 6 base samples: 30 rows first-order, 48 with second order; neither fits the other.
        let d = saltelli(3, 6, 1);
        assert_eq!(check_saltelli(&d, 3, false), Ok(6));
        let e = check_saltelli(&d, 3, true).unwrap_err();
        assert!(e.message.contains("2D + 2"), "{e}");
        let d2 = saltelli_second_order(3, 6, 1);
        assert_eq!(check_saltelli(&d2, 3, true), Ok(6));
        let e = check_saltelli(&d2, 3, false).unwrap_err();
        assert!(e.message.contains("second_order: true"), "{e}");
        // Rows 0-4 are base sample 0's; swapping rows 6 and 7 (AB_1 and AB_2 of sample 1)
        // breaks it at row 6.
        let mut bad = d.clone();
        bad.swap(6, 7);
        assert_eq!(check_saltelli(&bad, 3, false).unwrap_err().row, Some(6));
        // A block of 40 rows fits both layouts: the structure decides.
        let d8 = saltelli(3, 8, 1);
        assert_eq!(check_saltelli(&d8, 3, true).unwrap_err().row, Some(1));
    }

    #[test]
    fn morris_designs_give_signed_unit_steps() {
        let d = morris_trajectories(3, 4, 4, 2);
        let unit = morris_steps(&d, 3, 4).unwrap();
        // The same signs as the unit design itself: the same elementary effects.
        let sign = |a: f64, b: f64| (b - a).partial_cmp(&0.0);
        for (ut, xt) in unit.chunks(4).zip(d.chunks(4)) {
            assert_eq!(ut[0], vec![0.5; 3]);
            for (u, x) in ut.windows(2).zip(xt.windows(2)) {
                for i in 0..3 {
                    assert_eq!(sign(u[0][i], u[1][i]), sign(x[0][i], x[1][i]));
                }
            }
        }
        let mut bad = d.clone();
        bad[2] = bad[1].clone();
        assert_eq!(morris_steps(&bad, 3, 4).unwrap_err().row, Some(2));
        assert!(morris_steps(&d[..7], 3, 4).is_err());
    }
}
