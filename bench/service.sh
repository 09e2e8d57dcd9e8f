#!/usr/bin/env bash
# Throughput of one hot experiment (10 arms) through HTTP, measured with wrk on 127.0.0.1:
# choose, and durable single rewards, on the embedded SQLite default and on PostgreSQL.
#
#   bench/service.sh [seconds]     (default 10 s per run; needs wrk: apt-get install wrk)
#
# PostgreSQL runs when BANDITS_BENCH_POSTGRES holds a connection string to a server where a
# database may be created; ./build.sh bench-service starts a throwaway one and sets it.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10}"
key="bench-admin-key"
dotnet build src/Bandits.Server -c Release -m:2 -nologo -clp:ErrorsOnly >/dev/null

run() { # provider connection-string
  local provider="$1" connection="${2:-}" data port pid
  data="$(mktemp -d)"
  port=$((20000 + RANDOM % 20000))
  ASPNETCORE_ENVIRONMENT=Production Urls="http://127.0.0.1:$port" Storage__Provider="$provider" \
    Storage__DataDirectory="$data" Storage__ConnectionString="$connection" \
    Auth__Keys__0__Name=bench Auth__Keys__0__Key="$key" Auth__Keys__0__Roles__0=admin \
    Cluster__SiloPort=$((port + 1)) Cluster__GatewayPort=$((port + 2)) Cluster__AdvertisedAddress=127.0.0.1 \
    Serilog__MinimumLevel__Default=Warning \
    dotnet src/Bandits.Server/bin/Release/net10.0/Bandits.Server.dll >"$data/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.2; done
  local base="http://127.0.0.1:$port/v1/experiments/hot"
  curl -sf -X PUT -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
    -d '{"arms":["a","b","c","d","e","f","g","h","i","j"]}' "$base" >/dev/null
  for endpoint in choose rewards; do
    local script=bench/choose.lua
    [[ "$endpoint" == rewards ]] && script=bench/reward.lua
    BANDITS_KEY="$key" wrk -t2 -c64 -d5s -s "$script" "$base/$endpoint" >/dev/null # warm-up: tiered JIT, pools
    local rps
    rps="$(BANDITS_KEY="$key" wrk -t2 -c64 -d"${duration}s" --latency -s "$script" "$base/$endpoint" \
      | awk '/Requests\/sec/ {print $2} /Non-2xx/ {print "ERRORS " $0 > "/dev/stderr"}')"
    printf '%-10s %-8s %10s req/s\n' "$provider" "$endpoint" "$rps"
  done
  kill -TERM "$pid"; wait "$pid" || true
  rm -rf "$data"
}

echo "provider   endpoint   throughput (wrk -t2 -c64, ${duration}s, $(nproc) cores)"
[[ -n "${BANDITS_BENCH_SKIP_EMBEDDED:-}" ]] || run Embedded
if [[ -n "${BANDITS_BENCH_POSTGRES:-}" ]]; then
  db="bandits_bench_$RANDOM"
  field() { sed -nE "s/.*$1=([^;]*).*/\1/p" <<<"$BANDITS_BENCH_POSTGRES"; }
  PGPASSWORD="$(field Password)" psql -h "$(field Host)" -p "$(field Port)" -U "$(field Username)" -d postgres \
    -qc "CREATE DATABASE $db" >/dev/null
  run Postgres "$(sed -E "s/Database=[^;]*/Database=$db/" <<<"$BANDITS_BENCH_POSTGRES")"
fi
