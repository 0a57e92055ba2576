//! `towngov slurm FILE [--shards N] [--out DIR] ...`: the sbatch scripts that run a sweep (or a
//! sensitivity analysis, once `towngov sensitivity --shard` exists) on a SLURM cluster: a job
//! array with one task per shard, a merge job that waits for every task to succeed
//! (`--dependency=afterok`), and `submit.sh`, which submits the two. Nothing is submitted here.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::anyhow;
use clap::{Args, CommandFactory};
use towngov::experiment::file_kind::FileKind;
use towngov::experiment::spec::{Sensitivity, Sweep};

use super::Failure;

/// The most array tasks a script asks for (SLURM's default `MaxArraySize` is 1001: indices up
/// to 1000).
pub const MAX_SHARDS: usize = 1000;

#[derive(Args, Debug)]
pub struct SlurmArgs {
    /// The sweep or sensitivity file (RON), checked as `towngov check` would.
    pub file: PathBuf,
    /// Array tasks, one shard of the runs each (at most the number of runs and 1000).
    #[arg(long, default_value_t = 4)]
    pub shards: usize,
    /// Folder for the scripts, the shards' outputs (`shard-K`), the merged files (`merged`)
    /// and the jobs' logs (`logs`) (default: `<name>-slurm`).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Partition to run in (`#SBATCH --partition`; default: the cluster's).
    #[arg(long)]
    pub partition: Option<String>,
    /// Time limit of each task and of the merge (`#SBATCH --time`, e.g. `2:00:00`).
    #[arg(long)]
    pub time: Option<String>,
    /// Cores per array task (`#SBATCH --cpus-per-task`; the task runs that many threads).
    #[arg(long, default_value_t = 1)]
    pub cpus_per_task: u32,
    /// The towngov binary the jobs run (default: this one), as the compute nodes see it.
    #[arg(long)]
    pub binary: Option<PathBuf>,
    /// Overwrite scripts that already exist.
    #[arg(long)]
    pub force: bool,
}

/// The scripts a cluster job needs, as text.
pub struct Scripts {
    pub array: String,
    pub merge: String,
    pub submit: String,
}

/// What the scripts run: the command, the file, its name and its number of runs.
pub struct Job<'a> {
    /// `sweep`, `sensitivity` or `explore`.
    pub command: &'a str,
    pub name: &'a str,
    pub file: &'a Path,
    pub n_runs: usize,
    pub out: &'a Path,
    pub binary: &'a Path,
}

pub fn run(args: SlurmArgs) -> Result<(), Failure> {
    let text = towngov::input::read_to_string(&args.file, towngov::input::InputKind::Text)
        .map_err(|e| {
            Failure::bad_input(
                anyhow::Error::new(e)
                    .context(format!("{}: cannot read the file", args.file.display())),
            )
        })?;
    let (command, name, n_runs) = match FileKind::detect(&args.file, &text) {
        FileKind::Sweep => {
            let s = Sweep::parse(&args.file).map_err(Failure::bad_input)?;
            ("sweep", s.common.name.clone(), s.n_runs())
        }
        FileKind::Sensitivity => {
            let s = Sensitivity::parse(&args.file).map_err(Failure::bad_input)?;
            if !sensitivity_has_shards() {
                return Err(Failure::bad_input(anyhow!(
                    "{}: a sensitivity analysis on a cluster needs sensitivity shards (`towngov sensitivity --shard K/N` and its merge), which this towngov does not have yet; run it on one machine with `towngov sensitivity`",
                    args.file.display()
                )));
            }
            ("sensitivity", s.common.name.clone(), s.n_runs())
        }
        FileKind::Explore => {
            let e = towngov::experiment::explore::Explore::parse(&args.file)
                .map_err(Failure::bad_input)?;
            ("explore", e.name.clone(), e.n_runs())
        }
        FileKind::Scenario => {
            return Err(Failure::bad_input(anyhow!(
                "{}: a scenario, not a sweep or sensitivity file: `towngov slurm` splits the runs of a sweep or sensitivity file (`towngov run` runs a scenario)",
                args.file.display()
            )));
        }
    };
    if args.shards == 0 || args.shards > n_runs.min(MAX_SHARDS) {
        return Err(Failure::bad_input(anyhow!(
            "--shards must be between 1 and {} (the file's {} runs, at most {MAX_SHARDS}), got {}",
            n_runs.min(MAX_SHARDS),
            n_runs,
            args.shards
        )));
    }
    if args.cpus_per_task == 0 {
        return Err(Failure::bad_input(anyhow!(
            "--cpus-per-task must be at least 1"
        )));
    }
    for (flag, value) in [("--partition", &args.partition), ("--time", &args.time)] {
        if let Some(v) = value
            && (v.is_empty() || v.chars().any(|c| c.is_whitespace() || c.is_control()))
        {
            return Err(Failure::bad_input(anyhow!(
                "{flag} must be one word without spaces, got {v:?}"
            )));
        }
    }
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("{name}-slurm")));
    super::prepare_folder(
        &out,
        &["array.sbatch", "merge.sbatch", "submit.sh"],
        args.force,
    )?;
    // The jobs may start in another folder: every path in the scripts is absolute.
    let absolute = |p: &Path| {
        std::fs::canonicalize(p)
            .map_err(|e| Failure::bad_input(anyhow::Error::new(e).context(p.display().to_string())))
    };
    let file = absolute(&args.file)?;
    let out_abs = absolute(&out)?;
    let binary = match &args.binary {
        Some(b) => b.clone(),
        None => std::env::current_exe().map_err(Failure::other)?,
    };
    let job = Job {
        command,
        name: &name,
        file: &file,
        n_runs,
        out: &out_abs,
        binary: &binary,
    };
    let scripts = scripts(&job, &args);
    write(&out, &scripts).map_err(Failure::other)?;
    println!(
        "Wrote {dir}/array.sbatch ({shards} array tasks, each a shard of the {runs} runs), {dir}/merge.sbatch (merges them once every task succeeded) and {dir}/submit.sh; run {dir}/submit.sh on the cluster's login node",
        dir = out.display(),
        shards = args.shards,
        runs = n_runs
    );
    Ok(())
}

/// Does this towngov have `towngov sensitivity --shard`?
pub fn sensitivity_has_shards() -> bool {
    super::Cli::command()
        .find_subcommand("sensitivity")
        .is_some_and(|c| c.get_arguments().any(|a| a.get_id() == "shard"))
}

/// `path` quoted for a POSIX shell.
fn quote(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', r"'\''"))
}

/// The three scripts for `job` with the options of `args`.
pub fn scripts(job: &Job, args: &SlurmArgs) -> Scripts {
    let n = args.shards;
    let out = job.out;
    let bin = quote(job.binary);
    let mut options = String::new();
    if let Some(p) = &args.partition {
        options += &format!("#SBATCH --partition={p}\n");
    }
    if let Some(t) = &args.time {
        options += &format!("#SBATCH --time={t}\n");
    }
    let logs = quote(&out.join("logs"));
    let array = format!(
        "#!/bin/sh\n\
         # towngov {command} \"{name}\": {runs} runs in {n} shards, one array task each.\n\
         # Written by `towngov slurm`; submit it with submit.sh (which also submits the merge).\n\
         #SBATCH --job-name=towngov-{command}\n\
         #SBATCH --array=0-{last}\n\
         #SBATCH --cpus-per-task={cpus}\n\
         {options}\
         set -eu\n\
         # A task that is stopped and run again resumes its shard where it stopped.\n\
         exec {bin} {command} {file} --shard \"$SLURM_ARRAY_TASK_ID/{n}\" \\\n    \
         --out {out_q}/shard-\"$SLURM_ARRAY_TASK_ID\" --threads \"${{SLURM_CPUS_PER_TASK:-{cpus}}}\" --quiet\n",
        command = job.command,
        name = job.name,
        runs = job.n_runs,
        last = n - 1,
        cpus = args.cpus_per_task,
        file = quote(job.file),
        out_q = quote(out),
    );
    let shard_dirs: Vec<String> = (0..n)
        .map(|k| format!("    {} \\\n", quote(&out.join(format!("shard-{k}")))))
        .collect();
    let merge = format!(
        "#!/bin/sh\n\
         # Merges the {n} shards of towngov {command} \"{name}\" into merged/, checking that\n\
         # every run is there exactly once. submit.sh starts it after the array job succeeded.\n\
         #SBATCH --job-name=towngov-merge\n\
         #SBATCH --cpus-per-task=1\n\
         {options}\
         set -eu\n\
         {exec}{bin} merge \\\n{dirs}    --out {merged}\n{analyse}",
        exec = if job.command != "sweep" { "" } else { "exec " },
        analyse = if job.command != "sweep" {
            // The indices (or the explore's analysis) come from the merged runs: nothing is run
            // again.
            format!(
                "exec {bin} {command} {file} --out {merged}\n",
                command = job.command,
                file = quote(job.file),
                merged = quote(&out.join("merged")),
            )
        } else {
            String::new()
        },
        command = job.command,
        name = job.name,
        dirs = shard_dirs.concat(),
        merged = quote(&out.join("merged")),
    );
    let submit = format!(
        "#!/bin/sh\n\
         # Submits the array job (one task per shard) and the merge job, which starts only\n\
         # when every task has succeeded (afterok). Prints the two job ids and writes them to\n\
         # jobs.txt.\n\
         set -eu\n\
         cd {out_q}\n\
         mkdir -p {logs}\n\
         array=$(sbatch --parsable --output={logs}/shard-%a.out array.sbatch)\n\
         array=${{array%%;*}}\n\
         merge=$(sbatch --parsable --output={logs}/merge.out --dependency=afterok:\"$array\" \\\n    \
         --kill-on-invalid-dep=yes merge.sbatch)\n\
         merge=${{merge%%;*}}\n\
         echo \"$array $merge\" > jobs.txt\n\
         echo \"submitted the shards as array job $array ({n} tasks) and the merge as job $merge (after every task succeeded); merged files go to {merged_raw}\"\n",
        out_q = quote(out),
        merged_raw = out.join("merged").display(),
    );
    Scripts {
        array,
        merge,
        submit,
    }
}

/// Writes the three scripts as one set (submit.sh executable).
fn write(out: &Path, s: &Scripts) -> anyhow::Result<()> {
    let mut files = Vec::new();
    for (name, text) in [
        ("array.sbatch", &s.array),
        ("merge.sbatch", &s.merge),
        ("submit.sh", &s.submit),
    ] {
        let mut f = towngov::output::AtomicFile::create(&out.join(name))?;
        f.write_all(text.as_bytes())?;
        files.push(f);
    }
    towngov::output::commit_all(files)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let path = out.join("submit.sh");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| anyhow::Error::new(e).context(path.display().to_string()))?;
    }
    Ok(())
}
