#!/usr/bin/env bash
# README's two commands on a fresh machine, for real: a minimal Debian bookworm root
# (debootstrap --variant=minbase: no compiler, no git, no certificates, no pkg-config) with
# nothing added but Rust, a clone of this repository in it, and then exactly
#
#   cargo run --release              (the main job)
#   cargo test --release --locked    (the test command)
#
# as a new user would run them, each timed, with the test counts. Rust is this machine's own
# toolchain (~/.rustup and ~/.cargo/bin, mounted read-only: rustup cannot download here); the
# crates come from crates.io through cargo. Nothing else is installed in the root unless README
# says so: the prerequisites README names (Rust and the C compiler rustup asks for as its
# linker, and the certificates cargo needs to reach crates.io) are installed with apt-get inside
# the root first, and listed in the log; everything after that must pass as it is.
#
# Opt-in, not part of `cargo test`: it needs root, debootstrap (installed with apt-get when
# missing), Debian's mirror and crates.io, about 300 MB for the root and 2 GB for its build,
# and a full release build (about 10 minutes on 2 idle cores). The root is kept between runs
# (outside the repository): TOWNGOV_FRESH_ROOT (default /tmp/towngov-fresh);
# TOWNGOV_FRESH_NEW=1 makes it anew; TOWNGOV_FRESH_BARE=1 skips the prerequisites below. TOWNGOV_FRESH_CI=1 also runs `bash .ci/run` inside.
#
#   sudo scripts/fresh-machine-test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
root=${TOWNGOV_FRESH_ROOT:-/tmp/towngov-fresh}
say() { printf 'fresh-machine: %s\n' "$*"; }
fail() { printf 'fresh-machine: FAILED: %s\n' "$*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || fail "run as root (debootstrap, chroot and mounts need it)"
case "$root" in "$repo"|"$repo"/*) fail "TOWNGOV_FRESH_ROOT must be outside the repository" ;; esac
rustup_home=${RUSTUP_HOME:-$HOME/.rustup}
cargo_bin=${CARGO_HOME:-$HOME/.cargo}/bin
[ -x "$cargo_bin/cargo" ] || fail "no Rust toolchain at $cargo_bin (install Rust first)"

if [ "${TOWNGOV_FRESH_NEW:-0}" = 1 ] && [ -d "$root" ]; then
    say "removing the old root $root"
    rm -rf --one-file-system "$root"
fi
if [ ! -e "$root/.debootstrapped" ]; then
    command -v debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq debootstrap; }
    say "debootstrap --variant=minbase bookworm $root"
    debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >"$root.debootstrap.log" 2>&1 \
        || fail "debootstrap failed (see $root.debootstrap.log)"
    touch "$root/.debootstrapped"
fi

mounts=()
cleanup() {
    local i
    for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -l "${mounts[i]}" 2>/dev/null || true; done
}
trap cleanup EXIT
bind() { # bind SOURCE TARGET [ro]
    [ -e "$2" ] || mkdir -p "$2"
    mount --bind "$1" "$2"
    mounts+=("$2")
    if [ "${3:-}" = ro ]; then mount -o remount,bind,ro "$2"; fi
}
mount -t proc proc "$root/proc" && mounts+=("$root/proc")
bind /dev "$root/dev"
bind /dev/pts "$root/dev/pts"
bind "$rustup_home" "$root/opt/rustup" ro
bind "$cargo_bin" "$root/opt/cargo-bin" ro
cp /etc/resolv.conf "$root/etc/resolv.conf"
# This machine's own trust (a network whose proxy re-signs https, as here, needs its certificate
# authority): its bundle, read-only, named by the variables cargo and curl read. Not a package.
host_ca=${SSL_CERT_FILE:-}
if [ -n "$host_ca" ] && [ -f "$host_ca" ]; then
    mkdir -p "$root/opt/host-ca" && touch "$root/opt/host-ca/bundle.crt"
    bind "$host_ca" "$root/opt/host-ca/bundle.crt" ro
    ca_env="SSL_CERT_FILE=/opt/host-ca/bundle.crt CARGO_HTTP_CAINFO=/opt/host-ca/bundle.crt"
else
    ca_env=""
fi

# As the user would: a login shell with Rust on the PATH, a home of its own, no CI variable.
in_root() {
    chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
        PATH=/opt/cargo-bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        RUSTUP_HOME=/opt/rustup CARGO_HOME=/root/.cargo RUSTUP_TOOLCHAIN="${RUSTUP_TOOLCHAIN:-$(rustup show active-toolchain | cut -d" " -f1)}" \
        TOWNGOV_SKIP_BROWSER="${TOWNGOV_SKIP_BROWSER:-}" $ca_env \
        /bin/bash -c "$1"
}
say "in the root: $(in_root 'cargo --version; rustc --version' | tr '\n' ' ')"

# What README says besides Rust (its "The two commands" section): the prerequisites of Rust
# itself. A machine that installed Rust with rustup has them (curl and its certificates to run
# rustup's installer; a C compiler, which rustup asks for, as the linker).
# TOWNGOV_FRESH_BARE=1 leaves them out, to see what fails without them.
prereqs="ca-certificates gcc libc6-dev"
if [ "${TOWNGOV_FRESH_BARE:-0}" = 1 ]; then
    say "bare: not installing $prereqs"
else
    say "installing README's prerequisites of Rust: $prereqs"
    in_root "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $prereqs >/dev/null" \
        || fail "apt-get inside the root"
fi

# A clone of the committed tree (what a new user gets), made from outside: git is not needed
# inside.
rm -rf "$root/root/towngov"
git clone -q --no-hardlinks "$repo" "$root/root/towngov"
say "cloned $(git -C "$repo" rev-parse --short HEAD) into $root/root/towngov"

status=0
run_step() { # run_step NAME COMMAND
    local t=$(date +%s) rc=0
    say "$1: $2"
    in_root "cd /root/towngov && $2" >"$root/$1.log" 2>&1 || rc=$?
    say "$1: exit $rc after $(($(date +%s) - t)) s (log: $root/$1.log)"
    grep -E '^test result:' "$root/$1.log" | sed 's/^/fresh-machine:   /' || true
    if [ "$rc" -ne 0 ]; then
        tail -n 30 "$root/$1.log" | sed 's/^/fresh-machine:   | /'
        status=1
    fi
}
run_step main-job "cargo run --release"
run_step test-command "cargo test --release --locked"
if [ "${TOWNGOV_FRESH_CI:-0}" = 1 ]; then
    run_step ci "CI=true bash .ci/run"
fi
[ "$status" -eq 0 ] || fail "a README command failed on the fresh machine"
say "passed: README's two commands on a fresh Debian bookworm with Rust"
