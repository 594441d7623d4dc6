<?php
// refund.php: POST: the 申请退款 button. The hand-off link is signed now,
// at the click, so it is fresh (valid 15 minutes, once) when the desk sees it.
require __DIR__ . '/lib/shop.php';

require_post();
$o = own_order(post('sn'));
if ((int)$o['status'] !== ORDER_COMPLETED) {
    fail(409, '订单未支付');
}
desk_sync($o['order_sn']);
redirect(desk()->startUrl($o['order_sn'], $o['buyer_id']));
