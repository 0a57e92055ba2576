//! `towngov slurm`: the sbatch scripts it writes (array bounds, shard arguments, the merge's
//! shard list, the afterok dependency, the options), and the scripts run as SLURM would run
//! them (each array task with its SLURM_ARRAY_TASK_ID, then the merge) giving the one-machine
//! sweep byte for byte. `scripts/slurm-test.sh` runs them on a real one-node cluster.

use std::path::Path;
use std::process::Command;

use crate::support::{repo, stderr, stdout, towngov};

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// 2 design points x 3 replications of the classroom town, 15 days, one daily indicator.
fn write_sweep(dir: &Path) -> String {
    let path = dir.join("s.sweep.ron");
    let text = format!(
        r#"(
    base: "{}",
    days: 15,
    seed: 4,
    replications: 3,
    design: Factorial,
    parameters: [(path: "policy.platform.integration", levels: [0.2, 0.9])],
    daily: ["open"],
)"#,
        repo().join("scenarios/classroom.ron").display()
    );
    std::fs::write(&path, text).expect("write sweep");
    path.display().to_string()
}

#[test]
fn slurm_writes_an_array_a_dependent_merge_and_a_submit_script() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let file = write_sweep(d);
    let o = towngov(
        d,
        &[
            "slurm",
            &file,
            "--shards",
            "3",
            "--out",
            "jobs",
            "--partition",
            "short",
            "--time",
            "0:10:00",
            "--cpus-per-task",
            "2",
            "--binary",
            "/opt/tg/towngov",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("3 array tasks, each a shard of the 6 runs"),
        "{}",
        stdout(&o)
    );
    let jobs = std::fs::canonicalize(d.join("jobs")).unwrap();
    let (file_abs, jobs_abs) = (
        std::fs::canonicalize(&file).unwrap().display().to_string(),
        jobs.display().to_string(),
    );
    let array = read(&jobs.join("array.sbatch"));
    for line in [
        "#SBATCH --array=0-2\n".to_string(),
        "#SBATCH --cpus-per-task=2\n".into(),
        "#SBATCH --partition=short\n".into(),
        "#SBATCH --time=0:10:00\n".into(),
        format!("exec '/opt/tg/towngov' sweep '{file_abs}' --shard \"$SLURM_ARRAY_TASK_ID/3\""),
        format!(
            "--out '{jobs_abs}'/shard-\"$SLURM_ARRAY_TASK_ID\" --threads \"${{SLURM_CPUS_PER_TASK:-2}}\""
        ),
    ] {
        assert!(
            array.contains(&line),
            "array.sbatch lacks {line:?}:\n{array}"
        );
    }
    // Every #SBATCH line comes before the first command, or sbatch ignores it.
    let first_command = array.find("\nset -eu").unwrap();
    assert!(array.rfind("#SBATCH").unwrap() < first_command, "{array}");
    let merge = read(&jobs.join("merge.sbatch"));
    let listed: Vec<&str> = merge.lines().filter(|l| l.contains("/shard-")).collect();
    assert_eq!(
        listed,
        (0..3)
            .map(|k| format!("    '{jobs_abs}/shard-{k}' \\"))
            .collect::<Vec<_>>(),
        "{merge}"
    );
    assert!(
        merge.contains(&format!("exec '/opt/tg/towngov' merge \\")),
        "{merge}"
    );
    assert!(
        merge.contains(&format!("--out '{jobs_abs}/merged'")),
        "{merge}"
    );
    assert!(!merge.contains("--array"), "{merge}");
    let submit = read(&jobs.join("submit.sh"));
    for part in [
        "array=$(sbatch --parsable",
        "array.sbatch)",
        "--dependency=afterok:\"$array\"",
        "--kill-on-invalid-dep=yes merge.sbatch)",
        "> jobs.txt",
    ] {
        assert!(submit.contains(part), "submit.sh lacks {part:?}:\n{submit}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(jobs.join("submit.sh"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o111, 0o111, "submit.sh is not executable");
    }
    // Existing scripts are not overwritten without --force.
    let o = towngov(d, &["slurm", &file, "--shards", "3", "--out", "jobs"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("already exists"), "{}", stderr(&o));
}

/// The scripts as the cluster runs them, without the scheduler: each task with its id, then the
/// merge; the merged files equal the sweep run in one piece.
#[test]
fn slurm_scripts_run_task_by_task_give_the_one_machine_sweep() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let file = write_sweep(d);
    let bin = env!("CARGO_BIN_EXE_towngov");
    let o = towngov(
        d,
        &[
            "slurm", &file, "--shards", "4", "--out", "jobs", "--binary", bin,
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    for k in 0..4 {
        let o = Command::new("sh")
            .arg(d.join("jobs/array.sbatch"))
            .env("SLURM_ARRAY_TASK_ID", k.to_string())
            .env_remove("SLURM_CPUS_PER_TASK")
            .output()
            .expect("sh runs");
        assert!(o.status.success(), "task {k}: {}", stderr(&o));
    }
    let o = Command::new("sh")
        .arg(d.join("jobs/merge.sbatch"))
        .output()
        .expect("sh runs");
    assert!(o.status.success(), "merge: {}", stderr(&o));
    let o = towngov(d, &["sweep", &file, "--out", "one", "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for f in ["runs.csv", "daily.csv", "sweep.json"] {
        let mut one = std::fs::read(d.join("one").join(f)).unwrap();
        let mut merged = std::fs::read(d.join("jobs/merged").join(f)).unwrap();
        if f == "sweep.json" {
            // The same bytes up to the invocation block, which is the merge job's own.
            one = crate::support::before_invocation(&one);
            merged = crate::support::before_invocation(&merged);
        }
        assert_eq!(one, merged, "merged {f} differs from the one-machine sweep");
    }
}

#[test]
fn slurm_refuses_what_it_cannot_split() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let file = write_sweep(d);
    let scenario = repo().join("scenarios/classroom.ron").display().to_string();
    let sensitivity = repo()
        .join("scenarios/experiments/levers.sensitivity.ron")
        .display()
        .to_string();
    for (args, expect) in [
        (
            vec!["slurm", file.as_str(), "--shards", "0"],
            "--shards must be between 1 and 6",
        ),
        (
            vec!["slurm", file.as_str(), "--shards", "7"],
            "(the file's 6 runs, at most 1000), got 7",
        ),
        (
            vec!["slurm", file.as_str(), "--time", "1 h"],
            "--time must be one word",
        ),
        (
            vec!["slurm", scenario.as_str()],
            "a scenario, not a sweep or sensitivity file",
        ),
    ] {
        let o = towngov(d, &args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(expect), "{args:?}: {}", stderr(&o));
    }
    // A sensitivity file: scripts once `towngov sensitivity --shard` exists, else a clear note.
    let help = towngov(d, &["sensitivity", "--help"]);
    let o = towngov(d, &["slurm", &sensitivity, "--out", "sens"]);
    if stdout(&help).contains("--shard") {
        assert!(o.status.success(), "{}", stderr(&o));
        let array = read(&d.join("sens/array.sbatch"));
        assert!(
            array.contains("sensitivity") && array.contains("--shard"),
            "{array}"
        );
    } else {
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("needs sensitivity shards"),
            "{}",
            stderr(&o)
        );
    }
}
