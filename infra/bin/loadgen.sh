#!/usr/bin/env bash
# Produces generated click traffic to a running broker (e.g. infra/bin/kafka.sh), creating the topics.
# Usage: infra/bin/loadgen.sh --bootstrap-servers 127.0.0.1:9092 --events 1000000 [--produce-rate 20000] (--help lists all)
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/bin/ensure-tools.sh
mvn -q -B install -DskipTests -pl infra/loadgen -am
cp="infra/loadgen/target/classes:tables/target/classes:$(mvn -q -B -pl infra/loadgen dependency:build-classpath -Dmdep.outputFile=/dev/stdout)"
exec java -cp "$cp" io.clickstream.loadgen.LoadProducer "$@"
