-- Rejected records per reason.
SELECT reason, count(*) AS records
FROM dlq_events
GROUP BY reason
ORDER BY records DESC, reason
