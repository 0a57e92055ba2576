//! Per-agent output (issue 15 item 5): `towngov run --agents-at DAYS` writes every resident and
//! firm on the days asked, as CSV or Parquet, with the same values, whatever the thread count.

use std::path::Path;

use crate::support::{repo, stderr, towngov};

fn classroom() -> String {
    repo().join("scenarios/classroom.ron").display().to_string()
}

fn run(dir: &Path, out: &str, extra: &[&str], threads: &str) {
    let file = classroom();
    let mut args = vec!["run", &file, "--days", "40", "--out", out, "-q"];
    args.extend_from_slice(extra);
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_towngov"))
        .current_dir(dir)
        .args(&args)
        .env("RAYON_NUM_THREADS", threads)
        .output()
        .expect("runs");
    assert!(o.status.success(), "{}", stderr(&o));
}

fn csv_rows(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// Rows of `rows` on `day` (the third column).
fn on_day(rows: &[Vec<String>], day: u32) -> usize {
    rows.iter().filter(|r| r[2] == day.to_string()).count()
}

#[test]
fn one_row_per_living_resident_and_firm_on_each_day_asked_the_same_on_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    run(d, "one", &["--agents-at", "end,0,20,20"], "1");
    run(d, "two", &["--agents-at", "0,20,40"], "2");
    for f in ["agents_residents.csv", "agents_firms.csv", "daily.csv"] {
        assert_eq!(
            std::fs::read(d.join("one").join(f)).unwrap(),
            std::fs::read(d.join("two").join(f)).unwrap(),
            "{f} differs between 1 and 2 threads (or between `end` and 40)"
        );
    }
    let (header, residents) = csv_rows(&d.join("one/agents_residents.csv"));
    assert_eq!(&header[..5], ["scenario", "seed", "day", "id", "kind"]);
    let (_, daily) = csv_rows(&d.join("one/daily.csv"));
    let (daily_header, _) = csv_rows(&d.join("one/daily.csv"));
    let col = |name: &str| daily_header.iter().position(|h| h == name).unwrap();
    let (res, leading, sme, startup) = (
        col("residents"),
        col("enterprises_leading"),
        col("enterprises_sme"),
        col("enterprises_startup"),
    );
    let (_, firms) = csv_rows(&d.join("one/agents_firms.csv"));
    let scenario = crate::support::scenario_file("scenarios/classroom.ron");
    assert_eq!(on_day(&residents, 0), scenario.town.n_residents() as usize);
    for day in [20u32, 40] {
        let row = &daily[day as usize - 1];
        assert_eq!(row[2], day.to_string());
        let n: f64 = row[res].parse().unwrap();
        assert_eq!(
            on_day(&residents, day),
            n as usize,
            "residents alive on day {day}"
        );
        let n_firms: f64 = [leading, sme, startup]
            .iter()
            .map(|&c| row[c].parse::<f64>().unwrap())
            .sum();
        assert_eq!(on_day(&firms, day), n_firms as usize, "firms on day {day}");
    }
    assert_eq!(
        residents.len(),
        on_day(&residents, 0) + on_day(&residents, 20) + on_day(&residents, 40)
    );
    // Ids are unique within a day and follow a resident from day to day.
    let ids = |day: u32| -> std::collections::BTreeSet<String> {
        residents
            .iter()
            .filter(|r| r[2] == day.to_string())
            .map(|r| r[3].clone())
            .collect()
    };
    assert_eq!(ids(0).len(), on_day(&residents, 0));
    assert!(ids(0).intersection(&ids(40)).count() > on_day(&residents, 40) / 2);
    // Values are in their ranges and the kinds are named.
    let c = |name: &str| header.iter().position(|h| h == name).unwrap();
    for r in &residents {
        for name in ["satisfaction", "trust", "efficacy", "volunteering"] {
            let x: f64 = r[c(name)].parse().unwrap();
            assert!((0.0..=1.0).contains(&x), "{name} = {x}");
        }
        assert!(
            ["native", "migrant_worker", "employee", "talent"].contains(&r[c("kind")].as_str())
        );
    }
}

#[test]
fn bad_agents_at_values_exit_2_naming_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let file = classroom();
    for (args, says) in [
        (vec!["--agents-at", "0,x", "--out", "o"], "--agents-at"),
        (vec!["--agents-at", "", "--out", "o"], "--agents-at"),
        (vec!["--agents-at", "-1", "--out", "o"], "--agents-at"),
        (
            vec!["--agents-at", "41", "--out", "o"],
            "--agents-at: day 41 is outside this run",
        ),
        (vec!["--agents-at", "end"], "--agents-at needs --out"),
        (
            vec!["--agents-format", "parquet", "--out", "o"],
            "--agents-at",
        ),
        (
            vec!["--agents-at", "0", "--agents-format", "xml", "--out", "o"],
            "--agents-format",
        ),
    ] {
        let mut all = vec!["run", file.as_str(), "--days", "40", "-q"];
        all.extend(args.iter().copied());
        let o = towngov(dir.path(), &all);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
        assert!(!dir.path().join("o").join("agents_residents.csv").exists());
    }
}

#[cfg(feature = "parquet")]
#[test]
fn parquet_reads_back_the_values_of_the_csv() {
    use parquet::file::reader::FileReader;
    use parquet::file::serialized_reader::SerializedFileReader;
    use parquet::record::Field;

    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    run(d, "c", &["--agents-at", "0,end"], "2");
    run(
        d,
        "p",
        &["--agents-at", "0,end", "--agents-format", "parquet"],
        "2",
    );
    for kind in ["residents", "firms"] {
        let (header, rows) = csv_rows(&d.join(format!("c/agents_{kind}.csv")));
        let file = std::fs::File::open(d.join(format!("p/agents_{kind}.parquet"))).unwrap();
        let reader = SerializedFileReader::new(file).expect("a parquet file");
        assert_eq!(reader.metadata().num_row_groups(), 2, "a row group per day");
        let mut n = 0;
        for (row, csv) in reader.get_row_iter(None).unwrap().zip(&rows) {
            let row = row.unwrap();
            let columns: Vec<(String, Field)> = row.into_columns();
            let names: Vec<&str> = columns.iter().map(|(n, _)| n.as_str()).collect();
            assert_eq!(names, header, "{kind}: the CSV's columns in order");
            for ((name, field), text) in columns.iter().zip(csv) {
                let same = match field {
                    Field::Null => text.is_empty(),
                    Field::Bool(b) => text == &b.to_string(),
                    Field::Int(x) => text.parse::<i64>().ok() == Some(i64::from(*x)),
                    Field::Long(x) => text.parse::<i64>().ok() == Some(*x),
                    Field::UInt(x) => text.parse::<u64>().ok() == Some(u64::from(*x)),
                    Field::ULong(x) => text.parse::<u64>().ok() == Some(*x),
                    Field::Float(x) => text.parse::<f32>().ok() == Some(*x),
                    Field::Double(x) => text.parse::<f64>().ok() == Some(*x),
                    Field::Str(s) => text == s,
                    other => panic!("{kind}.{name}: unexpected {other:?}"),
                };
                assert!(same, "{kind}.{name}: parquet {field:?}, csv {text:?}");
            }
            n += 1;
        }
        assert_eq!(n, rows.len(), "{kind}: as many rows as the CSV");
        assert!(n > 0);
    }
}
