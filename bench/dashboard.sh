#!/usr/bin/env bash
# How long the dashboard takes to draw the page of a 30-day experiment by the hour (target ≤ 1 s),
# in Debian's headless Chromium against a real server: see bench/Bandits.Bench.Dashboard.
#
#   bench/dashboard.sh [loads]      (default 10; ./build.sh bench-dashboard)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
build_release src/Bandits.Server bench/Bandits.Bench.Dashboard
dotnet bench/Bandits.Bench.Dashboard/bin/Release/net10.0/Bandits.Bench.Dashboard.dll "${1:-10}"
