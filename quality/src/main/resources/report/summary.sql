-- Totals of the reconciliation over the reported days.
SELECT coalesce(sum(expected_records), 0) AS expected_records,
       coalesce(sum(raw_rows), 0) AS raw_rows,
       coalesce(sum(dlq_rows), 0) AS dlq_rows,
       coalesce(sum(unexplained), 0) AS unexplained,
       coalesce(sum(duplicate_rows), 0) AS duplicate_rows,
       coalesce(sum(late_events), 0) AS late_events,
       count_if(status <> 'OK') AS problem_ranges,
       count(*) AS ranges
FROM reconciliation
WHERE dt IN (${days})
