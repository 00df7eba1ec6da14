-- Ordered purchase funnel per day: sessions reaching each step and their share of the entrants.
SELECT dt,
       step,
       step_name,
       sessions,
       entrants,
       format('%.2f', 100e0 * sessions / nullif(entrants, 0)) AS conversion_pct
FROM funnel_daily
ORDER BY dt, step
