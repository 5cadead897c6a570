#!/usr/bin/env bash
# Benchmarks pman against podman and raw runc on this machine; see docs/performance.md.
# Usage: bench/run.sh [--only run,memory,throughput,exec] [--engines pman,podman,runc]
#                     [--runs N] [--size 1G] [--update-docs] [--help]
set -euo pipefail
cd "$(dirname "$0")/.."

for arg in "$@"; do
  case $arg in -h|--help) exec node bench/run.mjs --help ;; esac
done
[ "$(id -u)" -eq 0 ] || { echo "bench: run as root: pman, podman and runc are compared rootful" >&2; exit 1; }
for tool in node runc podman tar; do
  command -v "$tool" >/dev/null || { echo "bench: $tool not found (run ./install.sh)" >&2; exit 1; }
done
exec node bench/run.mjs "$@"
