-- 060: claims up the chain (issue 15, CONTRACT.md §7).
-- order_upstreams: what the reseller bought from which supplier, given at
-- registration (`upstream`); a row only for orders that have one.
CREATE TABLE IF NOT EXISTS order_upstreams (
  order_id          BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  supplier          VARCHAR(32)  NOT NULL,     -- a key of the config's suppliers
  upstream_order_no VARCHAR(32)  NOT NULL,     -- the order's number at the supplier
  cost              BIGINT       NOT NULL      -- fen paid to the supplier: what a claim asks back
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- supplier_claims: one per refund the supplier answers for, booked with the
-- refund's approval (ledger kind claim). The worker files it at a desk
-- supplier (its public_id is the `idem` there: a retry never claims twice)
-- and follows it; a storefront-reached supplier's outcome arrives through
-- POST /api/v1/orders/NO/upstream-claim. lease_until/lease_token: one
-- worker at a time talks to the supplier about one claim.
CREATE TABLE IF NOT EXISTS supplier_claims (
  id                 BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  public_id          VARCHAR(32)  NOT NULL,
  order_id           BIGINT UNSIGNED NOT NULL,
  refund_id          BIGINT UNSIGNED NOT NULL,
  supplier           VARCHAR(32)  NOT NULL,
  merchant_id        VARCHAR(64)  NOT NULL,     -- who bore the refund: a write-off stays with it
  amount             BIGINT       NOT NULL,     -- claimed (the order's upstream cost)
  recovered          BIGINT       NOT NULL DEFAULT 0,
  written_off        BIGINT       NOT NULL DEFAULT 0,
  state              VARCHAR(16)  NOT NULL,     -- pending, filed, recovered, rejected, written_off
  supplier_refund_id VARCHAR(64)  NOT NULL DEFAULT '',
  created_at         BIGINT       NOT NULL,
  updated_at         BIGINT       NOT NULL,
  expires_at         BIGINT       NOT NULL,
  next_at            BIGINT       NOT NULL,     -- when the worker looks at it again
  attempts           INT          NOT NULL DEFAULT 0,
  last_error         VARCHAR(200) NOT NULL DEFAULT '',
  lease_until        BIGINT       NOT NULL DEFAULT 0,
  lease_token        CHAR(32)     NOT NULL DEFAULT '',
  UNIQUE KEY uk_public (public_id),
  UNIQUE KEY uk_refund (refund_id),
  KEY k_order (order_id),
  KEY k_due (state, next_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
