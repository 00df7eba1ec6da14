-- Data-quality metrics per Kafka-timestamp hour, with a z-score of each against the previous hours
-- (window set by the job); |z| above the threshold is flagged.
CREATE TABLE IF NOT EXISTS ${table} (
  dt             STRING    NOT NULL,
  hour_start     TIMESTAMP_NTZ NOT NULL,
  metric         STRING    NOT NULL COMMENT 'records, dlq_rate, duplicate_rate, late_rate, unexplained',
  value          DOUBLE    NOT NULL,
  baseline_mean  DOUBLE    COMMENT 'mean of the metric over the previous hours (null without history)',
  baseline_std   DOUBLE,
  z_score        DOUBLE    COMMENT '(value - mean) / std; null without enough history',
  flagged        BOOLEAN   NOT NULL COMMENT '|z| above the threshold, or any unexplained offset'
) USING iceberg
PARTITIONED BY (dt)
TBLPROPERTIES ('format-version' = '2')
