#!/usr/bin/env bash
# One entry point for building and testing Bandits.
#
#   ./build.sh test     build everything in Release and run every test project
#   ./build.sh build    build only
#   ./build.sh bench    run the Bandits.Core micro-benchmarks (BenchmarkDotNet; minutes)
#
# Needs only the .NET 10 SDK. Prints a closing line "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

build() {
  dotnet build Bandits.sln -c Release -m:2 -nologo -clp:ErrorsOnly
}

run_tests() {
  local log
  log="$(mktemp)"
  trap 'rm -f "$log"' RETURN
  local status=0
  dotnet test Bandits.sln -c Release --no-build -nologo 2>&1 | tee "$log" || status=$?
  # Each test assembly prints "Passed!  - Failed: F, Passed: P, Skipped: S, Total: T, ...".
  awk -F'[:,]' '/(Passed|Failed)! +- Failed:/ { f += $2; p += $4; s += $6; n++ }
    END {
      if (n == 0) { print "no test assembly reported results"; exit 1 }
      printf "%d passed, %d failed, %d skipped\n", p, f, s
    }' "$log" || status=1
  return "$status"
}

case "${1:-test}" in
  build) build ;;
  test) build && run_tests ;;
  bench)
    dotnet run -c Release --project tests/Bandits.Core.Benchmarks -- --filter '*' --job short "${@:2}"
    ;;
  *)
    echo "usage: $0 [test|build|bench]" >&2
    exit 2
    ;;
esac
