#!/usr/bin/env bash
# The product's HTTP API as its own process (POST /v1/events; GET /v1/openapi.json), on 127.0.0.1:8090
# by default, producing to a running broker (e.g. infra/bin/kafka.sh). The first start creates the API
# key file (target/service/api-keys.sha256, mode 0600) and prints the new key once. Ctrl-C stops it.
# Usage: infra/bin/api.sh --bootstrap-servers 127.0.0.1:9092 [--create-topics true] [...] (--help lists all)
#        infra/bin/api.sh bench [--duration PT30S --batch-size 100 --concurrency 8] (self-contained ingest benchmark)
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/bin/ensure-tools.sh
jar=infra/service/target/clickstream-service-0.1.0-SNAPSHOT-runnable.jar
mvn -q -B package -DskipTests -pl infra/service -am
if [[ "${1:-}" == "bench" ]]; then
  shift
  exec java -Xmx1g -cp "$jar" io.clickstream.service.ApiBench "$@"
fi
exec java -Xmx1g -jar "$jar" "$@"
