# Shared by the HTTP benchmarks (service.sh, cluster.sh, run.sh): building, starting the server
# and the bare endpoint, waiting until they are ready, PostgreSQL databases, wrk throughput,
# and one EXIT trap that stops every process the script started, however the script ends.
#
# Source it right after `set -euo pipefail`. It moves to the repository's root and makes
# $bench_dir, a temporary folder for logs and data: removed after a successful run, kept
# (and named on standard error) after a failed one.

cd "$(dirname "${BASH_SOURCE[0]}")/.."

BENCH_KEY="bench-admin-key"
export BANDITS_KEY="$BENCH_KEY" # the wrk scripts send it
bench_dir="$(mktemp -d "${TMPDIR:-/tmp}/bandits-bench.XXXXXX")"
started_pids=()
created_databases=()

# --- processes ----------------------------------------------------------------------------

started() { started_pids+=("$@"); } # pid…: stopped on exit unless stopped or waited for before

forget() { # pid…: no longer ours to stop
  local pid kept=() gone
  for pid in "${started_pids[@]}"; do
    for gone in "$@"; do [[ "$pid" == "$gone" ]] && continue 2; done
    kept+=("$pid")
  done
  started_pids=("${kept[@]}")
}

wait_started() { # pid…: waits for each; returns the last non-zero status
  local pid status=0
  for pid in "$@"; do wait "$pid" || status=$?; done
  forget "$@"
  return "$status"
}

# A graceful stop first (a silo leaves its cluster, the database closes cleanly), then KILL
# for whatever still runs after 30 s, so that no benchmark process outlives its script.
stop_started() { # pid…
  (( $# > 0 )) || return 0
  kill -TERM "$@" 2>/dev/null || true
  local pid deadline=$((SECONDS + 30))
  for pid in "$@"; do
    while kill -0 "$pid" 2>/dev/null && (( SECONDS < deadline )); do sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  forget "$@"
}

on_exit() {
  local status=$?
  stop_started "${started_pids[@]}"
  drop_databases
  if (( status == 0 )); then rm -rf "$bench_dir"; else echo "logs kept in $bench_dir" >&2; fi
}
trap on_exit EXIT
# Ctrl-C or a kill: exit through the EXIT trap too.
trap 'exit 130' INT
trap 'exit 143' TERM

# --- building and starting ----------------------------------------------------------------

build_release() { # project…: Release builds, quiet unless one fails
  local project out
  for project in "$@"; do
    if ! out="$(dotnet build "$project" -c Release -m:2 -nologo -clp:ErrorsOnly 2>&1)"; then
      echo "$out" >&2
      echo "building $project failed" >&2
      exit 1
    fi
  done
}

port_free() { ! (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Below Linux's ephemeral range (32768 and up by default): there the client side of wrk's
# connections takes ports too, and a server could find its port taken between check and bind.
free_port() { # prints a port that is free together with the next two (a silo's silo and gateway ports)
  local port
  while :; do
    port=$((20000 + RANDOM % 12000))
    if port_free "$port" && port_free $((port + 1)) && port_free $((port + 2)); then echo "$port"; return; fi
  done
}

# Polls the URL until it answers 2xx. A process that exits first, or is not ready within
# BANDITS_BENCH_START_SECONDS (60), stops the script with the end of its log.
wait_ready() { # name pid log url [curl option…]
  local name="$1" pid="$2" log="$3" url="$4"
  shift 4
  local deadline=$((SECONDS + ${BANDITS_BENCH_START_SECONDS:-60}))
  until curl -sf -o /dev/null --max-time 2 "$@" "$url"; do
    if ! kill -0 "$pid" 2>/dev/null; then not_ready "$name exited before it was ready" "$log"; fi
    if (( SECONDS >= deadline )); then not_ready "$name was not ready after ${BANDITS_BENCH_START_SECONDS:-60} s" "$log"; fi
    sleep 0.2
  done
}

not_ready() { # message log
  echo "$1 ($2); its last lines:" >&2
  tail -n 40 "$2" | sed 's/^/  /' >&2
  exit 1
}

# A Bandits server on free ports, with the benchmarks' admin key and warnings-only logs, plus
# the settings given (configuration keys as environment variables); the build of this checkout
# unless $server_dll names another. Sets server_pid and server_url once it is ready.
start_server() { # log [Setting=value…]
  local log="$1" port
  shift
  port="$(free_port)"
  server_url="http://127.0.0.1:$port"
  env ASPNETCORE_ENVIRONMENT=Production Urls="$server_url" \
    Auth__Keys__0__Name=bench Auth__Keys__0__Key="$BENCH_KEY" Auth__Keys__0__Roles__0=admin \
    Cluster__SiloPort=$((port + 1)) Cluster__GatewayPort=$((port + 2)) Cluster__AdvertisedAddress=127.0.0.1 \
    Serilog__MinimumLevel__Default=Warning "$@" \
    dotnet "${server_dll:-src/Bandits.Server/bin/Release/net10.0/Bandits.Server.dll}" >>"$log" 2>&1 &
  server_pid=$!
  started "$server_pid"
  wait_ready "the server" "$server_pid" "$log" "$server_url/health/ready"
}

# The suite's limit, bench/Bandits.Bench.Bare, in a process of its own. Sets bare_pid and bare_url.
start_bare() { # log
  local log="$1" port
  port="$(free_port)"
  bare_url="http://127.0.0.1:$port"
  dotnet bench/Bandits.Bench.Bare/bin/Release/net10.0/Bandits.Bench.Bare.dll --urls "$bare_url" >>"$log" 2>&1 &
  bare_pid=$!
  started "$bare_pid"
  wait_ready "the bare endpoint" "$bare_pid" "$log" "$bare_url/choose" -X POST
}

create_experiment() { # server-url id: ten arms, a … j
  curl -sf -o /dev/null -X PUT -H "Authorization: Bearer $BENCH_KEY" -H 'Content-Type: application/json' \
    -d '{"arms":["a","b","c","d","e","f","g","h","i","j"]}' "$1/v1/experiments/$2"
}

# --- PostgreSQL ---------------------------------------------------------------------------

postgres_field() { # name [default]: one field of BANDITS_BENCH_POSTGRES
  local value
  value="$(sed -nE "s/(^|.*;) *$1=([^;]*).*/\\2/p" <<<"$BANDITS_BENCH_POSTGRES")"
  echo "${value:-${2:-}}"
}

postgres_sql() { # database statement
  PGPASSWORD="$(postgres_field Password)" psql -h "$(postgres_field Host 127.0.0.1)" -p "$(postgres_field Port 5432)" \
    -U "$(postgres_field Username postgres)" -d "$1" -v ON_ERROR_STOP=1 -qc "$2" >/dev/null
}

# A fresh database on BANDITS_BENCH_POSTGRES's server, dropped on exit. Sets postgres_connection.
create_postgres_database() { # name-prefix
  : "${BANDITS_BENCH_POSTGRES:?set BANDITS_BENCH_POSTGRES to a PostgreSQL connection string}"
  local db="${1}_$$_$RANDOM"
  postgres_sql postgres "CREATE DATABASE $db" || { echo "could not create database $db" >&2; exit 1; }
  created_databases+=("$db")
  if [[ "$BANDITS_BENCH_POSTGRES" == *Database=* ]]; then
    postgres_connection="$(sed -E "s/Database=[^;]*/Database=$db/" <<<"$BANDITS_BENCH_POSTGRES")"
  else
    postgres_connection="${BANDITS_BENCH_POSTGRES%;};Database=$db"
  fi
}

drop_databases() {
  local db
  for db in "${created_databases[@]}"; do
    postgres_sql postgres "DROP DATABASE IF EXISTS $db WITH (FORCE)" || echo "could not drop database $db" >&2
  done
  created_databases=()
}

# --- wrk ----------------------------------------------------------------------------------

# Closed-loop maximum throughput: wrk -t2 for warm-up seconds (not counted), then for the
# measured seconds. Sets `throughput` (req/s). An answer other than 2xx stops the script:
# a fast error is not throughput.
wrk_throughput() { # warmup-seconds seconds script url [connections]
  local out
  wrk -t2 -c"${5:-64}" -d"${1}s" -s "bench/$3" "$4" >/dev/null
  out="$(wrk -t2 -c"${5:-64}" -d"${2}s" -s "bench/$3" "$4")"
  if grep -q "Non-2xx" <<<"$out"; then echo "$3 on $4: $(grep Non-2xx <<<"$out")" >&2; exit 1; fi
  if grep -q "Socket errors" <<<"$out"; then echo "$3 on $4: $(grep "Socket errors" <<<"$out")" >&2; fi
  throughput="$(awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out")"
}
