-- 004: timers without a daemon. `worker --once` from cron, POST /cron and a
-- `worker` daemon on another node may overlap; the database keeps them apart.
--
-- worker_lease: one row per job family. The housekeeping part of a pass
-- (sweeps, escrow releases, deadlines) runs only while a run holds the
-- lease (holder = its random token, until lease_until); a killed run's
-- lease simply expires. The row also records the last finished pass, which
-- /healthz reports. A row lease, not GET_LOCK(): GET_LOCK is node-local on
-- Galera, a row update is certified cluster-wide.
CREATE TABLE IF NOT EXISTS worker_lease (
  name          VARCHAR(32)  NOT NULL PRIMARY KEY,
  holder        CHAR(32)     NOT NULL DEFAULT '',
  holder_node   VARCHAR(64)  NOT NULL DEFAULT '',
  lease_until   BIGINT       NOT NULL DEFAULT 0,
  last_run_at   BIGINT       NOT NULL DEFAULT 0,
  last_run_node VARCHAR(64)  NOT NULL DEFAULT '',
  last_summary  VARCHAR(255) NOT NULL DEFAULT ''
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
INSERT IGNORE INTO worker_lease (name) VALUES ('worker');

-- webhook_events: a run claims an event (claim_token, until claim_until)
-- before sending it, so two runs never send the same event; an expired
-- claim (a killed run) is free again. `stream` is the ordering key: events
-- about one order go out in order (the head of a stream only), events of
-- different orders go out side by side; an event about no order has a NULL
-- stream, which equals nothing, so it waits for no other. One statement, so
-- a failed migration leaves the table as it was.
ALTER TABLE webhook_events
  ADD COLUMN claim_token CHAR(32) NOT NULL DEFAULT '',
  ADD COLUMN claim_until BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN stream VARCHAR(64) GENERATED ALWAYS AS
    (LEFT(JSON_UNQUOTE(JSON_EXTRACT(payload, '$.data.order_no')), 64)) STORED,
  ADD KEY k_pending (delivered_at, id),
  ADD KEY k_stream (stream, delivered_at, id),
  ADD KEY k_claim (claim_token);
