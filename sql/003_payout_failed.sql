-- 003: a refund remembers that the payment service reported its original-
-- path payout failed; only then may staff move it to the platform balance.
ALTER TABLE refunds ADD COLUMN IF NOT EXISTS payout_failed TINYINT NOT NULL DEFAULT 0;
