-- Rejected records per reason.
SELECT reason, count(*) AS records
FROM dlq_events
WHERE dt IN (${days})
GROUP BY reason
ORDER BY records DESC, reason
