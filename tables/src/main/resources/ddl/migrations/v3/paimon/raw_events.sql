-- Migration to event schema v3 (paimon copy of raw_events): the optional v3 fields and the DLQ replay provenance,
-- nullable, appended after the existing columns; rows written before read them as NULL. Applied by the streaming module's
-- SchemaMigrator only when none of the columns exists yet, then the table records
-- 'clickstream.schema-version' = '3' (docs/TABLES.md, "Schema versions").
ALTER TABLE raw_events ADD (
  campaign            STRING               COMMENT 'v3: marketing campaign',
  experiment_id       STRING               COMMENT 'v3: A/B experiment (and arm)',
  properties          MAP<STRING, STRING>  COMMENT 'v3: schemaless string properties',
  replay_of_partition INT                  COMMENT 'set on a record the DLQ replay re-produced: clicks.raw partition of the rejected original (a dlq_events row); null otherwise',
  replay_of_offset    BIGINT               COMMENT 'set on a record the DLQ replay re-produced: clicks.raw offset of the rejected original; null otherwise'
);
