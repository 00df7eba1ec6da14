#!/usr/bin/env bash
# A batch job on Kubernetes with Spark's own spark-submit (cluster mode): the same application jar as on the local
# cluster (batch/target/clickstream-batch-<version>-app.jar, in the image under /opt/spark/work-dir/), the same
# job arguments (BatchOptions; checked by DeploymentExamplesTest). Airflow runs it by setting the Variables
# clickstream_spark_submit=/opt/spark/bin/spark-submit, clickstream_spark_master=k8s://https://kubernetes.default.svc
# and clickstream_spark_submit_args to the --conf lines below (see ../airflow/variables.json).
set -euo pipefail
/opt/spark/bin/spark-submit \
  --master k8s://https://kubernetes.default.svc \
  --deploy-mode cluster \
  --name clickstream-rollup \
  --class io.clickstream.batch.RollupJob \
  --conf spark.kubernetes.namespace=data-platform \
  --conf spark.kubernetes.container.image=registry.example.com/data-platform/clickstream-batch:0.1.0 \
  --conf spark.kubernetes.authenticate.driver.serviceAccountName=spark \
  --conf spark.kubernetes.driver.secretKeyRef.CLICKSTREAM_JDBC_PASSWORD=iceberg-catalog:password \
  --conf spark.hadoop.fs.s3a.aws.credentials.provider=com.amazonaws.auth.WebIdentityTokenCredentialsProvider \
  --conf spark.executor.instances=2 \
  --conf spark.executor.memory=4g \
  local:///opt/spark/work-dir/clickstream-batch-app.jar \
  --jdbc-url jdbc:postgresql://iceberg-catalog.data-platform:5432/iceberg_catalog \
  --jdbc-user clickstream \
  --warehouse s3a://clickstream-prod/iceberg \
  --bootstrap-servers kafka-0.kafka:9093,kafka-1.kafka:9093,kafka-2.kafka:9093 \
  --hours "${1:?hour, e.g. 2026-01-05T08}"
