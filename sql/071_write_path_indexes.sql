-- 071: indexes no statement reads, written by every instant submission
-- (issue 12: a refund costs what its money movement costs).
-- refunds.k_state_deadline (state, deadline) is the prefix of k_queue
-- (sql/047: state, deadline, type, ...), which serves the worker's due
-- requests (W_DUE_REFUNDS) as well: EXPLAIN picks k_queue already.
-- webhook_events.k_due (delivered_at, next_at): the worker's claim walks
-- the pending events in id order through k_pending (delivered_at, id) and
-- the heads of streams through k_stream; the claimed rows are joined back
-- by their primary key. Dropping an index is a change of metadata in InnoDB.
ALTER TABLE refunds DROP INDEX IF EXISTS k_state_deadline;
ALTER TABLE webhook_events DROP INDEX IF EXISTS k_due;
