//! `compare --lang zh-CN` in a terminal (issue 15 item 3): the table, its headings and verdicts,
//! the warm-up and `--reps auto` sentences and the run count in Chinese, the table's columns
//! aligned by display width (a CJK character takes two columns), every line within the width
//! and wrapped between characters, never before closing punctuation; and the report's plots in
//! Chinese.

use towngov::report::display_width;

use crate::support::{repo, stderr, stdout};

fn compare(dir: &std::path::Path, extra: &[&str], columns: &str) -> std::process::Output {
    let s = |f: &str| repo().join("scenarios").join(f).display().to_string();
    let (sq, fr) = (s("status_quo.ron"), s("full_reform.ron"));
    let mut args = vec![
        "compare", &sq, &fr, "--days", "30", "--lang", "zh-CN", "--force",
    ];
    args.extend_from_slice(extra);
    std::process::Command::new(env!("CARGO_BIN_EXE_towngov"))
        .current_dir(dir)
        .args(&args)
        .env("COLUMNS", columns)
        .env("NO_COLOR", "1")
        .output()
        .expect("towngov runs")
}

/// No English sentence of the terminal summary is left.
const ENGLISH: [&str; 12] = [
    "Indicator (unit)",
    "replications of",
    "Differences are paired",
    "against",
    "better/worse",
    "n.s.:",
    "Service figures",
    "MSER-5 warm-up",
    "Pass it to",
    "runs per second",
    "threads",
    "Wrote ",
];

#[test]
fn a_chinese_comparison_prints_a_chinese_aligned_table_and_sentences() {
    let dir = tempfile::tempdir().expect("tempdir");
    for columns in [100usize, 80] {
        let o = compare(
            dir.path(),
            &["--reps", "2", "--out", "c"],
            &columns.to_string(),
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let out = stdout(&o);
        for english in ENGLISH {
            assert!(
                !out.contains(english),
                "{columns} columns: {english:?} in\n{out}"
            );
        }
        for chinese in ["指标（单位）", "参照", "MSER-5 预热", "个线程", "已写入"] {
            assert!(
                out.contains(chinese),
                "{columns} columns: {chinese:?} missing in\n{out}"
            );
        }
        let lines: Vec<&str> = out.lines().collect();
        for l in &lines {
            assert!(display_width(l) <= columns, "{columns} columns: {l:?}");
            let first = l.trim_start().chars().next();
            assert!(
                !first.is_some_and(|c| "，。；：、）」”".contains(c)),
                "{columns} columns: a line starts with closing punctuation: {l:?}"
            );
        }
        // Each table (one, or one block per option on a narrow terminal): every line as wide as
        // its heading, in display columns.
        let mut tables = 0;
        for (i, _) in lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.starts_with("指标（单位）"))
        {
            let table: Vec<&str> = lines[i..]
                .iter()
                .take_while(|l| !l.is_empty())
                .copied()
                .collect();
            let w = display_width(table[0]);
            assert!(table.len() > 20, "{}", table.join("\n"));
            for l in &table {
                assert_eq!(
                    display_width(l),
                    w,
                    "{columns} columns: {l:?} in\n{}",
                    table.join("\n")
                );
            }
            assert!(
                table.iter().any(|l| l.starts_with("需求与案件按")),
                "{}",
                table.join("\n")
            );
            for l in &table[2..] {
                let verdict = l.split_whitespace().last().unwrap_or("");
                assert!(
                    ["更好", "更差", "更高", "更低", "不显著", "不适用"].contains(&verdict),
                    "{columns} columns: {l:?}"
                );
            }
            tables += 1;
        }
        assert_eq!(
            tables, 1,
            "{columns} columns: one table or one block\n{out}"
        );
    }
    // The report's plots speak Chinese too: time series and forest plot.
    let page = std::fs::read_to_string(dir.path().join("c/report.html")).expect("report");
    for chinese in [
        "阴影：均值的 95% 置信区间",
        "（按天）",
        "实心：区间不含 0",
        "占其均值的百分比",
    ] {
        assert!(page.contains(chinese), "{chinese:?} not in the page");
    }
    for english in [
        "shaded:",
        " by day",
        "filled: interval",
        "hollow: interval",
        "in % of its mean",
    ] {
        assert!(!page.contains(english), "{english:?} in the page");
    }
}

#[test]
fn reps_auto_says_what_it_did_in_chinese() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = compare(
        dir.path(),
        &[
            "--reps",
            "auto",
            "--max-reps",
            "12",
            "--target",
            "key=0.001%",
            "--out",
            "a",
        ],
        "100",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("--reps auto：每个方案 12 次重复"), "{out}");
    assert!(out.contains("已达上限，仍有"), "{out}");
    assert!(
        !out.contains("replications per option") && !out.contains("not met"),
        "{out}"
    );
}
