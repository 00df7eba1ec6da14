#!/usr/bin/env bash
# Spark's own spark-submit (org.apache.spark.deploy.SparkSubmit) on the SPARK_HOME of infra/bin/spark-home.sh:
# the same command line as a Spark installation's bin/spark-submit, e.g.
#   infra/bin/spark-submit.sh --master spark://127.0.0.1:7077 --class io.clickstream.batch.RollupJob \
#     batch/target/clickstream-batch-<version>-app.jar --hours 2026-01-05T08 ...
# With a real Spark installation use its bin/spark-submit and the same arguments. The driver runs in this JVM
# (client mode) with Java 17's module openings; SPARK_DRIVER_MEMORY sets its heap (default 2g).
set -euo pipefail
cd "$(dirname "$0")/../.."
source infra/bin/ensure-tools.sh
source infra/bin/spark-home.sh
# The driver (client mode) binds and advertises this address; the project's services stay on loopback unless told
# otherwise. Set SPARK_LOCAL_IP to the machine's address when the cluster's executors run elsewhere.
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
exec java -Xmx"${SPARK_DRIVER_MEMORY:-2g}" @infra/conf/spark-java17.options \
  -Dlog4j2.configurationFile="$SPARK_HOME/conf/log4j2.properties" \
  -cp "$SPARK_HOME/conf:$SPARK_HOME/jars/*" org.apache.spark.deploy.SparkSubmit "$@"
