-- Data quality at a glance: share of rejected records, duplicates and events beyond the allowed lateness.
WITH raw AS (SELECT count(*) AS n FROM raw_events),
     dlq AS (SELECT count(*) AS n FROM dlq_events),
     dedup AS (SELECT count(*) AS n, count_if(late) AS late FROM events_dedup)
SELECT raw.n + dlq.n AS records,
       dlq.n AS dlq_records,
       format('%.3f', 100e0 * dlq.n / nullif(raw.n + dlq.n, 0)) AS dlq_pct,
       raw.n - dedup.n AS duplicates,
       dedup.late AS late_events,
       format('%.3f', 100e0 * dedup.late / nullif(dedup.n, 0)) AS late_pct
FROM raw, dlq, dedup
