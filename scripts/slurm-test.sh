#!/usr/bin/env bash
# A real SLURM cluster of one node on this Debian machine (issue 14 item 7): starts munged,
# slurmctld and slurmd by hand (no systemd) with every configuration file, key, socket, log
# and spool in a temporary folder; writes the jobs with `towngov slurm`; submits a sweep (and,
# when this towngov has `towngov sensitivity --shard`, a sensitivity analysis) as a job array
# with a merge job that waits for it (--dependency=afterok); waits; checks that every merged
# file is byte-identical to the same job run on one machine; stops the daemons it started.
#
# Needs Debian's slurm-wlm and munge: installed with apt-get if missing (as root, or through
# sudo). Run from anywhere; exit 0 when every check passed. TOWNGOV_SLURM_KEEP=1 keeps the
# temporary folder (logs, scripts, outputs) for a look afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
started=$(date +%s.%N)
say() { printf '[slurm-test %6.1fs] %s\n' "$(echo "$(date +%s.%N) - $started" | bc)" "$*"; }
# A failure keeps the temporary folder (logs, configuration) for a look.
fail() { say "FAILED: $*"; TOWNGOV_SLURM_KEEP=1; exit 1; }

if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
    fail "needs root or sudo (to install slurm-wlm and munge, and to run the daemons)"
fi
if [ -n "$sudo" ]; then
    # The daemons run as root, so the whole script does.
    exec sudo --preserve-env=PATH,CARGO_HOME,RUSTUP_HOME,TOWNGOV_SLURM_KEEP "$0" "$@"
fi
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null \
    || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
    say "installing Debian's slurm-wlm and munge"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y --no-install-recommends slurm-wlm munge bc >/dev/null \
        || { apt-get update >/dev/null && apt-get install -y --no-install-recommends slurm-wlm munge bc >/dev/null; }
fi
command -v bc >/dev/null || apt-get install -y --no-install-recommends bc >/dev/null

say "building towngov (release)"
# The binary as the test command builds it (dev-dependencies can change a dependency's features,
# and with them the build): after `cargo test --release --locked`, as in .ci/run, nothing is
# compiled again. Cargo links target/release/towngov to the variant it built last.
cargo test --release --locked --no-run --quiet
towngov="$repo/target/release/towngov"

work=$(mktemp -d /tmp/towngov-slurm.XXXXXX)
chmod 700 "$work"
pids=()
stop() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    if [ "${TOWNGOV_SLURM_KEEP:-}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap stop EXIT

# munge: its own key, socket, log, pid and seed files.
mkdir -p "$work/munge"
chmod 700 "$work/munge"
dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$work/munge/munge.key"
socket="$work/munge/munge.socket"
munged --foreground --force --socket="$socket" --key-file="$work/munge/munge.key" \
    --log-file="$work/munge/munged.log" --pid-file="$work/munge/munged.pid" \
    --seed-file="$work/munge/munged.seed" 2>>"$work/munge/munged.err" &
pids+=($!)
for _ in $(seq 50); do [ -S "$socket" ] && break; sleep 0.1; done
munge -n -S "$socket" | unmunge -S "$socket" >/dev/null || fail "munged does not answer ($work/munge)"
say "munged started"

# SLURM: one node (this machine) with all its cores, one partition, no accounting, no cgroups.
node=$(hostname -s)
cpus=$(nproc)
port=$((20000 + ($$ % 20000) * 2))
mkdir -p "$work/state" "$work/spool"
export SLURM_CONF="$work/slurm.conf"
cat >"$SLURM_CONF" <<EOF
ClusterName=towngov-test
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
MinJobAge=600
KillWait=5
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=towngov Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -D -i -f "$SLURM_CONF" 2>>"$work/slurmctld.err" &
pids+=($!)
slurmd -D -N "$node" -f "$SLURM_CONF" 2>>"$work/slurmd.err" &
pids+=($!)
for _ in $(seq 120); do
    state=$(sinfo -h -n "$node" -o %t 2>/dev/null || true)
    [ "$state" = idle ] && break
    sleep 0.5
done
[ "$state" = idle ] || fail "the node is not idle after 60 s (state '$state')"
say "slurmctld and slurmd started: node $node, $cpus CPUs, partition towngov"

# One job: `towngov slurm`, submit.sh, wait for both jobs, compare with one machine.
run_job() {
    local kind=$1 file=$2 shards=$3 dir="$work/$1"
    local t0
    t0=$(date +%s.%N)
    "$towngov" slurm "$file" --shards "$shards" --out "$dir" --cpus-per-task 1 >/dev/null
    "$dir/submit.sh"
    read -r array merge <"$dir/jobs.txt"
    for _ in $(seq 1200); do
        [ -z "$(squeue -h -j "$array,$merge" -o %i 2>/dev/null)" ] && break
        sleep 0.5
    done
    [ -z "$(squeue -h -j "$array,$merge" -o %i)" ] || fail "$kind: jobs still queued after 10 min"
    [ -f "$dir/merged/$( [ "$kind" = sweep ] && echo sweep.json || echo runs.csv )" ] \
        || fail "$kind: no merged files (logs: $(cat "$dir"/logs/*.out 2>/dev/null | tail -5))"
    local t1
    t1=$(date +%s.%N)
    say "$kind: $shards array tasks and the merge ran on SLURM in $(echo "$t1 - $t0" | bc | xargs printf '%.1f') s (jobs $array, $merge)"
    "$towngov" "$kind" "$file" --out "$work/$kind-one-machine" --quiet
    say "$kind: the same on one machine in $(echo "$(date +%s.%N) - $t1" | bc | xargs printf '%.1f') s"
    local n=0
    # A JSON file is compared up to its invocation block (the last entry: the command line
    # and threads of whoever wrote it, here the merge job's).
    before_invocation() { sed '/"invocation": {/,$d' "$1"; }
    for f in "$work/$kind-one-machine"/*; do
        case "$f" in
        *.json) cmp -s <(before_invocation "$f") <(before_invocation "$dir/merged/$(basename "$f")") ;;
        *) cmp -s "$f" "$dir/merged/$(basename "$f")" ;;
        esac || fail "$kind: merged $(basename "$f") differs from the one-machine run"
        n=$((n + 1))
    done
    say "$kind: all $n merged files are byte-identical to the one-machine run (JSON up to its invocation) ($(cd "$dir/merged" && ls | tr '\n' ' '))"
}

run_job sweep "$repo/scenarios/experiments/levers.sweep.ron" 4
if "$towngov" sensitivity --help | grep -q -- '--shard'; then
    run_job sensitivity "$repo/scenarios/experiments/levers.sensitivity.ron" 4
else
    say "sensitivity: skipped, this towngov has no sensitivity shards (\`towngov sensitivity --shard\`)"
fi
say "passed; stopping the daemons"
