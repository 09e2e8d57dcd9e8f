#!/usr/bin/env bash
# One entry point for building and testing Bandits.
#
#   ./build.sh test     build everything in Release and run every test project; installs
#                       PostgreSQL from Debian's packages if missing (as root) and starts a
#                       throwaway server on 127.0.0.1 for the tests (BANDITS_TEST_POSTGRES);
#                       installs Chromium for the dashboard's browser tests if missing (as root)
#   ./build.sh build    build only
#   ./build.sh bench    run the Bandits.Core micro-benchmarks (BenchmarkDotNet; minutes)
#   ./build.sh bench-service
#                       HTTP throughput of choose and rewards on SQLite and PostgreSQL (wrk)
#   ./build.sh bench-cluster
#                       the same on 1 and on 3 silos of one cluster
#   ./build.sh bench-durability
#                       durable single rewards under Storage:Durability Flush and Process: one
#                       client's latency and throughput, and 64 clients' throughput
#   ./build.sh bench-history
#                       the analysts' history: 30 days of hourly statistics for 10 arms, read back
#                       over HTTP (latency percentiles), on SQLite and PostgreSQL
#   ./build.sh bench-list [count…]
#                       the experiments list with 10,000 and 100,000 idle experiments after a restart:
#                       first page latency percentiles, and the server's RSS while paging through all
#   ./build.sh bench-dashboard
#                       how long the dashboard draws a 30-day experiment page, in Debian's Chromium
#   ./build.sh bench-compare <commit>
#                       the suite's choose and reward rows of this checkout against an earlier
#                       commit's server, side by side in alternating rounds
#   ./build.sh bench-suite
#                       every service benchmark, with ratios to the HTTP limit (a bare endpoint in its
#                       own process), open-loop latency, into docs/benchmarks.md
#
# The bench-service, bench-cluster, bench-durability, bench-history, bench-list, bench-compare and bench-suite entries install wrk if missing, start a
# throwaway PostgreSQL unless BANDITS_BENCH_POSTGRES (or BANDITS_TEST_POSTGRES) names one,
# and run their script under bench/, which builds in Release what it runs.
#
# Needs the .NET 10 SDK. Prints a closing line "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

build() {
  dotnet build Bandits.sln -c Release -m:2 -nologo -clp:ErrorsOnly
}

# Starts a throwaway PostgreSQL on 127.0.0.1 (data directory under a temp folder) unless
# BANDITS_TEST_POSTGRES already names one; stops it and removes it on exit.
start_postgres() {
  if [[ -n "${BANDITS_TEST_POSTGRES:-}" ]]; then return; fi
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [[ -z "$bin" ]]; then
    if [[ "$(id -u)" -ne 0 ]]; then
      echo "PostgreSQL is not installed: run 'apt-get install -y postgresql' as root, or set BANDITS_TEST_POSTGRES." >&2
      exit 1
    fi
    echo "Installing PostgreSQL from Debian's packages..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  fi

  PG_DIR="$(mktemp -d /tmp/bandits-postgres.XXXXXX)"
  local port
  for port in $(seq 55432 55632); do
    (echo > "/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
  done
  # initdb refuses to run as root: run the server as the postgres user then.
  local as=()
  if [[ "$(id -u)" -eq 0 ]]; then
    chown postgres "$PG_DIR"
    as=(runuser -u postgres --)
  fi
  # Checked explicitly: errexit does not apply inside a function called from an && list.
  "${as[@]}" "$bin/initdb" -D "$PG_DIR/data" -A trust -U postgres >/dev/null || { echo "initdb failed" >&2; exit 1; }
  if ! "${as[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
    -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null; then
    echo "PostgreSQL did not start; its log:" >&2
    cat "$PG_DIR/server.log" >&2
    exit 1
  fi
  PG_STOP=("${as[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -m immediate stop)
  trap stop_postgres EXIT
  export BANDITS_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}

stop_postgres() {
  "${PG_STOP[@]}" >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}

# The dashboard's browser tests drive Debian's Chromium (Playwright's own browser download is
# not used): installed from Debian's packages if missing, as root.
ensure_chromium() {
  if [[ -x /usr/bin/chromium ]]; then return; fi
  if [[ "$(id -u)" -ne 0 ]]; then
    echo "Chromium is not installed: run 'apt-get install -y chromium' as root (the dashboard tests need /usr/bin/chromium)." >&2
    exit 1
  fi
  echo "Installing Chromium from Debian's packages..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
}

run_tests() {
  local log
  log="$(mktemp)"
  trap 'rm -f "$log"' RETURN
  local status=0 project
  # One test project at a time: the server and cluster tests start real processes, and two
  # of those suites at once would compete for the two cores and time out.
  for project in tests/*/*.Tests.csproj; do
    dotnet test "$project" -c Release --no-build -nologo 2>&1 | tee -a "$log" || status=$?
  done
  # Each test assembly prints "Passed!  - Failed: F, Passed: P, Skipped: S, Total: T, ...".
  awk -F'[:,]' '/(Passed|Failed)! +- Failed:/ { f += $2; p += $4; s += $6; n++ }
    END {
      if (n == 0) { print "no test assembly reported results"; exit 1 }
      printf "%d passed, %d failed, %d skipped\n", p, f, s
    }' "$log" || status=1
  return "$status"
}

http_bench() { # script [argument…]
  command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
  if [[ -z "${BANDITS_BENCH_POSTGRES:-}" ]]; then
    start_postgres
    export BANDITS_BENCH_POSTGRES="$BANDITS_TEST_POSTGRES"
  fi
  "$@"
}

case "${1:-test}" in
  build) build ;;
  test) build && start_postgres && ensure_chromium && run_tests ;;
  bench)
    dotnet run -c Release --project tests/Bandits.Core.Benchmarks -- --filter '*' --job short "${@:2}"
    ;;
  bench-service) http_bench bench/service.sh "${@:2}" ;;
  bench-cluster) http_bench bench/cluster.sh "${@:2}" ;;
  bench-durability) http_bench bench/durability.sh "${@:2}" ;;
  bench-history) http_bench bench/history.sh "${@:2}" ;;
  bench-list) http_bench bench/list.sh "${@:2}" ;;
  bench-compare) http_bench bench/compare.sh "${@:2}" ;;
  bench-dashboard) ensure_chromium && bench/dashboard.sh "${@:2}" ;;
  bench-suite) http_bench bench/run.sh ;;
  *)
    echo "usage: $0 [test|build|bench|bench-service|bench-cluster|bench-durability|bench-history|bench-compare|bench-dashboard|bench-suite]" >&2
    exit 2
    ;;
esac
