-- 046 (issue 10): who wrote each timeline entry, and notes only staff read.
-- actor_name: the staff login behind a cs/merchant/arbiter/admin entry ('' for
-- buyer, system and storefront); shown on staff pages only. Internal notes
-- live in their own table, which no buyer page, API answer or webhook reads:
-- kept apart by where they are stored, not by a flag every reader must check.
ALTER TABLE refund_events ADD COLUMN IF NOT EXISTS actor_name VARCHAR(64) NOT NULL DEFAULT '';
CREATE TABLE IF NOT EXISTS refund_internal_notes (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  refund_id     BIGINT UNSIGNED NOT NULL,
  at            BIGINT       NOT NULL,
  actor         VARCHAR(16)  NOT NULL,           -- cs, merchant, arbiter, admin
  actor_name    VARCHAR(64)  NOT NULL,           -- the staff login
  action        VARCHAR(24)  NOT NULL,           -- the decision it was written with
  note          VARCHAR(1000) NOT NULL,
  KEY k_refund (refund_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
