-- 020: requests per client address, for the app's own limits where no nginx
-- stands in front (request_limits in the config; plain CGI, mod_fcgid).
-- Numbered 020 so migrations written at the same time as this one (004...)
-- keep their numbers. Rows older than an hour are deleted as new ones come.
CREATE TABLE IF NOT EXISTS request_log (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  client_ip     VARCHAR(45)  NOT NULL,
  kind          VARCHAR(16)  NOT NULL,           -- lookup, submit, buyer_post
  at            BIGINT       NOT NULL,
  KEY k_ip_kind_time (client_ip, kind, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
