#!/usr/bin/env bash
# Sourced by the scripts that run a deployable (the ones Airflow tasks call): they run built artifacts and never
# build at task time. artifact <module dir> <artifactId> <classifier> prints the jar's path, or fails saying
# how to build it.
artifact() {
  local jar
  jar=$(ls "$1"/target/"$2"-*-"$3".jar 2>/dev/null | head -1 || true)
  if [ -z "$jar" ]; then
    echo "$1/target/$2-<version>-$3.jar is not built: run 'make build' (mvn -B package -DskipTests) first" >&2
    return 1
  fi
  echo "$jar"
}
