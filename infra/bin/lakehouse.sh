#!/usr/bin/env bash
# A long-running local serving stack: PostgreSQL (Iceberg JDBC catalog) and Trino over it, until Ctrl-C.
# Point the streaming job at it with --serving.jdbc-url jdbc:postgresql://127.0.0.1:5432/iceberg_catalog
# --serving.jdbc-password-file target/lakehouse/postgres/clickstream.password
# --serving.warehouse file://$PWD/target/lakehouse/warehouse; BI tools at
# jdbc:trino://127.0.0.1:8443/lakehouse/clickstream?SSL=true&SSLVerification=FULL&SSLTrustStorePath=$PWD/target/lakehouse/trino/security/trino.pem
# as user bi with the password in target/lakehouse/trino/security/bi.password (printed once at start-up).
# Usage: infra/bin/lakehouse.sh [dir] [postgres-port] [trino-https-port]   (defaults: target/lakehouse 5432 8443)
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/bin/ensure-tools.sh
source infra/bin/artifacts.sh
mvn -q -B install -DskipTests -pl infra/lakehouse -am
exec java -cp "$(artifact infra/lakehouse clickstream-lakehouse runnable)" \
  io.clickstream.infra.lakehouse.LakehouseStack "${1:-$PWD/target/lakehouse}" "${2:-5432}" "${3:-8443}"
