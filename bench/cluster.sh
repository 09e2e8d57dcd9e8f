#!/usr/bin/env bash
# Throughput of one hot experiment (10 arms) on 1 and on 3 silos of one PostgreSQL-backed
# cluster: wrk drives every silo at once (64 connections shared out), the figures are summed.
#
#   bench/cluster.sh [seconds]    (needs wrk and BANDITS_BENCH_POSTGRES; ./build.sh bench-cluster sets both)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
duration="${1:-15}"
: "${BANDITS_BENCH_POSTGRES:?set BANDITS_BENCH_POSTGRES (./build.sh bench-cluster does)}"
build_release src/Bandits.Server

wrk_every_silo() { # seconds script path connections output-folder: one wrk per silo, all at once
  local url loads=()
  for url in "${silo_urls[@]}"; do
    wrk -t1 -c"$4" -d"${1}s" -s "bench/$2" "$url$3" >"$5/${url##*:}" &
    loads+=($!)
    started $!
  done
  wait_started "${loads[@]}"
}

run() { # silos
  local count="$1" cluster="bench-$RANDOM" silo_pids=() i endpoint script out
  silo_urls=()
  create_postgres_database bandits_cluster
  for i in $(seq 1 "$count"); do
    start_server "$bench_dir/silo-$count-$i.log" Storage__Provider=Postgres \
      Storage__ConnectionString="$postgres_connection" Cluster__ClusterId="$cluster"
    silo_pids+=("$server_pid")
    silo_urls+=("$server_url")
  done
  create_experiment "${silo_urls[0]}" hot
  for endpoint in choose rewards; do
    script=choose.lua
    [[ "$endpoint" == rewards ]] && script=reward.lua
    out="$bench_dir/wrk-$count-$endpoint"
    mkdir -p "$out"
    wrk_every_silo 5 "$script" "/v1/experiments/hot/$endpoint" $((64 / count)) "$out" # warm-up
    wrk_every_silo "$duration" "$script" "/v1/experiments/hot/$endpoint" $((64 / count)) "$out"
    # Reported, not fatal: an overloaded silo may answer choose with 503 when it cannot keep
    # its copy of the experiment valid (docs/api.md, Errors).
    if cat "$out"/* | grep -q "Non-2xx"; then echo "$endpoint on $count silos: $(cat "$out"/* | grep Non-2xx)" >&2; fi
    printf '%-6s %-8s %10s req/s\n' "$count" "$endpoint" "$(cat "$out"/* | awk '/Requests\/sec/ {sum += $2} END {printf "%.0f", sum}')"
  done
  stop_started "${silo_pids[@]}"
}

echo "silos  endpoint   throughput (one hot experiment, PostgreSQL, ${duration}s, $(nproc) cores)"
run 1
run 3
