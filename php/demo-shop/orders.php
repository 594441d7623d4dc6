<?php
// orders.php: this buyer's orders.
require __DIR__ . '/lib/shop.php';

$rows = q('SELECT order_sn, title, actual_price, status, refund_state, created_at FROM orders
           WHERE buyer_id = ? ORDER BY id DESC LIMIT 50', array(buyer_id()))->fetchAll();
page_start('我的订单');
if (!$rows) {
    echo '<p class="muted">还没有订单。</p>';
}
echo '<ul class="orders">';
foreach ($rows as $r) {
    echo '<li><a href="/order.php?sn=', h(rawurlencode($r['order_sn'])), '">', h($r['order_sn']), '</a> ',
        h($r['title']), ' ¥', h($r['actual_price']), ' <span class="badge">',
        h((int)$r['status'] === ORDER_COMPLETED ? '已完成' : '待支付'), '</span>',
        $r['refund_state'] !== null ? ' <span class="badge">退款：' . h($r['refund_state']) . '</span>' : '', '</li>';
}
echo '</ul>';
page_end();
