#!/usr/bin/env bash
# Throughput of one hot experiment (10 arms) through HTTP, measured with wrk on 127.0.0.1:
# choose, and durable single rewards, on the embedded SQLite default and on PostgreSQL.
#
#   bench/service.sh [seconds]     (default 10 s per run; needs wrk: apt-get install wrk)
#
# PostgreSQL runs when BANDITS_BENCH_POSTGRES holds a connection string to a server where a
# database may be created; ./build.sh bench-service starts a throwaway one and sets it.
# BANDITS_BENCH_SKIP_EMBEDDED leaves the embedded default out.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
duration="${1:-10}"
build_release src/Bandits.Server

run() { # provider [Setting=value…]
  local provider="$1" endpoint script
  shift
  mkdir -p "$bench_dir/$provider"
  start_server "$bench_dir/$provider/server.log" Storage__Provider="$provider" Storage__DataDirectory="$bench_dir/$provider" "$@"
  create_experiment "$server_url" hot
  for endpoint in choose rewards; do
    script=choose.lua
    [[ "$endpoint" == rewards ]] && script=reward.lua
    # 5 s of warm-up first: tiered JIT, pools.
    wrk_throughput 5 "$duration" "$script" "$server_url/v1/experiments/hot/$endpoint"
    printf '%-10s %-8s %10s req/s\n' "$provider" "$endpoint" "$throughput"
  done
  stop_started "$server_pid"
}

echo "provider   endpoint   throughput (wrk -t2 -c64, ${duration}s, $(nproc) cores)"
[[ -n "${BANDITS_BENCH_SKIP_EMBEDDED:-}" ]] || run Embedded
if [[ -n "${BANDITS_BENCH_POSTGRES:-}" ]]; then
  create_postgres_database bandits_bench
  run Postgres Storage__ConnectionString="$postgres_connection"
fi
