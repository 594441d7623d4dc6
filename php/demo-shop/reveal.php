<?php
// reveal.php: POST: show the key from now on, and tell the desk it was seen.
require __DIR__ . '/lib/shop.php';

require_post();
$o = own_order(post('sn'));
if ((int)$o['status'] === ORDER_COMPLETED && $o['refund_state'] === null) {
    reveal_key($o);
}
redirect('/order.php?sn=' . rawurlencode($o['order_sn']));
