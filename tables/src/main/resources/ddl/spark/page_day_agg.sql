-- Daily rollup per page, built like page_hour_agg (absolute values from events_dedup, MERGE per day).
CREATE TABLE IF NOT EXISTS ${table} (
  dt            STRING    NOT NULL COMMENT 'UTC day, yyyy-MM-dd',
  page          STRING    NOT NULL,
  events        BIGINT    NOT NULL COMMENT 'distinct events of any type',
  page_views    BIGINT    NOT NULL,
  clicks        BIGINT    NOT NULL,
  add_to_carts  BIGINT    NOT NULL,
  checkouts     BIGINT    NOT NULL,
  purchases     BIGINT    NOT NULL,
  unique_users  BIGINT    NOT NULL COMMENT 'exact distinct user_id count in the day, any event type',
  unique_viewers BIGINT   NOT NULL COMMENT 'exact distinct user_id count with a page_view in the day',
  users_hll     BINARY    NOT NULL COMMENT 'DataSketches HLL_8 sketch (lgK 12) of user_id',
  late_events   BIGINT    NOT NULL COMMENT 'events that arrived beyond the allowed lateness (included above)'
) USING iceberg
PARTITIONED BY (dt)
TBLPROPERTIES ('format-version' = '2', 'write.merge.isolation-level' = 'snapshot', 'write.parquet.compression-codec' = 'zstd')
