#!/usr/bin/env bash
# The end-to-end demo on the embedded stack: a real Kafka broker (KRaft), PostgreSQL (Iceberg catalog)
# and Trino, generated click traffic, the Flink job on a local MiniCluster writing Paimon and Iceberg
# tables, BI queries through Trino, table maintenance, the Spark batch jobs (late correction, rollups,
# reconciliation) and the quality report.
# Usage: infra/bin/demo.sh [--demo.events N] [--demo.partitions P] [any streaming option, see --help]
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/bin/ensure-tools.sh

echo "Building (first run downloads the Maven artifacts) ..."
mvn -q -B install -DskipTests
exec java -Xms1g -Xmx3g -XX:+UseParallelGC -Djava.awt.headless=true \
  -Dlog4j.configurationFile="$PWD/infra/conf/log4j2-local.properties" \
  -Dclickstream.service.jar="$PWD/infra/service/target/clickstream-service-0.1.0-SNAPSHOT-runnable.jar" \
  -cp "infra/demo/target/classes:$(cat infra/demo/target/runtime.classpath)" \
  io.clickstream.demo.ClickstreamDemo --demo.dir "$PWD/target/demo" "$@"
