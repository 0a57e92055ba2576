#!/usr/bin/env bash
# The Debian package, built and installed for real: builds it with cargo-deb (installed from
# crates.io with `cargo install cargo-deb --locked` when missing), installs it with dpkg, and
# checks the installed program from an empty folder away from the source tree: `towngov
# --version`, the main job, every installed scenario checked and one run, and `towngov serve`
# on 127.0.0.1 (the page, a control, a foreign Host refused), bounded and then stopped. The
# package is removed again at the end unless it was installed before.
#
# Opt-in, not part of `cargo test`: it needs a release build (minutes on 2 cores the first
# time), root or sudo, and dpkg. Run it from anywhere: scripts/deb-test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
as_root=""
if [ "$(id -u)" -ne 0 ]; then as_root="sudo"; fi
say() { printf 'deb-test: %s\n' "$*"; }
fail() { printf 'deb-test: FAILED: %s\n' "$*" >&2; exit 1; }
seconds() { date +%s%N; }
since() { local ms=$((($(date +%s%N) - $1) / 1000000)); printf '%d.%d s' $((ms / 1000)) $((ms % 1000 / 100)); }

if ! cargo deb --version >/dev/null 2>&1; then
    say "installing cargo-deb from crates.io"
    cargo install cargo-deb --locked
fi
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)

t=$(seconds)
cargo deb --locked --strip  # line tables are for developers: the package ships a stripped binary
deb=$(ls -t target/debian/towngov_"$version"-*.deb | head -1)
say "built $deb ($(du -h "$deb" | cut -f1)) in $(since "$t")"
contents=$(dpkg-deb --contents "$deb")
for path in ./usr/bin/towngov ./usr/share/towngov/scenarios/classroom.ron \
    ./usr/share/towngov/scenarios/docking/mmc.ron \
    ./usr/share/towngov/scenarios/experiments/levers.sweep.ron \
    ./usr/share/doc/towngov/copyright; do
    grep -q " $path\$" <<<"$contents" || fail "$deb lacks $path"
done

installed_before=no
if dpkg -s towngov >/dev/null 2>&1; then installed_before=yes; fi
work=$(mktemp -d)
server=""
cleanup() {
    if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; fi
    if [ "$installed_before" = no ] && dpkg -s towngov >/dev/null 2>&1; then
        $as_root dpkg -r towngov >/dev/null
        say "removed the package again"
    fi
    rm -rf "$work"
}
trap cleanup EXIT
$as_root dpkg -i "$deb" >/dev/null
say "installed with dpkg -i: $(dpkg-query -W -f='${Package} ${Version}, ${Installed-Size} KiB, depends on ${Depends}' towngov)"

cd "$work"  # nothing below may come from the source tree
bin=/usr/bin/towngov
[ "$(command -v towngov)" = "$bin" ] || fail "towngov on PATH is $(command -v towngov), not $bin"
"$bin" --version | grep -qx "towngov $version" || fail "towngov --version printed $("$bin" --version)"
say "towngov --version: $("$bin" --version)"

t=$(seconds)
timeout 600 "$bin" >main.txt
grep -q "comparison of 2 options" main.txt || fail "the main job printed no comparison"
[ -s towngov-report/report.html ] && [ -s towngov-report/runs.csv ] || fail "the main job wrote no report"
say "the main job (towngov): $(grep -E '^[0-9]+ runs in' main.txt | sed 's/\.$//'); $(since "$t") in all"

"$bin" check /usr/share/towngov/scenarios/*.ron /usr/share/towngov/scenarios/docking/*.ron >/dev/null
"$bin" run /usr/share/towngov/scenarios/full_reform.ron --days 30 --out run -q
[ "$(wc -l <run/daily.csv)" -eq 31 ] || fail "run/daily.csv does not have 30 days"
say "towngov check of the installed scenarios, and a run of full_reform.ron: ok"

"$bin" serve /usr/share/towngov/scenarios/classroom.ron --port 0 >serve.txt 2>&1 &
server=$!
addr=""
for _ in $(seq 100); do
    addr=$(grep -o 'http://127\.0\.0\.1:[0-9]*' serve.txt | head -1 || true)
    [ -n "$addr" ] && break
    kill -0 "$server" 2>/dev/null || fail "towngov serve stopped: $(cat serve.txt)"
    sleep 0.1
done
[ -n "$addr" ] || fail "towngov serve printed no address: $(cat serve.txt)"
curl -fsS --max-time 10 "$addr/" | grep -q "towngov" || fail "$addr/ is not the page"
step=$(curl -fsS --max-time 30 -H 'Content-Type: application/json' -d '{"days": 30}' "$addr/api/step")
grep -q '"day":30' <<<"$step" || fail "POST /api/step did not reach day 30: $step"
foreign=$(curl -sS --max-time 10 -o /dev/null -w '%{http_code}' -H 'Host: attacker.example' "$addr/api/state")
[ "$foreign" = 403 ] || fail "a foreign Host got $foreign, not 403"
kill "$server"
wait "$server" 2>/dev/null || true
server=""
say "towngov serve on ${addr#http://}: the page, 30 days stepped, a foreign Host refused; stopped"
say "passed ($(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo "?"))"
