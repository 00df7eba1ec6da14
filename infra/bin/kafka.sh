#!/usr/bin/env bash
# A long-running local Kafka broker (KRaft) for people who want the stack up between runs.
# Usage: infra/bin/kafka.sh [data-dir] [port]   (defaults: target/kafka 9092; Ctrl-C stops it)
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/bin/ensure-tools.sh
mvn -q -B install -DskipTests -pl infra/kafka-broker -am
exec java -cp infra/kafka-broker/target/classes io.clickstream.infra.kafka.LocalKafkaBroker "${1:-target/kafka}" "${2:-9092}"
