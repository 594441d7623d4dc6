-- 051: the dashboard's indexes (issue 10 dashboard, issue 12: every query
-- through an index). The dashboard reads the requests filed in a date range:
-- k_dash starts with created_at and carries what it groups and sums (state,
-- fee, order), so the range is read from the index alone. A request's first
-- decision (and whether it came in the submission's own second) is found in
-- its events by (refund_id, state, at) without reading the event rows.
-- A merchant's orders in the range are counted on (merchant_id, created_at).
ALTER TABLE refunds ADD INDEX IF NOT EXISTS k_dash (created_at, state, fee, order_id);
ALTER TABLE refund_events ADD INDEX IF NOT EXISTS k_refund_state (refund_id, state, at);
ALTER TABLE orders ADD INDEX IF NOT EXISTS k_merchant_created (merchant_id, created_at);
