#!/usr/bin/env bash
# The analysts' history on a long-running experiment: 30 days of hourly statistics for 10 arms
# (seeded into the rollups as such an experiment leaves them), read back over HTTP on loopback:
# GET …/history for 30 days at 1h (the issue's target: p99 ≤ 50 ms), 24 hours at 1m, and
# GET …/stats?at=. Latency is timed by the client, so it bounds the server's time from above.
#
#   bench/history.sh [requests]      (default 200 per row; ./build.sh bench-history)
#
# PostgreSQL runs too when BANDITS_BENCH_POSTGRES names a server where a database may be created.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
requests="${1:-200}"
build_release src/Bandits.Server bench/Bandits.Bench.History

run() { # provider [Setting=value…]
  local provider="$1"
  shift
  mkdir -p "$bench_dir/$provider"
  start_server "$bench_dir/$provider/server.log" Storage__Provider="$provider" Storage__DataDirectory="$bench_dir/$provider" "$@"
  echo "### $provider"
  echo
  dotnet bench/Bandits.Bench.History/bin/Release/net10.0/Bandits.Bench.History.dll --server "$server_url" --key "$BENCH_KEY" \
    --data "$bench_dir/$provider" ${postgres_connection:+--postgres "$postgres_connection"} --requests "$requests"
  echo
  stop_started "$server_pid"
}

postgres_connection=""
run Embedded
if [[ -n "${BANDITS_BENCH_POSTGRES:-}" ]]; then
  create_postgres_database bandits_history
  run Postgres Storage__ConnectionString="$postgres_connection"
fi
