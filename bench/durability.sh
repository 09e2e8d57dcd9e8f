#!/usr/bin/env bash
# What Storage:Durability costs: durable single rewards on one hot experiment, for Flush (each
# group commit waits for the disk) and Process (acknowledged once the database holds it), on the
# embedded SQLite default and on PostgreSQL: the latency one client sees (one connection, one
# reward at a time) and the throughput of many clients (wrk -c64).
#
#   bench/durability.sh [seconds]      (default 10 s per run; ./build.sh bench-durability)
#
# PostgreSQL runs when BANDITS_BENCH_POSTGRES names a server where a database may be created.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
duration="${1:-10}"
build_release src/Bandits.Server

run() { # provider durability [Setting=value…]
  local provider="$1" durability="$2" out latency single
  shift 2
  mkdir -p "$bench_dir/$provider-$durability"
  start_server "$bench_dir/$provider-$durability/server.log" Storage__Provider="$provider" \
    Storage__DataDirectory="$bench_dir/$provider-$durability" Storage__Durability="$durability" "$@"
  create_experiment "$server_url" hot
  local url="$server_url/v1/experiments/hot/rewards"
  wrk -t1 -c1 -d3s -s bench/reward.lua "$url" >/dev/null
  out="$(wrk -t1 -c1 -d"${duration}s" --latency -s bench/reward.lua "$url")"
  if grep -q "Non-2xx" <<<"$out"; then echo "single client on $provider: $(grep Non-2xx <<<"$out")" >&2; exit 1; fi
  single="$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out")"
  latency="$(awk '$1 == "50%" {p50 = $2} $1 == "99%" {p99 = $2} END {print p50 " / " p99}' <<<"$out")"
  wrk_throughput 5 "$duration" reward.lua "$url"
  printf '| %s | %s | %s | %s req/s | %s req/s |\n' "$provider" "$durability" "$latency" "$single" "$throughput"
  stop_started "$server_pid"
}

echo "| storage | Storage:Durability | one client: p50 / p99 | one client | 64 clients |"
echo "| --- | --- | --- | --- | --- |"
for durability in Flush Process; do
  [[ -n "${BANDITS_BENCH_SKIP_EMBEDDED:-}" ]] || run Embedded "$durability"
  if [[ -n "${BANDITS_BENCH_POSTGRES:-}" ]]; then
    create_postgres_database bandits_durability
    run Postgres "$durability" Storage__ConnectionString="$postgres_connection"
  fi
done
