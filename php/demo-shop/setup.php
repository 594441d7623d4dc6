<?php
// setup.php: creates the demo shop's database and tables (shaped like
// dujiaoka's goods, carmis and orders) and stocks a few goods. Idempotent.
// Run from the command line: php php/demo-shop/setup.php
if (PHP_SAPI !== 'cli') {
    exit;
}
require __DIR__ . '/lib/bootstrap.php';

$d = cfg('db');
$dsn = $d['socket'] !== '' ? 'mysql:unix_socket=' . $d['socket'] : 'mysql:host=' . $d['host'] . ';port=' . $d['port'];
$root = new PDO($dsn . ';charset=utf8mb4', $d['user'], $d['password'], array(PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION));
if (!preg_match('/^[A-Za-z0-9_]{1,64}$/', $d['name'])) {
    fwrite(STDERR, "setup: bad database name\n");
    exit(1);
}
$root->exec('CREATE DATABASE IF NOT EXISTS `' . $d['name'] . '` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');

db()->exec("CREATE TABLE IF NOT EXISTS goods (
  id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  gd_name VARCHAR(200) NOT NULL,
  gd_description VARCHAR(500) NOT NULL DEFAULT '',
  actual_price DECIMAL(10,2) NOT NULL,
  is_open TINYINT NOT NULL DEFAULT 1,
  category VARCHAR(32) NOT NULL DEFAULT 'game_card' COMMENT 'the desk''s category: game_card keys, direct_topup through the upstream',
  upstream_cost DECIMAL(10,2) NULL COMMENT 'what a top-up costs the shop at its supplier',
  created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL
) ENGINE=InnoDB");
db()->exec("CREATE TABLE IF NOT EXISTS carmis (
  id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  goods_id INT UNSIGNED NOT NULL,
  status TINYINT NOT NULL DEFAULT 1 COMMENT '1 unsold, 2 sold, 3 revoked',
  carmi VARCHAR(500) NOT NULL,
  order_id INT UNSIGNED NULL,
  created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL,
  KEY goods_status (goods_id, status)
) ENGINE=InnoDB");
db()->exec("CREATE TABLE IF NOT EXISTS orders (
  id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  order_sn VARCHAR(32) NOT NULL,
  goods_id INT UNSIGNED NOT NULL,
  title VARCHAR(200) NOT NULL,
  buyer_id VARCHAR(64) NOT NULL,
  email VARCHAR(128) NOT NULL,
  actual_price DECIMAL(10,2) NOT NULL,
  pay_type VARCHAR(16) NOT NULL,
  trade_no VARCHAR(64) NULL,
  status TINYINT NOT NULL COMMENT '1 wait pay, 4 completed (dujiaoka)',
  carmi_id INT UNSIGNED NULL,
  paid_at DATETIME NULL,
  revealed_at DATETIME NULL,
  account VARCHAR(64) NULL COMMENT 'the game account a top-up goes to',
  usage_asked TINYINT NOT NULL DEFAULT 0 COMMENT 'the desk asked about use while the upstream still said pending',
  desk_synced TINYINT NOT NULL DEFAULT 0,
  refund_state VARCHAR(32) NULL,
  created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL,
  UNIQUE KEY order_sn (order_sn),
  KEY buyer (buyer_id)
) ENGINE=InnoDB");
// Databases made before the top-up goods: the same columns added.
db()->exec("ALTER TABLE goods ADD COLUMN IF NOT EXISTS category VARCHAR(32) NOT NULL DEFAULT 'game_card',
  ADD COLUMN IF NOT EXISTS upstream_cost DECIMAL(10,2) NULL");
db()->exec('ALTER TABLE orders ADD COLUMN IF NOT EXISTS account VARCHAR(64) NULL,
  ADD COLUMN IF NOT EXISTS usage_asked TINYINT NOT NULL DEFAULT 0');
// The mock upstream (lib/upstream.php): the supplier's record of each
// top-up the shop bought from it. Only its own page changes the state.
db()->exec("CREATE TABLE IF NOT EXISTS upstream_topups (
  order_id INT UNSIGNED NOT NULL PRIMARY KEY,
  upstream_no VARCHAR(32) NOT NULL,
  state VARCHAR(16) NOT NULL COMMENT 'pending, arrived, failed',
  cost DECIMAL(10,2) NOT NULL,
  supplier_synced TINYINT NOT NULL DEFAULT 0 COMMENT 'the supplier desk has the order',
  created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL,
  UNIQUE KEY upstream_no (upstream_no)
) ENGINE=InnoDB");
// Webhook events already handled: the desk repeats an event until it gets a 2xx.
db()->exec("CREATE TABLE IF NOT EXISTS webhook_events (
  event_id VARCHAR(64) NOT NULL PRIMARY KEY,
  type VARCHAR(64) NOT NULL,
  outcome VARCHAR(64) NOT NULL,
  received_at DATETIME NOT NULL
) ENGINE=InnoDB");

if ((int)q('SELECT COUNT(*) FROM goods')->fetchColumn() === 0) {
    $goods = array(
        array('网易一卡通 100 元', '自动发卡，卡密在订单页查看', '100.00', 5),
        array('王者荣耀 点券 60 元', '卡密兑换，自动发卡', '60.00', 5),
        array('腾讯 Q 币 10 元', '自动发卡', '9.90', 3),
    );
    foreach ($goods as $g) {
        q('INSERT INTO goods (gd_name, gd_description, actual_price, created_at, updated_at) VALUES (?, ?, ?, NOW(), NOW())',
            array($g[0], $g[1], $g[2]));
        $id = db()->lastInsertId();
        for ($i = 0; $i < $g[3]; $i++) {
            q('INSERT INTO carmis (goods_id, carmi, created_at, updated_at) VALUES (?, ?, NOW(), NOW())',
                array($id, 'CARD-' . strtoupper(bin2hex(random_bytes(4))) . '-' . strtoupper(bin2hex(random_bytes(4)))));
        }
    }
}
// A 直充 good: no card keys, delivered through the mock upstream.
if ((int)q("SELECT COUNT(*) FROM goods WHERE category = 'direct_topup'")->fetchColumn() === 0) {
    q("INSERT INTO goods (gd_name, gd_description, actual_price, category, upstream_cost, created_at, updated_at)
       VALUES (?, ?, '68.00', 'direct_topup', '60.00', NOW(), NOW())",
        array('原神 创世结晶 680 直充', '填写游戏账号，上游直充到账'));
}
echo "setup: database ", $d['name'], " ready\n";
