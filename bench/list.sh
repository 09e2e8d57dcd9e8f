#!/usr/bin/env bash
# The experiments list with many idle experiments: COUNT experiments are created, the server is
# restarted (nothing loaded), and the list is read: the first page cold and warm (latency
# percentiles), a search, and paging through all of them, with the server's RSS before and after.
#
#   bench/list.sh [count…]      (default 10000 100000; ./build.sh bench-list)
#
# PostgreSQL runs too when BANDITS_BENCH_POSTGRES names a server where a database may be created.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
counts=("$@")
[[ ${#counts[@]} -eq 0 ]] && counts=(10000 100000)
build_release src/Bandits.Server bench/Bandits.Bench.List
tool=bench/Bandits.Bench.List/bin/Release/net10.0/Bandits.Bench.List.dll

run() { # provider count [Setting=value…]
  local provider="$1" count="$2"
  shift 2
  local dir="$bench_dir/$provider-$count"
  mkdir -p "$dir"
  echo "### $provider, $count idle experiments"
  echo
  start_server "$dir/server.log" Storage__Provider="$provider" Storage__DataDirectory="$dir" "$@"
  dotnet "$tool" create --server "$server_url" --key "$BENCH_KEY" --count "$count"
  # Killed: every experiment's line was written when it was created; a restart loads none. The
  # new silo starts a cluster of its own, so it does not wait for the killed one to be declared dead.
  kill -9 "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  forget "$server_pid"
  start_server "$dir/server.log" Storage__Provider="$provider" Storage__DataDirectory="$dir" Cluster__ClusterId="list-$RANDOM" "$@"
  dotnet "$tool" measure --server "$server_url" --key "$BENCH_KEY" --pid "$server_pid"
  echo
  stop_started "$server_pid"
}

for count in "${counts[@]}"; do
  postgres_connection=""
  run Embedded "$count"
  if [[ -n "${BANDITS_BENCH_POSTGRES:-}" ]]; then
    create_postgres_database bandits_list
    run Postgres "$count" Storage__ConnectionString="$postgres_connection"
  fi
done
