-- Commit cadence of the serving tables (what bounds how fresh BI data can be): snapshots, last
-- commit, and the median gap between consecutive commits.
SELECT table_name, count(*) AS snapshots, max(committed_at) AS last_commit,
       approx_percentile(gap_s, 0.5) AS median_commit_gap_s
FROM (
  SELECT 'raw_events' AS table_name, committed_at,
         date_diff('millisecond', lag(committed_at) OVER (ORDER BY committed_at), committed_at) / 1000e0 AS gap_s
  FROM "raw_events$snapshots"
  UNION ALL
  SELECT 'page_minute_agg', committed_at,
         date_diff('millisecond', lag(committed_at) OVER (ORDER BY committed_at), committed_at) / 1000e0
  FROM "page_minute_agg$snapshots"
)
GROUP BY table_name
ORDER BY table_name
