#!/usr/bin/env bash
# Stops the broker that start.sh started for the same KAFKA_PORT / KAFKA_RUN_DIR, and only that one.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
port="${KAFKA_PORT:-9092}"
run_dir="${KAFKA_RUN_DIR:-$here/.run/$port}"
pid_file="$run_dir/kafka.pid"
[ -f "$pid_file" ] || { echo "kafka:stop: no broker recorded in $run_dir" >&2; exit 0; }
pid="$(cat "$pid_file")"
if kill -0 "$pid" 2>/dev/null; then
  kill "$pid"
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
fi
rm -f "$pid_file"
echo "kafka:stop: stopped broker $pid" >&2
