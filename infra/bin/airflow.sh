#!/usr/bin/env bash
# Real Airflow 3 for the clickstream DAGs, in a virtual environment under the build directory.
#   infra/bin/airflow.sh install      create target/airflow/venv from dags/requirements-lock.txt (pinned), once
#   infra/bin/airflow.sh test         the DagBag parse test (pytest dags/tests)
#   infra/bin/airflow.sh standalone   Airflow standalone (API server + UI on :8080, scheduler, dag processor,
#                                     triggerer; SQLite metadata DB and LocalExecutor in target/airflow/home)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
VENV="$ROOT/target/airflow/venv"
export AIRFLOW_HOME="${AIRFLOW_HOME:-$ROOT/target/airflow/home}"
export AIRFLOW__CORE__DAGS_FOLDER="$ROOT/dags"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export CLICKSTREAM_HOME="$ROOT"
export PATH="$VENV/bin:$PATH"

install() {
  if [ -x "$VENV/bin/airflow" ] && cmp -s "$ROOT/dags/requirements-lock.txt" "$VENV/.installed-lock"; then return; fi
  local t0=$SECONDS
  echo "Installing Airflow into $VENV (pinned: dags/requirements-lock.txt) ..."
  command -v python3 >/dev/null || { apt-get update -qq && apt-get install -y -qq python3 python3-venv >/dev/null; }
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r "$ROOT/dags/requirements-lock.txt"
  cp "$ROOT/dags/requirements-lock.txt" "$VENV/.installed-lock"
  echo "Airflow installed in $((SECONDS - t0)) s: $("$VENV/bin/airflow" version 2>/dev/null | tail -1)"
}

case "${1:-}" in
  install) install ;;
  test)
    install
    mkdir -p "$AIRFLOW_HOME"
    cd "$ROOT/dags" && "$VENV/bin/python" -m pytest -q -p no:cacheprovider tests ;;
  standalone)
    install
    mkdir -p "$AIRFLOW_HOME"
    [ -f "$AIRFLOW_HOME/passwords.json" ] || echo '{"admin": "admin"}' > "$AIRFLOW_HOME/passwords.json"
    export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS=admin:admin
    export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE="$AIRFLOW_HOME/passwords.json"
    echo "Airflow UI/API: http://127.0.0.1:8080 (admin / $(python3 -c "import json;print(json.load(open('$AIRFLOW_HOME/passwords.json'))['admin'])"))"
    exec "$VENV/bin/airflow" standalone ;;
  *) echo "usage: $0 install | test | standalone" >&2; exit 64 ;;
esac
