#!/usr/bin/env bash
# The dashboard's browser test (tests/it/browser.rs): `towngov serve` driven by headless
# Chromium. A step of its own, because it needs a browser that `cargo test` cannot provide:
# this script installs Debian's chromium and a Chinese font (for the 中文 screenshot) when they
# are missing (apt-get, as root or through sudo), then runs the test. Elsewhere, point
# TOWNGOV_CHROMIUM at a Chromium or Chrome binary and the script installs nothing.
# Screenshots go to target/browser/.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${TOWNGOV_CHROMIUM:-}" ] && ! dpkg -s chromium fonts-wqy-microhei >/dev/null 2>&1; then
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "error: no chromium and no apt-get: install Chromium and set TOWNGOV_CHROMIUM=/path/to/chromium" >&2
        exit 2
    fi
    as_root=""
    if [ "$(id -u)" -ne 0 ]; then as_root="sudo"; fi
    $as_root apt-get update
    DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y --no-install-recommends chromium fonts-wqy-microhei
fi
cargo test --release --locked --test it browser:: -- --ignored
