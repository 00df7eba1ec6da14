-- Per page and 1-minute event-time window. Flink upserts the row each time the window fires
-- (on time, then again for every event within the allowed lateness). revision orders the writes
-- (Paimon sequence.field): it is the number of distinct events folded into the row, so a later,
-- more complete value - or a batch correction that adds events from clicks.late - always wins over
-- an older one, whatever order the writes arrive in.
CREATE TABLE IF NOT EXISTS page_minute_agg (
  dt              STRING       NOT NULL COMMENT 'UTC day of window_start, yyyy-MM-dd',
  window_start    TIMESTAMP(3) NOT NULL COMMENT 'inclusive start of the 1-minute window (UTC)',
  page            STRING       NOT NULL,
  events          BIGINT       NOT NULL COMMENT 'distinct events of any type',
  page_views      BIGINT       NOT NULL,
  clicks          BIGINT       NOT NULL,
  add_to_carts    BIGINT       NOT NULL,
  checkouts       BIGINT       NOT NULL,
  purchases       BIGINT       NOT NULL,
  unique_users    BIGINT       NOT NULL COMMENT 'exact distinct user_id count in the window, any event type',
  unique_viewers  BIGINT       NOT NULL COMMENT 'exact distinct user_id count with a page_view in the window',
  users_hll       BYTES        NOT NULL COMMENT 'DataSketches HLL_8 sketch (lgK 12) of user_id: merge it for hour/day uniques',
  revision        BIGINT       NOT NULL COMMENT 'write order: number of distinct events folded in',
  finality        STRING       NOT NULL COMMENT 'provisional (window open or within the allowed lateness), final (closed by the watermark) or corrected (by the batch correction)',
  corrected_by    STRING       COMMENT 'run id of the batch correction that last changed the row (its ranges are in correction_ledger); null if none',
  PRIMARY KEY (dt, window_start, page) NOT ENFORCED
) PARTITIONED BY (dt) WITH (
  'bucket' = '2',
  'merge-engine' = 'deduplicate',
  'sequence.field' = 'revision',
  -- The lookup changelog (complete -U/+U pairs) is consumed by the HTTP API's hot metric path.
  'changelog-producer' = 'lookup'
);
