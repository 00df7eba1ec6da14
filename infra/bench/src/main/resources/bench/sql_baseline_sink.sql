-- A plain Paimon primary-key table with default options, as the SQL baseline writes it.
CREATE TABLE IF NOT EXISTS page_minute_baseline (
  window_start  TIMESTAMP(3) NOT NULL,
  page          STRING       NOT NULL,
  events        BIGINT       NOT NULL,
  page_views    BIGINT       NOT NULL,
  unique_users  BIGINT       NOT NULL,
  PRIMARY KEY (window_start, page) NOT ENFORCED
) WITH (
  'bucket' = '2'
);
