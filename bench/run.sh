#!/usr/bin/env bash
# The benchmark suite: every figure of docs/benchmarks.md "Suite" in one run, on one machine.
#
#   bench/run.sh                 (./build.sh bench-suite installs wrk and PostgreSQL and runs this)
#
# For the embedded default and for PostgreSQL (BANDITS_BENCH_POSTGRES): the limit (a constant
# answered by the same host, auth and middleware), choose on one hot experiment and spread over
# 1,000, durable single rewards, batches of 100, an 80/20 mix, and choose's p50/p99 at half its
# maximum rate (with the constant answer's p99 at the same pacing); then, on the embedded default, memory per active 10-arm experiment (100,000 of
# them) and the time to re-activate an experiment from storage. Prints a table with each
# figure's ratio to the limit and writes it into docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${BANDITS_BENCH_SECONDS:-10}"
experiments="${BANDITS_BENCH_EXPERIMENTS:-100000}"
key="bench-admin-key"
export BANDITS_KEY="$key"
dotnet build src/Bandits.Server -c Release -m:2 -nologo -clp:ErrorsOnly >/dev/null
results="$(mktemp)"
trap 'kill -TERM "${server:-0}" 2>/dev/null || true' EXIT

start_server() { # provider connection-string data-directory
  port=$((20000 + RANDOM % 20000))
  base="http://127.0.0.1:$port"
  ASPNETCORE_ENVIRONMENT=Production Urls="$base" Storage__Provider="$1" Storage__ConnectionString="$2" \
    Storage__DataDirectory="$3" Benchmark__Baseline=true \
    Auth__Keys__0__Name=bench Auth__Keys__0__Key="$key" Auth__Keys__0__Roles__0=admin \
    Cluster__SiloPort=$((port + 1)) Cluster__GatewayPort=$((port + 2)) Cluster__AdvertisedAddress=127.0.0.1 \
    Serilog__MinimumLevel__Default=Warning \
    dotnet src/Bandits.Server/bin/Release/net10.0/Bandits.Server.dll >>"$3/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 150); do curl -sf "$base/health/ready" >/dev/null && return; sleep 0.2; done
  echo "the server did not start; see $3/server.log" >&2; exit 1
}

stop_server() { kill -TERM "$server"; wait "$server" || true; }

put() { curl -sf -X PUT -H "Authorization: Bearer $key" -H 'Content-Type: application/json' -d "$2" "$base/v1/experiments/$1" >/dev/null; }

rps() { # script path [connections] → requests per second (after a 5 s warm-up); answers other than 2xx are an error
  wrk -t2 -c"${3:-64}" -d5s -s "bench/$1" "$base$2" >/dev/null
  local out
  out="$(wrk -t2 -c"${3:-64}" -d"${duration}s" -s "bench/$1" "$base$2")"
  if grep -q "Non-2xx" <<<"$out"; then echo "$1: $(grep Non-2xx <<<"$out")" >&2; kill -TERM $$; exit 1; fi
  awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out"
}

record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" | tee -a "$results" >&2; } # storage figure value unit

activations() { # active grains, from Orleans' own meter at /metrics
  curl -sf "$base/metrics" | awk '/^microsoft_orleans_orleans_catalog_activations[ {]/ {sum += $NF} END {printf "%d", sum}'
}

# wrk waits out its whole duration even after the script stops its thread, so long runs
# are stopped from here once the server has as many activations as asked.
until_activations() { # count wrk-pid
  while (( $(activations) < $1 )) && kill -0 "$2" 2>/dev/null; do sleep 1; done
  kill -INT "$2" 2>/dev/null || true
  wait "$2" 2>/dev/null || true
}

ms() { awk '{ v = $1; u = $1; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
  if (u == "us") v /= 1000; else if (u == "s") v *= 1000; printf "%.2f", v }' <<<"$1"; }

suite() { # storage provider connection
  local data
  data="$(mktemp -d)"
  start_server "$2" "$3" "$data"
  put hot '{"arms":["a","b","c","d","e","f","g","h","i","j"]}'
  for i in $(seq 0 999); do echo "$i"; done | xargs -P 8 -I{} curl -sf -X PUT -H "Authorization: Bearer $key" \
    -H 'Content-Type: application/json' -d '{"arms":["a","b","c","d","e","f","g","h","i","j"]}' "$base/v1/experiments/spread-{}" -o /dev/null

  # The JIT tiers code up for a while after start (dynamic PGO): exercise every path first,
  # so that figures measured later do not gain from running later.
  for warm in "choose.lua /v1/baseline/choose" "choose.lua /v1/experiments/hot/choose" "spread.lua /" \
    "reward.lua /v1/experiments/hot/rewards" "batch.lua /v1/experiments/hot/rewards"; do
    read -r script path <<<"$warm"
    wrk -t2 -c64 -d"${BANDITS_BENCH_WARMUP:-6}s" -s "bench/$script" "$base$path" >/dev/null
  done

  local limit choose
  limit="$(rps choose.lua /v1/baseline/choose)"; record "$1" "limit: constant choose-shaped answer" "$limit" "req/s"
  choose="$(rps choose.lua /v1/experiments/hot/choose)"; record "$1" "choose, one hot experiment" "$choose" "req/s"
  record "$1" "choose, 1,000 experiments" "$(rps spread.lua /)" "req/s"
  record "$1" "durable single rewards, hot experiment" "$(rps reward.lua /v1/experiments/hot/rewards)" "req/s"
  record "$1" "rewards in batches of 100 (events)" "$(( $(rps batch.lua /v1/experiments/hot/rewards) * 100 ))" "events/s"
  record "$1" "80% choose + 20% rewards" "$(rps mix.lua /)" "req/s"

  # Half of choose's maximum rate: connections that each wait 10 ms between requests, as many
  # as make half the rate (closed loop, so the rate reached is a little lower; it is recorded).
  local connections latency
  connections=$(( choose / 2 / 100 > 1 ? choose / 2 / 100 : 1 ))
  latency="$(BANDITS_DELAY_MS=10 wrk -t2 -c"$connections" -d"${duration}s" --latency -s bench/paced.lua "$base/v1/experiments/hot/choose")"
  record "$1" "choose rate at half load (target $((choose / 2)))" "$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$latency")" "req/s"
  record "$1" "choose p50 at half load" "$(ms "$(awk '$1 == "50%" {print $2}' <<<"$latency")")" "ms"
  record "$1" "choose p99 at half load" "$(ms "$(awk '$1 == "99%" {print $2}' <<<"$latency")")" "ms"
  # The same pacing against the constant answer: the tail that the host and machine alone give.
  latency="$(BANDITS_DELAY_MS=10 wrk -t2 -c"$connections" -d"${duration}s" --latency -s bench/paced.lua "$base/v1/baseline/choose")"
  record "$1" "limit p99 at the same pacing" "$(ms "$(awk '$1 == "99%" {print $2}' <<<"$latency")")" "ms"

  if [[ "$2" == Embedded ]]; then
    local before after heap_before heap_after
    heap_before="$(curl -sf -X POST -H "Authorization: Bearer $key" "$base/v1/baseline/heap")"
    before="$(awk '/VmRSS/ {print $2}' "/proc/$server/status")"
    BANDITS_COUNT="$experiments" wrk -t1 -c32 -d1800s -s bench/create.lua "$base/" >/dev/null &
    until_activations $((experiments + 1001)) $!
    heap_after="$(curl -sf -X POST -H "Authorization: Bearer $key" "$base/v1/baseline/heap")"
    after="$(awk '/VmRSS/ {print $2}' "/proc/$server/status")"
    record "$1" "RSS with $experiments active 10-arm experiments" "$(( after / 1024 ))" "MiB"
    record "$1" "RSS per active experiment" "$(( (after - before) * 1024 / experiments ))" "bytes"
    record "$1" "live managed heap per active experiment" "$(( (heap_after - heap_before) / experiments ))" "bytes"
    stop_server
    start_server "$2" "$3" "$data"
    local touch
    local touches
    touches="$(mktemp)"
    BANDITS_COUNT=2000 wrk -t1 -c8 -d300s --latency -s bench/touch.lua "$base/" >"$touches" &
    until_activations 2000 $!
    touch="$(cat "$touches")"
    rm -f "$touches"
    record "$1" "re-activation from storage p50" "$(ms "$(awk '$1 == "50%" {print $2}' <<<"$touch")")" "ms"
    record "$1" "re-activation from storage p99" "$(ms "$(awk '$1 == "99%" {print $2}' <<<"$touch")")" "ms"
  fi
  stop_server
  rm -rf "$data"
}

suite "SQLite" Embedded ""
if [[ -n "${BANDITS_BENCH_POSTGRES:-}" ]]; then
  field() { sed -nE "s/.*$1=([^;]*).*/\\1/p" <<<"$BANDITS_BENCH_POSTGRES"; }
  db="bandits_suite_$RANDOM"
  psql -h "$(field Host)" -p "$(field Port)" -U "$(field Username)" -d postgres -qc "CREATE DATABASE $db" >/dev/null
  suite "PostgreSQL" Postgres "$(sed -E "s/Database=[^;]*/Database=$db/" <<<"$BANDITS_BENCH_POSTGRES")"
fi

# The table, with each throughput's ratio to the limit of the same storage.
table="$(awk -F'\t' '
  $2 ~ /^limit/ { limit[$1] = $3 }
  { rows[++n] = $0 }
  END {
    print "| storage | figure | value | ratio to the limit |"
    print "| --- | --- | ---: | ---: |"
    for (i = 1; i <= n; i++) {
      split(rows[i], f, "\t")
      ratio = (f[4] == "req/s" && limit[f[1]] > 0) ? sprintf("%.2f×", f[3] / limit[f[1]]) : ""
      printf "| %s | %s | %s %s | %s |\n", f[1], f[2], f[3], f[4], ratio
    }
  }' "$results")"
header="Run $(date -u +%Y-%m-%d) at commit $(git rev-parse --short HEAD) on $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(free -g | awk '/Mem:/ {print $2}') GiB; wrk -t2 -c64, ${duration} s after a 5 s warm-up (and ${BANDITS_BENCH_WARMUP:-6} s of each path after the server started), on the same machine."
echo
echo "$header"
echo "$table"

# Replace the suite section of docs/benchmarks.md.
section="$(printf '<!-- suite:start -->\n%s\n\n%s\n<!-- suite:end -->' "$header" "$table")"
SECTION="$section" python3 - <<'PY' 2>/dev/null || echo "(docs/benchmarks.md not updated: python3 missing)" >&2
import os, re
path = "docs/benchmarks.md"
text = open(path).read()
section = os.environ["SECTION"]
if "<!-- suite:start -->" in text:
    text = re.sub(r"<!-- suite:start -->.*?<!-- suite:end -->", lambda _: section, text, flags=re.S)
else:
    text = text.rstrip() + "\n\n## Suite\n\n```sh\n./build.sh bench-suite\n```\n\n" + section + "\n"
open(path, "w").write(text)
PY
