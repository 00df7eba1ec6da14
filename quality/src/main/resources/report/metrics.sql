-- Quality metrics per hour with their z-scores and flags.
SELECT format_datetime(hour_start, 'yyyy-MM-dd HH:00') AS hour, metric, value, baseline_mean, baseline_std, z_score, flagged
FROM quality_metrics
WHERE dt IN (${days})
ORDER BY hour_start, metric
