-- 070: an appeal after a partial refund (issue 10). appealed was 0/1; it is
-- now 0 (never), 1 (appealed a rejection), 2 (appealed a partial refund:
-- the request went back to arbitration with money already paid).
-- appeal_award is what the arbiter awarded on top of refund_amount, paid
-- from the merchant by the ledger's appeal_refund movement (0: none).
ALTER TABLE refunds
  ADD COLUMN IF NOT EXISTS appeal_award BIGINT NOT NULL DEFAULT 0 AFTER refund_amount;
