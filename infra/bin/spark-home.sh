#!/usr/bin/env bash
# Sourced: exports SPARK_HOME, a Spark 3.5 installation assembled from the Maven artifacts of
# infra/spark-runtime (the Spark tarball is not served on the mirror): jars/ holds links to the jars of
# target/spark-lib.classpath, conf/ the project's Log4j configuration. spark-submit.sh and cluster.sh run
# Spark's own entry points (SparkSubmit, the standalone Master and Worker) on it; the Worker starts its
# executors from SPARK_HOME/jars, as on any Spark installation.
spark_home() {
  local root="$PWD" classpath="infra/spark-runtime/target/spark-lib.classpath"
  if [ ! -f "$classpath" ]; then
    echo "$classpath is not built: run 'make build' (mvn -B package -DskipTests) first" >&2
    return 1
  fi
  export SPARK_HOME="$root/target/spark-home"
  export SPARK_SCALA_VERSION=2.12
  if [ ! -f "$SPARK_HOME/RELEASE" ] || [ "$classpath" -nt "$SPARK_HOME/RELEASE" ]; then
    rm -rf "$SPARK_HOME/jars"
    mkdir -p "$SPARK_HOME/jars" "$SPARK_HOME/conf"
    tr ":" "\n" < "$classpath" | while read -r jar || [ -n "$jar" ]; do ln -sf "$jar" "$SPARK_HOME/jars/"; done
    cp "$root/infra/conf/log4j2-batch.properties" "$SPARK_HOME/conf/log4j2.properties"
    echo "Spark 3.5 assembled from Maven artifacts (infra/spark-runtime)" > "$SPARK_HOME/RELEASE"
  fi
}
spark_home
