#!/usr/bin/env bash
# Alerting job benchmark (docs/BENCHMARKS.md, "Alerting"): alert latency p50/p99 and CPU per event under
# live generated traffic, on a real broker and PostgreSQL. ~4 minutes with the defaults.
# Usage: infra/bin/alerting-bench.sh [--rate 5000] [--duration 180] [--warmup 30] [--canary-pages 10]
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/bin/ensure-tools.sh
mvn -q -B install -pl infra/bench -am -DskipTests
exec java -Xmx2g -Dlog4j.configurationFile="$PWD/infra/conf/log4j2-local.properties" \
  -cp "infra/bench/target/classes:$(cat infra/bench/target/runtime.classpath)" \
  io.clickstream.bench.AlertingBenchmark --dir "$PWD/target/alerting-bench" "$@"
