-- 046: the staff queue's covering index (issue 10). The queue filters on
-- state, deadline, type, risk and a search over the buyer, the request id
-- and the order, and counts every match: with all of them in one index the
-- count and the page's ids are read from the index alone, and only the
-- page's 50 rows are read whole (Q_DESK_QUEUE's deferred join). Measured on
-- 100 000 requests (2 000 open): the cs page's query 1-5 ms instead of
-- 25-50 ms. k_state_deadline stays (the worker's due requests use it; this
-- index starts with the same columns and could replace it).
ALTER TABLE refunds ADD INDEX IF NOT EXISTS k_queue (state, deadline, type, risk_flags, buyer_id, public_id, order_id);
