"""Superset settings for the clickstream project (infra/bin/superset.sh serve sets SUPERSET_CONFIG_PATH here).

Everything a run needs lives under $SUPERSET_HOME (the run's target directory): the metadata database
(SQLite), the generated secret key and the admin password (both owner-only files, never defaults).
"""
import os
from pathlib import Path

_home = Path(os.environ["SUPERSET_HOME"])

SECRET_KEY = (_home / "secret_key").read_text().strip()
SQLALCHEMY_DATABASE_URI = "sqlite:///" + str(_home / "superset.db") + "?check_same_thread=false"
# Dashboards are code (infra/superset/dashboard), imported at start; no examples.
SUPERSET_LOAD_EXAMPLES = False
# Only the Trino catalog the project configures: no SQLite or file databases from the UI.
PREVENT_UNSAFE_DB_CONNECTIONS = True
# One local user; no results or thumbnails cache service (none is started).
DATA_CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}
CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}
FEATURE_FLAGS = {"DASHBOARD_RBAC": False}
# Loopback only, no TLS in front: cookies are not marked secure; Talisman's CSP stays on.
SESSION_COOKIE_SECURE = False
SQLLAB_TIMEOUT = 120
SUPERSET_WEBSERVER_TIMEOUT = 120
