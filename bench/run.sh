#!/usr/bin/env bash
# The benchmark suite: every figure of docs/benchmarks.md "Suite" in one run, on one machine.
#
#   bench/run.sh                 (./build.sh bench-suite installs wrk and PostgreSQL and runs this)
#
# The limit is bench/Bandits.Bench.Bare, a bare ASP.NET Core endpoint in its own process that
# answers a constant choose-shaped JSON: what HTTP alone reaches here. For the embedded default
# and for PostgreSQL (BANDITS_BENCH_POSTGRES), with wrk at full speed: the bare endpoint, the
# same constant answered by the server (what its host, auth and middleware cost), choose on one
# hot experiment and spread over 1,000, durable single rewards, batches of 100, an 80/20 mix.
# Then, open loop (bench/Bandits.Bench.Load): choose at half of the rate wrk reached, and the
# bare endpoint at the same rate. On the embedded default last: memory per active 10-arm
# experiment and the time to re-activate one from storage. Prints a table in which every
# throughput is divided by the bare endpoint's of the same run, with the targets, and writes
# it into docs/benchmarks.md.
#
# Environment: BANDITS_BENCH_SECONDS (10) per measured run, BANDITS_BENCH_RUN_WARMUP (5) before
# each, BANDITS_BENCH_WARMUP (6) of every path after the server starts, BANDITS_BENCH_EXPERIMENTS
# (100000) for the memory figures; BANDITS_BENCH_SKIP_EMBEDDED, BANDITS_BENCH_SKIP_MEMORY and
# BANDITS_BENCH_SKIP_DOCS leave parts out (a partial run never rewrites the docs).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

duration="${BANDITS_BENCH_SECONDS:-10}"
run_warmup="${BANDITS_BENCH_RUN_WARMUP:-5}"
path_warmup="${BANDITS_BENCH_WARMUP:-6}"
experiments="${BANDITS_BENCH_EXPERIMENTS:-100000}"
results="$bench_dir/results.tsv"
echo "logs: $bench_dir" >&2

build_release src/Bandits.Server bench/Bandits.Bench.Bare bench/Bandits.Bench.Load
start_bare "$bench_dir/bare.log"

# One row: storage, key, figure, value, unit, kind, target. Only "throughput" rows are divided
# by the bare endpoint's; a target is "bare>=x" or "choose>=x" (a ratio to that row) or ">=x" /
# "<=x" (the value itself).
row() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$storage" "$@" | tee -a "$results" >&2; }
record_throughput() { row "$1" "$2" "$3" req/s throughput "${4:-}"; } # key figure value [target]
record() { row "$1" "$2" "$3" "$4" other "${5:-}"; }                 # key figure value unit [target]

# Open-loop latency at a fixed rate; sets `open_loop` to the generator's name=value line. Its
# report for people goes to the log, and to the terminal if it fails (too many errors).
measure_open_loop() { # url rate
  local log="$bench_dir/load.log"
  if ! open_loop="$(dotnet bench/Bandits.Bench.Load/bin/Release/net10.0/Bandits.Bench.Load.dll --url "$1" --method POST \
    --header "Authorization: Bearer $BENCH_KEY" --body '{"userId":"u-42"}' \
    --rate "$2" --seconds "$duration" --warmup "$run_warmup" 2>>"$log")"; then
    echo "the open-loop run against $1 at $2 req/s failed:" >&2
    tail -n 5 "$log" >&2
    exit 1
  fi
  open_loop="$(tail -n 1 <<<"$open_loop")"
}
open_field() { tr ' ' '\n' <<<"$open_loop" | sed -n "s/^$1=//p"; } # name

activations() { # active grains, from Orleans' own meter at /metrics
  curl -sf "$server_url/metrics" | awk '/^microsoft_orleans_orleans_catalog_activations[ {]/ {sum += $NF} END {printf "%d", sum}'
}

# wrk waits out its whole duration even after the script stops its thread, so long runs
# are stopped from here once the server has as many activations as asked.
until_activations() { # count wrk-pid
  while (( $(activations) < $1 )) && kill -0 "$2" 2>/dev/null; do sleep 1; done
  kill -INT "$2" 2>/dev/null || true
  wait_started "$2" || true
}

ms() { awk '{ v = $1; u = $1; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
  if (u == "us") v /= 1000; else if (u == "s") v *= 1000; printf "%.2f", v }' <<<"$1"; }

# Memory per active experiment and re-activation from storage (embedded default only: the
# figures are the service's, not the database's). Restarts the server with the same settings.
memory_figures() { # Setting=value… of the running server
  local before after heap_before heap_after
  local cold=$(( experiments / 10 < 200 ? experiments / 10 : 200 ))
  local touches=$(( experiments - cold < 2000 ? experiments - cold : 2000 ))
  heap_before="$(curl -sf -X POST -H "Authorization: Bearer $BENCH_KEY" "$server_url/v1/baseline/heap")"
  before="$(awk '/VmRSS/ {print $2}' "/proc/$server_pid/status")"
  BANDITS_COUNT="$experiments" wrk -t1 -c32 -d1800s -s bench/create.lua "$server_url/" >/dev/null &
  started $!
  until_activations $((experiments + 1001)) $!
  heap_after="$(curl -sf -X POST -H "Authorization: Bearer $BENCH_KEY" "$server_url/v1/baseline/heap")"
  after="$(awk '/VmRSS/ {print $2}' "/proc/$server_pid/status")"
  record rss "RSS with $experiments active 10-arm experiments" "$(( after / 1024 ))" MiB
  record rss-each "RSS per active experiment" "$(( (after - before) * 1024 / experiments ))" bytes
  record heap-each "live managed heap per active experiment" "$(( (heap_after - heap_before) / experiments ))" bytes

  # After the restart, the first requests also wait for the JIT to compile what they run: they
  # are timed apart, on experiments of their own, so that the re-activation rows time storage.
  stop_started "$server_pid"
  start_server "$bench_dir/$storage/server.log" "$@"
  BANDITS_COUNT="$cold" wrk -t1 -c8 -d300s --latency -s bench/touch.lua "$server_url/" >"$bench_dir/cold.txt" &
  started $!
  until_activations "$cold" $!
  record reactivation-cold-p99 "re-activation p99 of the first $cold after the restart (code still compiling)" \
    "$(ms "$(awk '$1 == "99%" {print $2}' "$bench_dir/cold.txt")")" ms
  BANDITS_OFFSET="$cold" BANDITS_COUNT="$touches" wrk -t1 -c8 -d300s --latency -s bench/touch.lua "$server_url/" >"$bench_dir/touch.txt" &
  started $!
  until_activations $((cold + touches)) $!
  record reactivation-p50 "re-activation from storage p50 (the next $touches, 8 at a time)" "$(ms "$(awk '$1 == "50%" {print $2}' "$bench_dir/touch.txt")")" ms
  record reactivation-p99 "re-activation from storage p99 (the next $touches, 8 at a time)" "$(ms "$(awk '$1 == "99%" {print $2}' "$bench_dir/touch.txt")")" ms "<=100"
}

suite() { # storage Setting=value…
  storage="$1"
  shift
  mkdir -p "$bench_dir/$storage"
  local settings=(Storage__DataDirectory="$bench_dir/$storage" Benchmark__Baseline=true "$@")
  start_server "$bench_dir/$storage/server.log" "${settings[@]}"
  create_experiment "$server_url" hot
  seq 0 999 | xargs -P 8 -I{} curl -sf -o /dev/null -X PUT -H "Authorization: Bearer $BENCH_KEY" -H 'Content-Type: application/json' \
    -d '{"arms":["a","b","c","d","e","f","g","h","i","j"]}' "$server_url/v1/experiments/spread-{}"

  # The JIT tiers code up for a while after start (dynamic PGO): exercise every path first,
  # so that figures measured later do not gain from running later.
  local warm script url
  for warm in "choose-user.lua $bare_url/v1/experiments/hot/choose" "choose-user.lua $server_url/v1/baseline/choose" \
    "choose-user.lua $server_url/v1/experiments/hot/choose" "spread.lua $server_url/" \
    "reward.lua $server_url/v1/experiments/hot/rewards" "batch.lua $server_url/v1/experiments/hot/rewards"; do
    read -r script url <<<"$warm"
    wrk -t2 -c64 -d"${path_warmup}s" -s "bench/$script" "$url" >/dev/null
  done

  # Maximum throughput, closed loop (wrk -t2 -c64). The three choose-shaped rows send the same
  # request, a sticky user's ({"userId": …}); only choose reads it.
  local choose
  wrk_throughput "$run_warmup" "$duration" choose-user.lua "$bare_url/v1/experiments/hot/choose"
  record_throughput bare "bare endpoint, own process (the limit)" "$throughput"
  wrk_throughput "$run_warmup" "$duration" choose-user.lua "$server_url/v1/baseline/choose"
  record_throughput constant "same-host constant (host, auth, middleware; no grain)" "$throughput" "bare>=0.9"
  wrk_throughput "$run_warmup" "$duration" choose-user.lua "$server_url/v1/experiments/hot/choose"
  choose="$throughput"
  record_throughput choose "choose for a sticky user, one hot experiment" "$choose" "bare>=0.75"
  wrk_throughput "$run_warmup" "$duration" spread.lua "$server_url/"
  record_throughput choose-spread "choose, 1,000 experiments" "$throughput" "choose>=0.8"
  wrk_throughput "$run_warmup" "$duration" reward.lua "$server_url/v1/experiments/hot/rewards"
  record_throughput rewards "durable single rewards, hot experiment" "$throughput" "choose>=0.5"
  wrk_throughput "$run_warmup" "$duration" batch.lua "$server_url/v1/experiments/hot/rewards"
  record batched "rewards in batches of 100 (events)" "$(( throughput * 100 ))" events/s ">=200000"
  wrk_throughput "$run_warmup" "$duration" mix.lua "$server_url/"
  record_throughput mix "80% choose + 20% rewards" "$throughput"

  # Latency at half of choose's maximum rate, open loop: requests leave on a Poisson schedule
  # whatever the answers do, and latency runs from each intended send time. The bare endpoint
  # at the same rate shows the tail that the machine and HTTP alone give.
  local rate=$(( choose / 2 > 1 ? choose / 2 : 1 ))
  measure_open_loop "$server_url/v1/experiments/hot/choose" "$rate"
  record half-rate "choose, open loop at half its maximum ($rate req/s intended): rate reached" "$(printf '%.0f' "$(open_field rate)")" req/s
  record half-late "choose, open loop: requests sent over 1 ms late (of $(open_field requests))" "$(open_field late)" requests
  record half-p50 "choose p50 at half its maximum rate, open loop" "$(open_field p50_ms)" ms
  record half-p99 "choose p99 at half its maximum rate, open loop" "$(open_field p99_ms)" ms "<=5"
  record half-p999 "choose p99.9 at half its maximum rate, open loop" "$(open_field p99_9_ms)" ms
  measure_open_loop "$bare_url/v1/experiments/hot/choose" "$rate"
  record bare-half-p50 "bare endpoint p50 at the same rate, open loop" "$(open_field p50_ms)" ms
  record bare-half-p99 "bare endpoint p99 at the same rate, open loop" "$(open_field p99_ms)" ms

  if [[ "$storage" == SQLite && -z "${BANDITS_BENCH_SKIP_MEMORY:-}" ]]; then memory_figures "${settings[@]}"; fi
  stop_started "$server_pid"
}

[[ -n "${BANDITS_BENCH_SKIP_EMBEDDED:-}" ]] || suite SQLite Storage__Provider=Embedded
if [[ -n "${BANDITS_BENCH_POSTGRES:-}" ]]; then
  create_postgres_database bandits_suite
  suite PostgreSQL Storage__Provider=Postgres Storage__ConnectionString="$postgres_connection"
fi

[[ -s "$results" ]] || { echo "nothing measured: BANDITS_BENCH_SKIP_EMBEDDED is set and BANDITS_BENCH_POSTGRES is not" >&2; exit 1; }

# The table. Ratios divide a throughput by the bare endpoint's of the same storage's run;
# latency, memory and event rows get none. Targets are checked here, from the same figures.
table="$(awk -F'\t' '
  function grouped(x,   s, out) { s = sprintf("%d", x); while (length(s) > 3) { out = "," substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) } return s out }
  { rows[++n] = $0; value[$1, $2] = $4 }
  END {
    print "| storage | figure | value | ÷ bare endpoint | target | met |"
    print "| --- | --- | ---: | ---: | --- | --- |"
    for (i = 1; i <= n; i++) {
      split(rows[i], f, "\t") # storage key figure value unit kind target
      bare = value[f[1], "bare"]
      ratio = (f[6] == "throughput" && bare > 0) ? sprintf("%.2f×", f[4] / bare) : ""
      target = ""; met = ""
      if (f[7] != "") {
        match(f[7], /^[a-z]*/); reference = substr(f[7], 1, RLENGTH)
        op = substr(f[7], RLENGTH + 1, 2); bound = substr(f[7], RLENGTH + 3) + 0
        sign = (op == ">=") ? "≥" : "≤"
        if (reference == "") { measured = f[4]; target = sprintf("%s %s %s", sign, grouped(bound), f[5]) }
        else {
          base = value[f[1], reference]; measured = (base > 0) ? f[4] / base : ""
          target = sprintf("%s %.2f× %s", sign, bound, reference == "bare" ? "bare endpoint" : reference)
          if (reference != "bare" && measured != "") target = target sprintf(" (is %.2f×)", measured)
        }
        if (measured != "") met = ((op == ">=") ? measured >= bound : measured <= bound) ? "yes" : "no"
      }
      printf "| %s | %s | %s %s | %s | %s | %s |\n", f[1], f[3], f[4], f[5], ratio, target, met
    }
  }' "$results")"
header="Run $(date -u +%Y-%m-%d) at commit $(git rev-parse --short HEAD) on $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(free -g | awk '/Mem:/ {print $2}') GiB, everything on the same machine. Throughput: wrk -t2 -c64, ${duration} s after a ${run_warmup} s warm-up (and ${path_warmup} s of each path after the server started). Latency: open loop, Poisson arrivals, ${duration} s after a ${run_warmup} s warm-up, from each request's intended send time."
echo
echo "$header"
echo "$table"

if [[ -n "${BANDITS_BENCH_SKIP_DOCS:-}${BANDITS_BENCH_SKIP_EMBEDDED:-}${BANDITS_BENCH_SKIP_MEMORY:-}" || -z "${BANDITS_BENCH_POSTGRES:-}" ]]; then
  echo "(a partial run: docs/benchmarks.md not updated)" >&2
  exit 0
fi
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
