#!/usr/bin/env bash
# Runs one Spark batch job the way the Airflow DAGs do: spark-submit of the application jar
# (batch/target/clickstream-batch-<version>-app.jar), locally (local[2]) or on the cluster of $CLICKSTREAM_SPARK_MASTER.
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
source infra/bin/artifacts.sh
# The application jar of the build, submitted by Spark's own spark-submit: local[2] by default, a cluster with
# CLICKSTREAM_SPARK_MASTER=spark://host:7077; CLICKSTREAM_SPARK_SUBMIT names another spark-submit (a Spark
# installation's) and CLICKSTREAM_SPARK_SUBMIT_ARGS adds its options (the DAGs set all three from Airflow
# Variables). Never builds.
jar=$(artifact batch clickstream-batch app)
echo "$(basename "$jar"): $main $*" >&2
exec ${CLICKSTREAM_SPARK_SUBMIT:-infra/bin/spark-submit.sh} --master "${CLICKSTREAM_SPARK_MASTER:-local[2]}" --class "$main" \
  ${CLICKSTREAM_SPARK_SUBMIT_ARGS:-} "$jar" "$@"
