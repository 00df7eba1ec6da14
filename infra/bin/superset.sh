#!/usr/bin/env bash
# Real Apache Superset (the BI front end over Trino) in a virtual environment under the build directory.
#   infra/bin/superset.sh install   link target/superset/venv to the pinned environment of infra/superset/requirements-lock.txt,
#                                   installed once per machine into ~/.cache/clickstream (cached-venv.sh)
#   infra/bin/superset.sh serve     Superset in the foreground (gunicorn) on $SUPERSET_HOST:$SUPERSET_PORT (127.0.0.1:8088),
#                                   metadata DB and generated secrets in $SUPERSET_HOME (target/superset/home): user
#                                   admin with a generated password, printed once and kept in admin.password (0600).
# The dashboard (infra/superset/dashboard) is imported by its launcher, LocalSuperset, through the REST API.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
VENV="$ROOT/target/superset/venv"
export SUPERSET_HOME="${SUPERSET_HOME:-$ROOT/target/superset/home}"
export SUPERSET_CONFIG_PATH="$ROOT/infra/superset/superset_config.py"
export FLASK_APP=superset
export PATH="$VENV/bin:$PATH"
source "$ROOT/infra/bin/cached-venv.sh"
# requests lets these override the CA file a session is given (the Trino connection's verify = the stack's
# self-signed certificate): Superset reaches nothing else over TLS.
unset REQUESTS_CA_BUNDLE CURL_CA_BUNDLE

install() {
  if [ -x "$VENV/bin/superset" ] && cmp -s "$ROOT/infra/superset/requirements-lock.txt" "$VENV/.installed-lock"; then return; fi
  command -v python3 >/dev/null || { apt-get update -qq && apt-get install -y -qq python3 python3-venv >/dev/null; }
  # The pinned environment is kept in the machine's clickstream cache, keyed by the lock file: see cached-venv.sh.
  cached_venv superset "$ROOT/infra/superset/requirements-lock.txt" "$VENV"
}

case "${1:-}" in
  install) install ;;
  serve)
    install
    mkdir -p "$SUPERSET_HOME"
    chmod 700 "$SUPERSET_HOME"
    if [ ! -s "$SUPERSET_HOME/secret_key" ]; then
      (umask 077 && python3 -c 'import secrets; print(secrets.token_urlsafe(48))' > "$SUPERSET_HOME/secret_key")
    fi
    pwfile="$SUPERSET_HOME/admin.password"
    new_password=
    if [ ! -s "$pwfile" ]; then
      (umask 077 && python3 -c 'import secrets; print(secrets.token_urlsafe(18))' > "$pwfile")
      new_password=1
    fi
    superset db upgrade >/dev/null 2>&1
    if [ -n "$new_password" ]; then
      # The password goes from its file to Superset's security manager, never on a command line.
      python - "$pwfile" <<'PY' >/dev/null 2>&1
import sys
from superset.app import create_app
app = create_app()
with app.app_context():
    from superset import security_manager as sm
    from superset.extensions import db
    sm.sync_role_definitions()
    if not sm.find_user("admin"):
        sm.add_user("admin", "Clickstream", "Admin", "admin@localhost", sm.find_role("Admin"),
                    password=open(sys.argv[1]).read().strip())
    db.session.commit()
PY
      echo "Superset user admin, generated password (printed once; kept in $pwfile, mode 0600): $(cat "$pwfile")"
    fi
    superset init >/dev/null 2>&1
    host="${SUPERSET_HOST:-127.0.0.1}"; port="${SUPERSET_PORT:-8088}"
    echo "Superset: http://$host:$port (user admin, password in $pwfile)"
    exec gunicorn --workers 1 --threads 8 --timeout 120 --bind "$host:$port" --access-logfile - "superset.app:create_app()" ;;
  *) echo "usage: $0 install | serve" >&2; exit 64 ;;
esac
