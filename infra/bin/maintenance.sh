#!/usr/bin/env bash
# Iceberg table maintenance through Trino: compaction of given day partitions, snapshot expiry, orphan files.
# Usage: infra/bin/maintenance.sh --trino-url jdbc:trino://127.0.0.1:8080/lakehouse/clickstream --dt 2026-01-05 [--help]
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/bin/ensure-tools.sh
[ -f streaming/target/runtime.classpath ] || mvn -q -B install -DskipTests
exec java -cp "streaming/target/classes:$(cat streaming/target/runtime.classpath)" \
  io.clickstream.infra.lakehouse.TableMaintenance "$@"
