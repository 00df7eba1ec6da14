#!/usr/bin/env bash
# The demo on a real cluster on this machine (io.clickstream.demo.ClusterDemo): 3 Kafka nodes, a Flink standalone
# cluster (JobManager + 2 TaskManagers) running the deployable job jar submitted by Flink's CLI, a Spark master and
# worker running the batch jobs by spark-submit of the application jar, PostgreSQL and Trino; the same traffic and
# checks against the truth as `make demo`. Everything it starts is stopped at the end.
# Usage: infra/bin/cluster-demo.sh [--demo.events N] [--demo.partitions P] [any streaming option, see --help]
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/bin/ensure-tools.sh
echo "Building the deployables (first run downloads the Maven artifacts) ..."
mvn -q -B install -DskipTests
exec java -Xms512m -Xmx2g -XX:+UseParallelGC -Djava.awt.headless=true \
  -Dlog4j.configurationFile="$PWD/infra/conf/log4j2-local.properties" \
  -cp "infra/demo/target/classes:$(cat infra/demo/target/runtime.classpath)" \
  io.clickstream.demo.ClusterDemo --demo.dir "$PWD/target/demo" "$@"
