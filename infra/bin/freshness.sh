#!/usr/bin/env bash
# Serving freshness (docs/BENCHMARKS.md): the whole stack under live traffic, Trino polled through
# trino-jdbc; prints how long until raw and minute rows are queryable. ~3-4 minutes with the defaults.
# Usage: infra/bin/freshness.sh [--serving.rate 5000] [--serving.duration 120s] [--job-options k=v,...]
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/bin/ensure-tools.sh
mvn -q -B install -DskipTests
exec java -Xms1g -Xmx3g -XX:+UseParallelGC -Djava.awt.headless=true \
  -Dlog4j.configurationFile="$PWD/infra/conf/log4j2-local.properties" \
  -cp "infra/bench/target/classes:$(cat infra/bench/target/runtime.classpath)" \
  io.clickstream.bench.ServingFreshness --dir "$PWD/target/bench" "$@"
