#!/usr/bin/env bash
# A long-running local serving stack: PostgreSQL (Iceberg JDBC catalog) and Trino over it, until Ctrl-C.
# Point the streaming job at it with --serving.jdbc-url jdbc:postgresql://127.0.0.1:5432/iceberg_catalog
# --serving.warehouse file://$PWD/target/lakehouse/warehouse; BI tools at jdbc:trino://127.0.0.1:8080/lakehouse/clickstream.
# Usage: infra/bin/lakehouse.sh [dir] [postgres-port] [trino-port]   (defaults: target/lakehouse 5432 8080)
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/bin/ensure-tools.sh
mvn -q -B install -DskipTests
exec java -cp "streaming/target/classes:$(cat streaming/target/runtime.classpath)" \
  io.clickstream.infra.lakehouse.LakehouseStack "${1:-$PWD/target/lakehouse}" "${2:-5432}" "${3:-8080}"
