-- Ordered purchase funnel per day of session start: how many sessions reached each step.
-- Written as absolute values (never increments), so a replayed write cannot double count.
CREATE TABLE IF NOT EXISTS funnel_daily (
  dt               STRING  NOT NULL COMMENT 'UTC day of session_start, yyyy-MM-dd',
  step             INT     NOT NULL COMMENT '1 page_view, 2 add_to_cart, 3 checkout, 4 purchase',
  step_name        STRING  NOT NULL,
  sessions         BIGINT  NOT NULL COMMENT 'sessions of the day that reached this step',
  entrants         BIGINT  NOT NULL COMMENT 'sessions of the day that reached step 1',
  conversion       DOUBLE  NOT NULL COMMENT 'sessions / entrants',
  revision         BIGINT  NOT NULL COMMENT 'write order: sessions of the day counted so far',
  finality         STRING  NOT NULL COMMENT 'provisional while the job counts the day, final once it closed the day (clickstream.funnel.retention after its end), corrected by the batch correction',
  corrected_by     STRING  COMMENT 'run id of the batch correction that last changed the row; null if none',
  PRIMARY KEY (dt, step) NOT ENFORCED
) PARTITIONED BY (dt) WITH (
  'bucket' = '1',
  'merge-engine' = 'deduplicate',
  'sequence.field' = 'revision',
  -- No changelog producer: nothing consumes this table's changes (docs/ARCHITECTURE.md, table topology).
  'changelog-producer' = 'none'
);
