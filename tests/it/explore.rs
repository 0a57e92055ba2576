//! `towngov explore` (issue 15 items 1 to 3): located file errors, common random numbers
//! within a future, the same bytes (report.html too) whatever the threads or shards, honest
//! words for a criterion that never fails, weighted draws from a file, and the report and
//! terminal summary in English and Chinese. PRIM's own known-box tests are unit tests in
//! `src/experiment/prim_tests.rs`.

use std::path::Path;

use crate::support::{repo, stderr, stdout, towngov};

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("write");
}

fn ok(o: &std::process::Output) {
    assert_eq!(o.status.code(), Some(0), "{}", stderr(o));
}

fn files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn assert_same_files(a: &Path, b: &Path) {
    assert_eq!(files(a), files(b));
    // sweep.json ends with the invocation (command line, threads), which differs by design.
    let bytes = |p: &Path, f: &str| {
        let b = std::fs::read(p.join(f)).unwrap();
        if f == "sweep.json" {
            crate::support::before_invocation(&b)
        } else {
            b
        }
    };
    for f in files(a) {
        assert!(
            bytes(a, &f) == bytes(b, &f),
            "{f} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

/// The classroom town and a reform of it (integrated platform and portal) in `dir`.
fn options(dir: &Path) {
    let text = std::fs::read_to_string(repo().join("scenarios/classroom.ron")).unwrap();
    write(dir, "a.ron", &text);
    let reform = text
        .replace("name: \"classroom town\"", "name: \"classroom reform\"")
        .replace(
            "grid: (workers_per_grid: 1",
            "platform: (integration: 0.9),\n        portal: (coverage: 0.8),\n        grid: (workers_per_grid: 1",
        );
    assert_ne!(reform, text);
    write(dir, "b.ron", &reform);
}

/// An explore file over the two options: 6 futures x 2 options x 2 replications of 30 days.
fn explore_file(dir: &Path, failures: &str) {
    options(dir);
    write(
        dir,
        "e.ron",
        &format!(
            r#"Explore(
    options: ["a.ron", "b.ron"],
    days: 30,
    seed: 5,
    replications: 2,
    futures: LatinHypercube(samples: 6, seed: 2),
    parameters: [
        (path: "behaviour.participation.thresholds.mean", range: (0.4, 0.7)),
        (path: "behaviour.trust.bounce_loss", distribution: Triangular(low: 0.02, mode: 0.05, high: 0.15)),
        (path: "needs.max_tasks", range: (1, 4)),
        (path: "behaviour.participation.reference", levels: ["Community", "Ties"]),
    ],
    outputs: ["total.on_time_share", "final.open"],
    objective: (indicator: "total.on_time_share", better: Higher),
    failures: [{failures}],
)
"#
        ),
    );
}

const FAILURES: &str = r#"
        (indicator: "final.cost_per_resolved_yuan", change: Relative, above: 0.0),
        (name: "never", indicator: "total.on_time_share", change: Absolute, above: 1000.0),
    "#;

#[test]
fn explore_file_errors_are_located() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    options(d);
    write(
        d,
        "bad.ron",
        r#"Explore(
    options: ["a.ron", "b.ron"],
    futures: LatinHypercube(samples: 4),
    parameters: [
        (path: "behaviour.trust.bounce_los", range: (0.0, 0.1)),
        (path: "behaviour.tie_influence", range: (0.0, 3.0)),
    ],
    objective: (indicator: "total.on_time", better: Higher),
    failures: [
        (indicator: "final.open", change: Absolute, above: 1.0, below: 2.0),
    ],
)
"#,
    );
    let o = towngov(d, &["explore", "bad.ron", "--out", "x"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("bad.ron:5:"), "{e}");
    assert!(e.contains("parameters[0].path"), "{e}");
    assert!(e.contains("objective.indicator"), "{e}");
    assert!(e.contains("did you mean `total.on_time_share`?"), "{e}");
    assert!(
        e.contains("failures[0]") && e.contains("exactly one of `above`"),
        "{e}"
    );
    assert!(!d.join("x").exists(), "nothing written for a bad file");
    // A value out of its parameter's range names the field and the allowed range.
    write(
        d,
        "range.ron",
        r#"Explore(
    options: ["a.ron", "b.ron"],
    futures: LatinHypercube(samples: 4),
    parameters: [(path: "behaviour.tie_influence", range: (0.0, 3.0))],
    objective: (indicator: "total.on_time_share", better: Higher),
)
"#,
    );
    let o = towngov(d, &["explore", "range.ron", "--out", "x"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("range.ron:4:"), "{e}");
    assert!(e.contains("behaviour.tie_influence"), "{e}");
    assert!(e.contains("between 0 and 1"), "{e}");
}

#[test]
fn options_of_a_future_share_seeds_and_outputs_do_not_depend_on_threads_or_shards() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    explore_file(d, FAILURES);
    let one = towngov(d, &["explore", "e.ron", "--out", "one", "--threads", "1"]);
    ok(&one);
    assert_eq!(
        files(&d.join("one")),
        [
            "explore.json",
            "futures.csv",
            "report.html",
            "runs.csv",
            "sweep.json"
        ]
    );
    // Common random numbers: within a future and replicate every option has the same seed;
    // futures and replicates differ.
    let runs = std::fs::read_to_string(d.join("one/runs.csv")).unwrap();
    let rows: Vec<Vec<&str>> = runs
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!(rows.len(), 6 * 2 * 2);
    let mut seeds = std::collections::BTreeMap::new();
    for r in &rows {
        // seed_text: the seed as text that R and Excel keep exact.
        assert_eq!(r[6], format!("s{}", r[5]));
        let key = (r[1].to_string(), r[4].to_string());
        seeds
            .entry(key)
            .or_insert_with(Vec::new)
            .push(r[5].to_string());
    }
    assert_eq!(seeds.len(), 6 * 2);
    for (key, s) in &seeds {
        assert_eq!(s.len(), 2, "{key:?}");
        assert_eq!(s[0], s[1], "both options of {key:?} share the seed");
    }
    let distinct: std::collections::BTreeSet<&String> = seeds.values().map(|s| &s[0]).collect();
    assert_eq!(
        distinct.len(),
        12,
        "each future and replicate has its own seed"
    );
    // The same future's parameters for both options, the whole number whole.
    for pair in rows.chunks(2) {
        assert_eq!(pair[0][7..11], pair[1][7..11]);
        assert_eq!(pair[0][9].parse::<f64>().unwrap().fract(), 0.0);
    }
    let futures = std::fs::read_to_string(d.join("one/futures.csv")).unwrap();
    // The two outputs, the report's participation, total cost and budget balance, and the
    // criterion's cost per resolved case.
    assert_eq!(
        futures.lines().count(),
        1 + 6 * 2 * 6,
        "future x option x indicator"
    );
    // Threads.
    ok(&towngov(
        d,
        &["explore", "e.ron", "--out", "two", "--threads", "2", "-q"],
    ));
    assert_same_files(&d.join("one"), &d.join("two"));
    // Shards, merged, then analysed without running anything again.
    for k in 0..3 {
        let (shard, out) = (format!("{k}/3"), format!("sh{k}"));
        ok(&towngov(
            d,
            &["explore", "e.ron", "--shard", &shard, "--out", &out, "-q"],
        ));
        assert_eq!(files(&d.join(&out)), ["runs.csv", "sweep.json"]);
    }
    let o = towngov(d, &["merge", "sh1", "sh2", "sh0", "--out", "merged"]);
    ok(&o);
    assert!(
        stdout(&o).contains("towngov explore FILE --out merged"),
        "{}",
        stdout(&o)
    );
    let o = towngov(d, &["explore", "e.ron", "--out", "merged"]);
    ok(&o);
    assert!(stdout(&o).contains("none was run again"), "{}", stdout(&o));
    assert_same_files(&d.join("one"), &d.join("merged"));
    // A finished folder is refused without --force.
    let o = towngov(d, &["explore", "e.ron", "--out", "one"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("a finished explore"), "{}", stderr(&o));
    // The analysis: shares, percentiles, regret and the criteria per option.
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("one/explore.json")).unwrap())
            .unwrap();
    let opts = json["options"].as_array().unwrap();
    assert_eq!(opts.len(), 2);
    assert_eq!(opts[0]["reference"], true);
    assert!(opts[0]["failures"].as_array().unwrap().is_empty());
    let share = opts[1]["indicators"][0]["beats_reference_share"]
        .as_f64()
        .unwrap();
    assert!((0.0..=1.0).contains(&share));
    assert!(opts[0]["indicators"][0]["beats_reference_share"].is_null());
    let p = &opts[1]["indicators"][0]["percentiles"];
    assert!(p["p5"].as_f64().unwrap() <= p["p95"].as_f64().unwrap());
    // Regret is never negative and one option is the best of each future.
    let best: f64 = opts
        .iter()
        .map(|o| o["regret"]["best_share"].as_f64().unwrap())
        .sum();
    assert!(best >= 1.0 - 1e-12, "{best}");
    assert!(opts[1]["regret"]["max"].as_f64().unwrap() >= 0.0);
    // A criterion that never fails is said so, with no box.
    let never = &opts[1]["failures"][1];
    assert_eq!(never["failing"], 0);
    assert!(never["prim"].is_null());
    assert!(
        never["words"]
            .as_str()
            .unwrap()
            .contains("no failing futures")
    );
    assert!(
        stdout(&one).contains("fails “never” in none of the 6 futures evaluated"),
        "{}",
        stdout(&one)
    );
    assert!(stdout(&one).contains("Regret, max"), "{}", stdout(&one));
}

#[test]
fn futures_can_be_weighted_draws_from_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    options(d);
    write(
        d,
        "post.csv",
        "behaviour.tie_influence,behaviour.participation.reference,weight\n0.05,Community,1\n0.25,Ties,3\n0.9,Ties,0\n",
    );
    let file = r#"Explore(
    options: ["a.ron", "b.ron"],
    days: 10,
    futures: Draws(file: "post.csv", samples: 8, seed: 1),
    parameters: [
        (path: "behaviour.tie_influence"),
        (path: "behaviour.participation.reference"),
    ],
    objective: (indicator: "total.on_time_share", better: Higher),
)
"#;
    write(d, "w.ron", file);
    ok(&towngov(d, &["explore", "w.ron", "--out", "w", "-q"]));
    let runs = std::fs::read_to_string(d.join("w/runs.csv")).unwrap();
    let values: Vec<&str> = runs
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(7).unwrap())
        .collect();
    assert_eq!(values.len(), 16);
    // Weights 1:3:0 over 8 futures: 2 of the first draw, 6 of the second, none of the third.
    assert_eq!(values.iter().filter(|v| **v == "0.05").count(), 4);
    assert_eq!(values.iter().filter(|v| **v == "0.25").count(), 12);
    // A bad value is located in the draws file.
    write(
        d,
        "post.csv",
        "behaviour.tie_influence,behaviour.participation.reference,weight\n0.05,Community,1\nlots,Ties,3\n",
    );
    let o = towngov(d, &["explore", "w.ron", "--out", "w2"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("post.csv:3:1: behaviour.tie_influence: must be a finite number"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn an_interrupted_explore_resumes_after_the_runs_it_kept() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    explore_file(d, FAILURES);
    ok(&towngov(d, &["explore", "e.ron", "--out", "one", "-q"]));
    // The folder an interrupted explore leaves: the claim marker and the first 5 runs of the
    // journal, the last one cut half way through its line.
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("one/sweep.json")).unwrap()).unwrap();
    let fingerprint = manifest["fingerprint"].as_str().unwrap();
    std::fs::create_dir(d.join("r")).unwrap();
    write(
        &d.join("r"),
        ".sweep.json.partial",
        &format!("{fingerprint}\n"),
    );
    let runs = std::fs::read_to_string(d.join("one/runs.csv")).unwrap();
    let lines: Vec<&str> = runs.lines().collect();
    let mut partial = lines[..6].join("\n") + "\n";
    partial.push_str(&lines[6][..lines[6].len() / 2]);
    write(&d.join("r"), ".runs.csv.partial", &partial);
    let o = towngov(d, &["explore", "e.ron", "--out", "r"]);
    ok(&o);
    assert!(
        stdout(&o).contains("ran 19 in") && stdout(&o).contains("after 5 runs kept"),
        "{}",
        stdout(&o)
    );
    assert_same_files(&d.join("one"), &d.join("r"));
}

/// `towngov slurm` on an explore file: the array tasks, then the merge job, which also writes
/// the analysis, give the one-machine folder byte for byte (scripts run by `sh`, no scheduler).
#[test]
fn slurm_scripts_for_an_explore_give_the_one_machine_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    explore_file(d, FAILURES);
    let bin = env!("CARGO_BIN_EXE_towngov");
    let file = d.join("e.ron").display().to_string();
    let args = [
        "slurm", &file, "--shards", "3", "--out", "jobs", "--binary", bin,
    ];
    ok(&towngov(d, &args));
    for k in 0..3 {
        let o = std::process::Command::new("sh")
            .arg(d.join("jobs/array.sbatch"))
            .env("SLURM_ARRAY_TASK_ID", k.to_string())
            .env_remove("SLURM_CPUS_PER_TASK")
            .output()
            .expect("sh runs");
        ok(&o);
    }
    let o = std::process::Command::new("sh")
        .arg(d.join("jobs/merge.sbatch"))
        .output()
        .expect("sh runs");
    ok(&o);
    // The same file path as the scripts give (sweep.json names the reference by it).
    ok(&towngov(d, &["explore", &file, "--out", "one", "-q"]));
    assert_same_files(&d.join("one"), &d.join("jobs/merged"));
}

/// The report's first screen (before the plot) and the terminal summary, in both languages:
/// the levers, the beats-reference shares, the regret ranking and where the option fails, with
/// no catalogue key left untranslated; the Chinese table aligned by display width.
#[test]
fn the_report_and_summary_answer_the_planner_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    explore_file(d, FAILURES);
    let en = towngov(d, &["explore", "e.ron", "--out", "en", "--lang", "en"]);
    ok(&en);
    let zh = towngov(d, &["explore", "e.ron", "--out", "zh", "--lang", "zh-CN"]);
    ok(&zh);
    let page = |lang: &str| std::fs::read_to_string(d.join(lang).join("report.html")).unwrap();
    let first =
        |p: &str| -> String { p[..p.find("<section id=\"futures\">").unwrap()].to_string() };
    let (en_page, zh_page) = (page("en"), page("zh"));
    for p in [&en_page, &zh_page] {
        assert!(p.starts_with("<!DOCTYPE html>") && p.ends_with("</html>\n"));
        for bad in [
            "<script", "<link", "<img", "src=", "href=", "https://", "http://",
        ] {
            assert!(!p.contains(bad), "the page holds {bad}");
        }
        // A missing key would show as itself.
        for key in ["explore.", "report.", "ind.", "param."] {
            let text = &p[..p.find("<footer>").unwrap()];
            assert!(
                !text.contains(key),
                "untranslated {key}: {}",
                &text[text.find(key).unwrap()..][..60]
            );
        }
        assert!(
            p.contains("<svg") && p.contains("<circle"),
            "the strip plot"
        );
        assert!(
            p.contains("<footer>") && p.contains("e.ron"),
            "the provenance footer"
        );
    }
    let en_first = first(&en_page);
    for want in [
        "What each option changes against “classroom town”",
        "shared data platform",
        "0.9",
        "Ranking by regret on needs and cases resolved on time",
        "minimax regret",
        "Against “classroom town”, future by future",
        "How often “classroom reform” does better than “classroom town”: cases on time in",
        "“classroom reform” fails “never” in none of the 6 futures evaluated",
        "/6 (",
    ] {
        assert!(
            en_first.contains(want),
            "{want} not on the English first screen"
        );
    }
    let zh_first = first(&zh_page);
    for want in [
        "<html lang=\"zh-CN\">",
        "各方案相对于“classroom town”的改变",
        "按需求与案件按时办结率遗憾值排名",
        "极小化最大遗憾",
        "逐个未来与“classroom town”比较",
        "优于“classroom town”的未来个数：按时办结",
        "在评估的 6 个未来中均未出现",
        "主要发现",
    ] {
        assert!(
            zh_first.contains(want),
            "{want} not on the Chinese first screen"
        );
    }
    // The same figures in both: the shares of futures in the beats table.
    let shares = |p: &str| p.matches("/6 (").count();
    assert_eq!(shares(&en_first), shares(&zh_first));
    // The terminal: Chinese headings, and every line of the option table as wide as its rule.
    let out = stdout(&zh);
    for want in [
        "主要发现",
        "方案",
        "排名",
        "按时办结",
        "最大遗憾值",
        "各方案在哪些未来中未达标",
    ] {
        assert!(out.contains(want), "{want} not in\n{out}");
    }
    let lines: Vec<&str> = out.lines().collect();
    let rule = lines.iter().position(|l| l.starts_with("----")).unwrap();
    let w = towngov::report::display_width(lines[rule]);
    for l in &lines[rule - 1..rule + 3] {
        assert_eq!(towngov::report::display_width(l), w, "{l:?} in\n{out}");
    }
    assert!(stdout(&en).contains("Findings") && stdout(&en).contains("Best in"));
    // The summary follows the locale without --lang.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_towngov"))
        .current_dir(d)
        .args([
            "explore",
            "e.ron",
            "--out",
            "zh",
            "--force",
            "--threads",
            "1",
        ])
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "zh_CN.UTF-8")
        .output()
        .unwrap();
    ok(&o);
    assert!(stdout(&o).contains("主要发现"), "{}", stdout(&o));
    assert_eq!(
        page("zh"),
        zh_page,
        "the same page from the locale as from --lang"
    );
    let o = towngov(d, &["explore", "e.ron", "--out", "x", "--lang", "fr"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("expected en or zh-CN, got `fr`"),
        "{}",
        stderr(&o)
    );
}
