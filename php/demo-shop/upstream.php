<?php
// upstream.php: POST: the demo plays the supplier of a 直充 order and sets
// what its top-up API says (pending, arrived, failed): lib/upstream.php.
require __DIR__ . '/lib/shop.php';

require_post();
$o = own_order(post('sn'));
if (!upstream_topup($o['id'])) {
    fail(404, '这个订单不是直充订单');
}
$state = post('state');
if (!in_array($state, UPSTREAM_STATES, true)) {
    fail(422, '上游状态只能是 pending、arrived 或 failed');
}
upstream_set($o, $state);
redirect('/order.php?sn=' . rawurlencode($o['order_sn']));
