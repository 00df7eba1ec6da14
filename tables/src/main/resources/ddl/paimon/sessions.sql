-- One row per user session (event-time session window, 30-minute gap by default).
CREATE TABLE IF NOT EXISTS sessions (
  dt              STRING       NOT NULL COMMENT 'UTC day of session_start, yyyy-MM-dd',
  user_id         STRING       NOT NULL,
  session_start   TIMESTAMP(3) NOT NULL COMMENT 'event time of the first event',
  session_end     TIMESTAMP(3) NOT NULL COMMENT 'event time of the last event',
  duration_ms     BIGINT       NOT NULL,
  events          BIGINT       NOT NULL,
  page_views      BIGINT       NOT NULL,
  distinct_pages  BIGINT       NOT NULL,
  funnel_step     INT          NOT NULL COMMENT '0 = none, 1 page_view, 2 add_to_cart, 3 checkout, 4 purchase (in order)',
  PRIMARY KEY (dt, user_id, session_start) NOT ENFORCED
) PARTITIONED BY (dt) WITH (
  'bucket' = '2',
  'merge-engine' = 'deduplicate',
  -- No changelog producer: nothing consumes this table's changes (docs/ARCHITECTURE.md, table topology).
  'changelog-producer' = 'none'
);
