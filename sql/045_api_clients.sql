-- 045: API clients (issue 15, CONTRACT.md §7). A client acts as one buyer
-- through the signed API (X-RD-Client). Its secret is never stored: it is
-- derived from the desk's session_secret and the client id (store/api_clients.c),
-- so a copy of the database gives nobody a client's key. Revoking keeps the
-- row (who had access, and when) and refuses the id from then on.
CREATE TABLE IF NOT EXISTS api_clients (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  client_id   VARCHAR(32)  NOT NULL,
  buyer_id    VARCHAR(64)  NOT NULL,
  created_at  BIGINT       NOT NULL,
  revoked_at  BIGINT       NOT NULL DEFAULT 0,
  UNIQUE KEY uk_client (client_id),
  KEY k_buyer (buyer_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
