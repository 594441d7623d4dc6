<?php
// demo-topup.php: for scripts/demo-seed.py: a paid 直充 order of the demo
// shop for buyer ARGV[1], bought from the supplier desk, that the mock
// upstream reports failed. The shop's own desk hears only "pending" (as at
// any sale), so the buyer's refund makes the desk ask (usage.requested) and
// the shop answers from its upstream. Prints the order number.
// Environment: the SHOP_* variables of php/demo-shop/config.php.
if (PHP_SAPI !== 'cli' || !isset($argv[1]) || !preg_match('/^[A-Za-z0-9_-]{1,64}$/D', $argv[1])) {
    fwrite(STDERR, "usage: php scripts/demo-topup.php BUYER_ID\n");
    exit(2);
}
require dirname(__DIR__) . '/php/demo-shop/lib/shop.php';

$g = q("SELECT * FROM goods WHERE category = 'direct_topup' AND is_open = 1 ORDER BY id LIMIT 1")->fetch();
if (!$g) {
    fwrite(STDERR, "demo-topup: no top-up goods (run php/demo-shop/setup.php)\n");
    exit(1);
}
$sn = strtoupper(bin2hex(random_bytes(8)));
$pdo = db();
$pdo->beginTransaction();
q('INSERT INTO orders (order_sn, goods_id, title, buyer_id, email, actual_price, pay_type, trade_no, status, account,
   paid_at, created_at, updated_at)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NOW() - INTERVAL 10 MINUTE, NOW(), NOW())',
    array($sn, $g['id'], $g['gd_name'], $argv[1], 'demo@example.com', $g['actual_price'], 'alipay',
        'DEMO' . time(), ORDER_COMPLETED, 'demo_player'));
$o = find_order($sn);
upstream_place($o, $g['upstream_cost'] !== null ? $g['upstream_cost'] : $g['actual_price']);
$pdo->commit();
desk_sync($sn);
$o = find_order($sn);
if ((int)$o['desk_synced'] !== 1 || (supplier_desk() !== null && (int)upstream_topup($o['id'])['supplier_synced'] !== 1)) {
    fwrite(STDERR, "demo-topup: a desk did not take the order (see the errors above)\n");
    exit(1);
}
upstream_set($o, 'failed');
echo $sn, "\n";
