#!/usr/bin/env bash
# Runs one Spark batch job locally (local[2]), the way the Airflow DAGs do; on a cluster use spark-submit
# with the batch jar and the same arguments (--master is then spark-submit's).
# Usage: infra/bin/batch.sh <job> [options]     jobs: correct | rollup | reconcile | backfill | pipeline; --help lists the options
#   infra/bin/batch.sh correct --jdbc-url jdbc:postgresql://127.0.0.1:5432/iceberg_catalog --warehouse file://$PWD/target/lakehouse/warehouse
#   infra/bin/batch.sh rollup --hours 2026-01-05T08 ...        infra/bin/batch.sh reconcile --days 2026-01-05 ...
#   infra/bin/batch.sh backfill --days 2026-01-05 --run-id repair-1 ...   (rebuilds the day's aggregates from events_dedup)
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/bin/ensure-tools.sh
job="${1:?job: correct | rollup | reconcile | backfill | pipeline}"; shift
case "$job" in
  correct) main=io.clickstream.batch.LateCorrectionJob ;;
  rollup) main=io.clickstream.batch.RollupJob ;;
  reconcile) main=io.clickstream.batch.ReconciliationJob ;;
  backfill) main=io.clickstream.batch.BackfillJob ;;
  pipeline) main=io.clickstream.batch.BatchPipeline ;;
  *) echo "unknown job $job" >&2; exit 64 ;;
esac
# The versioned jar of the build (what spark-submit would get), with its dependencies' classpath.
jar=$(ls batch/target/clickstream-batch-*.jar 2>/dev/null | grep -v -- '-tests.jar' | head -1 || true)
if [ -z "$jar" ] || [ ! -f batch/target/runtime.classpath ]; then
  mvn -q -B install -DskipTests
  jar=$(ls batch/target/clickstream-batch-*.jar | grep -v -- '-tests.jar' | head -1)
fi
echo "$(basename "$jar"): $main $*" >&2
exec java -Xmx2g @infra/conf/spark-java17.options -Dlog4j2.configurationFile="$PWD/infra/conf/log4j2-batch.properties" \
  -cp "$jar:$(cat batch/target/runtime.classpath)" "$main" "$@"
