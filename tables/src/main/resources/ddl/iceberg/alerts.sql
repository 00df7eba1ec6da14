-- Alerts of the alerting job (rules with channel iceberg), in the serving catalog so that BI reads them
-- through Trino. Upserted on the alert id: the id is a hash of rule, rule version, window end and
-- transition, so a replay after a restore rewrites the same row instead of adding one.
CREATE TABLE IF NOT EXISTS alerts (
  dt               STRING       NOT NULL COMMENT 'UTC day of window_end, yyyy-MM-dd',
  alert_id         STRING       NOT NULL COMMENT 'deterministic: hash of rule_id, rule_version, window_end, state',
  rule_id          STRING       NOT NULL,
  rule_version     BIGINT       NOT NULL,
  rule_name        STRING       NOT NULL,
  metric           STRING       NOT NULL,
  rule_condition   STRING       NOT NULL COMMENT 'above, below or zscore_above',
  threshold        DOUBLE       NOT NULL,
  state            STRING       NOT NULL COMMENT 'firing or resolved',
  window_start     TIMESTAMP(3) NOT NULL COMMENT 'inclusive start of the evaluated sliding window (UTC)',
  window_end       TIMESTAMP(3) NOT NULL COMMENT 'exclusive end of the evaluated sliding window (UTC)',
  metric_value     DOUBLE       NOT NULL COMMENT 'value of the metric in the window',
  score            DOUBLE       COMMENT 'z-score of the value against the baseline (zscore_above only)',
  evidence         STRING       NOT NULL COMMENT 'human-readable: the condition, how long it held, the baseline',
  emitted_at       TIMESTAMP(3) NOT NULL COMMENT 'processing time of the transition (a replay keeps the id, not this)',
  PRIMARY KEY (dt, alert_id) NOT ENFORCED
) PARTITIONED BY (dt) WITH (
  'format-version' = '2',
  'write.upsert.enabled' = 'true',
  'write.format.default' = 'parquet',
  'write.parquet.compression-codec' = 'zstd'
);
