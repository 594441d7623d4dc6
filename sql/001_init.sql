-- 001: the whole first schema. Times are UNIX seconds (BIGINT), money is fen
-- (BIGINT), every table InnoDB and utf8mb4.

CREATE TABLE orders (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  order_no      VARCHAR(32)  NOT NULL,
  buyer_id      VARCHAR(64)  NOT NULL,
  merchant_id   VARCHAR(64)  NOT NULL,
  category      VARCHAR(16)  NOT NULL,
  title         VARCHAR(200) NOT NULL,
  amount        BIGINT       NOT NULL,
  currency      CHAR(3)      NOT NULL DEFAULT 'CNY',
  pay_channel   VARCHAR(16)  NOT NULL,
  paid_at       BIGINT       NOT NULL,
  contact       VARCHAR(128) NOT NULL,
  lookup_code   VARCHAR(64)  NOT NULL,
  body_hash     CHAR(64)     NOT NULL,           -- sha256 of the registering body: same body again is a no-op
  delivery      VARCHAR(16)  NOT NULL DEFAULT 'pending',
  delivery_kind VARCHAR(16)  NOT NULL DEFAULT '',
  delivered_at  BIGINT       NOT NULL DEFAULT 0,
  key_revealed_at BIGINT     NOT NULL DEFAULT 0,
  redeemed      TINYINT      NOT NULL DEFAULT 0,
  topup         VARCHAR(16)  NOT NULL DEFAULT '',
  activated_at  BIGINT       NOT NULL DEFAULT 0,
  confirmed_at  BIGINT       NOT NULL DEFAULT 0,
  created_at    BIGINT       NOT NULL,
  UNIQUE KEY uk_order_no (order_no),
  KEY k_buyer (buyer_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The escrow hold of one order. Its amounts are a cache of the ledger:
-- check-ledger proves they equal the sums of the entries.
-- The lists after "--" on holds.state, ledger_txns.kind and
-- hold_resolutions.kind are the enums of src/rules/domain.h, checked by
-- tests/unit/test_schema_names.c. Migrations are applied once by version (no
-- checksum), so these comments may be corrected in place.
CREATE TABLE holds (
  order_id      BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  state         VARCHAR(16)  NOT NULL,           -- held, frozen, released, refunded
  amount        BIGINT       NOT NULL,
  released      BIGINT       NOT NULL DEFAULT 0,
  refunded      BIGINT       NOT NULL DEFAULT 0,
  fees          BIGINT       NOT NULL DEFAULT 0,
  release_at    BIGINT       NOT NULL,           -- auto-release when nothing is open
  resolved_at   BIGINT       NOT NULL DEFAULT 0,
  KEY k_release (state, release_at),
  CONSTRAINT fk_hold_order FOREIGN KEY (order_id) REFERENCES orders (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Double entry: every transaction's entries sum to zero. uniq_key makes each
-- money movement happen at most once ("hold:ORDER", "refund:REFUND", ...).
CREATE TABLE ledger_txns (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  order_id      BIGINT UNSIGNED NOT NULL,
  refund_id     BIGINT UNSIGNED NULL,
  kind          VARCHAR(16)  NOT NULL,           -- hold, release, refund, clawback, payout, payout_balance, claim, claim_recovered, claim_write_off, appeal_refund
  uniq_key      VARCHAR(80)  NOT NULL,
  created_at    BIGINT       NOT NULL,
  UNIQUE KEY uk_txn (uniq_key),
  KEY k_order (order_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE ledger_entries (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  txn_id        BIGINT UNSIGNED NOT NULL,
  account       VARCHAR(96)  NOT NULL,           -- escrow:ORDER, merchant:ID, buyer:ID, platform:fees, payout:CHANNEL, external:CHANNEL, claim:ID, merchant_recovery:ID, external:supplier:ID
  amount        BIGINT       NOT NULL,           -- signed; a transaction sums to zero
  KEY k_txn (txn_id),
  KEY k_account (account),
  CONSTRAINT fk_entry_txn FOREIGN KEY (txn_id) REFERENCES ledger_txns (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- A hold is resolved (released, refunded, or split) once: the primary key says so.
CREATE TABLE hold_resolutions (
  order_id      BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  txn_id        BIGINT UNSIGNED NOT NULL,
  kind          VARCHAR(16)  NOT NULL            -- release, refund
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE refunds (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  public_id     CHAR(22)     NOT NULL,           -- random, what URLs carry
  order_id      BIGINT UNSIGNED NOT NULL,
  buyer_id      VARCHAR(64)  NOT NULL,
  type          VARCHAR(24)  NOT NULL,
  state         VARCHAR(24)  NOT NULL,
  destination   VARCHAR(16)  NOT NULL,
  reason        TEXT         NOT NULL,
  wrong_account VARCHAR(200) NOT NULL DEFAULT '',
  requested     BIGINT       NOT NULL,
  fee           BIGINT       NOT NULL,
  refund_amount BIGINT       NOT NULL,
  reviewer      VARCHAR(16)  NOT NULL DEFAULT '',
  risk_flags    INT UNSIGNED NOT NULL DEFAULT 0,
  deadline      BIGINT       NOT NULL DEFAULT 0, -- when the current state acts by itself
  appealed      TINYINT      NOT NULL DEFAULT 0,
  client_ip     VARCHAR(45)  NOT NULL DEFAULT '',
  idem          VARCHAR(64)  NOT NULL,
  open_order_id BIGINT UNSIGNED NULL,            -- = order_id while open, NULL once final
  created_at    BIGINT       NOT NULL,
  updated_at    BIGINT       NOT NULL,
  UNIQUE KEY uk_public (public_id),
  UNIQUE KEY uk_open (open_order_id),            -- at most one open request per order
  UNIQUE KEY uk_idem (buyer_id, idem),           -- a resubmitted form finds the first result
  KEY k_order (order_id),
  KEY k_buyer_time (buyer_id, created_at),
  KEY k_ip_time (client_ip, created_at),
  KEY k_state_deadline (state, deadline)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE refund_events (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  refund_id     BIGINT UNSIGNED NOT NULL,
  at            BIGINT       NOT NULL,
  state         VARCHAR(24)  NOT NULL,
  actor         VARCHAR(16)  NOT NULL,           -- buyer, system, cs, merchant, arbiter, storefront
  note          VARCHAR(1000) NOT NULL DEFAULT '',
  KEY k_refund (refund_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE evidence (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  refund_id     BIGINT UNSIGNED NOT NULL,
  seq           INT          NOT NULL,           -- N in /refund/ID/evidence/N
  sha256        CHAR(64)     NOT NULL,           -- the stored file's name
  mime          VARCHAR(32)  NOT NULL,           -- sniffed from content
  size          BIGINT       NOT NULL,
  orig_name     VARCHAR(255) NOT NULL DEFAULT '',-- shown escaped, never used as a path
  created_at    BIGINT       NOT NULL,
  UNIQUE KEY uk_seq (refund_id, seq),
  KEY k_sha (sha256)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE sessions (
  sid           CHAR(32)     NOT NULL PRIMARY KEY,
  buyer_id      VARCHAR(64)  NOT NULL,
  scope         VARCHAR(32)  NOT NULL,
  via           VARCHAR(8)   NOT NULL,           -- link, lookup
  created_at    BIGINT       NOT NULL,
  expires_at    BIGINT       NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- A hand-off link works once: its signature is the key.
CREATE TABLE used_links (
  sig           CHAR(64)     NOT NULL PRIMARY KEY,
  used_at       BIGINT       NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Failed guest look-ups, for the per-IP limit.
CREATE TABLE lookup_failures (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  client_ip     VARCHAR(45)  NOT NULL,
  at            BIGINT       NOT NULL,
  KEY k_ip_time (client_ip, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE blacklist (
  kind          VARCHAR(8)   NOT NULL,           -- buyer, ip
  value         VARCHAR(64)  NOT NULL,
  note          VARCHAR(200) NOT NULL DEFAULT '',
  created_at    BIGINT       NOT NULL,
  PRIMARY KEY (kind, value)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Events for the storefront, delivered by `worker` (outbox pattern: written in
-- the same transaction as the change they announce).
CREATE TABLE webhook_events (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  event_id      CHAR(32)     NOT NULL,
  type          VARCHAR(32)  NOT NULL,
  payload       TEXT         NOT NULL,
  created_at    BIGINT       NOT NULL,
  attempts      INT          NOT NULL DEFAULT 0,
  next_at       BIGINT       NOT NULL,
  delivered_at  BIGINT       NOT NULL DEFAULT 0,
  UNIQUE KEY uk_event (event_id),
  KEY k_due (delivered_at, next_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE staff (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  login         VARCHAR(64)  NOT NULL,
  role          VARCHAR(16)  NOT NULL,
  merchant_id   VARCHAR(64)  NOT NULL DEFAULT '',
  pwhash        VARCHAR(255) NOT NULL,
  created_at    BIGINT       NOT NULL,
  UNIQUE KEY uk_login (login)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
