#!/usr/bin/env bash
# Runs every fuzz target (src/fuzz/) for N inputs each (default 1,000,000) in a release build,
# on stable Rust, and prints per target the inputs, seconds, inputs/s and panics. Exits non-zero
# if any input panicked; those inputs are saved in target/fuzz/ (replay one with
# `cargo run --release --example fuzz -- --target NAME --replay FILE`).
#
#   scripts/fuzz.sh [N] [more flags of examples/fuzz.rs, e.g. --seed 2 --target kb_flat]
set -euo pipefail
cd "$(dirname "$0")/.."
inputs=${1:-1000000}
shift || true
cargo build --release --quiet --example fuzz
exec target/release/examples/fuzz --inputs "$inputs" "$@"
