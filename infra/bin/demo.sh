#!/usr/bin/env bash
# The end-to-end demo on the embedded stack: a real Kafka broker (KRaft), generated click traffic,
# the Flink job on a local MiniCluster writing Paimon tables, then the report.
# Usage: infra/bin/demo.sh [--demo.events N] [--demo.partitions P] [any streaming option, see --help]
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/bin/ensure-tools.sh

echo "Building (first run downloads the Maven artifacts) ..."
mvn -q -B install -DskipTests
exec java -Xms1g -Xmx3g -XX:+UseParallelGC \
  -Dlog4j.configurationFile="$PWD/infra/conf/log4j2-local.properties" \
  -cp "streaming/target/classes:$(cat streaming/target/runtime.classpath)" \
  io.clickstream.streaming.demo.ClickstreamDemo --demo.dir "$PWD/target/demo" "$@"
