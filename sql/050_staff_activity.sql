-- 050 (issue 10): what each staff account did, for admins: who decided what,
-- when, from which address. One row per staff decision, written in the
-- decision's own transaction (a rolled-back decision leaves none). The
-- login and role are copied: the log keeps saying who it was after an
-- account changes. refund_id is refunds.id (the page joins its public id
-- and order number).
CREATE TABLE IF NOT EXISTS staff_activity (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  staff_id      BIGINT UNSIGNED NOT NULL,
  login         VARCHAR(64)  NOT NULL,
  role          VARCHAR(16)  NOT NULL,           -- cs, merchant, arbiter, admin
  action        VARCHAR(24)  NOT NULL,           -- approve, reject, request_info, escalate, to_balance
  refund_id     BIGINT UNSIGNED NOT NULL,
  from_state    VARCHAR(24)  NOT NULL,
  to_state      VARCHAR(24)  NOT NULL,
  amount        BIGINT       NOT NULL DEFAULT 0, -- fen to the buyer (approve), else 0
  client_ip     VARCHAR(45)  NOT NULL,
  at            BIGINT       NOT NULL,
  KEY k_login (login, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
