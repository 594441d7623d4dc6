<?php
// pay_return.php: the buyer comes back from 易支付 with signed parameters.
// Accepted the same way as the server notice; then the order page.
require __DIR__ . '/lib/shop.php';

if (!accept_payment($_GET)) {
    fail(400, '支付结果校验失败');
}
redirect('/order.php?sn=' . rawurlencode((string)$_GET['out_trade_no']));
