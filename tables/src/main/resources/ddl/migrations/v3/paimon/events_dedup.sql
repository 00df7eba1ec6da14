-- Migration to event schema v3 (paimon copy of events_dedup): the optional v3 fields, nullable, appended after the
-- existing columns; rows written before read them as NULL. Applied by the streaming module's
-- SchemaMigrator only when none of the columns exists yet, then the table records
-- 'clickstream.schema-version' = '3' (docs/TABLES.md, "Schema versions").
ALTER TABLE events_dedup ADD (
  campaign         STRING               COMMENT 'v3: marketing campaign',
  experiment_id    STRING               COMMENT 'v3: A/B experiment (and arm)',
  properties       MAP<STRING, STRING>  COMMENT 'v3: schemaless string properties'
);
