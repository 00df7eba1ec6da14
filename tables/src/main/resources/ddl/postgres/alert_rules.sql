-- Alert rules (issue 13 reads them, issue 14's HTTP API writes them): one row per rule, in the project's
-- PostgreSQL (the Iceberg catalog's server), schema alerting. Rules are never deleted: disabling one
-- sets enabled = false (soft disable), and every change bumps version so that the alerting job can
-- reload changed rules by comparing versions. Timestamps are UTC.
CREATE SCHEMA IF NOT EXISTS alerting;
CREATE TABLE IF NOT EXISTS alerting.alert_rules (
  rule_id              TEXT PRIMARY KEY CHECK (rule_id ~ '^[a-z0-9][a-z0-9_-]{0,63}$'),
  name                 TEXT NOT NULL,
  metric               TEXT NOT NULL,
  filter_page          TEXT,
  filter_country       TEXT,
  filter_device        TEXT,
  filter_event_type    TEXT,
  condition            TEXT NOT NULL CHECK (condition IN ('above', 'below', 'zscore_above')),
  threshold            DOUBLE PRECISION NOT NULL,
  baseline_windows     INTEGER,
  window_seconds       INTEGER NOT NULL CHECK (window_seconds > 0),
  slide_seconds        INTEGER NOT NULL CHECK (slide_seconds > 0),
  min_duration_seconds INTEGER NOT NULL CHECK (min_duration_seconds >= 0),
  channel              TEXT NOT NULL CHECK (channel IN ('kafka', 'iceberg', 'webhook')),
  webhook_url          TEXT,
  enabled              BOOLEAN NOT NULL,
  version              BIGINT NOT NULL,
  created_at           TIMESTAMPTZ NOT NULL,
  updated_at           TIMESTAMPTZ NOT NULL
)
