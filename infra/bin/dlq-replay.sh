#!/usr/bin/env bash
# Repairs and replays records of clicks.dlq to clicks.raw (DlqReplayCommand, the streaming module), the way the
# Airflow DAG clickstream_dlq_replay does: the built job jar on the Flink runtime's classpath (what a Flink
# installation provides), a plain Kafka client run, no Flink job. Never builds.
# Usage: infra/bin/dlq-replay.sh [--kafka.bootstrap-servers host:9092] [--replay.reasons INVALID_VALUE,WRONG_TYPE]
#          [--replay.partitions 0,1] [--replay.from 2026-01-05T00:00:00Z] [--replay.to 2026-01-06T00:00:00Z]
#          [--replay.repair none|epoch-seconds-to-ms|string-schema-version] [--replay.dry-run true]   (--help: all options)
# The schema migration command runs the same way: CLICKSTREAM_MAIN=io.clickstream.streaming.SchemaMigrationCommand.
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/bin/ensure-tools.sh
source infra/bin/artifacts.sh
jar=$(artifact streaming clickstream-streaming job)
classpath="infra/flink-runtime/target/flink-lib.classpath"
if [ ! -f "$classpath" ]; then
  echo "$classpath is not built: run 'make build' (mvn -B package -DskipTests) first" >&2
  exit 1
fi
main="${CLICKSTREAM_MAIN:-io.clickstream.streaming.DlqReplayCommand}"
echo "$(basename "$jar"): $main $*" >&2
exec java -cp "$jar:$(cat "$classpath")" "$main" "$@"
