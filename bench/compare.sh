#!/usr/bin/env bash
# The cost of a change on the suite's hot paths: the server of this checkout and the server of
# an earlier commit (exported with git archive and built beside it), running side by side on the
# embedded SQLite default, measured in alternating rounds (which one goes first alternates too,
# so drift of the machine falls on both): choose with a userId and one reward per request, as in
# the suite (bench/run.sh), after a warm-up of both. The suite's limit, the bare endpoint in its
# own process (bench/Bandits.Bench.Bare), is measured in every round too, and each throughput is
# also given as a ratio to it, as in the suite.
#
#   bench/compare.sh <commit> [rounds] [choose|reward]      (default 3 rounds of both; ./build.sh bench-compare <commit>)
#
# Prints each round's throughputs, their ratios to the bare endpoint's of the same round and the
# ratio after ÷ before, then the median of that ratio per path.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
before="${1:?usage: bench/compare.sh <commit> [rounds]}"
rounds="${2:-3}"
only="${3:-}"
duration=10

mkdir -p "$bench_dir/before-src"
git archive "$before" | tar -x -C "$bench_dir/before-src"
build_release src/Bandits.Server bench/Bandits.Bench.Bare "$bench_dir/before-src/src/Bandits.Server"

mkdir -p "$bench_dir/before" "$bench_dir/after"
server_dll="$bench_dir/before-src/src/Bandits.Server/bin/Release/net10.0/Bandits.Server.dll" \
  start_server "$bench_dir/before.log" Storage__DataDirectory="$bench_dir/before"
before_url="$server_url"
server_dll="" start_server "$bench_dir/after.log" Storage__DataDirectory="$bench_dir/after"
after_url="$server_url"
start_bare "$bench_dir/bare.log"
for url in "$before_url" "$after_url"; do create_experiment "$url" hot; done

paths=()
[[ "$only" == reward ]] || paths+=("choose-user.lua /v1/experiments/hot/choose")
[[ "$only" == choose ]] || paths+=("reward.lua /v1/experiments/hot/rewards")
for _ in 1 2; do # the JIT keeps tiering up under load
  wrk -t2 -c64 -d5s -s bench/choose-user.lua "$bare_url/v1/experiments/hot/choose" >/dev/null
  for entry in "${paths[@]}"; do
    read -r script path <<<"$entry"
    for url in "$before_url" "$after_url"; do wrk -t2 -c64 -d5s -s "bench/$script" "$url$path" >/dev/null; done
  done
done

declare -A ratios
echo "| round | path | bare endpoint | before (÷ bare) | after (÷ bare) | after ÷ before |"
echo "| --- | --- | ---: | ---: | ---: | ---: |"
for round in $(seq 1 "$rounds"); do
  wrk_throughput 1 "$duration" choose-user.lua "$bare_url/v1/experiments/hot/choose"; bare="$throughput"
  for entry in "${paths[@]}"; do
    read -r script path <<<"$entry"
    if (( round % 2 == 1 )); then
      wrk_throughput 1 "$duration" "$script" "$before_url$path"; b="$throughput"
      wrk_throughput 1 "$duration" "$script" "$after_url$path"; a="$throughput"
    else
      wrk_throughput 1 "$duration" "$script" "$after_url$path"; a="$throughput"
      wrk_throughput 1 "$duration" "$script" "$before_url$path"; b="$throughput"
    fi
    ratio="$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", a / b }')"
    ratios[$script]+="$ratio "
    printf '| %d | %s | %s req/s | %s req/s (%s) | %s req/s (%s) | %s |\n' "$round" "${script%.lua}" "$bare" \
      "$b" "$(awk -v x="$b" -v y="$bare" 'BEGIN { printf "%.2f", x / y }')" "$a" "$(awk -v x="$a" -v y="$bare" 'BEGIN { printf "%.2f", x / y }')" "$ratio"
  done
done
for entry in "${paths[@]}"; do
  read -r script _ <<<"$entry"
  printf 'median after ÷ before, %s: %s\n' "${script%.lua}" "$(tr ' ' '\n' <<<"${ratios[$script]}" | grep . | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')"
done
