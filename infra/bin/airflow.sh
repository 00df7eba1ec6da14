#!/usr/bin/env bash
# Real Airflow 3 for the clickstream DAGs, in a virtual environment under the build directory.
#   infra/bin/airflow.sh install      link target/airflow/venv to the pinned environment of dags/requirements-lock.txt,
#                                     installed once per machine into ~/.cache/clickstream (cached-venv.sh)
#   infra/bin/airflow.sh test         the DagBag parse test (pytest dags/tests)
#   infra/bin/airflow.sh standalone   Airflow in the foreground: API server + UI on 127.0.0.1:8080, scheduler
#                                     (LocalExecutor), DAG processor, triggerer; SQLite metadata DB in
#                                     target/airflow/home. User admin with a generated password, printed
#                                     once and kept in $AIRFLOW_HOME/passwords.json (mode 0600).
#                                     Ctrl-C (SIGINT) or SIGTERM stops every component.
# Settings (environment, defaults for a 2-core machine): AIRFLOW__API__HOST (127.0.0.1: loopback only),
# AIRFLOW__API__PORT (8080), AIRFLOW__CORE__PARALLELISM (2 LocalExecutor workers), AIRFLOW__API__WORKERS (1).
# The components are started one by one rather than through `airflow standalone`: the scheduler and the
# triggerer run with --skip-serve-logs (their log servers would listen on every interface, with no host
# setting; task logs are read from the shared local log folder), and `standalone` stops its children
# only on SIGINT.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
VENV="$ROOT/target/airflow/venv"
export AIRFLOW_HOME="${AIRFLOW_HOME:-$ROOT/target/airflow/home}"
export AIRFLOW__CORE__DAGS_FOLDER="$ROOT/dags"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export CLICKSTREAM_HOME="$ROOT"
export PATH="$VENV/bin:$PATH"
source "$ROOT/infra/bin/cached-venv.sh"

install() {
  if [ -x "$VENV/bin/airflow" ] && cmp -s "$ROOT/dags/requirements-lock.txt" "$VENV/.installed-lock"; then return; fi
  command -v python3 >/dev/null || { apt-get update -qq && apt-get install -y -qq python3 python3-venv >/dev/null; }
  # The pinned environment is kept in the machine's clickstream cache, keyed by the lock file: see cached-venv.sh.
  cached_venv airflow "$ROOT/dags/requirements-lock.txt" "$VENV"
  echo "Airflow $("$VENV/bin/airflow" version 2>/dev/null | tail -1) in $VENV"
}

case "${1:-}" in
  install) install ;;
  test)
    install
    mkdir -p "$AIRFLOW_HOME"
    cd "$ROOT/dags" && "$VENV/bin/python" -m pytest -q -p no:cacheprovider tests ;;
  standalone|serve)
    install
    mkdir -p "$AIRFLOW_HOME"
    export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS="${AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS:-admin:admin}"
    export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE="${AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE:-$AIRFLOW_HOME/passwords.json}"
    pwfile="$AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"
    if [ ! -s "$pwfile" ]; then
      # A random password, owner-only file, printed this once.
      pw=$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')
      (umask 077 && printf '{"admin": "%s"}\n' "$pw" > "$pwfile")
      echo "Airflow user admin, generated password (printed once; kept in $pwfile, mode 0600): $pw"
    fi
    chmod 600 "$pwfile"
    export AIRFLOW__CORE__EXECUTOR=LocalExecutor
    export AIRFLOW__CORE__AUTH_MANAGER=airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager
    export AIRFLOW__CORE__PARALLELISM="${AIRFLOW__CORE__PARALLELISM:-2}"
    export AIRFLOW__API__HOST="${AIRFLOW__API__HOST:-127.0.0.1}"
    export AIRFLOW__API__PORT="${AIRFLOW__API__PORT:-8080}"
    export AIRFLOW__API__WORKERS="${AIRFLOW__API__WORKERS:-1}"
    export AIRFLOW__CORE__EXECUTION_API_SERVER_URL="${AIRFLOW__CORE__EXECUTION_API_SERVER_URL:-http://127.0.0.1:$AIRFLOW__API__PORT/execution/}"
    airflow db migrate >/dev/null
    pids=()
    airflow api-server --host "$AIRFLOW__API__HOST" --port "$AIRFLOW__API__PORT" --workers "$AIRFLOW__API__WORKERS" & pids+=($!)
    airflow scheduler --skip-serve-logs & pids+=($!)
    airflow dag-processor & pids+=($!)
    airflow triggerer --skip-serve-logs & pids+=($!)
    # Background jobs of a script ignore SIGINT, so Ctrl-C/SIGTERM of this script is forwarded as SIGTERM
    # (every component's graceful stop); the launchers (TiedProcess) then stop the whole process group.
    stop() { trap - INT TERM HUP; kill -TERM "${pids[@]}" 2>/dev/null; wait; }
    trap 'stop; exit 130' INT TERM HUP
    echo "Airflow UI/API: http://$AIRFLOW__API__HOST:$AIRFLOW__API__PORT (user admin, password in $pwfile)"
    rc=0
    wait -n || rc=$?
    echo "an Airflow component exited (status $rc); stopping the others" >&2
    stop
    exit "$rc" ;;
  *) echo "usage: $0 install | test | standalone" >&2; exit 64 ;;
esac
