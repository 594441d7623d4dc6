-- 010: abuse and fault resistance (issue 9).

-- Every accepted API signature, kept until it can no longer pass the skew
-- check (the worker purges older ones): the primary key makes a replay a
-- duplicate key, whatever worker or node it reaches.
CREATE TABLE IF NOT EXISTS api_signatures (
  sig           CHAR(64)     NOT NULL PRIMARY KEY,
  ts            BIGINT       NOT NULL,           -- the request's X-RD-Timestamp
  KEY k_ts (ts)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Fixed-window counters: one row per budget ("login-ip:ADDR", "login:NAME",
-- "post-sid:SID", "post-ip:ADDR", "lookup-order:NO"). A spend is one
-- atomic upsert, so parallel attempts can never evaluate more than the limit.
CREATE TABLE IF NOT EXISTS budgets (
  k             VARCHAR(120) NOT NULL PRIMARY KEY,
  window_start  BIGINT       NOT NULL,
  used          INT          NOT NULL,
  KEY k_window (window_start)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Session generations: a cookie carries the generation it was issued under;
-- logout, a password change or "end all sessions" bump it, and every older
-- cookie stops working at once.
ALTER TABLE staff ADD COLUMN IF NOT EXISTS session_gen BIGINT NOT NULL DEFAULT 0;
CREATE TABLE IF NOT EXISTS buyer_sessions (
  buyer_id      VARCHAR(64)  NOT NULL PRIMARY KEY,
  gen           BIGINT       NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Buyer notes/evidence posts on a refund (capped by config), and what the
-- desk found anomalous about it (bit 1: a page of it failed to render): a
-- deadline never decides such a request by itself.
ALTER TABLE refunds ADD COLUMN IF NOT EXISTS buyer_posts INT NOT NULL DEFAULT 0;
ALTER TABLE refunds ADD COLUMN IF NOT EXISTS anomalies INT UNSIGNED NOT NULL DEFAULT 0;
