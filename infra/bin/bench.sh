#!/usr/bin/env bash
# The pipeline benchmark (docs/BENCHMARKS.md): ceiling, SQL baseline and our job on the same input,
# the scaling curve and the freshness run. Takes 10-20 minutes with the defaults on 2 cores.
# Usage: infra/bin/bench.sh [--events N] [--parallelism P] [--scaling.events 500000,1000000] [...] (--help lists all)
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/bin/ensure-tools.sh
# Reactor build of the bench module and what it depends on: runtime.classpath then names the jars in each module's
# target/ (no `install`, so nothing in ~/.m2 is overwritten). BENCH_MVN_ARGS adds e.g. `-o` (offline).
# BENCH_SKIP_BUILD=1 reuses the jars of the previous build (several runs of the same code in a row).
if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  mvn -q -B ${BENCH_MVN_ARGS:-} package -DskipTests -pl infra/bench -am
fi
exec java -Xmx2g -Djava.awt.headless=true -Dlog4j.configurationFile="$PWD/infra/conf/log4j2-local.properties" \
  -cp "infra/bench/target/classes:$(cat infra/bench/target/runtime.classpath)" \
  io.clickstream.bench.PipelineBenchmark --dir "$PWD/target/bench" "$@"
