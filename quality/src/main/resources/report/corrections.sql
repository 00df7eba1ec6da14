-- What the late-event correction applied, per run.
SELECT run_id, sum(end_offset - start_offset) AS late_offsets, max(late_records) AS late_records,
       max(affected_minutes) AS affected_minutes, max(corrected_minutes) AS corrected_minutes
FROM correction_ledger
GROUP BY run_id
ORDER BY run_id
