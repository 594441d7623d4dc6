-- 030: a version on the rows decisions are made from. Every transaction that
-- decides from an order (its delivery, usage, hold) or a refund (its state)
-- bumps the row's version first, so the decision writes the row it read. On
-- Galera, where row locks do not cross nodes, a concurrent writer of that row
-- on another node then fails certification (1213) and the loser runs again
-- whole, instead of both committing (write skew). On one server the bump
-- takes the same row lock SELECT ... FOR UPDATE took. ADD COLUMN is instant.
ALTER TABLE orders ADD COLUMN IF NOT EXISTS version BIGINT UNSIGNED NOT NULL DEFAULT 0;
ALTER TABLE refunds ADD COLUMN IF NOT EXISTS version BIGINT UNSIGNED NOT NULL DEFAULT 0;
