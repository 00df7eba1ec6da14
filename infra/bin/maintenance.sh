#!/usr/bin/env bash
# Iceberg table maintenance through Trino: compaction of given day partitions, snapshot expiry, orphan files.
# Usage: infra/bin/maintenance.sh --dt 2026-01-05 [--trino-url jdbc:trino://...] [--password-file f] [--help]
# Defaults: the long-running stack of lakehouse.sh, user admin on its writable catalog lakehouse_admin, the password from
# target/lakehouse/trino/security/admin.password or $CLICKSTREAM_TRINO_PASSWORD (never on the command line).
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/bin/ensure-tools.sh
source infra/bin/artifacts.sh
jar=$(artifact infra/lakehouse clickstream-lakehouse runnable)
exec java -cp "$jar" io.clickstream.infra.lakehouse.TableMaintenance "$@"
