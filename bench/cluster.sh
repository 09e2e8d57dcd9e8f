#!/usr/bin/env bash
# Throughput of one hot experiment (10 arms) on 1 and on 3 silos of one PostgreSQL-backed
# cluster: wrk drives every silo at once (64 connections shared out), the figures are summed.
#
#   bench/cluster.sh [seconds]    (needs wrk and BANDITS_BENCH_POSTGRES; ./build.sh bench-cluster sets both)
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-15}"
key="bench-admin-key"
: "${BANDITS_BENCH_POSTGRES:?set BANDITS_BENCH_POSTGRES (./build.sh bench-cluster does)}"
dotnet build src/Bandits.Server -c Release -m:2 -nologo -clp:ErrorsOnly >/dev/null
field() { sed -nE "s/.*$1=([^;]*).*/\\1/p" <<<"$BANDITS_BENCH_POSTGRES"; }
logs="$(mktemp -d)"
echo "silo logs: $logs"

pids=()
# A silo that fails to start stops the script: never leave the others running.
trap 'kill -TERM "${pids[@]}" 2>/dev/null || true' EXIT

run() { # silos
  local count="$1" db ports=() cluster="bench-$RANDOM"
  pids=()
  db="bandits_cluster_$RANDOM"
  psql -h "$(field Host)" -p "$(field Port)" -U "$(field Username)" -d postgres -qc "CREATE DATABASE $db" >/dev/null
  local connection
  connection="$(sed -E "s/Database=[^;]*/Database=$db/" <<<"$BANDITS_BENCH_POSTGRES")"
  for i in $(seq 1 "$count"); do
    local port=$((21000 + RANDOM % 20000))
    ASPNETCORE_ENVIRONMENT=Production Urls="http://127.0.0.1:$port" Storage__Provider=Postgres \
      Storage__ConnectionString="$connection" Cluster__ClusterId="$cluster" \
      Cluster__SiloPort=$((port + 1)) Cluster__GatewayPort=$((port + 2)) Cluster__AdvertisedAddress=127.0.0.1 \
      Auth__Keys__0__Name=bench Auth__Keys__0__Key="$key" Auth__Keys__0__Roles__0=admin \
      Serilog__MinimumLevel__Default=Warning \
      dotnet src/Bandits.Server/bin/Release/net10.0/Bandits.Server.dll >"$logs/silo-$count-$i.log" 2>&1 &
    pids+=($!)
    ports+=("$port")
    for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.2; done
    curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null || { echo "silo $i did not start; see $logs/silo-$count-$i.log" >&2; exit 1; }
  done
  curl -sf -X PUT -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
    -d '{"arms":["a","b","c","d","e","f","g","h","i","j"]}' "http://127.0.0.1:${ports[0]}/v1/experiments/hot" >/dev/null
  for endpoint in choose rewards; do
    local script=bench/choose.lua total=0 connections=$((64 / count)) out
    [[ "$endpoint" == rewards ]] && script=bench/reward.lua
    out="$(mktemp -d)"
    local loads=()
    for port in "${ports[@]}"; do # warm-up on every silo at once
      BANDITS_KEY="$key" wrk -t1 -c"$connections" -d5s -s "$script" "http://127.0.0.1:$port/v1/experiments/hot/$endpoint" >/dev/null &
      loads+=($!)
    done
    wait "${loads[@]}"
    loads=()
    for port in "${ports[@]}"; do # the measured run
      BANDITS_KEY="$key" wrk -t1 -c"$connections" -d"${duration}s" -s "$script" "http://127.0.0.1:$port/v1/experiments/hot/$endpoint" >"$out/$port" &
      loads+=($!)
    done
    wait "${loads[@]}"
    total="$(cat "$out"/* | awk '/Requests\/sec/ {sum += $2} END {printf "%.0f", sum}')"
    printf '%-6s %-8s %10s req/s\n' "$count" "$endpoint" "$total"
    rm -rf "$out"
  done
  kill -TERM "${pids[@]}"; wait "${pids[@]}" 2>/dev/null || true
}

echo "silos  endpoint   throughput (one hot experiment, PostgreSQL, ${duration}s, $(nproc) cores)"
run 1
run 3
