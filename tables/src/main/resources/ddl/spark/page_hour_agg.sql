-- Hourly rollup per page (Spark SQL, Iceberg), built by the batch RollupJob from events_dedup (late
-- events included, each event once): what a perfect streaming run would have produced. Rebuilt per
-- hour with MERGE (absolute values; keys that vanished are deleted), so a re-run changes nothing.
CREATE TABLE IF NOT EXISTS ${table} (
  dt            STRING    NOT NULL COMMENT 'UTC day of hour_start, yyyy-MM-dd',
  hour_start    TIMESTAMP_NTZ NOT NULL COMMENT 'inclusive start of the event-time hour (UTC)',
  page          STRING    NOT NULL,
  events        BIGINT    NOT NULL COMMENT 'distinct events of any type',
  page_views    BIGINT    NOT NULL,
  clicks        BIGINT    NOT NULL,
  add_to_carts  BIGINT    NOT NULL,
  checkouts     BIGINT    NOT NULL,
  purchases     BIGINT    NOT NULL,
  unique_users  BIGINT    NOT NULL COMMENT 'exact distinct user_id count in the hour, any event type (never a sum of minutes)',
  unique_viewers BIGINT   NOT NULL COMMENT 'exact distinct user_id count with a page_view in the hour',
  users_hll     BINARY    NOT NULL COMMENT 'DataSketches HLL_8 sketch (lgK 12) of user_id, mergeable into days',
  late_events   BIGINT    NOT NULL COMMENT 'events that arrived beyond the allowed lateness (included above)'
) USING iceberg
PARTITIONED BY (dt)
TBLPROPERTIES ('format-version' = '2', 'write.merge.isolation-level' = 'snapshot', 'write.parquet.compression-codec' = 'zstd')
