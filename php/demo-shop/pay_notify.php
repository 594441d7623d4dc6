<?php
// pay_notify.php: 易支付's server-to-server notice (GET or POST). Answers
// "success" once the signature and amount check out, "fail" otherwise.
require __DIR__ . '/lib/shop.php';

header('Content-Type: text/plain; charset=utf-8');
echo accept_payment($_SERVER['REQUEST_METHOD'] === 'POST' ? $_POST : $_GET) ? 'success' : 'fail';
