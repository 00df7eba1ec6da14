-- Events, page views, purchases and exact unique users per marketing campaign (event schema v3's optional
-- campaign field), late events included. Events of schema v1/v2, written before the v3 columns existed or
-- after, and v3 events without a campaign read NULL and are grouped under '(none)'.
SELECT coalesce(campaign, '(none)') AS campaign,
       count(*) AS events,
       count_if(event_type = 'page_view') AS page_views,
       count_if(event_type = 'purchase') AS purchases,
       count(DISTINCT user_id) AS users
FROM events_dedup
GROUP BY coalesce(campaign, '(none)')
ORDER BY 1
