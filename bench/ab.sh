#!/usr/bin/env bash
# A/B of one path of the service against the bare endpoint, alternating on one machine, for
# quick checks of a change between full suite runs: the service (embedded SQLite) and the bare
# endpoint run side by side; after a warm-up of both, each round measures one, then the other.
#
#   bench/ab.sh [path] [wrk script] [rounds] [Setting=value…]
#   bench/ab.sh /v1/baseline/choose choose-user.lua 2 Auth__Disabled=true
#
# Prints each round's throughputs and their ratio (the service's ÷ the bare endpoint's).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
path="${1:-/v1/experiments/hot/choose}"
script="${2:-choose-user.lua}"
rounds="${3:-2}"
shift $(( $# < 3 ? $# : 3 ))
build_release src/Bandits.Server bench/Bandits.Bench.Bare
start_server "$bench_dir/server.log" Storage__DataDirectory="$bench_dir" Benchmark__Baseline=true "$@"
start_bare "$bench_dir/bare.log"
create_experiment "$server_url" hot
for _ in 1 2; do # 24 s of warm-up in all: the JIT keeps tiering up under load
  wrk -t2 -c64 -d6s -s "bench/$script" "$server_url$path" >/dev/null
  wrk -t2 -c64 -d6s -s "bench/$script" "$bare_url/v1/experiments/hot/choose" >/dev/null
done
for round in $(seq 1 "$rounds"); do
  wrk_throughput 1 8 "$script" "$server_url$path"
  service="$throughput"
  wrk_throughput 1 8 "$script" "$bare_url/v1/experiments/hot/choose"
  printf 'round %d: %s %s req/s, bare endpoint %s req/s, ratio %s\n' "$round" "$path" "$service" "$throughput" \
    "$(awk -v a="$service" -v b="$throughput" 'BEGIN { printf "%.2f", a / b }')"
done
